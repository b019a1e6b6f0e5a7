import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  DEFAULT_RESPONSE_STYLE_SETTINGS,
  responseStyleBenchmarkSchema,
  responseStyleSchema,
  responseStyleSettingsSchema,
  wireIssues,
  type Question,
  type ResponseStyleSettings,
} from "../../src/shared/contract";
import { binomialLowerTail, binomialUpperTail } from "../../src/shared/domain/binomial";
import { seededRng } from "../../src/shared/domain/quotas";
import {
  countsPerPoint,
  midpointValues,
  responseStyle,
  responseStyleOfCounts,
} from "../../src/shared/domain/response-style";
import { summarizeQuestion, type AnswerValue } from "../../src/shared/domain/survey-stats";
import { runPython } from "../support/python";

const FIVE = { min: 1, max: 5 };
const repeat = (value: number, times: number) => Array.from({ length: times }, () => value);
const noBenchmark: ResponseStyleSettings = { ...DEFAULT_RESPONSE_STYLE_SETTINGS, benchmarks: [] };

describe("the middle of a scale", () => {
  it.each([
    [{ min: 1, max: 5 }, [3]],
    [{ min: 0, max: 10 }, [5]],
    [{ min: -2, max: 2 }, [0]],
    [{ min: 1, max: 3 }, [2]],
    // Even scales have no neutral point: the two central points stand for the middle.
    [{ min: 1, max: 4 }, [2, 3]],
    [{ min: 1, max: 6 }, [3, 4]],
    [{ min: 0, max: 9 }, [4, 5]],
  ])("of %j is %j", (scale, expected) => {
    expect(midpointValues(scale)).toEqual(expected);
  });

  it("has no response style on a 2-point scale (its middle would be its ends) or without answers", () => {
    expect(responseStyle({ min: 0, max: 1 }, [0, 1, 1, 0])).toBeNull();
    expect(responseStyle(FIVE, [])).toBeNull();
  });
});

describe("response style (hand-computed)", () => {
  // Ten answers on 1–5: eight 3s, one 2, one 4.
  const style = responseStyle(FIVE, [...repeat(3, 8), 2, 4])!;

  it("counts middle and end answers, with the mean and the sample standard deviation (n − 1)", () => {
    expect(style).toMatchObject({ points: 5, midpointValues: [3], n: 10 });
    expect(style.mean).toBe(3);
    // Σ(x − 3)² = 2 over n − 1 = 9.
    expect(style.stdDev).toBeCloseTo(Math.sqrt(2 / 9), 14);
    expect(style.midpoint).toMatchObject({ count: 8, share: 0.8, uniformShare: 0.2, benchmarkShare: 0.3 });
    expect(style.extremes).toMatchObject({ count: 0, share: 0, uniformShare: 0.4, benchmarkShare: 0.3 });
    expect(style.spread.uniformStdDev).toBeCloseTo(Math.sqrt(2), 14);
    expect(style.spread.benchmarkStdDev).toBeCloseTo(Math.sqrt(1.6), 14);
    expect(responseStyleSchema.parse(style)).toEqual(style);
  });

  it("tests the middle share one-sidedly against uniform and the benchmark: P(X ≥ 8 | 10, p)", () => {
    // Σ_{j=8}^{10} C(10, j) p^j (1 − p)^(10 − j)
    const tail = (p: number) => 45 * p ** 8 * (1 - p) ** 2 + 10 * p ** 9 * (1 - p) + p ** 10;
    expect(style.midpoint.pVsUniform).toBeCloseTo(tail(0.2), 15);
    expect(style.midpoint.pVsUniform).toBeCloseTo(7.79264e-5, 15);
    expect(style.midpoint.pVsBenchmark).toBeCloseTo(tail(0.3), 15);
    // No end answer: P(X ≤ 0) = (1 − p)^10.
    expect(style.extremes.pVsUniform).toBeCloseTo(0.6 ** 10, 15);
    expect(style.extremes.pVsBenchmark).toBeCloseTo(0.7 ** 10, 15);
  });

  it("flags midpoint collapse against the stricter reference, but not 'no extremes' at only 10 answers", () => {
    // Reference: max(uniform 0.2, benchmark 0.3); (0.8 − 0.3) / 0.7 ≈ 0.71 ≥ 0.5 and p ≈ 0.0016 < 0.01.
    expect(style.criteria.midpointReference).toBe(0.3);
    expect(style.criteria.midpointP).toBeCloseTo(style.midpoint.pVsBenchmark!, 15);
    // A respondent with 30 % end answers gives none in 10 with probability 0.7^10 ≈ 0.028: no alarm.
    expect(style.criteria.extremeReference).toBe(0.3);
    expect(style.criteria.noExtremesP).toBeCloseTo(0.7 ** 10, 15);
    expect(style.flags).toEqual(["midpoint_collapse"]);
  });
});

describe("flags", () => {
  it("raises none below the minimum number of answers, however one-sided they are", () => {
    const nine = responseStyle(FIVE, repeat(3, 9))!;
    expect(nine.midpoint.share).toBe(1);
    expect(nine.criteria.midpointP).toBeLessThan(0.001);
    expect(nine.flags).toEqual([]);
    // Ten answers suffice for a collapse; 'no extremes' needs more (below).
    expect(responseStyle(FIVE, repeat(3, 10))!.flags).toEqual(["midpoint_collapse"]);
  });

  it("says 'no extremes' once a respondent with the benchmark's 30 % end answers would almost surely give one", () => {
    // 0.7^12 ≈ 0.0138 is not below 0.01; 0.7^13 ≈ 0.0097 is. Answers 2 and 4 only: no middle collapse.
    const answers = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 2 : 4));
    expect(responseStyle(FIVE, answers(12))!.flags).toEqual([]);
    const thirteen = responseStyle(FIVE, answers(13))!;
    expect(thirteen.flags).toEqual(["no_extremes"]);
    expect(thirteen.criteria.noExtremesP).toBeCloseTo(0.7 ** 13, 15);
    // Against a uniform respondent alone (40 % end answers) 10 answers are enough: 0.6^10 ≈ 0.006.
    expect(responseStyle(FIVE, answers(9), noBenchmark)!.flags).toEqual([]);
    expect(responseStyle(FIVE, answers(10), noBenchmark)!.flags).toEqual(["no_extremes"]);
  });

  it("needs the middle share halfway from the reference to 100 %: 65 % against the default benchmark", () => {
    const ofMiddle = (middle: number, n = 200) => [
      ...repeat(3, middle),
      ...Array.from({ length: n - middle }, (_, i) => [1, 2, 4, 5][i % 4]!),
    ];
    // 64 % of 200 is far above 30 % (p tiny) but not a collapse; 65 % is.
    const below = responseStyle(FIVE, ofMiddle(128))!;
    expect(below.criteria.midpointP).toBeLessThan(1e-12);
    expect(below.flags).toEqual([]);
    expect(responseStyle(FIVE, ofMiddle(130))!.flags).toEqual(["midpoint_collapse"]);
    // Against uniform alone, 60 % is enough.
    expect(responseStyle(FIVE, ofMiddle(118), noBenchmark)!.flags).toEqual([]);
    expect(responseStyle(FIVE, ofMiddle(120), noBenchmark)!.flags).toEqual(["midpoint_collapse"]);
  });

  it("raises none for uniform answers or for answers shaped like the default benchmark", () => {
    const uniform = [1, 2, 3, 4, 5].flatMap((v) => repeat(v, 40));
    expect(responseStyle(FIVE, uniform)!.flags).toEqual([]);
    const humanLike = [15, 20, 30, 20, 15].flatMap((count, i) => repeat(i + 1, count * 4));
    const style = responseStyle(FIVE, humanLike)!;
    expect(style.midpoint.share).toBeCloseTo(0.3, 15);
    expect(style.stdDev).toBeCloseTo(Math.sqrt((1.6 * 400) / 399), 14);
    expect(style.flags).toEqual([]);
  });

  it("judges an even scale by its two central points, and a scale without a benchmark against uniform only", () => {
    // 1–4: the middle is {2, 3}, uniform 50 %; the ends {1, 4}, uniform 50 %.
    const style = responseStyle({ min: 1, max: 4 }, [...repeat(2, 12), ...repeat(3, 12)])!;
    expect(style).toMatchObject({ points: 4, midpointValues: [2, 3], benchmarkSource: null });
    expect(style.midpoint).toMatchObject({ count: 24, share: 1, uniformShare: 0.5, benchmarkShare: null });
    expect(style.midpoint.pVsBenchmark).toBeNull();
    expect(style.midpoint.pVsUniform).toBeCloseTo(0.5 ** 24, 20);
    expect(style.spread.benchmarkStdDev).toBeNull();
    expect(style.flags).toEqual(["midpoint_collapse", "no_extremes"]);
  });

  it("follows the configured benchmark and thresholds", () => {
    const answers = [...repeat(3, 16), 2, 4, 2, 4];
    expect(responseStyle(FIVE, answers)!.flags).toEqual(["midpoint_collapse", "no_extremes"]);
    const stricter: ResponseStyleSettings = {
      benchmarks: [{ points: 5, midpointShare: 0.55, extremeShare: 0.1, stdDev: 0.9, source: "Wave 3 panel" }],
      thresholds: { minAnswers: 10, alpha: 0.01, collapseExcess: 0.5 },
    };
    const style = responseStyle(FIVE, answers, stricter)!;
    // (0.8 − 0.55) / 0.45 ≈ 0.56 but P(X ≥ 16 | 20, 0.55) ≈ 0.019; 0.9^20 ≈ 0.12.
    expect(style.benchmarkSource).toBe("Wave 3 panel");
    expect(style.criteria).toMatchObject({ midpointReference: 0.55, extremeReference: 0.1 });
    expect(style.flags).toEqual([]);
    const fewer = {
      ...DEFAULT_RESPONSE_STYLE_SETTINGS,
      thresholds: { minAnswers: 21, alpha: 0.01, collapseExcess: 0.5 },
    };
    expect(responseStyle(FIVE, answers, fewer)!.flags).toEqual([]);
  });
});

describe("inputs", () => {
  it("gives the same result from a list of answers and from counts per point", () => {
    const answers = [1, 5, 5, 3, 2, 2, 4, 3, 3, 3, 1];
    expect(countsPerPoint(FIVE, answers)).toEqual([2, 2, 4, 1, 2]);
    expect(responseStyle(FIVE, answers)).toEqual(responseStyleOfCounts(FIVE, [2, 2, 4, 1, 2]));
    expect(() => countsPerPoint(FIVE, [6])).toThrow(/not a point/);
    expect(() => countsPerPoint(FIVE, [2.5])).toThrow(/not a point/);
    expect(() => responseStyleOfCounts(FIVE, [1, 2, 3])).toThrow(/expected 5 counts/);
  });

  it("reaches a rating question's results (only a rating question's), with the settings given", () => {
    const rating: Question = { id: "likely", type: "rating_scale", text: "Likely?", required: true, min: 1, max: 5 };
    const responses = [...repeat(3, 12), 9, null].map((value, i) => ({
      personaId: `p${i}`,
      answers: { likely: value as AnswerValue },
    }));
    const result = summarizeQuestion(rating, responses);
    // The out-of-range 9 and the skipped answer are not answers.
    expect(result.responseStyle).toEqual(responseStyle(FIVE, repeat(3, 12)));
    expect(result.responseStyle!.flags).toEqual(["midpoint_collapse"]);
    const suppressed = summarizeQuestion(
      rating,
      responses,
      {},
      {
        ...DEFAULT_RESPONSE_STYLE_SETTINGS,
        thresholds: { minAnswers: 50, alpha: 0.01, collapseExcess: 0.5 },
      },
    );
    expect(suppressed.responseStyle!.flags).toEqual([]);
    const open: Question = { id: "why", type: "open_ended", text: "Why?", required: false };
    expect(summarizeQuestion(open, [{ personaId: "p", answers: { why: "x" } }]).responseStyle).toBeNull();
    expect(summarizeQuestion(rating, []).responseStyle).toBeNull();
  });
});

describe("settings", () => {
  const benchmark = { points: 5, midpointShare: 0.3, extremeShare: 0.3, stdDev: 1.2, source: "Panel" };
  const reasons = (value: unknown, schema: z.ZodType = responseStyleBenchmarkSchema) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [] : wireIssues(parsed.error.issues).map((i) => [i.path.join("."), i.reason ?? i.code]);
  };

  it("accepts the defaults, which cite their own provenance", () => {
    expect(responseStyleSettingsSchema.parse(DEFAULT_RESPONSE_STYLE_SETTINGS)).toEqual(DEFAULT_RESPONSE_STYLE_SETTINGS);
    expect(DEFAULT_RESPONSE_STYLE_SETTINGS.benchmarks[0]!.source).toMatch(/not a measured norm/);
  });

  it("refuses shares that pass 100 % together, a spread no scale allows, and points outside 3–21", () => {
    expect(reasons(benchmark)).toEqual([]);
    expect(reasons({ ...benchmark, midpointShare: 0.6, extremeShare: 0.5 })).toEqual([
      ["extremeShare", "shares_over_total"],
    ]);
    // On 1–5 no distribution spreads more than half on each end: SD (5 − 1) / 2 = 2.
    expect(reasons({ ...benchmark, stdDev: 2 })).toEqual([]);
    expect(reasons({ ...benchmark, stdDev: 2.01 })).toEqual([["stdDev", "spread_beyond_scale"]]);
    expect(reasons({ ...benchmark, points: 2, stdDev: 0.5 })).toEqual([["points", "too_small"]]);
    expect(reasons({ ...benchmark, midpointShare: 0 })).toEqual([["midpointShare", "too_small"]]);
    expect(reasons({ ...benchmark, source: " " })).toEqual([["source", "too_small"]]);
  });

  it("keeps one benchmark per scale length", () => {
    const settings = { ...DEFAULT_RESPONSE_STYLE_SETTINGS, benchmarks: [benchmark, { ...benchmark, source: "Other" }] };
    expect(reasons(settings, responseStyleSettingsSchema)).toEqual([["benchmarks", "duplicate"]]);
  });
});

describe("binomial tails", () => {
  it("are 1 and 0 beyond the support and refuse a degenerate p", () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialLowerTail(10, 10, 0.3)).toBe(1);
    expect(binomialLowerTail(-1, 10, 0.3)).toBe(0);
    expect(() => binomialUpperTail(1, 10, 0)).toThrow(/strictly between/);
    expect(() => binomialLowerTail(1, 10, 1)).toThrow(/strictly between/);
  });
});

/** 50 seeded answer sets: scales of 3 to 11 points (odd and even), 1 to 400 answers, four shapes. */
function answerSets() {
  const rng = seededRng(1111);
  const sets: { min: number; max: number; answers: number[]; settings: ResponseStyleSettings }[] = [];
  for (let i = 0; i < 50; i++) {
    const points = 3 + (i % 9);
    const min = rng.int(-2, 1);
    const max = min + points - 1;
    const n = i < 5 ? i + 1 : rng.int(10, 400);
    const middle = midpointValues({ min, max });
    const shape = i % 4;
    const answers = Array.from({ length: n }, () => {
      if (shape === 1 && rng.int(0, 99) < 80) return middle[rng.int(0, middle.length - 1)]!;
      if (shape === 2 && points > 3) return rng.int(min + 1, max - 1);
      if (shape === 3) return Math.min(max, Math.max(min, middle[0]! + rng.int(-1, 1)));
      return rng.int(min, max);
    });
    const midpointShare = rng.int(5, 60) / 100;
    const settings: ResponseStyleSettings = {
      benchmarks:
        i % 3 === 0
          ? []
          : [
              {
                points,
                midpointShare,
                extremeShare: rng.int(2, Math.round((1 - midpointShare) * 100) - 1) / 100,
                stdDev: (points - 1) / 4,
                source: `set ${i}`,
              },
            ],
      thresholds: { minAnswers: 10, alpha: 0.01, collapseExcess: 0.5 },
    };
    sets.push({ min, max, answers, settings });
  }
  return sets;
}

describe("response style against numpy and scipy", () => {
  it("equals numpy's mean and SD (ddof=1), the shares, and scipy.stats.binomtest's one-sided p-values on 50 answer sets", () => {
    const sets = answerSets();
    interface Oracle {
      n: number;
      mean: number;
      sd: number | null;
      middle: number[];
      midpointShare: number;
      extremeShare: number;
      uniformSd: number;
      pMidUniform: number;
      pMidBenchmark: number | null;
      pEndUniform: number;
      pEndBenchmark: number | null;
      midpointP: number;
      noExtremesP: number;
      flags: string[];
    }
    const scipy = runPython<Oracle[]>(
      `import json, sys
import numpy as np
from scipy.stats import binomtest
out = []
for case in json.load(sys.stdin):
    lo, hi = case["min"], case["max"]
    x = np.array(case["answers"])
    points = np.arange(lo, hi + 1)
    k = len(points)
    middle = [int(points[k // 2])] if k % 2 == 1 else [int(points[k // 2 - 1]), int(points[k // 2])]
    n = len(x)
    mc = int(np.isin(x, middle).sum())
    ec = int(np.isin(x, [lo, hi]).sum())
    um, ue = len(middle) / k, 2 / k
    b = next((b for b in case["settings"]["benchmarks"] if b["points"] == k), None)
    th = case["settings"]["thresholds"]
    mref = max(um, b["midpointShare"]) if b else um
    eref = min(ue, b["extremeShare"]) if b else ue
    midpoint_p = binomtest(mc, n, mref, alternative="greater").pvalue
    no_extremes_p = (1 - eref) ** n
    flags = []
    if n >= th["minAnswers"]:
        if (mc / n - mref) / (1 - mref) >= th["collapseExcess"] - 1e-12 and midpoint_p < th["alpha"]:
            flags.append("midpoint_collapse")
        if ec == 0 and no_extremes_p < th["alpha"]:
            flags.append("no_extremes")
    out.append({
        "n": n, "mean": float(np.mean(x)), "sd": float(np.std(x, ddof=1)) if n > 1 else None,
        "middle": middle, "midpointShare": mc / n, "extremeShare": ec / n,
        "uniformSd": float(np.std(points, ddof=0)),
        "pMidUniform": binomtest(mc, n, um, alternative="greater").pvalue,
        "pMidBenchmark": binomtest(mc, n, b["midpointShare"], alternative="greater").pvalue if b else None,
        "pEndUniform": binomtest(ec, n, ue, alternative="less").pvalue,
        "pEndBenchmark": binomtest(ec, n, b["extremeShare"], alternative="less").pvalue if b else None,
        "midpointP": midpoint_p, "noExtremesP": no_extremes_p, "flags": flags,
    })
print(json.dumps(out))`,
      sets,
    );
    expect(scipy).toHaveLength(50);
    const close = (actual: number | null | undefined, expected: number | null, tolerance: number) => {
      if (expected === null) return expect(actual).toBeNull();
      expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(expected), 1e-300));
    };
    sets.forEach((set, i) => {
      const ours = responseStyle({ min: set.min, max: set.max }, set.answers, set.settings)!;
      const oracle = scipy[i]!;
      expect(ours.n).toBe(oracle.n);
      expect(ours.midpointValues).toEqual(oracle.middle);
      close(ours.mean, oracle.mean, 1e-12);
      close(ours.stdDev, oracle.sd ?? 0, 1e-12);
      close(ours.midpoint.share, oracle.midpointShare, 1e-15);
      close(ours.extremes.share, oracle.extremeShare, 1e-15);
      close(ours.spread.uniformStdDev, oracle.uniformSd, 1e-12);
      close(ours.midpoint.pVsUniform, oracle.pMidUniform, 1e-9);
      close(ours.midpoint.pVsBenchmark, oracle.pMidBenchmark, 1e-9);
      close(ours.extremes.pVsUniform, oracle.pEndUniform, 1e-9);
      close(ours.extremes.pVsBenchmark, oracle.pEndBenchmark, 1e-9);
      close(ours.criteria.midpointP, oracle.midpointP, 1e-9);
      close(ours.criteria.noExtremesP, oracle.noExtremesP, 1e-9);
      expect(ours.flags, `set ${i}`).toEqual(oracle.flags);
    });
    // The sets span tiny and large p-values, both flags, and unflagged sets.
    const p = scipy.flatMap((s) => [s.pMidUniform, s.pEndUniform]);
    expect(Math.min(...p)).toBeLessThan(1e-30);
    expect(Math.max(...p)).toBeGreaterThan(0.5);
    const flags = scipy.map((s) => s.flags);
    expect(flags.some((f) => f.includes("midpoint_collapse"))).toBe(true);
    expect(flags.some((f) => f.includes("no_extremes"))).toBe(true);
    expect(flags.some((f) => f.length === 0)).toBe(true);
  });
});
