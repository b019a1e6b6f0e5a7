import type { z } from "zod";
import { AppError, MAX_QUESTIONS_BY_PLAN, type Question, type questionInputSchema } from "../../../shared/contract";
import { PLANS, type PlanId } from "../../../shared/domain/plans";

export type ParsedQuestionInput = z.output<typeof questionInputSchema>;

/**
 * Turns validated question inputs into stored questions: enforces the plan's question limit,
 * refuses duplicate ids, and gives every question without an id the first free `q<n>`.
 * Shape rules (option counts, min < max, …) were already checked by the contract. Issue paths
 * are strings, like the router's own validation issues.
 */
export function normalizeQuestions(inputs: ParsedQuestionInput[], plan: PlanId): Question[] {
  const limit = MAX_QUESTIONS_BY_PLAN[plan];
  if (inputs.length > limit) {
    throw new AppError(
      "VALIDATION_FAILED",
      `The ${PLANS[plan].name} plan allows at most ${limit} questions per survey; this one has ${inputs.length}.`,
      {
        issues: [
          {
            path: ["questions"],
            message: `at most ${limit} questions on the ${PLANS[plan].name} plan`,
            code: "too_big",
          },
        ],
        limit,
        plan,
      },
    );
  }
  const taken = new Set<string>();
  inputs.forEach((input, index) => {
    if (input.id === undefined) return;
    if (taken.has(input.id)) {
      throw new AppError("VALIDATION_FAILED", `Question ids must be unique: "${input.id}" is used twice.`, {
        issues: [
          { path: ["questions", String(index), "id"], message: `duplicate question id "${input.id}"`, code: "custom" },
        ],
      });
    }
    taken.add(input.id);
  });
  let next = 1;
  return inputs.map((input) => {
    let id = input.id;
    if (id === undefined) {
      while (taken.has(`q${next}`)) next++;
      id = `q${next}`;
      taken.add(id);
    }
    return toQuestion(id, input);
  });
}

function toQuestion(id: string, input: ParsedQuestionInput): Question {
  const base = { id, type: input.type, text: input.text, required: input.required };
  switch (input.type) {
    case "multiple_choice":
      return { ...base, options: input.options, maxSelections: input.maxSelections };
    case "rating_scale":
      return {
        ...base,
        min: input.min,
        max: input.max,
        ...(input.minLabel ? { minLabel: input.minLabel } : {}),
        ...(input.maxLabel ? { maxLabel: input.maxLabel } : {}),
      };
    case "ranking":
      return { ...base, items: input.items };
    case "open_ended":
      return base;
  }
}
