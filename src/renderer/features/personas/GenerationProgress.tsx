import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useJobErrorText } from "../../components/ui";
import { useQueryClient } from "@tanstack/react-query";
import type { Job } from "@shared/contract";
import { useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { applyJobUpdate } from "../../api/LiveInvalidation";
import { useNotify } from "../../components/notify";
import { RunModels } from "../../components/RunModels";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { useUiStore } from "../../stores/ui";
import { Avatar } from "./Avatar";
import { usePersonaGender } from "./labels";

/**
 * The state of the project's latest generation run: live progress with the personas saved so
 * far, tokens, cost and Cancel while it runs; Resume after an interruption (the app stopped) or a failure; nothing once done
 * (the toast said how it went).
 */
export function GenerationProgress({ job }: { job: Job | null }) {
  const dismissed = useUiStore((state) => state.dismissedJobIds);
  if (!job) return null;
  if (job.status === "queued" || job.status === "running") return <RunningJob job={job} />;
  if (job.status === "interrupted") return <StoppedJob job={job} kind="interrupted" />;
  if (job.status === "failed" && !dismissed.includes(job.id)) return <StoppedJob job={job} kind="failed" />;
  return null;
}

function useJobActions() {
  const notify = useNotify();
  const client = useQueryClient();
  const cancel = useInvokeMutation("jobs.cancel", {
    onSuccess: (job) => applyJobUpdate(client, job),
    onError: notify.error,
  });
  const resume = useInvokeMutation("jobs.resume", {
    onSuccess: (job) => {
      applyJobUpdate(client, job);
      notify.success(({ t }) => t("generation.resumedToast"));
    },
    onError: notify.error,
  });
  return { cancel, resume };
}

function UsageLine({ job }: { job: Job }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { inputTokens, outputTokens, costUsd } = job.usage;
  return (
    <>
      <p className="generation__usage" data-testid="generation-usage">
        {t("generation.usage", {
          input: format.integer(inputTokens),
          output: format.integer(outputTokens),
          cost: format.cost(costUsd),
        })}
      </p>
      <RunModels models={job.models} finished={job.status !== "queued" && job.status !== "running"} />
    </>
  );
}

function RunningJob({ job }: { job: Job }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const { cancel } = useJobActions();
  const { done, total, fraction } = job.progress;
  const queued = job.status === "queued" || total === 0;
  const counted = t("generation.progress", { count: total, done: format.integer(done), total: format.integer(total) });
  const cancelling = cancel.isPending || (cancel.isSuccess && cancel.variables?.id === job.id);

  return (
    <section className="card generation" aria-labelledby={titleId} data-testid="generation-progress">
      <div className="generation__head">
        <h2 id={titleId} className="section-title">
          <span className="spinner" aria-hidden="true" /> {t("generation.title")}
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
      <div
        className={`progress${queued ? " progress--indeterminate" : ""}`}
        role="progressbar"
        aria-labelledby={titleId}
        aria-valuemin={0}
        aria-valuemax={queued ? undefined : total}
        aria-valuenow={queued ? undefined : done}
        aria-valuetext={queued ? t("generation.queued") : counted}
      >
        <div className="progress__bar" style={queued ? undefined : { width: `${(fraction ?? 0) * 100}%` }} />
      </div>
      <p className="generation__meta" aria-live="polite">
        <strong data-testid="generation-count">{queued ? t("generation.queued") : counted}</strong>
      </p>
      <Arrivals job={job} />
      <UsageLine job={job} />
    </section>
  );
}

/** Personas shown in the progress card while a run goes: the newest this many, then a count. */
const ARRIVALS_SHOWN = 8;

/**
 * The personas this run has saved so far, newest first, each linking to its page: the list grows
 * as they arrive (db.changed refetches it), so the card never says "3 of 5" beside an empty page.
 */
function Arrivals({ job }: { job: Job }) {
  const { t } = useTranslation();
  const format = useFormat();
  const gender = usePersonaGender();
  const arrived = useInvokeQuery(
    "personas.list",
    { projectId: job.projectId ?? "", runId: job.id, order: "desc", limit: ARRIVALS_SHOWN },
    { enabled: job.projectId !== null && job.progress.done > 0 },
  );
  const items = job.progress.done > 0 ? (arrived.data?.items ?? []) : [];
  if (items.length === 0) {
    return (
      <p className="muted generation__waiting" data-testid="generation-waiting">
        {t("personas.arrivingBody")}
      </p>
    );
  }
  const more = (arrived.data?.total ?? items.length) - items.length;
  return (
    <div className="generation__arrivals">
      <h3 className="generation__arrivals-title">{t("generation.arrivedTitle")}</h3>
      <ol className="arrivals" data-testid="generation-arrivals">
        {items.map((persona) => (
          <li key={persona.id} className="arrivals__item" data-testid="generation-arrival">
            <Avatar name={persona.name} />
            <span className="arrivals__text">
              <a href={hrefOf({ page: "persona", id: persona.id })}>{persona.name}</a>
              <span className="muted">
                {[t("personas.age", { age: persona.age }), gender(persona.gender), persona.occupation].join(" · ")}
              </span>
            </span>
          </li>
        ))}
      </ol>
      {more > 0 ? (
        <p className="muted arrivals__more">{t("generation.arrivedMore", { count: more, n: format.integer(more) })}</p>
      ) : null}
    </div>
  );
}

function StoppedJob({ job, kind }: { job: Job; kind: "interrupted" | "failed" }) {
  const { t } = useTranslation();
  const jobError = useJobErrorText();
  const format = useFormat();
  const dismiss = useUiStore((state) => state.dismissJob);
  const { cancel, resume } = useJobActions();
  const quota = useInvokeQuery("personas.quota", {});
  const busy = cancel.isPending || resume.isPending;
  // A failed run holds no places in the plan (an interrupted one does), so its rest must still fit.
  const needed = Math.max(0, job.progress.total - job.progress.done);
  const remaining = quota.data?.remaining;
  const fits = kind === "interrupted" || remaining === null || (remaining !== undefined && remaining >= needed);
  const saved = t("generation.saved", {
    count: job.progress.total,
    done: format.integer(job.progress.done),
    total: format.integer(job.progress.total),
  });

  return (
    <section
      className={`notice ${kind === "failed" ? "notice--error" : "notice--warn"} generation-stopped`}
      data-testid={`generation-${kind}`}
      role={kind === "failed" ? "alert" : "status"}
    >
      <h2 className="generation-stopped__title">
        {kind === "failed" ? t("generation.failedTitle") : t("generation.interruptedTitle")}
      </h2>
      <p>
        {kind === "failed" ? jobError(job.error) : t("generation.interruptedBody")} {saved}
      </p>
      {job.usage.calls > 0 ? <UsageLine job={job} /> : null}
      {fits ? null : <p>{t("generation.noRoomToResume", { count: needed, needed: format.integer(needed) })}</p>}
      <div className="notice__actions">
        {fits ? (
          <button
            type="button"
            className="button button--primary button--small"
            disabled={busy}
            onClick={() => resume.mutate({ id: job.id })}
          >
            {resume.isPending ? t("generation.resuming") : t("generation.resume")}
          </button>
        ) : null}
        {kind === "interrupted" ? (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => cancel.mutate({ id: job.id })}
          >
            {t("generation.discard")}
          </button>
        ) : (
          <button type="button" className="button button--small" onClick={() => dismiss(job.id)}>
            {t("generation.dismiss")}
          </button>
        )}
      </div>
    </section>
  );
}
