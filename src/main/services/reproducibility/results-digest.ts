import crypto from "node:crypto";
import { RESULTS_CANONICAL_FORM, type ResultsDigest, type StudyKind } from "../../../shared/contract";
import { inPlanOrder, type PlannedLine } from "../focus-groups/plan-order";

/**
 * The results digest: SHA-256 of a study's results in a canonical form that names no
 * workspace-specific id, so the same recipe run in two workspaces gives the same digest exactly
 * when it gave the same results. A persona is its place in the study's order (participants or
 * respondents), a message its place in the plan's order, an answer object has sorted keys.
 */

export interface DigestMessage extends PlannedLine {
  id: string;
  speakerType: string;
  replyToId?: string | null;
  text: string;
}

export interface DigestResponse {
  personaId: string;
  answers: Record<string, unknown>;
}

/** One line per message, in plan order: [question, round, phase, speaker type, speaker place, replied-to line, text]. */
export function canonicalTranscript(messages: readonly DigestMessage[], participantIds: readonly string[]): unknown[] {
  const ordered = inPlanOrder(messages, participantIds);
  const lineOf = new Map(ordered.map((message, index) => [message.id, index]));
  const place = new Map(participantIds.map((id, index) => [id, index]));
  return ordered.map((m) => [
    m.questionIndex,
    m.round,
    m.phase,
    m.speakerType,
    m.personaId ? (place.get(m.personaId) ?? null) : null,
    m.replyToId ? (lineOf.get(m.replyToId) ?? null) : null,
    m.text,
  ]);
}

/** One line per respondent that answered, in the run's order: [respondent place, answers with sorted keys]. */
export function canonicalResponses(responses: readonly DigestResponse[], respondentIds: readonly string[]): unknown[] {
  const byPersona = new Map(responses.map((response) => [response.personaId, response.answers]));
  return respondentIds.flatMap((id, index) => {
    const answers = byPersona.get(id);
    if (!answers) return [];
    const sorted = Object.fromEntries(
      Object.keys(answers)
        .sort()
        .map((key) => [key, answers[key] ?? null]),
    );
    return [[index, sorted]];
  });
}

export function resultsDigest(kind: StudyKind, canonical: unknown[]): ResultsDigest {
  const value = crypto
    .createHash("sha256")
    .update(JSON.stringify([RESULTS_CANONICAL_FORM, kind, canonical]))
    .digest("hex");
  return { algorithm: "sha-256", canonicalForm: RESULTS_CANONICAL_FORM, value, units: canonical.length };
}
