import type { LlmSettings, Persona, Question, StabilityEstimate } from "../../../shared/contract";
import { findPrice } from "../llm/pricing";
import { surveyAnswerRequests } from "../surveys/answer-request";

/** Roughly what tokenizers give for English prose: four characters a token. */
const tokensOf = (text: string) => Math.ceil(text.length / 4);

/** Tokens of one answer to a question, roughly (JSON with the question's id and the value). */
function answerTokens(question: Question): number {
  switch (question.type) {
    case "multiple_choice":
      return 6 + 6 * (question.maxSelections ?? 1);
    case "rating_scale":
      return 6;
    case "ranking":
      return 6 + 5 * (question.items?.length ?? 0);
    case "open_ended":
      return 80;
  }
}

/** Tokens of a focus-group question's analysis: a sentiment per participant message, and the themes and findings. */
const ANALYSIS_TOKENS_PER_MESSAGE = 25;
const ANALYSIS_TOKENS_FIXED = 450;

function priced(
  model: string,
  prices: LlmSettings["prices"],
  counts: Omit<StabilityEstimate, "costUsd" | "priced" | "model">,
): StabilityEstimate {
  // The price table the LLM layer accounts real calls with (a versioned name finds its family's price).
  const price = findPrice(model, prices);
  const costUsd = price
    ? (counts.inputTokens / 1e6) * price.inputPerMTok + (counts.outputTokens / 1e6) * price.outputPerMTok
    : 0;
  return { ...counts, costUsd, priced: price !== undefined, model };
}

/**
 * A survey's reruns: each persona answers every question once per run, with the prompts the run
 * would send (measured, not guessed) and answers of a typical length. Corrections of invalid
 * answers cost more; the real usage is counted per call and shown afterwards.
 */
export function estimateSurveyStability(
  runs: number,
  survey: { name: string; questions: Question[]; model: string | undefined },
  personas: Persona[],
  llm: Pick<LlmSettings, "models" | "prices">,
): StabilityEstimate {
  const model = survey.model ?? llm.models.discussion;
  const request = surveyAnswerRequests(survey.name, survey.questions, survey.model);
  const perRunInput = personas.reduce((sum, persona) => {
    const call = request(persona);
    return sum + tokensOf(call.system) + call.messages.reduce((n, m) => n + tokensOf(m.text), 0);
  }, 0);
  const perAnswer = 10 + survey.questions.reduce((sum, q) => sum + answerTokens(q), 0);
  return priced(model, llm.prices, {
    runs,
    units: runs * personas.length,
    calls: runs * personas.length,
    inputTokens: runs * perRunInput,
    outputTokens: runs * personas.length * perAnswer,
  });
}

/**
 * A focus group's re-analyses: one call per guide question per run, each carrying that
 * question's transcript (measured from the prompts) and the themes named so far.
 */
export function estimateAnalysisStability(
  runs: number,
  prompts: { input: string; participantMessages: number }[],
  model: string,
  llm: Pick<LlmSettings, "prices">,
): StabilityEstimate {
  const input = prompts.reduce((sum, p) => sum + tokensOf(p.input) + 30, 0);
  const output = prompts.reduce(
    (sum, p) => sum + ANALYSIS_TOKENS_FIXED + ANALYSIS_TOKENS_PER_MESSAGE * p.participantMessages,
    0,
  );
  return priced(model, llm.prices, {
    runs,
    units: runs * prompts.length,
    calls: runs * prompts.length,
    inputTokens: runs * input,
    outputTokens: runs * output,
  });
}
