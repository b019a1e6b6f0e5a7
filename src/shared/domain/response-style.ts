import {
  DEFAULT_RESPONSE_STYLE_SETTINGS,
  RESPONSE_STYLE_MIN_POINTS,
  type ResponseStyle,
  type ResponseStyleFlag,
  type ResponseStyleSettings,
} from "../contract/response-style";
import { binomialLowerTail, binomialUpperTail } from "./binomial";

/**
 * Response style of one rating question: do the answers cluster on the middle, or avoid the ends,
 * more than a uniform respondent or a human benchmark would?
 *
 * Definitions, for a scale min..max of k = max − min + 1 points (k ≥ 3; shorter scales have no
 * middle apart from their ends, and get null):
 * - middle: the centre point of an odd scale (1–5: 3; 0–10: 5); on an even scale, which has no
 *   neutral point, the two central points (1–4: 2 and 3; 1–6: 3 and 4). A uniform respondent gives
 *   a middle answer with probability 1/k (odd) or 2/k (even).
 * - ends ("extremes"): min and max; uniform probability 2/k.
 * - spread: the sample standard deviation (n − 1), beside a uniform respondent's population SD
 *   √((k² − 1) / 12) and the benchmark's SD.
 * - tests: exact one-sided binomial tests of the counts, "more middle answers than p0" and "fewer
 *   end answers than p0", against the uniform share and the benchmark's (scipy.stats.binomtest with
 *   alternative "greater" and "less").
 *
 * Flags, each needing n ≥ thresholds.minAnswers so that a handful of answers never raises one:
 * - midpoint_collapse: against the reference share r = max(uniform, benchmark) (whichever expects
 *   more middle answers, so a human-like middle never fires), the middle share s is at least
 *   collapseExcess of the way from r to 100 % ((s − r) / (1 − r) ≥ 0.5 by default: s ≥ 0.65 on a
 *   5-point scale against the default benchmark, ≥ 0.6 against uniform), and P(X ≥ count | n, r) <
 *   alpha.
 * - no_extremes: not one end answer, and a respondent with the reference end share
 *   e = min(uniform, benchmark) would almost surely have given one: (1 − e)^n < alpha. With the
 *   defaults (alpha 0.01) on a 5-point scale that takes 13 answers against the benchmark's 0.30.
 */

export interface RatingScale {
  min: number;
  max: number;
}

/** The middle point(s) of min..max: one for an odd number of points, the two central ones for an even. */
export function midpointValues(scale: RatingScale): number[] {
  const points = scale.max - scale.min + 1;
  if (points % 2 === 1) return [(scale.min + scale.max) / 2];
  return [scale.min + points / 2 - 1, scale.min + points / 2];
}

/** Counts per scale point, min first, from a list of answers (values outside the scale are an error). */
export function countsPerPoint(scale: RatingScale, answers: readonly number[]): number[] {
  const counts = Array.from({ length: scale.max - scale.min + 1 }, () => 0);
  for (const answer of answers) {
    const index = answer - scale.min;
    if (!Number.isInteger(answer) || index < 0 || index >= counts.length) {
      throw new Error(`answer ${answer} is not a point of the scale ${scale.min}–${scale.max}`);
    }
    counts[index]! += 1;
  }
  return counts;
}

/** responseStyleOfCounts over a list of answers. */
export function responseStyle(
  scale: RatingScale,
  answers: readonly number[],
  settings: ResponseStyleSettings = DEFAULT_RESPONSE_STYLE_SETTINGS,
): ResponseStyle | null {
  return responseStyleOfCounts(scale, countsPerPoint(scale, answers), settings);
}

/**
 * The response style from the number of answers on each scale point (`counts[0]` for min), the
 * form the results route and the exports already have. Null below 3 points or without answers.
 */
export function responseStyleOfCounts(
  scale: RatingScale,
  counts: readonly number[],
  settings: ResponseStyleSettings = DEFAULT_RESPONSE_STYLE_SETTINGS,
): ResponseStyle | null {
  const points = scale.max - scale.min + 1;
  if (counts.length !== points) throw new Error(`expected ${points} counts, got ${counts.length}`);
  if (points < RESPONSE_STYLE_MIN_POINTS) return null;
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;

  let total = 0;
  counts.forEach((count, i) => (total += (scale.min + i) * count));
  const mean = total / n;
  let squares = 0;
  counts.forEach((count, i) => (squares += count * (scale.min + i - mean) * (scale.min + i - mean)));
  const stdDev = n < 2 ? 0 : Math.sqrt(squares / (n - 1));

  const middle = midpointValues(scale);
  const midpointCount = middle.reduce((sum, value) => sum + counts[value - scale.min]!, 0);
  const extremeCount = counts[0]! + counts[points - 1]!;
  const uniformMidpoint = middle.length / points;
  const uniformExtreme = 2 / points;
  const benchmark = settings.benchmarks.find((b) => b.points === points) ?? null;

  const { minAnswers, alpha, collapseExcess } = settings.thresholds;
  const midpointReference = Math.max(uniformMidpoint, benchmark?.midpointShare ?? 0);
  const extremeReference = Math.min(uniformExtreme, benchmark?.extremeShare ?? 1);
  const midpointShare = midpointCount / n;
  const midpointP = binomialUpperTail(midpointCount, n, midpointReference);
  const noExtremesP = Math.pow(1 - extremeReference, n);

  const flags: ResponseStyleFlag[] = [];
  if (n >= minAnswers) {
    // "At least halfway" includes exactly halfway: 130 of 200 against 0.3 must not miss by rounding.
    const excess = (midpointShare - midpointReference) / (1 - midpointReference);
    if (excess >= collapseExcess - 1e-12 && midpointP < alpha) flags.push("midpoint_collapse");
    if (extremeCount === 0 && noExtremesP < alpha) flags.push("no_extremes");
  }

  return {
    points,
    midpointValues: middle,
    n,
    mean,
    stdDev,
    midpoint: {
      count: midpointCount,
      share: midpointShare,
      uniformShare: uniformMidpoint,
      benchmarkShare: benchmark?.midpointShare ?? null,
      pVsUniform: binomialUpperTail(midpointCount, n, uniformMidpoint),
      pVsBenchmark: benchmark ? binomialUpperTail(midpointCount, n, benchmark.midpointShare) : null,
    },
    extremes: {
      count: extremeCount,
      share: extremeCount / n,
      uniformShare: uniformExtreme,
      benchmarkShare: benchmark?.extremeShare ?? null,
      pVsUniform: binomialLowerTail(extremeCount, n, uniformExtreme),
      pVsBenchmark: benchmark ? binomialLowerTail(extremeCount, n, benchmark.extremeShare) : null,
    },
    spread: { uniformStdDev: Math.sqrt((points * points - 1) / 12), benchmarkStdDev: benchmark?.stdDev ?? null },
    benchmarkSource: benchmark?.source ?? null,
    flags,
    criteria: { minAnswers, alpha, collapseExcess, midpointReference, midpointP, extremeReference, noExtremesP },
  };
}
