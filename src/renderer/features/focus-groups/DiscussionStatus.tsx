import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useJobErrorText } from "../../components/ui";
import type { FocusGroup, Job } from "@shared/contract";
import { ProgressBar } from "../../components/ProgressBar";
import { useFormat } from "../../i18n/format";
import type { LiveProgress } from "./use-discussion-live";

/** Progress while it runs (live from discussion_updated), and what to do when it stopped. */
export function DiscussionStatus({
  group,
  job,
  live,
}: {
  group: FocusGroup;
  job: Job | undefined;
  live: LiveProgress | null;
}) {
  const { t } = useTranslation();
  const jobError = useJobErrorText();
  const format = useFormat();
  const titleId = useId();
  const status = group.status;
  if (status === "completed" || status === "draft") return null;
  // The engine's own figures once it reports; the job's (kept current by job.updated) before that.
  const done = Math.max(live?.done ?? 0, job?.progress.done ?? 0);
  const total = live?.total || job?.progress.total || 0;
  const stage = status === "running" ? live?.stage : undefined;
  const label = stage
    ? t("discussion.stage", {
        question: t("discussion.questionN", {
          n: format.integer(stage.questionIndex + 1),
          total: format.integer(group.guide.length),
        }),
        phase: t(`discussion.phase.${stage.phase}`, { round: format.integer(stage.round) }),
      })
    : "";
  const counted =
    total > 0
      ? t("discussion.progressCount", { count: total, done: format.integer(done), total: format.integer(total) })
      : t("studies.starting");
  const tone =
    status === "failed" ? " discussion-status--failed" : status === "running" ? " discussion-status--running" : "";
  return (
    <section className={`card discussion-status${tone}`} aria-labelledby={titleId} data-testid="discussion-progress">
      <div className="discussion-status__head">
        <h2 id={titleId} className="section-title">
          {status === "running" ? <span className="spinner" aria-hidden="true" /> : null}{" "}
          {t(`discussion.statusTitle.${status}`)}
        </h2>
        <p className="discussion-status__count" data-testid="discussion-count">
          {counted}
        </p>
      </div>
      <ProgressBar done={done} total={total} labelledBy={titleId} />
      {label ? (
        <p className="muted discussion-status__label" data-testid="discussion-label">
          {label}
        </p>
      ) : null}
      {status === "paused" ? <p>{t("discussion.pausedBody")}</p> : null}
      {status === "interrupted" ? <p>{t("discussion.interruptedBody")}</p> : null}
      {status === "cancelled" ? <p>{t("discussion.cancelledBody")}</p> : null}
      {status === "failed" ? (
        <p className="notice notice--error" role="alert">
          {jobError(job?.error)}
        </p>
      ) : null}
      {job && job.usage.calls > 0 ? (
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
