import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { RESPONSES_WOULD_BE_REPLACED, type Job, type Project, type Survey } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { applyJobUpdate } from "../../api/LiveInvalidation";
import { useNotify } from "../../components/notify";
import { ProgressBar } from "../../components/ProgressBar";
import { RunModels } from "../../components/RunModels";
import { EmptyState, Spinner, useJobErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { ProviderStatusLine } from "../llm/ProviderStatusLine";
import { Avatar } from "../personas/Avatar";
import { isActiveJob } from "../personas/generation-jobs";
import { usePersonaSummary } from "../personas/labels";
import { useProjectPersonas } from "../personas/use-project-personas";
import { responsesAtStake, ResponsesAtStakeDialog } from "./ResponsesAtStakeDialog";

type Audience = "all" | "chosen";

/**
 * Who answers (every persona of the project by default, or a chosen few), Run, and the run's
 * progress with Cancel; Resume when a run stopped part-way. Running again asks first, since it
 * replaces the last run's responses.
 */
export function SurveyRunPanel({ survey, project }: { survey: Survey; project: Project }) {
  const { t } = useTranslation();
  const job = useInvokeQuery("jobs.get", { id: survey.jobId ?? "" }, { enabled: survey.jobId !== null });
  const current = survey.jobId ? job.data : undefined;
  if (survey.status === "running")
    return current ? <RunningSurvey survey={survey} job={current} /> : <Spinner label={t("app.loading")} />;
  return <RunSetup survey={survey} project={project} job={current} />;
}

function RunSetup({ survey, project, job }: { survey: Survey; project: Project; job: Job | undefined }) {
  const { t } = useTranslation();
  const jobError = useJobErrorText();
  const format = useFormat();
  const notify = useNotify();
  const client = useQueryClient();
  const summary = usePersonaSummary();
  const titleId = useId();
  const roster = useProjectPersonas(project.id);
  const ranBefore = survey.status !== "draft";
  const [open, setOpen] = useState(!ranBefore);
  const [audience, setAudience] = useState<Audience>("all");
  const [chosen, setChosen] = useState<string[]>(() => survey.personaIds);
  const [model, setModel] = useState("");
  const status = useInvokeQuery("llm.status", {});
  /** Responses the next run would replace, while that is being confirmed. */
  const [replacing, setReplacing] = useState<number | null>(null);

  const run = useInvokeMutation("surveys.run", {
    onSuccess: ({ jobId }) => {
      setReplacing(null);
      client.setQueryData<Survey>(invokeQueryKey("surveys.get", { id: survey.id }), (data) =>
        data ? { ...data, status: "running", jobId } : data,
      );
      notify.success(({ t }) => t("surveyRun.startedToast"), survey.name);
    },
    onError: (error) => {
      // Responses that arrived since this page looked: ask about them too.
      const atStake = responsesAtStake(error, RESPONSES_WOULD_BE_REPLACED);
      setReplacing(atStake);
      if (atStake === null) notify.error(error);
    },
  });
  const resume = useInvokeMutation("jobs.resume", {
    onSuccess: (next) => {
      applyJobUpdate(client, next);
      notify.success(({ t }) => t("surveyRun.resumedToast"), survey.name);
    },
    onError: notify.error,
  });
  const busy = run.isPending || resume.isPending;
  const personaIds = audience === "all" ? undefined : chosen;
  const count = audience === "all" ? roster.personas.length : chosen.length;
  const canRun = !busy && !roster.isPending && count > 0;
  const start = (replaceResponses: boolean) =>
    run.mutate({
      id: survey.id,
      ...(personaIds ? { personaIds } : {}),
      ...(model.trim() ? { model: model.trim() } : {}),
      ...(replaceResponses ? { replaceResponses: true } : {}),
    });
  const replaces = survey.responseCount > 0;
  const stopped = survey.status === "failed" || survey.status === "interrupted";

  return (
    <section className="card survey-run" aria-labelledby={titleId} data-testid="survey-run">
      <div className="survey-run__head">
        <h2 id={titleId} className="section-title">
          {t("surveyRun.title")}
        </h2>
        {ranBefore && !open ? (
          <button type="button" className="button" onClick={() => setOpen(true)}>
            {t("surveyRun.runAgain")}
          </button>
        ) : null}
      </div>
      {stopped && job ? (
        <div className={`notice ${survey.status === "failed" ? "notice--error" : "notice--warn"}`} role="status">
          <strong>{t(`surveyRun.stopped.${survey.status as "failed" | "interrupted"}`)}</strong>{" "}
          <span>{job.error ? jobError(job.error) : ""}</span>{" "}
          <span>
            {t("surveyRun.savedSoFar", {
              count: survey.personaIds.length,
              n: format.integer(survey.responseCount),
              total: format.integer(survey.personaIds.length),
            })}
          </span>
          <div className="notice__actions">
            <button
              type="button"
              className="button button--primary button--small"
              disabled={busy}
              onClick={() => resume.mutate({ id: job.id })}
            >
              {resume.isPending ? t("generation.resuming") : t("generation.resume")}
            </button>
          </div>
        </div>
      ) : null}
      {job ? <RunModels models={job.models} finished={!isActiveJob(job)} /> : null}
      {ranBefore && !open ? (
        <p className="muted" data-testid="survey-run-summary">
          {t("surveyRun.lastRun", {
            count: survey.personaIds.length,
            n: format.integer(survey.responseCount),
            total: format.integer(survey.personaIds.length),
          })}
        </p>
      ) : roster.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : roster.personas.length === 0 ? (
        <EmptyState title={t("surveyRun.noPersonasTitle")} body={t("surveyRun.noPersonasBody")}>
          <a className="button button--primary" href={hrefOf({ page: "project-personas", id: project.id })}>
            {t("personas.generate")}
          </a>
        </EmptyState>
      ) : (
        <>
          <fieldset className="audience">
            <legend className="field__label">{t("surveyRun.audience")}</legend>
            <label className="checkbox-row">
              <input
                type="radio"
                name={`${titleId}-audience`}
                checked={audience === "all"}
                onChange={() => setAudience("all")}
              />
              <span>{t("surveyRun.all", { count: format.integer(roster.personas.length) })}</span>
            </label>
            <label className="checkbox-row">
              <input
                type="radio"
                name={`${titleId}-audience`}
                checked={audience === "chosen"}
                onChange={() => setAudience("chosen")}
              />
              <span>{t("surveyRun.chosen")}</span>
            </label>
          </fieldset>
          {audience === "chosen" ? (
            <ul className="participants__list participants__list--compact">
              {roster.personas.map((persona) => {
                const id = `${titleId}-p-${persona.id}`;
                return (
                  <li key={persona.id} className="participants__item">
                    <input
                      id={id}
                      type="checkbox"
                      className="checkbox"
                      aria-labelledby={`${id}-name`}
                      aria-describedby={`${id}-facts`}
                      checked={chosen.includes(persona.id)}
                      onChange={(event) =>
                        setChosen(
                          roster.personas
                            .filter((p) => (p.id === persona.id ? event.target.checked : chosen.includes(p.id)))
                            .map((p) => p.id),
                        )
                      }
                    />
                    <label htmlFor={id} className="participants__label">
                      <Avatar name={persona.name} />
                      <span className="participants__who">
                        <span className="participants__name" id={`${id}-name`}>
                          {persona.name}
                        </span>
                        <span className="participants__facts" id={`${id}-facts`}>
                          {summary(persona, Object.keys(project.targetDemographics))}
                        </span>
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          ) : null}
          <div className="field survey-run__model">
            <label className="field__label" htmlFor={`${titleId}-model`}>
              {t("wizard.model")}
            </label>
            <input
              id={`${titleId}-model`}
              className="input"
              autoComplete="off"
              spellCheck={false}
              maxLength={200}
              value={model}
              placeholder={status.data?.models.discussion ?? ""}
              onChange={(event) => setModel(event.target.value)}
            />
          </div>
          <ProviderStatusLine model={model.trim() || status.data?.models.discussion} />
          {replaces ? (
            <p className="notice notice--warn">
              {t("surveyRun.replaces", { count: survey.responseCount, n: format.integer(survey.responseCount) })}
            </p>
          ) : null}
          <div className="button-row">
            <button
              type="button"
              className="button button--primary"
              disabled={!canRun}
              aria-haspopup={replaces ? "dialog" : undefined}
              onClick={() => (replaces ? setReplacing(survey.responseCount) : start(false))}
            >
              {run.isPending
                ? t("discussion.starting")
                : t(replaces ? "surveyRun.runAgainCount" : "surveyRun.run", { count, n: format.integer(count) })}
            </button>
            {ranBefore ? (
              <button type="button" className="button" onClick={() => setOpen(false)}>
                {t("app.cancel")}
              </button>
            ) : null}
          </div>
          {audience === "chosen" && chosen.length === 0 ? (
            <p className="field__hint">{t("surveyRun.chooseSome")}</p>
          ) : null}
        </>
      )}
      {replacing !== null ? (
        <ResponsesAtStakeDialog
          survey={survey}
          change="run"
          count={replacing}
          busy={run.isPending}
          onConfirm={() => start(true)}
          onCancel={() => setReplacing(null)}
        />
      ) : null}
    </section>
  );
}

function RunningSurvey({ survey, job }: { survey: Survey; job: Job }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const client = useQueryClient();
  const titleId = useId();
  const cancel = useInvokeMutation("jobs.cancel", {
    onSuccess: (next) => applyJobUpdate(client, next),
    onError: notify.error,
  });
  const cancelling = cancel.isPending || (cancel.isSuccess && cancel.variables?.id === job.id);
  const { done, total } = job.progress;
  // Once everyone answered, the open answers are grouped into themes (see run-job.ts).
  const grouping = job.progress.label?.key === "surveys.grouping";
  return (
    <section className="card survey-run survey-run--running" aria-labelledby={titleId} data-testid="survey-progress">
      <div className="survey-run__head">
        <h2 id={titleId} className="section-title">
          <span className="spinner" aria-hidden="true" /> {t("surveyRun.running")}
        </h2>
        <button
          type="button"
          className="button button--danger-outline button--small"
          disabled={cancelling}
          onClick={() => cancel.mutate({ id: job.id })}
        >
          {cancelling ? t("generation.cancelling") : t("generation.cancel")}
        </button>
      </div>
      <ProgressBar done={done} total={total} labelledBy={titleId} testId="survey-progressbar" />
      <p className="generation__meta" aria-live="polite">
        <strong data-testid="survey-progress-count">
          {total > 0
            ? t("surveyRun.steps", { done: format.integer(done), total: format.integer(total) })
            : t("studies.starting")}
        </strong>
        <span className="muted">
          {t("surveyRun.answered", {
            count: survey.personaIds.length,
            n: format.integer(survey.responseCount),
            total: format.integer(survey.personaIds.length),
          })}
        </span>
        {grouping ? <span className="muted">{t("surveyRun.grouping")}</span> : null}
      </p>
      {job.usage.calls > 0 ? (
        <p className="generation__usage">
          {t("generation.usage", {
            input: format.integer(job.usage.inputTokens),
            output: format.integer(job.usage.outputTokens),
            cost: format.cost(job.usage.costUsd),
          })}
        </p>
      ) : null}
    </section>
  );
}
