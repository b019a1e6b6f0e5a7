import { z } from "zod";
import type { Question } from "../../../shared/contract";
import type { AnswerValue } from "../../../shared/domain/survey-stats";

/** Longest open answer kept (characters). */
export const MAX_OPEN_ANSWER = 2000;

const quoted = (values: readonly string[]) => values.map((value) => JSON.stringify(value)).join(", ");
const duplicatesOf = (values: string[]) => values.filter((value, index) => values.indexOf(value) !== index);

function choiceOf(values: readonly string[], what: string) {
  return z.enum(values as [string, ...string[]], {
    error: (issue) => `${JSON.stringify(issue.input)} is not one of the ${what} (${quoted(values)})`,
  });
}

/**
 * The answer schema of one question. It admits only valid answers by construction, so the JSON
 * schema sent to the provider says the same (enums, integer bounds, minItems/maxItems and
 * uniqueItems through `.meta`); the refinements repeat what JSON Schema cannot enforce in zod,
 * because a model (or the fake) may ignore the schema. Messages are written for the model: the
 * LLM layer feeds them back when it asks again.
 */
export function answerSchemaFor(question: Question): z.ZodType {
  switch (question.type) {
    case "multiple_choice": {
      const options = question.options ?? [];
      const most = question.maxSelections ?? 1;
      return z
        .array(choiceOf(options, "options"))
        .min(question.required ? 1 : 0, "choose at least one option")
        .max(most, `choose at most ${most} option${most === 1 ? "" : "s"}`)
        .refine((chosen) => new Set(chosen).size === chosen.length, {
          error: (issue) =>
            `choose each option at most once (${quoted(duplicatesOf(issue.input as string[]))} repeated)`,
        })
        .meta({ uniqueItems: true });
    }
    case "rating_scale": {
      const message = `the rating must be a whole number from ${question.min} to ${question.max}`;
      return z
        .number({ error: message })
        .int(message)
        .min(question.min ?? 0, message)
        .max(question.max ?? 0, message);
    }
    case "open_ended":
      return z
        .string()
        .trim()
        .min(1, "write an answer")
        .max(MAX_OPEN_ANSWER, `answer in at most ${MAX_OPEN_ANSWER} characters`);
    case "ranking": {
      const items = question.items ?? [];
      return z
        .array(choiceOf(items, "items"))
        .length(items.length, {
          error: (issue) => {
            const given = Array.isArray(issue.input) ? (issue.input as string[]) : [];
            const missing = items.filter((item) => !given.includes(item));
            return `rank all ${items.length} items, each exactly once${missing.length ? ` (missing: ${quoted(missing)})` : ""}`;
          },
        })
        .refine((order) => new Set(order).size === order.length, {
          error: (issue) => {
            const given = issue.input as string[];
            const missing = items.filter((item) => !given.includes(item));
            return `rank each item exactly once (${quoted(duplicatesOf(given))} repeated, ${quoted(missing)} missing)`;
          },
        })
        .meta({ uniqueItems: true });
    }
  }
}

/** `{ answers: { <question id>: answer } }`; a question that is not required may be left out. */
export function surveyAnswerSchema(questions: Question[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const question of questions) {
    const schema = answerSchemaFor(question);
    shape[question.id] = question.required ? schema : schema.optional();
  }
  return z.object({ answers: z.strictObject(shape) });
}

export type SurveyAnswerOutput = { answers: Record<string, AnswerValue | undefined> };

/** Stored form: every question id present, null where a question that is not required was skipped. */
export function storedAnswers(questions: Question[], output: SurveyAnswerOutput): Record<string, AnswerValue> {
  const answers: Record<string, AnswerValue> = {};
  for (const question of questions) {
    const value = output.answers[question.id];
    answers[question.id] = value === undefined || (Array.isArray(value) && value.length === 0) ? null : value;
  }
  return answers;
}
