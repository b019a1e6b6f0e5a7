import { useEffect } from "react";
import type { CrmProviderId, Job } from "@shared/contract";
import { CRM_SYNC_JOB_KIND } from "../../api/crm";
import { useBridge } from "../../bridge/BridgeProvider";
import { BridgeError } from "../../bridge/bridge";
import { notifyError } from "../../components/notify";
import { hrefOf } from "../../router/routes";
import { toast, type ToastWords } from "../../stores/toasts";
import { CRM_NAMES } from "./crm-error-text";

interface Watched {
  syncId: string;
  provider: CrmProviderId;
  kind: "personas" | "insights";
  /** The sync dialog is still open and says itself how the sync ended. */
  inDialog: boolean;
  /** The job's end, when it came while the dialog was open. */
  ended: Job | null;
}

/**
 * Sync jobs started from the sync dialog: watched from the start, so that an end arriving just
 * as the dialog closes is not missed; toasted only once the dialog has been closed.
 */
const watched = new Map<string, Watched>();

const isEnded = (job: Pick<Job, "status">) => job.status !== "queued" && job.status !== "running";

/** Called when crm.sync answers: the dialog shows this job until it is closed. */
export function watchSync(
  jobId: string,
  sync: { syncId: string; provider: CrmProviderId; kind: "personas" | "insights" },
): void {
  watched.set(jobId, { ...sync, inDialog: true, ended: null });
}

/**
 * Called when the dialog closes. A sync it showed to the end needs no toast; one still running
 * is toasted when it ends, and one that ended unseen is toasted at once.
 */
export function releaseSync(jobId: string, shownEnd: boolean): void {
  const entry = watched.get(jobId);
  if (!entry) return;
  if (shownEnd) {
    watched.delete(jobId);
    return;
  }
  if (entry.ended) {
    watched.delete(jobId);
    toastEnd(entry, entry.ended);
    return;
  }
  entry.inDialog = false;
}

function resultOf(job: Job): { skipped: number; failed: number } {
  const result = (job.result ?? {}) as { skipped?: unknown; failed?: unknown };
  return {
    skipped: typeof result.skipped === "number" ? result.skipped : 0,
    failed: typeof result.failed === "number" ? result.failed : 0,
  };
}

function toastEnd(sync: Watched, job: Job): void {
  const crm = CRM_NAMES[sync.provider];
  const action = {
    label: ({ t }: ToastWords) => t("crmSync.openResults"),
    href: hrefOf({ page: "crm-sync", id: sync.syncId }),
  };
  const { skipped, failed } = resultOf(job);
  switch (job.status) {
    case "succeeded":
      if (sync.kind === "insights" && skipped > 0)
        toast.error(
          ({ t }) => t("crmSync.doneToast", { crm }),
          ({ t }) => t("crmSync.noteUnsure", { crm }),
          action,
        );
      else if (failed > 0)
        toast.error(
          ({ t, format }) => t("crmSync.doneWithFailuresToast", { crm, n: format.integer(failed) }),
          undefined,
          action,
        );
      else toast.success(({ t }) => t("crmSync.doneToast", { crm }), undefined, action);
      return;
    case "cancelled":
      toast.success(({ t }) => t("crmSync.cancelledToast", { crm }), undefined, action);
      return;
    case "interrupted":
      toast.error(({ t }) => t("crmSync.interruptedToast", { crm }), undefined, action);
      return;
    default: {
      const error = job.error ? BridgeError.fromWire(job.error) : new BridgeError("INTERNAL", "");
      notifyError(error, ({ t }) => t("crmSync.failedToast", { crm }), action);
    }
  }
}

/** Says when a sync left running in the background has ended, wherever the user is. */
export function CrmSyncToasts() {
  const bridge = useBridge();
  useEffect(
    () =>
      bridge.on("job.updated", (job) => {
        const sync = watched.get(job.id);
        if (job.kind !== CRM_SYNC_JOB_KIND || !sync || !isEnded(job)) return;
        if (sync.inDialog) {
          sync.ended = job;
          return;
        }
        watched.delete(job.id);
        toastEnd(sync, job);
      }),
    [bridge],
  );
  return null;
}
