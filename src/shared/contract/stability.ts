import { z } from "zod";
import { route } from "./define";
import { idSchema, intParam, isoDateSchema } from "./common";
import { jobSchema } from "./jobs";
import { QUESTION_TYPES } from "./surveys";

/**
 * The stability report (issue 11): a survey's answering, or a focus group's analysis, done again
 * N times with N seeds derived from one base seed, as one job (kind STABILITY_JOB_KIND). Per
 * question, how much each option's share, the mean rating and each item's mean rank move between
 * the runs (mean and 95 % t-interval over the per-run values); per theme of the focus group's
 * analysis, in how many of the reruns it comes back. Each finding is marked stable or fragile by
 * the rules below; shared/domain/stability.ts computes it all.
 */

export const STABILITY_JOB_KIND = "stability.run";
export const STABILITY_MIN_RUNS = 2;
export const STABILITY_MAX_RUNS = 10;
export const STABILITY_STUDIES = ["survey", "focusGroup"] as const;
export type StabilityStudy = (typeof STABILITY_STUDIES)[number];

/**
 * The rules, as numbers. The interval is the two-sided 95 % Student t-interval over the per-run
 * values with df = runs − 1: mean ± t(0.975, runs − 1) · s / √runs, s the sample standard deviation
 * (n − 1 in the denominator). Kept as computed, not clipped to the possible range (a share's
 * interval can reach below 0 %); the app and the PDF print a share's interval within 0–100 %.
 */
export const STABILITY_RULES = {
  confidence: 0.95,
  /** An option's (or scale point's) share is stable when its interval's half-width is at most this, in percentage points. */
  shareHalfWidthPoints: 10,
  /**
   * A mean rating (or an item's mean rank) is stable when its interval's half-width is at most this
   * fraction of the scale's range (max − min; for ranks, items − 1).
   */
  scaleHalfWidthFraction: 0.1,
  /** The most chosen option (lowest mean rank for a ranking) must be the same in at least this share of the runs. */
  modalAgreement: 0.8,
  /** A focus-group theme is stable when it recurs in at least this share of the reruns. */
  themeRecurrence: 0.8,
} as const;

export const stabilityRunsSchema = z.number().int().min(STABILITY_MIN_RUNS).max(STABILITY_MAX_RUNS);
const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** Mean and t-interval of one statistic over the runs that had a value for it. */
export const stabilityIntervalSchema = z.object({
  /** Runs with a value (a run where nobody answered the question has none). */
  n: z.number().int().min(2),
  mean: z.number(),
  /** Sample standard deviation of the per-run values. */
  sd: z.number().nonnegative(),
  /** t(0.975, n − 1) · sd / √n. */
  halfWidth: z.number().nonnegative(),
  low: z.number(),
  high: z.number(),
});
export type StabilityInterval = z.infer<typeof stabilityIntervalSchema>;

/** One statistic: the study's own value, its value in each run (null: no answers in that run), and its interval. */
const statisticFields = {
  original: z.number().nullable(),
  perRun: z.array(z.number().nullable()),
  /** null when fewer than two runs had a value. */
  interval: stabilityIntervalSchema.nullable(),
  stable: z.boolean(),
};

export const STABILITY_REASONS = ["wide_interval", "modal_disagreement", "too_few_runs", "not_assessed"] as const;

export const surveyQuestionStabilitySchema = z.object({
  questionId: z.string(),
  type: z.enum(QUESTION_TYPES),
  text: z.string(),
  /** Open-ended questions are not assessed (their themes are not grouped again). */
  assessed: z.boolean(),
  /** Respondents with a valid answer, per run. */
  answeredPerRun: z.array(z.number().int().nonnegative()),
  /** Multiple choice: per option; rating: per scale point. Shares in percent of the run's answers. */
  shares: z.array(z.object({ value: z.string(), ...statisticFields })),
  /** Rating: the mean rating. */
  rating: z.object(statisticFields).nullable(),
  /** Ranking: each item's mean rank (1 = first). */
  ranks: z.array(z.object({ item: z.string(), ...statisticFields })).nullable(),
  /**
   * The most chosen option or scale point (the item with the lowest mean rank) in each run, the one
   * most runs agree on (ties: the first in the question's order), and the share of all runs that have it.
   */
  modal: z
    .object({
      original: z.string().nullable(),
      perRun: z.array(z.string().nullable()),
      value: z.string().nullable(),
      agreement: z.number().min(0).max(1),
    })
    .nullable(),
  stable: z.boolean(),
  /** Why a question is fragile (empty when stable). */
  reasons: z.array(z.enum(STABILITY_REASONS)),
});
export type SurveyQuestionStability = z.infer<typeof surveyQuestionStabilitySchema>;

export const themeStabilitySchema = z.object({
  title: z.string(),
  /** Reruns whose themes include it (matched by shared/domain/themes.ts's sameTheme). */
  recurrences: z.number().int().nonnegative(),
  /** recurrences / runs. */
  share: z.number().min(0).max(1),
  perRun: z.array(z.boolean()),
  /** The titles it came back under, each once. */
  matchedTitles: z.array(z.string()),
  stable: z.boolean(),
});
export type ThemeStability = z.infer<typeof themeStabilitySchema>;

const reportBase = {
  studyId: idSchema,
  runs: stabilityRunsSchema,
  baseSeed: seedSchema,
  /** The seed of each run, derived from baseSeed (shared/domain/stability.ts replicateSeeds). */
  seeds: z.array(seedSchema),
  /** The model asked (null: the provider's default for the task at run time). */
  model: z.string().nullable(),
  /** The study's own result the runs are compared with: the survey run or the analysis (job ids). */
  basisJobId: idSchema.nullable(),
  computedAt: isoDateSchema,
  rules: z.object({
    confidence: z.number(),
    shareHalfWidthPoints: z.number(),
    scaleHalfWidthFraction: z.number(),
    modalAgreement: z.number(),
    themeRecurrence: z.number(),
  }),
};

export const surveyStabilityReportSchema = z.object({
  study: z.literal("survey"),
  ...reportBase,
  /** Responses saved per run (personas deleted meanwhile are skipped). */
  respondentsPerRun: z.array(z.number().int().nonnegative()),
  questions: z.array(surveyQuestionStabilitySchema),
  /** Assessed questions found stable, of those assessed. */
  stableQuestions: z.number().int().nonnegative(),
  assessedQuestions: z.number().int().nonnegative(),
});
export type SurveyStabilityReport = z.infer<typeof surveyStabilityReportSchema>;

export const focusGroupStabilityReportSchema = z.object({
  study: z.literal("focusGroup"),
  ...reportBase,
  /** Each theme of the analysis the runs are compared with, in its order. */
  themes: z.array(themeStabilitySchema),
  /** Themes of the reruns that the analysis did not have, merged, with how many reruns raised each. */
  emergent: z.array(
    z.object({ title: z.string(), recurrences: z.number().int().positive(), share: z.number().min(0).max(1) }),
  ),
});
export type FocusGroupStabilityReport = z.infer<typeof focusGroupStabilityReportSchema>;

export const stabilityReportSchema = z.discriminatedUnion("study", [
  surveyStabilityReportSchema,
  focusGroupStabilityReportSchema,
]);
export type StabilityReport = z.infer<typeof stabilityReportSchema>;

/**
 * A study's latest finished report. `stale`: the study's own result changed since (the survey ran
 * again or its questions changed; the focus group was analysed again), so the report compares the
 * runs with a result that is no longer the current one.
 */
export const stabilitySnapshotSchema = z.object({
  jobId: idSchema,
  stale: z.boolean(),
  report: stabilityReportSchema,
});
export type StabilitySnapshot = z.infer<typeof stabilitySnapshotSchema>;

export const stabilityEstimateSchema = z.object({
  runs: stabilityRunsSchema,
  /** Saved steps of the job: (run, persona) for a survey, (run, question) for a focus group. */
  units: z.number().int().nonnegative(),
  /** LLM calls when every answer is valid at once (corrections cost more). */
  calls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** False when the model has no price in Settings → AI provider (costUsd is then 0). */
  priced: z.boolean(),
  model: z.string(),
});
export type StabilityEstimate = z.infer<typeof stabilityEstimateSchema>;

const studyRef = { study: z.enum(STABILITY_STUDIES), id: idSchema };

export const stabilityRoutes = {
  "stability.estimate": route({
    summary:
      `What a stability check of a survey or focus group would cost: ${STABILITY_MIN_RUNS}–${STABILITY_MAX_RUNS} runs, ` +
      "its LLM calls, tokens and cost from the price table.",
    input: z.strictObject({ ...studyRef, runs: intParam(STABILITY_MIN_RUNS, STABILITY_MAX_RUNS) }),
    output: stabilityEstimateSchema,
    rest: { method: "GET", path: "/stability/{study}/{id}/estimate" },
  }),
  "stability.start": route({
    summary:
      "Check a study's stability as one job: answer the survey again (every persona, every question) or analyse the " +
      `focus group again, ${STABILITY_MIN_RUNS}–${STABILITY_MAX_RUNS} times with seeds derived from one base seed ` +
      "(random unless given). The study's own results are not touched.",
    input: z.strictObject({ ...studyRef, runs: stabilityRunsSchema, seed: seedSchema.optional() }),
    output: z.object({ jobId: idSchema }),
    rest: { method: "POST", path: "/stability/{study}/{id}", status: 202 },
  }),
  "stability.latest": route({
    summary:
      "A study's latest stability check: its job (any status, null before the first) and the latest finished report.",
    input: z.strictObject(studyRef),
    output: z.object({ job: jobSchema.nullable(), latest: stabilitySnapshotSchema.nullable() }),
    rest: { method: "GET", path: "/stability/{study}/{id}" },
  }),
};
