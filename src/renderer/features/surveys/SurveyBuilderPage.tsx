import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import {
  MAX_QUESTIONS_BY_PLAN,
  RESPONSES_WOULD_BE_DELETED,
  routes,
  type Project,
  type Survey,
  type WireIssue,
} from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { EmptyState, ErrorState, Field, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { useIssueText } from "../../forms/issue-text";
import { checkInput, issuesOf, messagesByPath } from "../../forms/issues";
import { useFormat } from "../../i18n/format";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { ProjectGate, StudyNotFound } from "../studies/ProjectGate";
import { moveItem } from "../studies/reorder";
import { QuestionEditor } from "./QuestionEditor";
import {
  blankQuestion,
  noSurveyErrors,
  questionDrafts,
  questionInput,
  surveyErrorsFrom,
  type QuestionDraft,
  type SurveyErrors,
} from "./question-drafts";
import { responsesAtStake, ResponsesAtStakeDialog } from "./ResponsesAtStakeDialog";
import { surveyIssueWords } from "./survey-issue-words";

/** #/projects/<id>/surveys/new */
export function SurveyNewPage({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t("surveyBuilder.newTitle"));
  return (
    <ProjectGate projectId={projectId}>{(project) => <SurveyBuilder project={project} survey={null} />}</ProjectGate>
  );
}

/** #/surveys/<id>/edit */
export function SurveyEditPage({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t("surveyBuilder.editTitle"));
  const survey = useInvokeQuery("surveys.get", { id: surveyId });
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
  if (survey.data.status === "running") {
    return (
      <>
        <PageHeader title={t("surveyBuilder.editTitle")} />
        <EmptyState title={t("surveyBuilder.runningTitle")} body={t("surveyBuilder.runningBody")}>
          <a className="button" href={hrefOf({ page: "survey", id: survey.data.id })}>
            {t("fgForm.backToGroup", { name: survey.data.name })}
          </a>
        </EmptyState>
      </>
    );
  }
  return (
    <ProjectGate projectId={survey.data.projectId}>
      {(project) => <SurveyBuilder project={project} survey={survey.data} />}
    </ProjectGate>
  );
}

function SurveyBuilder({ project, survey }: { project: Project; survey: Survey | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const issueText = useIssueText();
  const notify = useNotify();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const formId = useId();
  const plan = useInvokeQuery("personas.quota", {});
  const [name, setName] = useState(survey?.name ?? "");
  const [drafts, setDrafts] = useState<QuestionDraft[]>(() =>
    survey ? questionDrafts(survey.questions) : [blankQuestion()],
  );
  /** The questions as loaded, in the form they are sent: saving anything else deletes the responses. */
  const [loadedQuestions] = useState(() =>
    survey ? JSON.stringify(questionDrafts(survey.questions).map(questionInput)) : null,
  );
  /** Responses that saving would delete, while that is being confirmed. */
  const [discarding, setDiscarding] = useState<number | null>(null);
  const [errors, setErrors] = useState<SurveyErrors>(noSurveyErrors);
  const [formError, setFormError] = useState<string | null>(null);
  const [focusErrors, setFocusErrors] = useState(0);
  const maxQuestions = MAX_QUESTIONS_BY_PLAN[plan.data?.plan ?? "free"];

  const saved = (next: Survey) => {
    client.setQueryData(invokeQueryKey("surveys.get", { id: next.id }), next);
    navigate({ page: "survey", id: next.id }, { replace: survey !== null });
  };
  const words = surveyIssueWords(t, format.integer);
  /** Puts each issue beside its question, field or row, in the builder's words; true when there was any. */
  const showIssues = (issues: readonly WireIssue[]): boolean => {
    const fields = messagesByPath(issues, (issue) => issueText(issue, words));
    const any = issues.length > 0;
    setErrors(any ? surveyErrorsFrom(fields, drafts) : noSurveyErrors());
    setFormError(any ? t("surveyBuilder.fixErrors") : null);
    if (any) setFocusErrors((count) => count + 1);
    return any;
  };
  const refused = (error: unknown) => {
    const issues = issuesOf(error);
    if (!issues || !showIssues(issues)) notify.error(error);
  };
  const create = useInvokeMutation("surveys.create", {
    onSuccess: (next) => {
      notify.success(({ t }) => t("surveyBuilder.created"), next.name);
      saved(next);
    },
    onError: refused,
  });
  const update = useInvokeMutation("surveys.update", {
    onSuccess: (next) => {
      setDiscarding(null);
      notify.success(({ t }) => t("surveyBuilder.saved"), next.name);
      saved(next);
    },
    onError: (error) => {
      // The server found responses this page did not know about (or that arrived meanwhile): ask.
      const atStake = responsesAtStake(error, RESPONSES_WOULD_BE_DELETED);
      setDiscarding(atStake);
      if (atStake === null) refused(error);
    },
  });
  const saving = create.isPending || update.isPending;

  useEffect(() => {
    if (focusErrors === 0) return;
    const target =
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      formRef.current?.querySelector<HTMLElement>(".field__error, .form-error");
    target?.scrollIntoView({ block: "center" });
    if (target?.matches("input, textarea, select")) target.focus();
  }, [focusErrors]);

  const save = (discardResponses: boolean) => {
    if (survey === null) return;
    update.mutate({
      id: survey.id,
      name: name.trim(),
      questions: drafts.map(questionInput),
      ...(discardResponses ? { discardResponses: true } : {}),
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const questions = drafts.map(questionInput);
    // The route's own schema, here first: nothing that would be refused is sent.
    if (showIssues(checkInput(routes["surveys.create"].input, { projectId: project.id, name: name.trim(), questions })))
      return;
    if (survey === null) create.mutate({ projectId: project.id, name: name.trim(), questions });
    else if (survey.responseCount > 0 && JSON.stringify(questions) !== loadedQuestions)
      setDiscarding(survey.responseCount);
    else save(false);
  };

  const change = (uid: string, patch: Partial<QuestionDraft>) =>
    setDrafts((current) => current.map((draft) => (draft.uid === uid ? { ...draft, ...patch } : draft)));
  const backRoute = survey
    ? ({ page: "survey", id: survey.id } as const)
    : ({ page: "project-surveys", id: project.id } as const);

  return (
    <>
      <PageHeader title={survey ? t("surveyBuilder.editTitle") : t("surveyBuilder.newTitle")}>
        <p className="page-header__subtitle">
          <a href={hrefOf(backRoute)}>← {survey ? survey.name : t("studies.surveys.title")}</a>
          {" · "}
          {project.name}
        </p>
      </PageHeader>
      <form ref={formRef} id={formId} className="form study-form" onSubmit={submit} noValidate>
        {formError ? (
          <div className="notice notice--error form-error" role="alert" tabIndex={-1}>
            {formError}
          </div>
        ) : null}
        {survey && survey.responseCount > 0 ? (
          <p className="notice notice--warn" data-testid="responses-warning">
            {t("surveyBuilder.responsesWarning", {
              count: survey.responseCount,
              n: format.integer(survey.responseCount),
            })}
          </p>
        ) : null}
        <section className="card">
          <Field label={t("surveyBuilder.name")} error={errors.name} required>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input"
                maxLength={200}
                value={name}
                autoFocus={survey === null}
                placeholder={t("surveyBuilder.namePlaceholder")}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </Field>
        </section>
        <section className="card" aria-labelledby={`${formId}-questions`}>
          <div className="builder__head">
            <h2 id={`${formId}-questions`} className="section-title">
              {t("surveyBuilder.questions")}
            </h2>
            <p className="muted">
              {t("surveyBuilder.questionCount", {
                count: maxQuestions,
                n: format.integer(drafts.length),
                max: format.integer(maxQuestions),
              })}
            </p>
          </div>
          {errors.questions ? (
            <p className="field__error" role="alert" data-testid="questions-error">
              {errors.questions}
            </p>
          ) : null}
          {drafts.length === 0 ? <p className="muted">{t("surveyBuilder.noQuestions")}</p> : null}
          <ol className="question-list">
            {drafts.map((draft, index) => (
              <QuestionEditor
                key={draft.uid}
                draft={draft}
                index={index}
                count={drafts.length}
                errors={errors}
                onChange={(patch) => change(draft.uid, patch)}
                onMove={(delta) => setDrafts((current) => moveItem(current, index, delta))}
                onRemove={() => setDrafts((current) => current.filter((other) => other.uid !== draft.uid))}
              />
            ))}
          </ol>
          <button
            type="button"
            className="button"
            disabled={drafts.length >= maxQuestions}
            onClick={() => setDrafts((current) => [...current, blankQuestion()])}
          >
            + {t("surveyBuilder.addQuestion")}
          </button>
        </section>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            {survey === null
              ? saving
                ? t("fgForm.creating")
                : t("surveyBuilder.create")
              : saving
                ? t("fgForm.saving")
                : t("fgForm.save")}
          </button>
          <a className="button" href={hrefOf(backRoute)}>
            {t("app.cancel")}
          </a>
        </div>
      </form>
      {survey && discarding !== null ? (
        <ResponsesAtStakeDialog
          survey={survey}
          change="questions"
          count={discarding}
          busy={update.isPending}
          onConfirm={() => save(true)}
          onCancel={() => setDiscarding(null)}
        />
      ) : null}
    </>
  );
}
