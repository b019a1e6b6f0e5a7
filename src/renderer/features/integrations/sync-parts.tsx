import { useTranslation } from "react-i18next";
import type { CrmSync, RecordOutcome, SYNC_STATUSES } from "@shared/contract";
import { useFormat } from "../../i18n/format";

export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const isActiveSync = (status: SyncStatus) => status === "queued" || status === "running";

const STATUS_CLASS: Record<SyncStatus, string> = {
  queued: "badge--status-running",
  running: "badge--status-running",
  succeeded: "badge--status-completed",
  failed: "badge--status-failed",
  cancelled: "badge--status-interrupted",
  interrupted: "badge--status-interrupted",
};

export function SyncStatusBadge({ status }: { status: SyncStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--status ${STATUS_CLASS[status]}`} data-testid="crm-sync-status" data-status={status}>
      {status === "running" ? <span className="badge__pulse" aria-hidden="true" /> : null}
      {t(`crmSync.status.${status}`)}
    </span>
  );
}

const OUTCOME_CLASS: Record<RecordOutcome, string> = {
  created: "badge--success",
  updated: "badge--info",
  skipped: "",
  failed: "badge--status-failed",
};

export function OutcomeBadge({ outcome }: { outcome: RecordOutcome }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${OUTCOME_CLASS[outcome]}`} data-outcome={outcome}>
      {t(`crmSync.outcomes.${outcome}`)}
    </span>
  );
}

/** "Created: 3 · Updated: 2 · Skipped: 1 · Failed: 0", failures stressed when there are any. */
export function SyncCounts({ counts }: { counts: CrmSync["counts"] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <span className="crm-counts" data-testid="crm-sync-counts">
      {(["created", "updated", "skipped", "failed"] as const).map((outcome) => (
        <span
          key={outcome}
          className={
            outcome === "failed" && counts.failed > 0 ? "crm-counts__item crm-counts__item--failed" : "crm-counts__item"
          }
          data-outcome={outcome}
        >
          {t(`crmSync.counts.${outcome}`, { n: format.integer(counts[outcome]) })}
        </span>
      ))}
    </span>
  );
}

/** What a sync sent: "4 personas of Oat drink" or "Insights · Breakfast → Acme Inc (Company)". */
export function useSyncTitle() {
  const { t } = useTranslation();
  return (sync: Pick<CrmSync, "kind" | "subject" | "target">) =>
    // A personas sync's subject says so itself ("4 personas of Oat drink").
    sync.kind === "personas"
      ? sync.subject
      : sync.target
        ? t("crmSync.titleInsightsTo", {
            subject: sync.subject,
            target: sync.target.name,
            kind: t(`crmSync.targetKinds.${sync.target.kind}`),
          })
        : t("crmSync.titleInsights", { subject: sync.subject });
}

/** A failed sync's reason: main's English in an English UI, the status alone in another language. */
export function SyncError({ sync }: { sync: Pick<CrmSync, "status" | "error"> }) {
  const format = useFormat();
  if (sync.status !== "failed" || !sync.error || !format.language.startsWith("en")) return null;
  return <p className="crm-sync-error">{sync.error}</p>;
}
