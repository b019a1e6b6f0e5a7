import type { FocusGroup, RouteInput } from "@shared/contract";
import { newUid } from "../studies/reorder";

export interface ProbeDraft {
  uid: string;
  text: string;
}

export interface GuideItemDraft {
  uid: string;
  question: string;
  probes: ProbeDraft[];
}

export type GuideInput = NonNullable<RouteInput<"focusGroups.create">["guide"]>;

export const blankGuideItem = (): GuideItemDraft => ({ uid: newUid(), question: "", probes: [] });

export function guideDrafts(guide: FocusGroup["guide"]): GuideItemDraft[] {
  if (guide.length === 0) return [blankGuideItem()];
  return guide.map((item) => ({
    uid: newUid(),
    question: item.question,
    probes: item.probes.map((text) => ({ uid: newUid(), text })),
  }));
}

/** What the server gets: trimmed text, empty probes left out (an empty question stays, to be refused). */
export function guideInput(drafts: readonly GuideItemDraft[]): GuideInput {
  return drafts.map((item) => ({
    question: item.question.trim(),
    probes: item.probes.map((probe) => probe.text.trim()).filter(Boolean),
  }));
}

/** Problems per guide row, by the server's issue paths ("guide.2.question", "guide.2.probes.0"). */
export interface GuideErrors {
  /** The guide as a whole ("at least one question"). */
  guide?: string;
  /** uid → message about the question. */
  questions: Record<string, string>;
  /** probe uid → message. */
  probes: Record<string, string>;
}

export function guideErrorsFrom(fields: Record<string, string>, drafts: readonly GuideItemDraft[]): GuideErrors {
  const errors: GuideErrors = { questions: {}, probes: {} };
  for (const [path, message] of Object.entries(fields)) {
    const [head, index, field, probeIndex] = path.split(".");
    if (head !== "guide") continue;
    // Probes went out without the empty ones, so the server's probe index counts non-empty probes.
    const item = index === undefined ? undefined : drafts[Number(index)];
    if (!item) errors.guide ??= message;
    else if (field === "probes" && probeIndex !== undefined) {
      const probe = item.probes.filter((p) => p.text.trim())[Number(probeIndex)];
      if (probe) errors.probes[probe.uid] ??= message;
      else errors.questions[item.uid] ??= message;
    } else errors.questions[item.uid] ??= message;
  }
  return errors;
}
