import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { Project } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { EmptyState, ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { DemographicsView } from "../demographics/DemographicsView";
import { ExportButton } from "../exports/ExportButton";
import { ProjectFocusGroupsCard } from "../focus-groups/ProjectFocusGroupsCard";
import { usePersonaLocaleText } from "../personas/locales";
import { ProjectPersonasCard } from "../personas/ProjectPersonasCard";
import { ProjectSurveysCard } from "../surveys/ProjectSurveysCard";
import { DeleteProjectDialog } from "./DeleteProjectDialog";

const MAX_NAME = 120;

export function ProjectDetailPage({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const project = useInvokeQuery("projects.get", { id: projectId });
  useDocumentTitle(project.data?.name ?? t("projects.title"));

  if (project.isPending) return <Spinner label={t("app.loading")} />;
  if (project.isError) {
    return project.error.code === "NOT_FOUND" ? (
      <>
        <PageHeader title={t("projectDetail.notFoundTitle")} />
        <EmptyState title={t("projectDetail.notFoundBody")}>
          <a className="button" href={hrefOf({ page: "projects" })}>
            {t("app.backToProjects")}
          </a>
        </EmptyState>
      </>
    ) : (
      <ErrorState error={project.error} onRetry={() => void project.refetch()} title={t("app.loadFailed")} />
    );
  }
  return <ProjectDetail project={project.data} />;
}

function ProjectDetail({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  const locale = usePersonaLocaleText()(project);
  const notify = useNotify();
  const client = useQueryClient();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const cacheProject = (next: Project) => client.setQueryData(invokeQueryKey("projects.get", { id: next.id }), next);

  const duplicate = useInvokeMutation("projects.duplicate", {
    onSuccess: (copy) => {
      notify.success(({ t }) => t("toasts.projectDuplicated"), copy.name);
      cacheProject(copy);
      navigate({ page: "project", id: copy.id });
    },
    onError: notify.error,
  });
  const archive = useInvokeMutation("projects.archive", {
    onSuccess: (next) => {
      cacheProject(next);
      notify.success(({ t }) => t("toasts.projectArchived"), next.name);
    },
    onError: notify.error,
  });
  const unarchive = useInvokeMutation("projects.unarchive", {
    onSuccess: (next) => {
      cacheProject(next);
      notify.success(({ t }) => t("toasts.projectUnarchived"), next.name);
    },
    onError: notify.error,
  });
  const remove = useInvokeMutation("projects.delete", {
    onSuccess: () => {
      setConfirmingDelete(false);
      notify.success(({ t }) => t("toasts.projectDeleted"), project.name);
      navigate({ page: "projects" }, { replace: true });
      client.removeQueries({ queryKey: invokeQueryKey("projects.get", { id: project.id }) });
    },
    onError: notify.error,
  });
  const busy = duplicate.isPending || archive.isPending || unarchive.isPending || remove.isPending;
  const archived = project.status === "archived";

  const text = (value: string) =>
    value.trim() ? <p className="prose">{value}</p> : <p className="muted">{t("projectDetail.notProvided")}</p>;

  return (
    <>
      <PageHeader
        title={
          <>
            {project.name}
            {archived ? <span className="badge badge--title">{t("projects.archivedBadge")}</span> : null}
          </>
        }
        actions={
          <div className="button-row" role="group" aria-label={t("projectDetail.actions")}>
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => navigate({ page: "project-edit", id: project.id })}
            >
              {t("projectDetail.edit")}
            </button>
            <ExportButton target={{ projectId: project.id, scope: "project", subject: project.name }} />
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                duplicate.mutate({
                  id: project.id,
                  name: t("projectDetail.copyName", { name: project.name }).slice(0, MAX_NAME),
                })
              }
            >
              {t("projectDetail.duplicate")}
            </button>
            {archived ? (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => unarchive.mutate({ id: project.id })}
              >
                {t("projectDetail.unarchive")}
              </button>
            ) : (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => archive.mutate({ id: project.id })}
              >
                {t("projectDetail.archive")}
              </button>
            )}
            <button
              type="button"
              className="button button--danger-outline"
              disabled={busy}
              onClick={() => setConfirmingDelete(true)}
            >
              {t("projectDetail.delete")}
            </button>
          </div>
        }
      >
        <p className="page-header__subtitle">
          <a href={hrefOf({ page: "projects" })}>← {t("nav.projects")}</a>
        </p>
      </PageHeader>

      {archived ? <p className="notice notice--info">{t("projectDetail.archivedNotice")}</p> : null}

      <div className="detail-grid">
        <section className="card" aria-labelledby="detail-about">
          <h2 id="detail-about" className="visually-hidden">
            {t("projectForm.basics")}
          </h2>
          <dl className="details">
            <div>
              <dt>{t("projectDetail.description")}</dt>
              <dd>{text(project.description)}</dd>
            </div>
            <div>
              <dt>{t("projectDetail.researchGoal")}</dt>
              <dd>{text(project.researchGoal)}</dd>
            </div>
            <div>
              <dt>{t("projectDetail.targetAudience")}</dt>
              <dd>{text(project.targetAudience)}</dd>
            </div>
            <div>
              <dt>{t("personaLocale.label")}</dt>
              <dd data-testid="project-persona-locale">
                <strong>{locale.name}</strong> <span className="muted">({locale.why})</span>{" "}
                <a href={hrefOf({ page: "project-edit", id: project.id })}>
                  {t("personaLocale.change")}
                  <span className="visually-hidden">: {t("personaLocale.label")}</span>
                </a>
              </dd>
            </div>
          </dl>
        </section>
        <aside className="card" aria-label={t("projectDetail.status")}>
          <dl className="details details--compact">
            <div>
              <dt>{t("projectDetail.targetSampleSize")}</dt>
              <dd className="details__number">{format.integer(project.targetSampleSize)}</dd>
            </div>
            <div>
              <dt>{t("projectDetail.status")}</dt>
              <dd>{archived ? t("projects.statusArchived") : t("projects.statusActive")}</dd>
            </div>
            <div>
              <dt>{t("projectDetail.created")}</dt>
              <dd>
                <time dateTime={project.createdAt}>{format.dateTime(project.createdAt)}</time>
              </dd>
            </div>
            <div>
              <dt>{t("projectDetail.updated")}</dt>
              <dd>
                <time dateTime={project.updatedAt}>{format.dateTime(project.updatedAt)}</time>
              </dd>
            </div>
          </dl>
        </aside>
      </div>

      <ProjectPersonasCard project={project} />
      <div className="project-studies">
        <ProjectFocusGroupsCard project={project} />
        <ProjectSurveysCard project={project} />
      </div>

      <section className="card" aria-labelledby="detail-demographics">
        <h2 id="detail-demographics" className="section-title">
          {t("projectDetail.demographics")}
        </h2>
        <DemographicsView demographics={project.targetDemographics} />
      </section>

      {confirmingDelete ? (
        <DeleteProjectDialog
          projectName={project.name}
          deleting={remove.isPending}
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => remove.mutate({ id: project.id })}
        />
      ) : null}
    </>
  );
}
