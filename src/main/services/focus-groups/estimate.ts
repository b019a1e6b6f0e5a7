import type { FocusGroupSettings, LlmSettings } from "../../../shared/contract";
import { RECOMMENDED_MAX_PARTICIPANTS } from "../../../shared/contract";

/** Follow-up questions go to this many participants (or all, in a smaller group). */
export const FOLLOW_UP_TARGETS = 2;
const PROFILE_TOKENS = 450;
const TOKENS_PER_MESSAGE = 110;
const ASSUMED_LATENCY_S = 4;

export function followUpTargets(participants: number): number {
  return Math.min(FOLLOW_UP_TARGETS, participants);
}

/** Messages the plan will produce: the engine's progress total. */
export function plannedMessages(
  participants: number,
  questions: number,
  settings: Pick<FocusGroupSettings, "discussionRounds" | "moderatorFollowUps">,
): number {
  const perQuestion =
    1 +
    participants * (1 + settings.discussionRounds) +
    (settings.moderatorFollowUps ? 1 + followUpTargets(participants) : 0);
  return perQuestion * questions;
}

/**
 * A cost and time estimate shown before a run: every persona message carries its profile and the
 * transcript so far (which grows), and the wall time is phases × latency with the provider's
 * concurrency. Deliberately rough; the real usage is counted per call and shown afterwards.
 */
export function estimateRun(
  participants: number,
  questions: number,
  settings: Pick<FocusGroupSettings, "discussionRounds" | "moderatorFollowUps" | "model">,
  llm: Pick<LlmSettings, "models" | "prices" | "concurrency">,
) {
  let llmCalls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let transcript = 0;
  let phases = 0;
  for (let q = 0; q < questions; q++) {
    transcript += TOKENS_PER_MESSAGE;
    const rounds = 1 + settings.discussionRounds;
    for (let r = 0; r < rounds; r++) {
      llmCalls += participants;
      inputTokens += participants * (PROFILE_TOKENS + transcript);
      outputTokens += participants * TOKENS_PER_MESSAGE;
      transcript += participants * TOKENS_PER_MESSAGE;
      phases += Math.ceil(participants / Math.max(1, llm.concurrency));
    }
    if (settings.moderatorFollowUps) {
      const targets = followUpTargets(participants);
      llmCalls += 1 + targets;
      inputTokens += PROFILE_TOKENS + transcript + targets * (PROFILE_TOKENS + transcript);
      outputTokens += 60 + targets * TOKENS_PER_MESSAGE;
      transcript += (1 + targets) * TOKENS_PER_MESSAGE;
      phases += 2;
    }
  }
  const model = settings.model ?? llm.models.discussion;
  const price = llm.prices[model];
  const costUsd = price ? (inputTokens / 1e6) * price.inputPerMTok + (outputTokens / 1e6) * price.outputPerMTok : 0;
  const warnings: string[] = [];
  if (participants > RECOMMENDED_MAX_PARTICIPANTS) {
    warnings.push(
      `More than ${RECOMMENDED_MAX_PARTICIPANTS} participants: the run costs more and takes longer, and each voice gets less room.`,
    );
  }
  if (!price) warnings.push(`No price is set for ${model}; add one in Settings → AI provider to see costs.`);
  return { llmCalls, inputTokens, outputTokens, costUsd, seconds: phases * ASSUMED_LATENCY_S, warnings };
}
