import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useBridge } from "../../bridge/BridgeProvider";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { toast } from "../../stores/toasts";

/** The job kinds the focus-group and survey services enqueue. */
export const DISCUSSION_JOB_KIND = "focusGroups.run";
export const ANALYSIS_JOB_KIND = "focusGroups.analyze";
export const SURVEY_JOB_KIND = "surveys.run";

type StudyKind = typeof DISCUSSION_JOB_KIND | typeof ANALYSIS_JOB_KIND | typeof SURVEY_JOB_KIND;
const TOAST_KEY: Record<StudyKind, "discussion" | "analysis" | "survey"> = {
  [DISCUSSION_JOB_KIND]: "discussion",
  [ANALYSIS_JOB_KIND]: "analysis",
  [SURVEY_JOB_KIND]: "survey",
};

const isStudyKind = (kind: string): kind is StudyKind => Object.hasOwn(TOAST_KEY, kind);

/**
 * Says how a discussion, an analysis or a survey run ended, on whatever page the user is, with
 * its tokens and cost; a failure shows the job's own error (and the way to Settings when the
 * provider is the problem). A paused discussion is not an ending: its Pause button says so.
 */
export function StudyJobToasts() {
  const { t } = useTranslation();
  const format = useFormat();
  const bridge = useBridge();

  useEffect(
    () =>
      bridge.on("job.updated", (job) => {
        if (!isStudyKind(job.kind)) return;
        const key = TOAST_KEY[job.kind];
        const usage = t("generation.usageShort", {
          tokens: format.integer(job.usage.inputTokens + job.usage.outputTokens),
          cost: format.cost(job.usage.costUsd),
        });
        if (job.status === "succeeded") toast.success(t(`studies.toasts.${key}.succeeded`), usage);
        else if (job.status === "cancelled") toast.success(t(`studies.toasts.${key}.cancelled`), usage);
        else if (job.status === "failed") {
          const provider = job.error?.code === "PROVIDER_UNAVAILABLE";
          toast.error(
            t(`studies.toasts.${key}.failed`),
            job.error?.message,
            provider ? { label: t("provider.openSettings"), href: hrefOf({ page: "settings" }) } : undefined,
          );
        }
      }),
    [bridge, t, format],
  );
  return null;
}
