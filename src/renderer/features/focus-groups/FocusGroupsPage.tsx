import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { FocusGroup, Project } from "@shared/contract";
import { useInvokeInfiniteQuery, useInvokeQuery } from "../../api/hooks";
import { EmptyState, ErrorState, PageHeader, Spinner, useDocumentTitle, LoadMore } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { useUiStore } from "../../stores/ui";
import { ProjectGate } from "../studies/ProjectGate";
import { StudyAreaHome, StudyProjectPicker, usePickerProjects } from "../studies/StudyAreaHome";
import { StudyStatusBadge } from "../studies/StudyStatusBadge";

const PAGE_SIZE = 20;

/** #/focus-groups: which project? */
export function FocusGroupsHomePage() {
  return <StudyAreaHome area="focus-groups" />;
}

/** #/projects/<id>/focus-groups: the project's focus groups, newest first. */
export function ProjectFocusGroupsPage({ projectId }: { projectId: string }) {
  return <ProjectGate projectId={projectId}>{(project) => <ProjectFocusGroups project={project} />}</ProjectGate>;
}

function ProjectFocusGroups({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(`${t("studies.focus-groups.title")}: ${project.name}`);
  const remember = useUiStore((state) => state.setStudiesProjectId);
  useEffect(() => remember(project.id), [project.id, remember]);
  const projects = usePickerProjects();
  const personas = useInvokeQuery("personas.list", { projectId: project.id, limit: 1 });
  const list = useInvokeInfiniteQuery("focusGroups.list", { projectId: project.id, limit: PAGE_SIZE });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[list.data.pages.length - 1]?.total ?? 0;
  const newRoute = { page: "focus-group-new", projectId: project.id } as const;
  const personaCount = personas.data?.total;
  const tooFewPersonas = personaCount !== undefined && personaCount < 2;

  return (
    <>
      <PageHeader
        title={t("studies.focus-groups.title")}
        actions={
          tooFewPersonas ? null : (
            <a className="button button--primary" href={hrefOf(newRoute)}>
              {t("focusGroups.new")}
            </a>
          )
        }
      >
        <p className="page-header__subtitle">
          <a href={hrefOf({ page: "project", id: project.id })}>← {project.name}</a>
        </p>
      </PageHeader>
      <div className="filters">
        <StudyProjectPicker area="focus-groups" current={project} projects={projects.data?.items ?? []} />
      </div>

      {list.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : list.isError && items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t("app.loadFailed")} />
      ) : items.length === 0 ? (
        tooFewPersonas ? (
          <EmptyState
            title={t("focusGroups.needPersonasTitle")}
            body={t("focusGroups.needPersonasBody", { count: personaCount, n: format.integer(personaCount) })}
          >
            <a className="button button--primary" href={hrefOf({ page: "project-personas", id: project.id })}>
              {t("personas.generate")}
            </a>
          </EmptyState>
        ) : (
          <EmptyState title={t("focusGroups.emptyTitle")} body={t("focusGroups.emptyBody")}>
            <a className="button button--primary" href={hrefOf(newRoute)}>
              {t("focusGroups.new")}
            </a>
          </EmptyState>
        )
      ) : (
        <>
          <p className="list-count">
            {t("focusGroups.showing", { shown: format.integer(items.length), total: format.integer(total) })}
          </p>
          <ul className="study-list" aria-label={t("studies.focus-groups.title")}>
            {items.map((group) => (
              <FocusGroupRow key={group.id} group={group} />
            ))}
          </ul>
          <LoadMore list={list} />
        </>
      )}
    </>
  );
}

function FocusGroupRow({ group }: { group: FocusGroup }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <li className="study-row" data-testid="focus-group-row">
      <div className="study-row__top">
        <h2 className="study-row__name">
          <a className="card-link" href={hrefOf({ page: "focus-group", id: group.id })}>
            {group.name}
          </a>
        </h2>
        <StudyStatusBadge status={group.status} />
      </div>
      <p className="study-row__meta">
        <span>{t("focusGroups.participantsCount", { count: format.integer(group.participantIds.length) })}</span>
        <span>{t("focusGroups.questionsCount", { count: format.integer(group.guide.length) })}</span>
        <span data-testid="message-count">
          {t("focusGroups.messagesCount", { count: format.integer(group.messageCount) })}
        </span>
        <span>{t("projects.updated", { date: format.date(group.updatedAt) })}</span>
      </p>
    </li>
  );
}
