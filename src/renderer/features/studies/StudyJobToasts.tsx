import { useEffect } from "react";
import { useBridge } from "../../bridge/BridgeProvider";
import { BridgeError } from "../../bridge/bridge";
import { notifyError } from "../../components/notify";
import { toast } from "../../stores/toasts";
import { usageText } from "../personas/GenerationToasts";

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
 * its tokens and cost; a failure says what went wrong (and the way to Settings when the provider
 * is the problem). A paused discussion is not an ending: its Pause button says so.
 */
export function StudyJobToasts() {
  const bridge = useBridge();

  useEffect(
    () =>
      bridge.on("job.updated", (job) => {
        if (!isStudyKind(job.kind)) return;
        const key = TOAST_KEY[job.kind];
        if (job.status === "succeeded") toast.success(({ t }) => t(`studies.toasts.${key}.succeeded`), usageText(job));
        else if (job.status === "cancelled")
          toast.success(({ t }) => t(`studies.toasts.${key}.cancelled`), usageText(job));
        else if (job.status === "failed") {
          notifyError(job.error ? BridgeError.fromWire(job.error) : new BridgeError("INTERNAL", ""), ({ t }) =>
            t(`studies.toasts.${key}.failed`),
          );
        }
      }),
    [bridge],
  );
  return null;
}
