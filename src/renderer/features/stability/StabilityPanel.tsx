import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { Job, StabilityStudy } from "@shared/contract";
import { useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { applyJobUpdate } from "../../api/LiveInvalidation";
import { useNotify } from "../../components/notify";
import { ProgressBar } from "../../components/ProgressBar";
import { ErrorState, Spinner, useJobErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { isActiveJob } from "../personas/generation-jobs";
import { FocusGroupStabilityView } from "./FocusGroupStabilityView";
import { StabilityDialog } from "./StabilityDialog";
import { SurveyStabilityView } from "./SurveyStabilityView";
import "./stability.css";

interface Props {
  study: StabilityStudy;
  id: string;
  /** Whether the study can be checked now (a survey that ran to the end, a focus group that was analysed). */
  canCheck: boolean;
}

/**
 * "Check stability" for a survey's results or a focus group's analysis: the dialog (runs, cost,
 * start), the running check's progress, a stopped check's Resume, and the latest report.
 */
export function StabilityPanel({ study, id, canCheck }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const [dialog, setDialog] = useState(false);
  const latest = useInvokeQuery("stability.latest", { study, id });
  const jobId = latest.data?.job?.id ?? null;
  // jobs.get is patched live by job.updated events; the latest route gives the first value.
  const live = useInvokeQuery("jobs.get", { id: jobId ?? "" }, { enabled: jobId !== null });
  const job = jobId ? (live.data ?? latest.data?.job ?? null) : null;
  const active = job !== null && isActiveJob(job);
  const snapshot = latest.data?.latest ?? null;

  return (
    <section className="card stability" aria-labelledby={titleId} data-testid={`stability-${study}`}>
      <div className="stability__head">
        <h2 id={titleId} className="section-title">
          {t("stability.title")}
        </h2>
        <button
          type="button"
          className="button"
          aria-haspopup="dialog"
          disabled={!canCheck || active}
          title={canCheck ? undefined : t(study === "survey" ? "stability.needsRun" : "stability.needsAnalysis")}
          onClick={() => setDialog(true)}
          data-testid="stability-check"
        >
          {snapshot ? t("stability.checkAgain") : t("stability.check")}
        </button>
      </div>
      {latest.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : latest.isError ? (
        <ErrorState error={latest.error} onRetry={() => void latest.refetch()} />
      ) : (
        <>
          {job && active ? <CheckProgress job={job} /> : null}
          {job && (job.status === "failed" || job.status === "interrupted") ? <StoppedCheck job={job} /> : null}
          {snapshot ? (
            <>
              {snapshot.stale ? <p className="notice notice--warn">{t("stability.stale")}</p> : null}
              {snapshot.report.study === "survey" ? (
                <SurveyStabilityView report={snapshot.report} />
              ) : (
                <FocusGroupStabilityView report={snapshot.report} />
              )}
            </>
          ) : active ? null : (
            <p className="muted">{t(study === "survey" ? "stability.introSurvey" : "stability.introFocusGroup")}</p>
          )}
        </>
      )}
      {dialog ? <StabilityDialog study={study} id={id} onClose={() => setDialog(false)} /> : null}
    </section>
  );
}

function CheckProgress({ job }: { job: Job }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const client = useQueryClient();
  const labelId = useId();
  const cancel = useInvokeMutation("jobs.cancel", {
    onSuccess: (next) => applyJobUpdate(client, next),
    onError: notify.error,
  });
  const { done, total } = job.progress;
  return (
    <div className="stability__progress" data-testid="stability-progress">
      <div className="stability__head">
        <p id={labelId}>
          <span className="spinner" aria-hidden="true" /> {t("stability.running")}
        </p>
        <button
          type="button"
          className="button button--danger-outline button--small"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate({ id: job.id })}
        >
          {cancel.isPending ? t("generation.cancelling") : t("generation.cancel")}
        </button>
      </div>
      <ProgressBar done={done} total={total} labelledBy={labelId} />
      <p className="muted">
        {total > 0
          ? t("stability.steps", { done: format.integer(done), total: format.integer(total) })
          : t("studies.starting")}
        {job.usage.calls > 0 ? ` · ${format.cost(job.usage.costUsd)}` : ""}
      </p>
    </div>
  );
}

function StoppedCheck({ job }: { job: Job }) {
  const { t } = useTranslation();
  const jobError = useJobErrorText();
  const notify = useNotify();
  const client = useQueryClient();
  const resume = useInvokeMutation("jobs.resume", {
    onSuccess: (next) => applyJobUpdate(client, next),
    onError: notify.error,
  });
  const failed = job.status === "failed";
  return (
    <div className={`notice ${failed ? "notice--error" : "notice--warn"}`} role="status">
      <strong>{t(failed ? "stability.failed" : "stability.interrupted")}</strong>{" "}
      {failed ? <span>{jobError(job.error)}</span> : null} <span>{t("stability.keptSoFar")}</span>
      <div className="notice__actions">
        <button
          type="button"
          className="button button--primary button--small"
          disabled={resume.isPending}
          onClick={() => resume.mutate({ id: job.id })}
        >
          {resume.isPending ? t("generation.resuming") : t("generation.resume")}
        </button>
      </div>
    </div>
  );
}
