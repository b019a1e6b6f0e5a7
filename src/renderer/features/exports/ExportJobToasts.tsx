import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { EXPORT_JOB_KIND } from "../../api/exports";
import { useBridge } from "../../bridge/BridgeProvider";
import { hrefOf } from "../../router/routes";
import { toast } from "../../stores/toasts";

/** Export jobs whose dialog was closed while they ran: nobody else is watching them finish. */
const background = new Set<string>();

export function watchInBackground(jobId: string): void {
  background.add(jobId);
}

/** Says when an export left running in the background is ready (or failed), wherever the user is. */
export function ExportJobToasts() {
  const { t } = useTranslation();
  const bridge = useBridge();
  useEffect(
    () =>
      bridge.on("job.updated", (job) => {
        if (job.kind !== EXPORT_JOB_KIND || !background.has(job.id)) return;
        if (job.status === "queued" || job.status === "running") return;
        background.delete(job.id);
        const action = { label: t("exports.openExports"), href: hrefOf({ page: "exports" }) };
        if (job.status === "succeeded") toast.success(t("exports.readyToast"), t("exports.readyToastBody"));
        else if (job.status === "failed") toast.error(t("exports.failedToast"), job.error?.message, action);
      }),
    [bridge, t],
  );
  return null;
}
