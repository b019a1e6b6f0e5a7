import type { MESSAGE_PHASES } from "../../../shared/contract";

type Phase = (typeof MESSAGE_PHASES)[number];

/** Within a question and round: the moderator's line, then answers, reactions, the follow-up and its answers. */
const PHASE_RANK: Record<Phase, number> = { question: 0, answer: 1, reaction: 2, followup: 3, followup_answer: 4 };

export interface PlannedLine {
  questionIndex: number;
  round: number;
  phase: string;
  personaId?: string | null;
  seq: number;
}

/**
 * The lines of a discussion in the order of its plan (question, round, phase, then the
 * participant's place in the focus group), not in the order they happened to finish: the lines of
 * one phase are generated in parallel, so their sequence numbers depend on the provider's timing.
 * Prompts render what was heard in this order and the results digest hashes it, so a rerun with the
 * same recipe sees and produces the same transcript whatever the timing.
 */
export function inPlanOrder<T extends PlannedLine>(lines: readonly T[], participantIds: readonly string[]): T[] {
  const place = new Map(participantIds.map((id, index) => [id, index]));
  const speaker = (line: PlannedLine) => (line.personaId ? (place.get(line.personaId) ?? participantIds.length) : -1);
  const rank = (line: PlannedLine) => PHASE_RANK[line.phase as Phase] ?? Object.keys(PHASE_RANK).length;
  return [...lines].sort(
    (a, b) =>
      a.questionIndex - b.questionIndex ||
      a.round - b.round ||
      rank(a) - rank(b) ||
      speaker(a) - speaker(b) ||
      a.seq - b.seq,
  );
}
