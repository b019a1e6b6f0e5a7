import { z } from "zod";
import { because } from "./issues";

/**
 * Response-style warnings for rating questions (issue 11): LLM respondents are known to cluster on
 * a scale's middle and to avoid its ends. Each rating question's results carry the share of middle
 * and of end answers and the spread, beside what a uniform respondent and a human benchmark would
 * give, and two flags. The rules are in shared/domain/response-style.ts; this file holds the
 * settings a researcher can change (in Settings, stored in the data folder) and the result's shape.
 */

export const RESPONSE_STYLE_FLAGS = ["midpoint_collapse", "no_extremes"] as const;
export type ResponseStyleFlag = (typeof RESPONSE_STYLE_FLAGS)[number];

/** Scales this many points long or longer have a middle distinct from their ends. */
export const RESPONSE_STYLE_MIN_POINTS = 3;

/**
 * What human respondents give on a scale of `points` points, for comparison: the share of middle
 * answers, of end answers (lowest or highest point) and the standard deviation. A benchmark applies
 * only to questions whose scale has that many points.
 */
export const responseStyleBenchmarkSchema = z
  .strictObject({
    points: z.number().int().min(RESPONSE_STYLE_MIN_POINTS).max(21),
    /** Exclusive of 0 and 1: a benchmark that rules an answer out would make every test trivial. */
    midpointShare: z.number().gt(0).lt(1),
    extremeShare: z.number().gt(0).lt(1),
    stdDev: z.number().gt(0).max(10),
    /** Where the numbers come from ("Wave 3 panel, n = 812"). */
    source: z.string().trim().min(1).max(200),
  })
  // The middle and the ends are disjoint sets of points.
  .refine((b) => b.midpointShare + b.extremeShare <= 1, {
    message: "midpointShare + extremeShare cannot exceed 1",
    path: ["extremeShare"],
    ...because("shares_over_total"),
  })
  // No distribution on points 1..k has a standard deviation above (k − 1) / 2 (half on each end).
  .refine((b) => b.stdDev <= (b.points - 1) / 2, {
    message: "stdDev cannot exceed half the scale's range",
    path: ["stdDev"],
    ...because("spread_beyond_scale"),
  });
export type ResponseStyleBenchmark = z.infer<typeof responseStyleBenchmarkSchema>;

export const responseStyleThresholdsSchema = z.strictObject({
  /** Fewer valid answers than this: no flag is raised, whatever the numbers. */
  minAnswers: z.number().int().min(5).max(1000),
  /** A flag needs its one-sided test's p-value below this. */
  alpha: z.number().gt(0).max(0.1),
  /**
   * midpoint_collapse needs the middle share at least this far from the reference share towards
   * 100 % ((share − reference) / (1 − reference)): 0.5 = halfway.
   */
  collapseExcess: z.number().gt(0).lt(1),
});
export type ResponseStyleThresholds = z.infer<typeof responseStyleThresholdsSchema>;

export const responseStyleSettingsSchema = z.strictObject({
  benchmarks: z
    .array(responseStyleBenchmarkSchema)
    .max(19)
    .refine((list) => new Set(list.map((b) => b.points)).size === list.length, {
      message: "one benchmark per scale length",
      ...because("duplicate"),
    }),
  thresholds: responseStyleThresholdsSchema,
});
export type ResponseStyleSettings = z.infer<typeof responseStyleSettingsSchema>;

/**
 * The default 5-point benchmark's source, word for word (the app translates this one string). The
 * numbers are an illustrative reference, not a measured norm: a symmetric distribution of
 * 15 / 20 / 30 / 20 / 15 % over points 1..5, so middle share 0.30, end share 0.30 and standard
 * deviation √1.6 ≈ 1.26. It puts more answers on the middle than a uniform respondent (0.20) and
 * fewer on the ends (0.40), which makes both flags more conservative than a uniform reference alone.
 * Human response distributions change with the scale's length and labels (Weijters, Cabooter &
 * Schillewaert 2010, Int. J. of Research in Marketing 27(3), 236–247), the topic and the audience,
 * so a researcher should replace it with numbers from their own human data.
 */
export const DEFAULT_BENCHMARK_SOURCE = "Illustrative reference (15/20/30/20/15 %), not a measured norm";

/**
 * Defaults: a flag needs at least 10 answers, p < 0.01, and for midpoint_collapse a middle share
 * halfway from the reference to 100 % (≥ 0.65 on a 5-point scale against the default benchmark).
 */
export const DEFAULT_RESPONSE_STYLE_SETTINGS: ResponseStyleSettings = {
  benchmarks: [
    { points: 5, midpointShare: 0.3, extremeShare: 0.3, stdDev: Math.sqrt(1.6), source: DEFAULT_BENCHMARK_SOURCE },
  ],
  thresholds: { minAnswers: 10, alpha: 0.01, collapseExcess: 0.5 },
};

const shareComparison = z.object({
  count: z.number().int(),
  share: z.number(),
  uniformShare: z.number(),
  /** null when no benchmark has this scale's number of points. */
  benchmarkShare: z.number().nullable(),
  /** One-sided exact binomial test against the uniform share (middle: more than; ends: fewer than). */
  pVsUniform: z.number(),
  pVsBenchmark: z.number().nullable(),
});

/** A rating question's response style (null for other types, scales under 3 points, or no answers). */
export const responseStyleSchema = z.object({
  points: z.number().int(),
  /** The middle point, or the two middle points of an even scale (1–4: 2 and 3). */
  midpointValues: z.array(z.number().int()),
  n: z.number().int(),
  mean: z.number(),
  /** Sample standard deviation (n − 1), 0 for a single answer. */
  stdDev: z.number(),
  midpoint: shareComparison,
  extremes: shareComparison,
  /** The population SD of a uniform respondent, √((k² − 1) / 12), and the benchmark's. */
  spread: z.object({ uniformStdDev: z.number(), benchmarkStdDev: z.number().nullable() }),
  /** The benchmark that applied (its source), null when none has this many points. */
  benchmarkSource: z.string().nullable(),
  flags: z.array(z.enum(RESPONSE_STYLE_FLAGS)),
  /** What the flags were decided on, so a reader can check them. */
  criteria: z.object({
    minAnswers: z.number().int(),
    alpha: z.number(),
    collapseExcess: z.number(),
    /** The larger of the uniform and benchmark middle shares: the flag never fires on a human-like middle. */
    midpointReference: z.number(),
    /** P(at least this many middle answers) under midpointReference. */
    midpointP: z.number(),
    /** The smaller of the uniform and benchmark end shares. */
    extremeReference: z.number(),
    /** P(no end answer at all in n answers) under extremeReference: (1 − extremeReference)^n. */
    noExtremesP: z.number(),
  }),
});
export type ResponseStyle = z.infer<typeof responseStyleSchema>;
