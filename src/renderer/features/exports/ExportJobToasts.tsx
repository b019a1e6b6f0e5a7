import { useEffect } from "react";
import { EXPORT_JOB_KIND } from "../../api/exports";
import { useBridge } from "../../bridge/BridgeProvider";
import { BridgeError } from "../../bridge/bridge";
import { notifyError } from "../../components/notify";
import { hrefOf } from "../../router/routes";
import { toast, type ToastWords } from "../../stores/toasts";

/** Export jobs whose dialog was closed while they ran: nobody else is watching them finish. */
const background = new Set<string>();

export function watchInBackground(jobId: string): void {
  background.add(jobId);
}

/** Says when an export left running in the background is ready (or failed), wherever the user is. */
export function ExportJobToasts() {
  const bridge = useBridge();
  useEffect(
    () =>
      bridge.on("job.updated", (job) => {
        if (job.kind !== EXPORT_JOB_KIND || !background.has(job.id)) return;
        if (job.status === "queued" || job.status === "running") return;
        background.delete(job.id);
        const action = { label: ({ t }: ToastWords) => t("exports.openExports"), href: hrefOf({ page: "exports" }) };
        if (job.status === "succeeded")
          toast.success(
            ({ t }) => t("exports.readyToast"),
            ({ t }) => t("exports.readyToastBody"),
          );
        else if (job.status === "failed") {
          const error = job.error ? BridgeError.fromWire(job.error) : new BridgeError("INTERNAL", "");
          notifyError(error, ({ t }) => t("exports.failedToast"), action);
        }
      }),
    [bridge],
  );
  return null;
}
