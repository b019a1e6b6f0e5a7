import { useEffect } from "react";
import type { CrmProviderId } from "@shared/contract";
import { CRM_SYNC_JOB_KIND } from "../../api/crm";
import { useBridge } from "../../bridge/BridgeProvider";
import { BridgeError } from "../../bridge/bridge";
import { notifyError } from "../../components/notify";
import { hrefOf } from "../../router/routes";
import { toast, type ToastWords } from "../../stores/toasts";
import { CRM_NAMES } from "./crm-error-text";

/** Sync jobs whose dialog was closed while they ran: nobody else is watching them finish. */
const background = new Map<string, { syncId: string; provider: CrmProviderId }>();

export function watchSyncInBackground(jobId: string, sync: { syncId: string; provider: CrmProviderId }): void {
  background.set(jobId, sync);
}

/** Says when a sync left running in the background has finished (or failed), wherever the user is. */
export function CrmSyncToasts() {
  const bridge = useBridge();
  useEffect(
    () =>
      bridge.on("job.updated", (job) => {
        const sync = background.get(job.id);
        if (job.kind !== CRM_SYNC_JOB_KIND || !sync) return;
        if (job.status === "queued" || job.status === "running") return;
        background.delete(job.id);
        const crm = CRM_NAMES[sync.provider];
        const action = {
          label: ({ t }: ToastWords) => t("crmSync.openResults"),
          href: hrefOf({ page: "crm-sync", id: sync.syncId }),
        };
        if (job.status === "succeeded") toast.success(({ t }) => t("crmSync.doneToast", { crm }), undefined, action);
        else if (job.status === "failed" || job.status === "interrupted") {
          const error = job.error ? BridgeError.fromWire(job.error) : new BridgeError("INTERNAL", "");
          notifyError(error, ({ t }) => t("crmSync.failedToast", { crm }), action);
        }
      }),
    [bridge],
  );
  return null;
}
