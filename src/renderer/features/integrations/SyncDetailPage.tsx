/**
 * #/integrations/syncs/<id>: one sync's counts and each record's outcome. Test ids:
 *   crm-sync-detail        the page; data-status = the sync's status
 *   crm-sync-counts        the counts (created, updated, skipped, failed)
 *   crm-sync-progress      the job's progress while it runs
 *   crm-sync-cancel        Cancel while it runs; crm-sync-resume after an interruption, or after a
 *                          failure that passes (the CRM's limits, an outage, the breaker, a reconnect)
 *   crm-record-filter      all / created / updated / skipped / failed
 *   crm-record-row         one record; data-outcome = its outcome
 *   crm-record-message     a failed or skipped record's message (and the CRM's code)
 *   crm-records-empty      no record with this outcome
 */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { RECORD_OUTCOMES, type CrmSync, type CrmSyncRecord, type RecordOutcome } from "@shared/contract";
import { useCrmSyncRecords } from "../../api/crm";
import { useInvokeMutation, useWatchedJob } from "../../api/hooks";
import { applyJobUpdate } from "../../api/LiveInvalidation";
import { ChoiceCards } from "../../components/ChoiceCards";
import { useNotify } from "../../components/notify";
import { ProgressBar } from "../../components/ProgressBar";
import { progressText } from "../../components/progress-text";
import { EmptyState, ErrorState, LoadMore, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf, type AppRoute } from "../../router/routes";
import { CRM_NAMES, canResumeSync } from "./crm-error-text";
import { OutcomeBadge, SyncCounts, SyncError, SyncStatusBadge, isActiveSync, useSyncTitle } from "./sync-parts";
import "./integrations.css";

const PAGE_SIZE = 100;
type OutcomeFilter = RecordOutcome | "all";

/** Sight's own ledger reasons (sync-job.ts LEDGER_CODES, without "sight."), worded in crmSync.ledger. */
const LEDGER_CODES = ["unchanged", "persona_deleted", "interrupted", "task_fallback"] as const;

export function SyncDetailPage({ syncId }: { syncId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [filter, setFilter] = useState<OutcomeFilter>("all");
  const records = useCrmSyncRecords(syncId, filter === "all" ? null : filter, PAGE_SIZE);
  const pages = records.data?.pages ?? [];
  const sync = pages[pages.length - 1]?.sync;
  const title = useSyncTitle();
  useDocumentTitle(sync ? title(sync) : t("crmSync.detailTitle"));

  const back = (
    <p className="page-header__subtitle">
      <a href={hrefOf({ page: "integrations" })}>← {t("integrations.title")}</a>
    </p>
  );
  if (records.isPending) return <Spinner label={t("app.loading")} />;
  if (records.isError && !sync) {
    return records.error.code === "NOT_FOUND" ? (
      <>
        <PageHeader title={t("crmSync.notFoundTitle")}>{back}</PageHeader>
        <EmptyState title={t("crmSync.notFoundBody")}>
          <a className="button" href={hrefOf({ page: "integrations" })}>
            {t("integrations.open")}
          </a>
        </EmptyState>
      </>
    ) : (
      <ErrorState error={records.error} onRetry={() => void records.refetch()} title={t("app.loadFailed")} />
    );
  }
  if (!sync) return <Spinner label={t("app.loading")} />;
  const items = pages.flatMap((page) => page.items);

  return (
    <div className="crm-sync-detail" data-testid="crm-sync-detail" data-status={sync.status}>
      <PageHeader
        title={
          <>
            {title(sync)}
            <SyncStatusBadge status={sync.status} />
          </>
        }
      >
        {back}
      </PageHeader>

      <SyncSummary sync={sync} />

      <section className="card crm-records" aria-labelledby="crm-records-title">
        <div className="crm-records__head">
          <h2 id="crm-records-title" className="section-title">
            {t("crmSync.records")}
          </h2>
          <ChoiceCards<OutcomeFilter>
            legend={t("crmSync.filter")}
            legendHidden
            variant="segmented"
            value={filter}
            testId="crm-record-filter"
            choices={(["all", ...RECORD_OUTCOMES] as const).map((value) => ({
              value,
              label:
                value === "all"
                  ? t("crmSync.filterAll")
                  : `${t(`crmSync.outcomes.${value}`)} (${format.integer(sync.counts[value])})`,
            }))}
            onChange={setFilter}
          />
        </div>
        {items.length === 0 ? (
          <p className="muted" data-testid="crm-records-empty">
            {filter === "all"
              ? isActiveSync(sync.status)
                ? t("crmSync.noRecordsYet")
                : t("crmSync.noRecords")
              : t("crmSync.noRecordsOutcome", { outcome: t(`crmSync.outcomes.${filter}`) })}
          </p>
        ) : (
          <>
            <div className="table-scroll">
              <table
                className={`data-table crm-records__table${records.isPlaceholderData ? " project-list--stale" : ""}`}
                aria-busy={records.isPlaceholderData || undefined}
              >
                <thead>
                  <tr>
                    <th scope="col">{t("crmSync.record")}</th>
                    <th scope="col">{t("crmSync.outcome")}</th>
                    <th scope="col">{t("crmSync.crmId", { crm: CRM_NAMES[sync.provider] })}</th>
                    <th scope="col">{t("crmSync.message")}</th>
                    <th scope="col">{t("crmSync.at")}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((record) => (
                    <RecordRow key={record.key} record={record} sync={sync} />
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore list={records} />
          </>
        )}
      </section>
    </div>
  );
}

function SyncSummary({ sync }: { sync: CrmSync }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section className="card crm-sync-summary" aria-label={t("crmSync.summary")}>
      <dl className="facts">
        <div className="facts__row">
          <dt>{t("crmSync.crm")}</dt>
          <dd>
            {CRM_NAMES[sync.provider]} · {sync.accountName}
          </dd>
        </div>
        {sync.target ? (
          <div className="facts__row">
            <dt>{t("crmSync.linkedTo")}</dt>
            <dd>
              {sync.target.name} ({t(`crmSync.targetKinds.${sync.target.kind}`)})
            </dd>
          </div>
        ) : null}
        {sourceOf(sync) ? (
          <div className="facts__row">
            <dt>{t("crmSync.source")}</dt>
            <dd>
              <a href={hrefOf(sourceOf(sync)!)}>{sync.subject}</a>
            </dd>
          </div>
        ) : null}
        <div className="facts__row">
          <dt>{t("crmSync.started")}</dt>
          <dd>
            <time dateTime={sync.createdAt}>{format.dateTime(sync.createdAt)}</time>
          </dd>
        </div>
        {sync.finishedAt ? (
          <div className="facts__row">
            <dt>{t("crmSync.finished")}</dt>
            <dd>
              <time dateTime={sync.finishedAt}>{format.dateTime(sync.finishedAt)}</time>
            </dd>
          </div>
        ) : null}
        <div className="facts__row">
          <dt>{t("crmSync.total")}</dt>
          <dd>
            {t("crmSync.recordCount", { count: sync.counts.total, n: format.integer(sync.counts.total) })} —{" "}
            <SyncCounts counts={sync.counts} />
          </dd>
        </div>
      </dl>
      <SyncError sync={sync} />
      {isActiveSync(sync.status) || sync.status === "interrupted" || sync.status === "failed" ? (
        <JobControls sync={sync} />
      ) : null}
    </section>
  );
}

/** Progress, Cancel and Resume: the jobs routes every durable job has. */
function JobControls({ sync }: { sync: CrmSync }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const client = useQueryClient();
  const labelId = useId();
  const { job } = useWatchedJob(sync.jobId);
  const onJob = {
    onSuccess: (updated: Parameters<typeof applyJobUpdate>[1]) => applyJobUpdate(client, updated),
    onError: notify.error,
  };
  const cancel = useInvokeMutation("jobs.cancel", onJob);
  const resume = useInvokeMutation("jobs.resume", onJob);
  const active = isActiveSync(sync.status);
  // A failed sync is offered Resume only when what stopped it passes (its job's details.reason).
  if (sync.status === "failed" && !(job && canResumeSync(job.status, job.error))) return null;
  return (
    <div className="crm-job">
      {active ? (
        <>
          <p id={labelId} className="crm-job__label" aria-live="polite">
            <span className="spinner" aria-hidden="true" />{" "}
            {progressText(t, format, job?.progress.label ?? null) ?? t("crmSync.queued")}
          </p>
          <ProgressBar
            done={job?.progress.done ?? 0}
            total={job?.progress.total ?? 0}
            labelledBy={labelId}
            testId="crm-sync-progress"
          />
        </>
      ) : (
        <p className="notice notice--warn">
          {sync.status === "failed" ? t("crmSync.resumable") : t("crmSync.interrupted")}
        </p>
      )}
      <div className="button-row">
        {active ? null : (
          <button
            type="button"
            className="button button--primary"
            disabled={resume.isPending}
            data-testid="crm-sync-resume"
            onClick={() => resume.mutate({ id: sync.jobId })}
          >
            {resume.isPending ? t("crmSync.resuming") : t("crmSync.resume")}
          </button>
        )}
        {active || sync.status === "interrupted" ? (
          <button
            type="button"
            className="button button--danger-outline"
            disabled={cancel.isPending}
            data-testid="crm-sync-cancel"
            onClick={() => cancel.mutate({ id: sync.jobId })}
          >
            {cancel.isPending ? t("crmSync.cancelling") : t("crmSync.cancel")}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function RecordRow({ record, sync }: { record: CrmSyncRecord; sync: CrmSync }) {
  const { t } = useTranslation();
  const format = useFormat();
  const persona = sync.kind === "personas" && record.key !== "note";
  // Sight's own reasons come as codes (sight.*) and are worded here; a CRM's message is its own.
  const ownCode = record.code?.startsWith("sight.") ? record.code.slice("sight.".length) : null;
  // A note's label comes from main in English ("Note on Acme", "Task on Acme"): worded here in
  // the UI's language, with the kind of record it is linked to. Other labels are names, kept.
  const match = sync.kind === "insights" ? /^(Note|Task) on (.+)$/s.exec(record.label) : null;
  const target = match ? match[2]! : record.label;
  const kind = sync.target ? t(`crmSync.targetKinds.${sync.target.kind}`) : null;
  const label =
    match && kind !== null
      ? match[1] === "Task"
        ? t("crmSync.taskOn", { target, kind })
        : t("crmSync.noteOn", { target, kind })
      : record.label;
  const ownMessage =
    ownCode && (LEDGER_CODES as readonly string[]).includes(ownCode)
      ? t(`crmSync.ledger.${ownCode as (typeof LEDGER_CODES)[number]}`, { target })
      : null;
  return (
    <tr data-testid="crm-record-row" data-outcome={record.outcome}>
      <th scope="row">{persona ? <a href={hrefOf({ page: "persona", id: record.key })}>{record.label}</a> : label}</th>
      <td>
        <OutcomeBadge outcome={record.outcome} />
      </td>
      <td>{record.crmId ? <code>{record.crmId}</code> : <span className="muted">—</span>}</td>
      <td>
        {record.message || record.code ? (
          <span
            className={
              record.outcome === "failed" ? "crm-record__message crm-record__message--failed" : "crm-record__message"
            }
            data-testid="crm-record-message"
          >
            {ownMessage ?? record.message}
            {record.code && !ownMessage ? (
              <>
                {" "}
                <code className="crm-record__code" title={t("crmSync.code")}>
                  {record.code}
                </code>
              </>
            ) : null}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="crm-record__at">
        <time dateTime={record.at}>{format.dateTime(record.at)}</time>
      </td>
    </tr>
  );
}

/** Where the synced data lives in Sight: the study, or the project's personas. */
function sourceOf(sync: CrmSync): AppRoute | null {
  if (sync.kind === "insights" && sync.studyId)
    return sync.studyKind === "survey"
      ? { page: "survey", id: sync.studyId }
      : { page: "focus-group", id: sync.studyId };
  if (sync.kind === "personas" && sync.projectId) return { page: "project-personas", id: sync.projectId };
  return null;
}
