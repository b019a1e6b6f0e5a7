import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { Project, Survey } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { useUiStore } from "../../stores/ui";
import { ExportButton } from "../exports/ExportButton";
import { SyncToCrmButton } from "../integrations/SyncToCrmButton";
import { ExportRecipeButton } from "../recipes/RecipeButtons";
import { useProjectPersonas } from "../personas/use-project-personas";
import { ConfirmDialog } from "../studies/ConfirmDialog";
import { ProjectGate, StudyNotFound } from "../studies/ProjectGate";
import { StabilityPanel } from "../stability/StabilityPanel";
import { StudyStatusBadge } from "../studies/StudyStatusBadge";
import { CrosstabPanel } from "./CrosstabPanel";
import { QuestionResultView } from "./QuestionResultView";
import { surveyExportTarget } from "./ResponsesAtStakeDialog";
import { ResponsesList } from "./ResponsesList";
import { SurveyRunPanel } from "./SurveyRunPanel";

/** #/surveys/<id>: run it over personas, then results, cross-tabs and responses. */
export function SurveyDetailPage({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation();
  const survey = useInvokeQuery("surveys.get", { id: surveyId });
  useDocumentTitle(survey.data?.name ?? t("studies.surveys.title"));
  if (survey.isPending) return <Spinner label={t("app.loading")} />;
  if (survey.isError) {
    return survey.error.code === "NOT_FOUND" ? (
      <StudyNotFound
        title={t("surveys.notFoundTitle")}
        body={t("surveys.notFoundBody")}
        back={
          <a className="button" href={hrefOf({ page: "surveys" })}>
            {t("surveys.backToList")}
          </a>
        }
      />
    ) : (
      <ErrorState error={survey.error} onRetry={() => void survey.refetch()} title={t("app.loadFailed")} />
    );
  }
  return (
    <ProjectGate projectId={survey.data.projectId}>
      {(project) => <SurveyDetail survey={survey.data} project={project} />}
    </ProjectGate>
  );
}

function SurveyDetail({ survey, project }: { survey: Survey; project: Project }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const client = useQueryClient();
  const roster = useProjectPersonas(project.id);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const remember = useUiStore((state) => state.setStudiesProjectId);
  useEffect(() => remember(project.id), [project.id, remember]);
  const running = survey.status === "running";

  const remove = useInvokeMutation("surveys.delete", {
    onSuccess: () => {
      setConfirmingDelete(false);
      notify.success(({ t }) => t("surveys.deleted"), survey.name);
      navigate({ page: "project-surveys", id: project.id }, { replace: true });
      client.removeQueries({ queryKey: invokeQueryKey("surveys.get", { id: survey.id }) });
    },
    onError: (error) => {
      setConfirmingDelete(false);
      notify.error(error);
    },
  });

  return (
    <>
      <PageHeader
        title={
          <>
            {survey.name}
            <StudyStatusBadge status={survey.status} />
          </>
        }
        actions={
          <div className="button-row" role="group" aria-label={t("surveys.actions")}>
            {survey.status !== "draft" ? <ExportButton target={surveyExportTarget(survey)} /> : null}
            {survey.status === "completed" ? (
              <SyncToCrmButton
                subject={{ kind: "insights", studyKind: "survey", studyId: survey.id, name: survey.name }}
              />
            ) : null}
            {running ? null : <ExportRecipeButton kind="survey" id={survey.id} />}
            {running ? null : (
              <a className="button" href={hrefOf({ page: "survey-edit", id: survey.id })}>
                {t("surveys.edit")}
              </a>
            )}
            <button
              type="button"
              className="button button--ghost-danger"
              disabled={running || remove.isPending}
              title={running ? t("surveys.deleteWhileRunning") : undefined}
              onClick={() => setConfirmingDelete(true)}
            >
              {t("surveys.delete")}
            </button>
          </div>
        }
      >
        <p className="page-header__subtitle">
          <a href={hrefOf({ page: "project-surveys", id: project.id })}>← {t("studies.surveys.title")}</a>
          {" · "}
          <a href={hrefOf({ page: "project", id: project.id })}>{project.name}</a>
        </p>
      </PageHeader>

      <SurveyRunPanel survey={survey} project={project} />
      {survey.responseCount > 0 ? (
        <>
          <Results survey={survey} personasById={roster.byId} />
          <CrosstabPanel survey={survey} project={project} />
          <StabilityPanel study="survey" id={survey.id} canCheck={survey.status === "completed"} />
          <ResponsesList survey={survey} personasById={roster.byId} />
        </>
      ) : null}
      <QuestionsSummary survey={survey} />

      {confirmingDelete ? (
        <ConfirmDialog
          title={t("surveys.deleteTitle", { name: survey.name })}
          body={t("surveys.deleteBody")}
          confirmLabel={t("surveys.deleteConfirm")}
          busyLabel={t("focusGroups.deleting")}
          cancelLabel={t("app.cancel")}
          busy={remove.isPending}
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => remove.mutate({ id: survey.id })}
        />
      ) : null}
    </>
  );
}

function Results({
  survey,
  personasById,
}: {
  survey: Survey;
  personasById: ReturnType<typeof useProjectPersonas>["byId"];
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const results = useInvokeQuery("surveys.results", { id: survey.id });
  const questions = new Map(survey.questions.map((question) => [question.id, question]));
  return (
    <section className="survey-results" aria-labelledby={titleId} data-testid="survey-results">
      <div className="survey-results__head">
        <h2 id={titleId} className="section-title">
          {t("surveyResults.title")}
        </h2>
        {results.data ? (
          <p className="survey-results__respondents" data-testid="respondents">
            {t("surveyResults.respondents", { count: format.integer(results.data.respondents) })}
          </p>
        ) : null}
      </div>
      {survey.status === "running" ? <p className="muted">{t("surveyResults.partial")}</p> : null}
      {results.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : results.isError ? (
        <ErrorState error={results.error} onRetry={() => void results.refetch()} />
      ) : (
        <div className="survey-results__grid">
          {results.data.questions.map((result, index) => (
            <QuestionResultView
              key={result.questionId}
              index={index}
              result={result}
              question={questions.get(result.questionId)}
              personasById={personasById}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function QuestionsSummary({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const detailsOpen = survey.status === "draft";
  return (
    <details className="card survey-questions" open={detailsOpen}>
      <summary className="section-title">
        {t("surveyBuilder.questions")} ({survey.questions.length})
      </summary>
      <ol className="setup__guide">
        {survey.questions.map((question) => (
          <li key={question.id}>
            <p className="setup__question">
              {question.text} <span className="badge">{t(`surveyBuilder.types.${question.type}`)}</span>
              {question.required ? null : <span className="badge">{t("surveyBuilder.optional")}</span>}
            </p>
            {question.options ? <p className="muted">{question.options.join(" · ")}</p> : null}
            {question.items ? <p className="muted">{question.items.join(" · ")}</p> : null}
            {question.type === "rating_scale" ? (
              <p className="muted">
                {question.min}
                {question.minLabel ? ` (${question.minLabel})` : ""} – {question.max}
                {question.maxLabel ? ` (${question.maxLabel})` : ""}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </details>
  );
}
