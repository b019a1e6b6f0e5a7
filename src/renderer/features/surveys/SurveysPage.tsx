import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Project, Survey } from "@shared/contract";
import { useInvokeInfiniteQuery, useInvokeQuery } from "../../api/hooks";
import { EmptyState, ErrorState, PageHeader, Spinner, useDocumentTitle, LoadMore } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { useUiStore } from "../../stores/ui";
import { ProjectGate } from "../studies/ProjectGate";
import { StudyAreaHome, StudyProjectPicker, usePickerProjects } from "../studies/StudyAreaHome";
import { StudyStatusBadge } from "../studies/StudyStatusBadge";

const PAGE_SIZE = 20;

/** #/surveys: which project? */
export function SurveysHomePage() {
  return <StudyAreaHome area="surveys" />;
}

/** #/projects/<id>/surveys: the project's surveys, newest first. */
export function ProjectSurveysPage({ projectId }: { projectId: string }) {
  return <ProjectGate projectId={projectId}>{(project) => <ProjectSurveys project={project} />}</ProjectGate>;
}

function ProjectSurveys({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(`${t("studies.surveys.title")}: ${project.name}`);
  const remember = useUiStore((state) => state.setStudiesProjectId);
  useEffect(() => remember(project.id), [project.id, remember]);
  const projects = usePickerProjects();
  const personas = useInvokeQuery("personas.list", { projectId: project.id, limit: 1 });
  const list = useInvokeInfiniteQuery("surveys.list", { projectId: project.id, limit: PAGE_SIZE });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[list.data.pages.length - 1]?.total ?? 0;
  const newRoute = { page: "survey-new", projectId: project.id } as const;
  const noPersonas = personas.data?.total === 0;

  return (
    <>
      <PageHeader
        title={t("studies.surveys.title")}
        actions={
          <a className="button button--primary" href={hrefOf(newRoute)}>
            {t("surveys.new")}
          </a>
        }
      >
        <p className="page-header__subtitle">
          <a href={hrefOf({ page: "project", id: project.id })}>← {project.name}</a>
        </p>
      </PageHeader>
      <div className="filters">
        <StudyProjectPicker area="surveys" current={project} projects={projects.data?.items ?? []} />
      </div>
      {noPersonas ? (
        <p className="notice notice--info" data-testid="surveys-no-personas">
          {t("surveys.noPersonasNotice")}{" "}
          <a href={hrefOf({ page: "project-personas", id: project.id })}>{t("personas.generate")}</a>
        </p>
      ) : null}

      {list.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : list.isError && items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t("app.loadFailed")} />
      ) : items.length === 0 ? (
        <EmptyState title={t("surveys.emptyTitle")} body={t("surveys.emptyBody")}>
          <a className="button button--primary" href={hrefOf(newRoute)}>
            {t("surveys.new")}
          </a>
        </EmptyState>
      ) : (
        <>
          <p className="list-count">
            {t("surveys.showing", { shown: format.integer(items.length), total: format.integer(total) })}
          </p>
          <ul className="study-list" aria-label={t("studies.surveys.title")}>
            {items.map((survey) => (
              <SurveyRow key={survey.id} survey={survey} />
            ))}
          </ul>
          <LoadMore list={list} />
        </>
      )}
    </>
  );
}

function SurveyRow({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <li className="study-row" data-testid="survey-row">
      <div className="study-row__top">
        <h2 className="study-row__name">
          <a className="card-link" href={hrefOf({ page: "survey", id: survey.id })}>
            {survey.name}
          </a>
        </h2>
        <StudyStatusBadge status={survey.status} />
      </div>
      <p className="study-row__meta">
        <span>{t("focusGroups.questionsCount", { count: format.integer(survey.questions.length) })}</span>
        <span>{t("surveys.responsesCount", { count: format.integer(survey.responseCount) })}</span>
        <span>{t("projects.updated", { date: format.date(survey.updatedAt) })}</span>
      </p>
    </li>
  );
}
