/**
 * Sync personas or a study's insights to a connected CRM: choose the CRM (and, for insights,
 * what the note is linked to), preview what would be created, updated or skipped, then run the
 * sync as a job with progress and Cancel. Opened by SyncToCrmButton from a project's Personas
 * page, a completed focus group and a completed survey.
 *
 * Test ids (the e2e suite drives these):
 *   crm-sync-dialog              the dialog body; data-phase = setup | working | done | failed | cancelled | interrupted
 *   crm-sync-none                no CRM connected (with crm-sync-go-integrations)
 *   crm-sync-provider-<provider> the radio choosing a CRM
 *   crm-target-kind              what a note is linked to (company, deal, contact / account, opportunity)
 *   crm-target-search            search the CRM's records; crm-target-option each answer, crm-target-chosen the pick
 *   crm-sync-preview             Preview (see SyncPreviewView.tsx for crm-preview-*)
 *   crm-sync-start               Sync (enabled once a current preview allows it)
 *   crm-sync-refused             why main refused to start (mapping errors: crm-preview-fix-mapping)
 *   crm-sync-progress            the job's progress bar; crm-sync-cancel stops it
 *   crm-sync-done                the finished sync's counts; crm-sync-history-link opens its records
 *   crm-sync-failed              a failed or interrupted sync (crm-sync-resume after an interruption, or a
 *                                failure that passes: the CRM's limits, an outage, the breaker)
 */
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import {
  ACTIVE_JOB_STATUSES,
  TARGET_KINDS,
  type AssociationTarget,
  type CrmProviderId,
  type CrmProviderStatus,
  type Job,
  type TargetKind,
} from "@shared/contract";
import { useConnectedCrms, useCrmStatus, useCrmSync } from "../../api/crm";
import { useInvokeMutation, useWatchedJob } from "../../api/hooks";
import { applyJobUpdate } from "../../api/LiveInvalidation";
import { BridgeError, isBridgeError } from "../../bridge/bridge";
import { Dialog } from "../../components/Dialog";
import { useNotify } from "../../components/notify";
import { ProgressBar } from "../../components/ProgressBar";
import { CheckboxField } from "../../components/CheckboxField";
import { progressText } from "../../components/progress-text";
import { EmptyState, Spinner, useErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { CRM_NAMES, SYNTHETIC_FIELDS, canResumeSync } from "./crm-error-text";
import { releaseSync, watchSync } from "./CrmSyncToasts";
import { refusedProblems, requestOf, summarisePreview, type SyncSubject } from "./sync-preview";
import { FixMappingLink, ProblemList, SyncPreviewView } from "./SyncPreviewView";
import { SyncCounts } from "./sync-parts";
import { TargetCombobox } from "./TargetCombobox";
import "./integrations.css";

type Phase = "setup" | "working" | "done" | "failed" | "cancelled" | "interrupted";

function phaseOf(started: Started | null, job: Job | undefined, loadError: BridgeError | null): Phase {
  if (started === null) return "setup";
  if (!job && loadError) return "failed";
  if (!job || ACTIVE_JOB_STATUSES.includes(job.status)) return "working";
  if (job.status === "succeeded") return "done";
  if (job.status === "cancelled") return "cancelled";
  if (job.status === "interrupted") return "interrupted";
  return "failed";
}

interface Started {
  jobId: string;
  syncId: string;
  provider: CrmProviderId;
}

export type { SyncSubject };

export function SyncToCrmDialog({ subject, onClose }: { subject: SyncSubject; onClose(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const notify = useNotify();
  const bodyRef = useRef<HTMLDivElement>(null);
  const { providers, isPending: statusPending, error: statusError } = useConnectedCrms();
  const status = useCrmStatus();
  const [chosen, setChosen] = useState<CrmProviderId | null>(null);
  const provider = chosen ?? (providers?.length === 1 ? providers[0]!.provider : null);
  const [kinds, setKinds] = useState<Partial<Record<CrmProviderId, TargetKind>>>({});
  const targetKind: TargetKind | null = provider ? (kinds[provider] ?? TARGET_KINDS[provider][0]) : null;
  const [target, setTarget] = useState<AssociationTarget | null>(null);
  const [sendUnchanged, setSendUnchanged] = useState(false);
  const [started, setStarted] = useState<Started | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const { job, error: jobError } = useWatchedJob(started?.jobId ?? null);
  const phase = phaseOf(started, job, jobError);
  const finished = phase === "done" || phase === "cancelled" || phase === "failed" || phase === "interrupted";
  const sync = useCrmSync(started?.syncId ?? null, finished);

  const request = requestOf(subject, provider, target, sendUnchanged);
  const requestKey = request ? JSON.stringify(request) : null;
  const preview = useInvokeMutation("crm.preview", { onError: setRefusal });
  const previewIsCurrent = preview.data !== undefined && JSON.stringify(preview.variables) === requestKey;
  const summary = previewIsCurrent ? summarisePreview(preview.data!) : null;

  const open = useRef(true);
  useEffect(() => {
    open.current = true;
    return () => {
      open.current = false;
    };
  }, []);
  const start = useInvokeMutation("crm.sync", {
    onSuccess: ({ jobId, syncId }, variables) => {
      watchSync(jobId, { syncId, provider: variables.provider, kind: variables.kind });
      // Closed before main answered: nobody shows this sync, so it is watched in the background.
      if (!open.current) releaseSync(jobId, false);
      else setStarted({ jobId, syncId, provider: variables.provider });
    },
    onError: setRefusal,
  });
  const onJob = {
    onSuccess: (updated: Job) => applyJobUpdate(client, updated),
    onError: notify.error,
  };
  const cancel = useInvokeMutation("jobs.cancel", onJob);
  const resume = useInvokeMutation("jobs.resume", onJob);

  const choose = (next: { provider?: CrmProviderId; kind?: TargetKind }) => {
    if (next.provider && next.provider !== provider) setChosen(next.provider);
    if (next.kind && provider) setKinds((previous) => ({ ...previous, [provider]: next.kind }));
    // A note's target belongs to one CRM and one kind of record.
    setTarget(null);
    setRefusal(null);
  };

  // A sync left running when the dialog closes goes on; a toast says when it has ended (at once
  // when it ended before the dialog could show it).
  const shown = useRef<{ jobId: string; shownEnd: boolean } | null>(null);
  useEffect(() => {
    shown.current = started ? { jobId: started.jobId, shownEnd: finished } : null;
  }, [started, finished]);
  useEffect(
    () => () => {
      const left = shown.current;
      if (left) releaseSync(left.jobId, left.shownEnd);
    },
    [],
  );

  // Each step puts focus on its main action (ExportDialog does the same).
  const step = `${phase}:${previewIsCurrent ? "preview" : "choose"}`;
  const lastStep = useRef(step);
  useEffect(() => {
    if (lastStep.current === step) return;
    lastStep.current = step;
    bodyRef.current?.closest("dialog")?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
  }, [step]);

  const breaker = status.data?.providers.find((entry) => entry.provider === provider)?.breaker;
  const canSync = summary !== null && !summary.blocked && !summary.nothingToDo && !start.isPending;
  const previewHintId = useId();
  const syncHintId = useId();
  const previewHint = !request && subject.kind === "insights" && provider ? t("crmSync.chooseTargetFirst") : null;
  const syncHint = !previewIsCurrent ? t("crmSync.previewFirst") : null;
  const crm = provider ? CRM_NAMES[provider] : "";
  const noneConnected = providers !== undefined && providers.length === 0;

  const actions = (() => {
    switch (phase) {
      case "setup":
        return (
          <>
            <button type="button" className="button" onClick={onClose}>
              {t("app.cancel")}
            </button>
            {noneConnected || !providers ? null : (
              <>
                <button
                  type="button"
                  className={previewIsCurrent ? "button" : "button button--primary"}
                  disabled={!request || preview.isPending}
                  aria-describedby={previewHint ? previewHintId : undefined}
                  data-testid="crm-sync-preview"
                  data-autofocus={previewIsCurrent ? undefined : true}
                  onClick={() => {
                    if (!request) return;
                    setRefusal(null);
                    preview.mutate(request);
                  }}
                >
                  {preview.isPending
                    ? t("crmSync.previewing")
                    : previewIsCurrent
                      ? t("crmSync.previewAgain")
                      : t("crmSync.preview")}
                </button>
                <button
                  type="button"
                  className="button button--primary"
                  disabled={!canSync}
                  data-testid="crm-sync-start"
                  data-autofocus={previewIsCurrent ? true : undefined}
                  aria-describedby={previewHint ? previewHintId : syncHint ? syncHintId : undefined}
                  onClick={() => {
                    if (!request || !canSync) return;
                    setRefusal(null);
                    start.mutate(request);
                  }}
                >
                  {start.isPending
                    ? t("crmSync.starting")
                    : !summary || !provider || summary.nothingToDo
                      ? t("crmSync.start")
                      : subject.kind === "insights"
                        ? t("crmSync.startNote", { crm })
                        : t("crmSync.startPersonas", {
                            count: summary.create + summary.update,
                            n: format.integer(summary.create + summary.update),
                            crm,
                          })}
                </button>
              </>
            )}
          </>
        );
      case "working":
        return (
          <>
            <button type="button" className="button" data-autofocus onClick={onClose}>
              {t("crmSync.hide")}
            </button>
            <button
              type="button"
              className="button button--danger-outline"
              disabled={!started || cancel.isPending}
              data-testid="crm-sync-cancel"
              onClick={() => started && cancel.mutate({ id: started.jobId })}
            >
              {cancel.isPending ? t("crmSync.cancelling") : t("crmSync.cancel")}
            </button>
          </>
        );
      default:
        return (
          <>
            {started && job && canResumeSync(job.status, job.error) ? (
              <button
                type="button"
                className="button button--primary"
                disabled={resume.isPending}
                data-testid="crm-sync-resume"
                onClick={() => resume.mutate({ id: started.jobId })}
              >
                {resume.isPending ? t("crmSync.resuming") : t("crmSync.resume")}
              </button>
            ) : null}
            <button type="button" className="button" data-autofocus onClick={onClose}>
              {t("crmSync.close")}
            </button>
          </>
        );
    }
  })();

  return (
    <Dialog
      title={
        subject.kind === "personas"
          ? t("crmSync.dialogTitlePersonas", { name: subject.name })
          : t("crmSync.dialogTitleInsights", { name: subject.name })
      }
      size="wide"
      onClose={onClose}
      actions={actions}
    >
      <div ref={bodyRef} className="crm-sync" data-testid="crm-sync-dialog" data-phase={phase}>
        {phase === "setup" ? (
          statusPending ? (
            <Spinner label={t("app.loading")} />
          ) : statusError ? (
            <Refusal error={statusError} />
          ) : noneConnected ? (
            <div data-testid="crm-sync-none">
              <EmptyState title={t("crmSync.noneTitle")} body={t("crmSync.noneBody")}>
                <a
                  className="button button--primary"
                  href={hrefOf({ page: "integrations" })}
                  data-testid="crm-sync-go-integrations"
                  onClick={onClose}
                >
                  {t("integrations.open")}
                </a>
              </EmptyState>
            </div>
          ) : (
            <>
              <ProviderChoice providers={providers!} value={provider} onChange={(next) => choose({ provider: next })} />
              {breaker === "open" || breaker === "daily_limit" ? (
                <p className="notice notice--warn" role="status" data-testid="crm-sync-breaker">
                  {breaker === "open"
                    ? t("integrations.breakerOpen", { crm })
                    : t("integrations.breakerDailyLimit", { crm })}
                </p>
              ) : null}
              {subject.kind === "insights" && provider && targetKind ? (
                <TargetChoice
                  provider={provider}
                  kind={targetKind}
                  target={target}
                  onKind={(kind) => choose({ kind })}
                  onTarget={(next) => {
                    setTarget(next);
                    setRefusal(null);
                  }}
                />
              ) : null}
              {subject.kind === "personas" ? (
                <p className="muted">
                  {subject.personaIds?.length
                    ? t("crmSync.somePersonas", {
                        count: subject.personaIds.length,
                        n: format.integer(subject.personaIds.length),
                      })
                    : t("crmSync.allPersonas", { name: subject.name })}{" "}
                  {provider ? t("crmSync.syntheticNote", { field: SYNTHETIC_FIELDS[provider] }) : null}
                </p>
              ) : (
                <p className="muted">{t(`crmSync.insightsNote.${subject.studyKind}`)}</p>
              )}
              {subject.kind === "personas" && provider ? (
                <CheckboxField
                  label={t("crmSync.sendUnchanged")}
                  hint={t("crmSync.sendUnchangedHint", { crm })}
                  checked={sendUnchanged}
                  testId="crm-sync-send-unchanged"
                  onChange={(checked) => {
                    setSendUnchanged(checked);
                    setRefusal(null);
                  }}
                />
              ) : null}
              {previewIsCurrent ? (
                <SyncPreviewView preview={preview.data!} onFixMapping={onClose} />
              ) : preview.isPending ? (
                <Spinner label={t("crmSync.previewing")} />
              ) : null}
              {refusal ? <SyncRefusal error={refusal} provider={provider} onFixMapping={onClose} /> : null}
              {previewHint || syncHint ? (
                <p className="field__hint crm-sync__hints">
                  {previewHint ? <span id={previewHintId}>{previewHint}</span> : null}
                  {syncHint && !previewHint ? <span id={syncHintId}>{syncHint}</span> : null}
                </p>
              ) : null}
            </>
          )
        ) : phase === "working" ? (
          <SyncProgress job={job} crm={CRM_NAMES[started!.provider]} />
        ) : (
          <SyncEnd
            phase={phase}
            kind={subject.kind}
            provider={started!.provider}
            job={job}
            loadError={jobError}
            syncId={started!.syncId}
            counts={sync.data?.sync.counts ?? null}
            onLeave={onClose}
          />
        )}
      </div>
    </Dialog>
  );
}

function ProviderChoice({
  providers,
  value,
  onChange,
}: {
  providers: readonly CrmProviderStatus[];
  value: CrmProviderId | null;
  onChange(provider: CrmProviderId): void;
}) {
  const { t } = useTranslation();
  const name = useId();
  return (
    <fieldset className="choices choices--cards crm-sync__providers">
      <legend className="field__label">{t("crmSync.chooseCrm")}</legend>
      <div className="choices__list">
        {providers.map((entry) => {
          const id = `${name}-${entry.provider}`;
          return (
            <label key={entry.provider} className="choice" htmlFor={id}>
              <input
                id={id}
                type="radio"
                name={name}
                value={entry.provider}
                checked={value === entry.provider}
                data-testid={`crm-sync-provider-${entry.provider}`}
                onChange={() => onChange(entry.provider)}
              />
              <span className="choice__text">
                <span className="choice__label">{CRM_NAMES[entry.provider]}</span>
                <span className="choice__description">{entry.account?.accountName ?? ""}</span>
              </span>
            </label>
          );
        })}
      </div>
      <p className="field__hint">
        <a href={hrefOf({ page: "integrations" })}>{t("crmSync.manageCrms")}</a>
      </p>
    </fieldset>
  );
}

function TargetChoice({
  provider,
  kind,
  target,
  onKind,
  onTarget,
}: {
  provider: CrmProviderId;
  kind: TargetKind;
  target: AssociationTarget | null;
  onKind(kind: TargetKind): void;
  onTarget(target: AssociationTarget | null): void;
}) {
  const { t } = useTranslation();
  const kindId = useId();
  return (
    <div className="crm-sync__target">
      <div className="field">
        <label htmlFor={kindId} className="field__label">
          {t("crmSync.targetKind", { crm: CRM_NAMES[provider] })}
        </label>
        <select
          id={kindId}
          className="select"
          value={kind}
          data-testid="crm-target-kind"
          onChange={(event) => onKind(event.target.value as TargetKind)}
        >
          {TARGET_KINDS[provider].map((option) => (
            <option key={option} value={option}>
              {t(`crmSync.targetKinds.${option}`)}
            </option>
          ))}
        </select>
      </div>
      <TargetCombobox key={`${provider}:${kind}`} provider={provider} kind={kind} value={target} onChange={onTarget} />
    </div>
  );
}

function SyncProgress({ job, crm }: { job: Job | undefined; crm: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labelId = useId();
  const progress = job?.status === "running" ? job.progress : null;
  return (
    <div className="crm-sync__progress">
      <p id={labelId} className="crm-sync__progress-title">
        <span className="spinner" aria-hidden="true" />
        {t("crmSync.working", { crm })}
      </p>
      <ProgressBar
        done={progress?.done ?? 0}
        total={progress?.total ?? 0}
        labelledBy={labelId}
        testId="crm-sync-progress"
      />
      <p className="muted" aria-live="polite">
        {progressText(t, format, progress?.label ?? null) ?? t("crmSync.queued")}
      </p>
      <p className="field__hint">{t("crmSync.hideHint")}</p>
    </div>
  );
}

function SyncEnd({
  phase,
  kind,
  provider,
  job,
  loadError,
  syncId,
  counts,
  onLeave,
}: {
  phase: Exclude<Phase, "setup" | "working">;
  kind: SyncSubject["kind"];
  provider: CrmProviderId;
  job: Job | undefined;
  loadError: BridgeError | null;
  syncId: string;
  counts: { created: number; updated: number; skipped: number; failed: number; total: number } | null;
  onLeave(): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const link = (
    <a
      className="button"
      href={hrefOf({ page: "crm-sync", id: syncId })}
      data-testid="crm-sync-history-link"
      onClick={onLeave}
    >
      {t("crmSync.openResults")}
    </a>
  );
  const crm = CRM_NAMES[provider];
  if (phase === "done") {
    // A note Sight may or may not have written (ledger code sight.interrupted) is counted as skipped.
    const unsure = kind === "insights" && counts !== null && counts.skipped > 0;
    return (
      <div className="crm-sync__end" data-testid="crm-sync-done" data-unsure={unsure || undefined}>
        <p className="crm-sync__end-title" role="status">
          {counts && counts.failed > 0 ? t("crmSync.doneWithFailures") : t("crmSync.done")}
        </p>
        {unsure ? (
          <p className="notice notice--warn" role="status" data-testid="crm-sync-note-unsure">
            {t("crmSync.noteUnsure", { crm })}
          </p>
        ) : null}
        {counts ? <SyncCounts counts={counts} /> : <Spinner label={t("app.loading")} />}
        <div className="button-row">{link}</div>
      </div>
    );
  }
  const error = job?.error ? BridgeError.fromWire(job.error) : loadError;
  const text = error ? errorText(error) : null;
  const problems = phase === "failed" && error?.code === "VALIDATION_FAILED" ? refusedProblems(error) : null;
  const resumable = job ? canResumeSync(job.status, job.error) : false;
  return (
    <div className="crm-sync__end" data-testid="crm-sync-failed" data-phase={phase}>
      {phase === "cancelled" ? (
        <p className="notice notice--info" role="status">
          {t("crmSync.cancelled")}
        </p>
      ) : (
        <div className="notice notice--error" role="alert">
          <strong>{phase === "interrupted" ? t("crmSync.interrupted") : t("crmSync.failed")}</strong>
          {problems ? (
            <>
              <p>{t("crmErrors.mappingChanged", { crm })}</p>
              <ProblemList problems={problems} provider={provider} />
              <FixMappingLink provider={provider} onClick={onLeave} />
            </>
          ) : text && phase === "failed" ? (
            <p>{`${text.heading}: ${text.message}`}</p>
          ) : null}
          {resumable && phase === "failed" ? <p>{t("crmSync.resumable")}</p> : null}
        </div>
      )}
      {counts ? <SyncCounts counts={counts} /> : null}
      <div className="button-row">{link}</div>
    </div>
  );
}

/** Why main would not preview or start the sync; mapping errors with the way to fix them. */
function SyncRefusal({
  error,
  provider,
  onFixMapping,
}: {
  error: unknown;
  provider: CrmProviderId | null;
  onFixMapping(): void;
}) {
  const { t } = useTranslation();
  const problems = refusedProblems(error);
  if (problems && provider) {
    return (
      <div className="notice notice--error" role="alert" data-testid="crm-sync-refused">
        <strong>{t("crmSync.mappingErrors", { crm: CRM_NAMES[provider] })}</strong>
        <ProblemList problems={problems} provider={provider} />
        <FixMappingLink provider={provider} onClick={onFixMapping} />
      </div>
    );
  }
  return <Refusal error={error} />;
}

/** A study with nothing to send yet: main refuses with CONFLICT and one of these reasons. */
const STUDY_REFUSALS = ["no_analysis", "no_results"] as const;

function Refusal({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const described = useErrorText()(error);
  const reason = isBridgeError(error) ? (error.details as { reason?: unknown } | null)?.reason : undefined;
  const study = STUDY_REFUSALS.find((known) => known === reason);
  const { heading, message } = study
    ? { heading: t("crmSync.notReady"), message: t(`crmSync.refusals.${study}`) }
    : described;
  return (
    <div className="notice notice--error" role="alert" data-testid="crm-sync-refused">
      <strong>{heading}</strong>
      <p>{message}</p>
    </div>
  );
}
