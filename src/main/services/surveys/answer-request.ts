import type { Persona, Question } from "../../../shared/contract";
import { surveyAnswerSchema } from "./answer-schema";
import { answerSystemPrompt, answerUserPrompt } from "./prompt";

/** Attempts per persona (first answer + corrections) before the run fails; invalid answers are never saved. */
export const SURVEY_ANSWER_ATTEMPTS = 3;

/**
 * The call that asks one persona every question (without signal, usage or seed), for a survey
 * run and for a stability check's reruns of it (services/stability), so both ask exactly the
 * same. The schema and the questionnaire's prompt are built once per run, not per persona.
 */
export function surveyAnswerRequests(surveyName: string, questions: Question[], model: string | undefined) {
  const schema = surveyAnswerSchema(questions);
  const userPrompt = answerUserPrompt(surveyName, questions);
  return (persona: Persona) => ({
    task: "discussion" as const,
    model,
    system: answerSystemPrompt(persona),
    messages: [{ role: "user" as const, text: userPrompt }],
    schema,
    schemaName: "survey_answers",
    temperature: 0.7,
    maxAttempts: SURVEY_ANSWER_ATTEMPTS,
  });
}
