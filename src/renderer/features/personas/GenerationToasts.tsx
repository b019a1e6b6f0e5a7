import { useEffect } from "react";
import type { Job } from "@shared/contract";
import { useBridge } from "../../bridge/BridgeProvider";
import { BridgeError } from "../../bridge/bridge";
import { notifyError } from "../../components/notify";
import { toast, type ToastText, type ToastWords } from "../../stores/toasts";
import { PERSONA_GENERATION_KIND } from "./generation-jobs";

/** "Tokens: 12,345 · Cost: $0.02", in whatever language is active when the toast is drawn. */
export const usageText =
  (job: Job): ToastText =>
  ({ t, format }: ToastWords) =>
    t("generation.usageShort", {
      tokens: format.integer(job.usage.inputTokens + job.usage.outputTokens),
      cost: format.cost(job.usage.costUsd),
    });

/**
 * Says how a persona-generation run ended, on whatever page the user is: count, tokens and cost
 * on success, what went wrong on failure. Each end is published once (job.updated), so each run
 * toasts once; the words follow the UI language even if it changes while the toast is up.
 */
export function GenerationToasts() {
  const bridge = useBridge();

  useEffect(
    () =>
      bridge.on("job.updated", (job) => {
        if (job.kind !== PERSONA_GENERATION_KIND) return;
        const done = job.progress.done;
        if (job.status === "succeeded") {
          toast.success(
            ({ t, format }) => t("generation.succeededToast", { count: done, n: format.integer(done) }),
            usageText(job),
          );
        } else if (job.status === "failed") {
          notifyError(job.error ? BridgeError.fromWire(job.error) : new BridgeError("INTERNAL", ""), ({ t }) =>
            t("generation.failedToast"),
          );
        } else if (job.status === "cancelled") {
          toast.success(
            ({ t }) => t("generation.cancelledToast"),
            ({ t, format }) =>
              t("generation.saved", {
                count: job.progress.total,
                done: format.integer(done),
                total: format.integer(job.progress.total),
              }),
          );
        }
      }),
    [bridge],
  );
  return null;
}
