import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { ACTIVE_JOB_STATUSES, type ExportRecord, type ExportScope, type Job } from "@shared/contract";
import { useExport, useExportJob, useHostKind } from "../../api/exports";
import { useInvokeMutation } from "../../api/hooks";
import { applyJobUpdate } from "../../api/LiveInvalidation";
import { BridgeError } from "../../bridge/bridge";
import { Dialog } from "../../components/Dialog";
import { useNotify } from "../../components/notify";
import { ProgressBar } from "../../components/ProgressBar";
import { progressText } from "../../components/progress-text";
import { Spinner, useErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import type { StudyStatus } from "../studies/StudyStatusBadge";
import { FormatBadge, PartialBadge } from "./badges";
import { watchInBackground } from "./ExportJobToasts";
import { ExportFileActions } from "./ExportFileActions";
import { ExportOptionsForm, initialDraft, requestOptions, type ExportDraft } from "./ExportOptionsForm";
import { SharePanel } from "./SharePanel";

export interface ExportTarget {
  projectId: string;
  scope: ExportScope;
  /** focusGroup and survey: the one study; personas: a subset (all when absent); project: none. */
  ids?: string[];
  /** The project's, study's or (for personas) project's name, for the title. */
  subject: string;
  /** A study's status: a running one cannot be exported yet, an unfinished one comes out partial. */
  studyStatus?: StudyStatus;
}

type Phase = "form" | "working" | "ready" | "failed" | "cancelled";

function phaseOf(jobId: string | null, job: Job | undefined, loadError: BridgeError | null): Phase {
  if (jobId === null) return "form";
  if (!job && loadError) return "failed";
  if (!job || ACTIVE_JOB_STATUSES.includes(job.status)) return "working";
  if (job.status === "succeeded") return "ready";
  if (job.status === "cancelled") return "cancelled";
  return "failed";
}

/**
 * Export a project, a study or personas: choose the format and its options, watch the job, then
 * save or download the file (and share it). One dialog for every page that exports.
 */
export function ExportDialog({ target, onClose }: { target: ExportTarget; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const formId = useId();
  const bodyRef = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState<ExportDraft>(() => initialDraft(target.scope, i18n.language));
  const [jobId, setJobId] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<BridgeError | null>(null);
  const { job, result, error: loadError } = useExportJob(jobId);
  const record = useExport(result?.exportId ?? null);
  const phase = phaseOf(jobId, job, loadError);

  const create = useInvokeMutation("exports.create", {
    onSuccess: (started) => setJobId(started.jobId),
    onError: setRefusal,
  });
  const cancel = useInvokeMutation("jobs.cancel", {
    onSuccess: (cancelled) => applyJobUpdate(client, cancelled),
    onError: notify.error,
  });
  const start = (fresh: boolean) => {
    setRefusal(null);
    create.mutate({
      projectId: target.projectId,
      format: draft.format,
      scope: target.scope,
      ...(target.ids ? { ids: target.ids } : {}),
      options: requestOptions(target.scope, draft, fresh),
    });
  };
  const backToForm = () => {
    setJobId(null);
    create.reset();
    cancel.reset();
  };

  // A job left running when the dialog closes goes on; a toast says when its file is ready.
  const activeJob = phase === "working" ? jobId : null;
  const activeJobRef = useRef(activeJob);
  useEffect(() => {
    activeJobRef.current = activeJob;
  }, [activeJob]);
  useEffect(
    () => () => {
      if (activeJobRef.current) watchInBackground(activeJobRef.current);
    },
    [],
  );

  // Each step puts focus on its main action, so keyboard users land where the dialog now is (the
  // first step is the Dialog's business: it focuses the first format).
  const step = `${phase}:${record.data?.id ?? ""}`;
  const lastStep = useRef(step);
  useEffect(() => {
    if (lastStep.current === step) return;
    lastStep.current = step;
    const dialog = bodyRef.current?.closest("dialog");
    dialog?.querySelector<HTMLElement>("[data-autofocus], [data-autofocus-group] :is(a, button)")?.focus();
  }, [step]);

  const blocked = target.studyStatus === "running";
  const unfinished =
    target.studyStatus !== undefined && !["running", "completed", "draft"].includes(target.studyStatus);

  const actions = (() => {
    switch (phase) {
      case "form":
        return (
          <>
            <button type="button" className="button" onClick={onClose}>
              {t("app.cancel")}
            </button>
            <button
              type="submit"
              form={formId}
              className="button button--primary"
              disabled={create.isPending || blocked}
              data-autofocus
            >
              {create.isPending ? t("exportDialog.starting") : t("exportDialog.export")}
            </button>
          </>
        );
      case "working":
        return (
          <>
            <button type="button" className="button" onClick={onClose}>
              {t("exportDialog.hide")}
            </button>
            <button
              type="button"
              className="button button--danger-outline"
              disabled={!jobId || cancel.isPending}
              data-autofocus
              onClick={() => jobId && cancel.mutate({ id: jobId })}
            >
              {cancel.isPending ? t("exportDialog.cancelling") : t("exportDialog.cancel")}
            </button>
          </>
        );
      case "ready":
        return (
          <button type="button" className="button" onClick={onClose}>
            {t("exportDialog.close")}
          </button>
        );
      case "failed":
      case "cancelled":
        return (
          <>
            <button type="button" className="button" onClick={onClose}>
              {t("exportDialog.close")}
            </button>
            <button type="button" className="button button--primary" data-autofocus onClick={backToForm}>
              {t("exportDialog.backToOptions")}
            </button>
          </>
        );
    }
  })();

  return (
    <Dialog
      title={t(`exportDialog.title.${target.scope}`, { name: target.subject })}
      size="wide"
      onClose={onClose}
      actions={actions}
    >
      <div ref={bodyRef} className="export-dialog" data-testid="export-dialog" data-phase={phase}>
        {phase === "form" ? (
          <form
            id={formId}
            onSubmit={(event) => {
              event.preventDefault();
              if (!create.isPending && !blocked) start(false);
            }}
            noValidate
          >
            {blocked ? (
              <p className="notice notice--warn" data-testid="export-blocked">
                {t("exportDialog.running")}
              </p>
            ) : unfinished ? (
              <p className="notice notice--info">{t("exportDialog.unfinished")}</p>
            ) : null}
            <ExportOptionsForm
              scope={target.scope}
              draft={draft}
              onChange={(patch) => setDraft((previous) => ({ ...previous, ...patch }))}
            />
          </form>
        ) : phase === "working" ? (
          <ExportProgress job={job} draft={draft} />
        ) : phase === "ready" ? (
          record.data ? (
            <ExportReady
              record={record.data}
              cached={result?.cached ?? false}
              again={create.isPending}
              onAgain={() => start(true)}
            />
          ) : record.isError ? (
            <ExportRefusal error={record.error} />
          ) : (
            <Spinner label={t("app.loading")} />
          )
        ) : phase === "cancelled" ? (
          <p className="notice notice--info" role="status" data-testid="export-cancelled">
            {t("exportDialog.cancelled")}
          </p>
        ) : (
          <ExportFailure job={job} loadError={loadError} />
        )}
        {/* Refused at the start: the first export, or "Export again" from the ready step. */}
        {refusal ? <ExportRefusal error={refusal} /> : null}
      </div>
    </Dialog>
  );
}

function ExportProgress({ job, draft }: { job: Job | undefined; draft: ExportDraft }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labelId = useId();
  const progress = job?.status === "running" ? job.progress : null;
  return (
    <div className="export-progress" data-testid="export-progress">
      <p id={labelId} className="export-progress__title">
        <span className="spinner" aria-hidden="true" />
        {t("exportDialog.working", { format: t(`exports.formats.${draft.format}`) })}
      </p>
      <ProgressBar done={progress?.done ?? 0} total={progress?.total ?? 0} labelledBy={labelId} />
      <p className="export-progress__label muted" aria-live="polite">
        {progressText(t, format, progress?.label ?? null) ?? t("exportDialog.queued")}
      </p>
      <p className="field__hint">{t("exportDialog.hideHint")}</p>
    </div>
  );
}

function ExportReady({
  record,
  cached,
  again,
  onAgain,
}: {
  record: ExportRecord;
  cached: boolean;
  again: boolean;
  onAgain(): void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [sharing, setSharing] = useState(false);
  const canShare = useHostKind() === "headless";
  return (
    <div className="export-ready" data-testid="export-ready">
      <p className="export-ready__title" role="status">
        <CheckIcon />
        {t("exportDialog.ready")}
      </p>
      <div className="export-file">
        <FormatBadge format={record.format} />
        <span className="export-file__name" data-testid="export-file-name">
          {record.fileName}
        </span>
        <span className="export-file__size">{format.bytes(record.sizeBytes)}</span>
        {record.partial ? <PartialBadge /> : null}
      </div>
      {record.partial ? <p className="notice notice--warn">{t("exportDialog.partial")}</p> : null}
      {cached ? (
        <div className="notice notice--info export-cached" data-testid="export-cached">
          <p>
            {t("exportDialog.cached", { when: format.relative(record.createdAt) })}{" "}
            <span className="muted">{t("exportDialog.cachedWhy")}</span>
          </p>
          <div className="notice__actions">
            <button type="button" className="button button--small" disabled={again} onClick={onAgain}>
              {again ? t("exportDialog.starting") : t("exportDialog.exportAgain")}
            </button>
          </div>
        </div>
      ) : null}
      <div className="button-row export-ready__actions" data-autofocus-group>
        <ExportFileActions record={record} primary />
        {canShare ? (
          <button type="button" className="button" aria-expanded={sharing} onClick={() => setSharing((open) => !open)}>
            {t("share.open")}
          </button>
        ) : null}
      </div>
      {sharing && canShare ? <SharePanel record={record} /> : null}
    </div>
  );
}

function ExportFailure({ job, loadError }: { job: Job | undefined; loadError: BridgeError | null }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const error = job?.error ? BridgeError.fromWire(job.error) : loadError;
  const text = error ? errorText(error) : null;
  return (
    <div className="notice notice--error" role="alert" data-testid="export-failed">
      <strong>{job?.status === "interrupted" ? t("exportDialog.interrupted") : t("exportDialog.failed")}</strong>
      <p>{text ? `${text.heading}: ${text.message}` : t("errors.INTERNAL")}</p>
    </div>
  );
}

/** Why the server would not start (or finish) the export: the code's meaning and its own message. */
function ExportRefusal({ error }: { error: unknown }) {
  const { heading, message } = useErrorText()(error);
  return (
    <div className="notice notice--error" role="alert" data-testid="export-error">
      <strong>{heading}</strong>
      <p>{message}</p>
    </div>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d="m5 12.5 4.5 4.5L19 7.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
