import { z } from "zod";
import { idSchema, questionSchema, stabilityRunsSchema } from "../../../shared/contract";

/**
 * A stability job's parameters, fixed when it starts, so a resumed job reruns exactly what it
 * began with: the questionnaire and respondents (survey), or the analysis it compares with (focus
 * group), and the base seed.
 */
const common = {
  projectId: idSchema,
  runs: stabilityRunsSchema,
  baseSeed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
};

export const surveyStabilityParamsSchema = z.object({
  study: z.literal("survey"),
  ...common,
  surveyId: idSchema,
  /** The survey run whose responses the reruns are compared with (null: none is stored). */
  basisJobId: idSchema.nullable(),
  personaIds: z.array(idSchema).min(1),
  questions: z.array(questionSchema).min(1),
  model: z.string().optional(),
});
export type SurveyStabilityParams = z.infer<typeof surveyStabilityParamsSchema>;

export const focusGroupStabilityParamsSchema = z.object({
  study: z.literal("focusGroup"),
  ...common,
  focusGroupId: idSchema,
  /** The analysis (job id) whose themes the reruns are compared with. */
  basisJobId: idSchema,
});
export type FocusGroupStabilityParams = z.infer<typeof focusGroupStabilityParamsSchema>;

export const stabilityParamsSchema = z.discriminatedUnion("study", [
  surveyStabilityParamsSchema,
  focusGroupStabilityParamsSchema,
]);
export type StabilityParams = z.infer<typeof stabilityParamsSchema>;

/** Unit keys: one per (run, persona) of a survey, one per (run, guide question) of a focus group; runs count from 1. */
export const surveyUnit = (run: number, personaId: string) => `run/${run}/persona/${personaId}`;
export const analysisUnit = (run: number, questionIndex: number) => `run/${run}/q${questionIndex}`;

/** A survey unit's output: the persona's stored answers in that run, or why there are none. */
export const surveyUnitOutputSchema = z.union([
  z.object({ answers: z.record(z.string(), z.union([z.array(z.string()), z.number(), z.string()]).nullable()) }),
  z.object({ skipped: z.string() }),
]);
export type SurveyUnitOutput = z.infer<typeof surveyUnitOutputSchema>;

/** A focus-group unit's output: the themes the rerun found under that question. */
export const analysisUnitOutputSchema = z.object({
  themes: z.array(z.object({ title: z.string(), text: z.string(), evidence: z.array(z.string()) })),
});
export type AnalysisUnitOutput = z.infer<typeof analysisUnitOutputSchema>;
