import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useBridge } from "../../bridge/BridgeProvider";
import { useFormat } from "../../i18n/format";
import { toast } from "../../stores/toasts";
import { PERSONA_GENERATION_KIND } from "./generation-jobs";

/**
 * Says how a persona-generation run ended, on whatever page the user is: count, tokens and cost
 * on success, the job's own error on failure. Each end is published once (job.updated), so each
 * run toasts once.
 */
export function GenerationToasts() {
  const { t } = useTranslation();
  const format = useFormat();
  const bridge = useBridge();

  useEffect(
    () =>
      bridge.on("job.updated", (job) => {
        if (job.kind !== PERSONA_GENERATION_KIND) return;
        const tokens = format.integer(job.usage.inputTokens + job.usage.outputTokens);
        const usage = t("generation.usageShort", { tokens, cost: format.cost(job.usage.costUsd) });
        if (job.status === "succeeded") {
          toast.success(t("generation.succeededToast", { count: format.integer(job.progress.done) }), usage);
        } else if (job.status === "failed") {
          toast.error(t("generation.failedToast"), job.error?.message);
        } else if (job.status === "cancelled") {
          toast.success(
            t("generation.cancelledToast"),
            t("generation.saved", {
              done: format.integer(job.progress.done),
              total: format.integer(job.progress.total),
            }),
          );
        }
      }),
    [bridge, t, format],
  );
  return null;
}
