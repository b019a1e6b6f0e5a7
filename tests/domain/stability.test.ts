import { describe, expect, it } from "vitest";
import { STABILITY_RULES, type Question } from "../../src/shared/contract";
import { seededRng } from "../../src/shared/domain/quotas";
import { questionStability, replicateSeeds, themeStability, tInterval } from "../../src/shared/domain/stability";
import { studentTCdf, studentTQuantile } from "../../src/shared/domain/student-t";
import type { AnswerValue, ResponseForStats } from "../../src/shared/domain/survey-stats";
import { runPython } from "../support/python";

/**
 * Debian's scipy (1.10) inverts the t cdf iteratively to about 1e-10 relative (scipy 1.17 agrees
 * with studentTQuantile to 1e-15): quantiles and the interval ends built on them are compared to
 * 1e-8 of their scale, everything else to 1e-9.
 */
const close = (actual: number, expected: number, tolerance = 1e-9, scale = 1) => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, scale, Math.abs(expected)));
};

describe("Student's t against scipy", () => {
  it("the quantile equals scipy.stats.t.ppf and the cdf scipy.stats.t.cdf for df 1–40", () => {
    const cases: { p: number; df: number; t: number }[] = [];
    for (let df = 1; df <= 40; df++) {
      for (const p of [0.0005, 0.025, 0.1, 0.5, 0.6, 0.9, 0.95, 0.975, 0.99, 0.995, 0.9995]) {
        cases.push({ p, df, t: (p - 0.5) * 7 });
      }
    }
    const scipy = runPython<{ ppf: number; cdf: number }[]>(
      `import json, sys
from scipy.stats import t
cases = json.load(sys.stdin)
print(json.dumps([{"ppf": float(t.ppf(c["p"], c["df"])), "cdf": float(t.cdf(c["t"], c["df"]))} for c in cases]))`,
      cases,
    );
    cases.forEach((c, i) => {
      close(studentTQuantile(c.p, c.df), scipy[i]!.ppf, 1e-8);
      close(studentTCdf(c.t, c.df), scipy[i]!.cdf, 1e-12);
    });
  });

  it("refuses degrees of freedom that are not whole and positive, and p outside (0, 1)", () => {
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, 2.5)).toThrow(RangeError);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0, 3)).toThrow(RangeError);
  });
});

describe("t-intervals over per-run values", () => {
  it("equal scipy.stats.t.interval(0.95, n − 1, mean, sem) on random sets of 2–10 values", () => {
    const rng = seededRng(11);
    const sets: number[][] = [
      [50, 50],
      [12.5, 37.5, 25],
      [0, 100, 0, 100],
    ];
    for (let i = 0; i < 60; i++) {
      const n = rng.int(2, 10);
      const spread = rng.int(0, 40);
      const centre = rng.int(0, 100);
      sets.push(Array.from({ length: n }, () => centre + (rng.int(0, 2000) / 1000 - 1) * spread));
    }
    const scipy = runPython<{ mean: number; sd: number; low: number; high: number }[]>(
      `import json, sys
import numpy as np
from scipy import stats
out = []
for values in json.load(sys.stdin):
    a = np.array(values, dtype=float)
    mean = float(a.mean())
    sd = float(a.std(ddof=1))
    if sd == 0:
        low = high = mean
    else:
        low, high = stats.t.interval(0.95, len(a) - 1, loc=mean, scale=stats.sem(a))
    out.append({"mean": mean, "sd": sd, "low": float(low), "high": float(high)})
print(json.dumps(out))`,
      sets,
    );
    sets.forEach((values, i) => {
      const interval = tInterval(values)!;
      expect(interval.n).toBe(values.length);
      close(interval.mean, scipy[i]!.mean);
      close(interval.sd, scipy[i]!.sd);
      close(interval.low, scipy[i]!.low, 1e-8, interval.mean);
      close(interval.high, scipy[i]!.high, 1e-8, interval.mean);
      close(interval.halfWidth, (scipy[i]!.high - scipy[i]!.low) / 2, 1e-8, interval.mean);
    });
  });

  it("gives no interval for fewer than two values", () => {
    expect(tInterval([])).toBeNull();
    expect(tInterval([42])).toBeNull();
  });
});

const MC: Question = {
  id: "q1",
  type: "multiple_choice",
  text: "Pick up to two",
  required: true,
  options: ["Coffee", "Tea", "Juice", "Water"],
  maxSelections: 2,
};
const RATING: Question = { id: "q2", type: "rating_scale", text: "Rate", required: false, min: 1, max: 5 };
const RANKING: Question = {
  id: "q3",
  type: "ranking",
  text: "Rank",
  required: true,
  items: ["Price", "Taste", "Health"],
};
const OPEN: Question = { id: "q4", type: "open_ended", text: "Why?", required: true };

/** Random replicate runs of a small survey: skewed choices, skipped ratings, now and then a run without ratings. */
function randomRuns(seed: number, runs: number, respondents: number): ResponseForStats[][] {
  const rng = seededRng(seed);
  const pick = <T>(items: readonly T[]) => items[rng.int(0, items.length - 1)]!;
  return Array.from({ length: runs }, (_, run) => {
    const noRatings = rng.int(0, 9) === 0;
    return Array.from({ length: respondents }, (_, p) => {
      const first = rng.int(0, 9) < 6 ? "Coffee" : pick(MC.options!);
      const second = rng.int(0, 1) ? pick(MC.options!.filter((o) => o !== first)) : null;
      const order = [...RANKING.items!];
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const answers: Record<string, AnswerValue> = {
        q1: second ? [first, second] : [first],
        q2: noRatings || rng.int(0, 4) === 0 ? null : rng.int(run % 2 ? 2 : 3, 5),
        q3: order,
        q4: "Because.",
      };
      return { personaId: `p${p}`, answers };
    });
  });
}

describe("a survey question's stability", () => {
  it("shares, mean ratings and mean ranks per run, and their intervals, equal a direct computation with scipy", () => {
    for (const seed of [1, 2, 3, 4]) {
      const runs = randomRuns(seed, 2 + seed * 2, 7 + seed);
      const original = randomRuns(seed + 100, 1, 9)[0]!;
      const expected = runPython<
        Record<string, { perRun: (number | null)[]; original: number | null; low: number | null; high: number | null }>
      >(
        `import json, sys
import numpy as np
from scipy import stats
data = json.load(sys.stdin)
def interval(values):
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return None, None
    a = np.array(values, dtype=float)
    if a.std(ddof=1) == 0:
        return float(a.mean()), float(a.mean())
    low, high = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    return float(low), float(high)
def share(run, option):
    answered = [r["answers"]["q1"] for r in run if r["answers"]["q1"]]
    return 100.0 * sum(option in a for a in answered) / len(answered) if answered else None
def point(run, value):
    answered = [r["answers"]["q2"] for r in run if r["answers"]["q2"] is not None]
    return 100.0 * sum(a == value for a in answered) / len(answered) if answered else None
def mean_rating(run):
    answered = [r["answers"]["q2"] for r in run if r["answers"]["q2"] is not None]
    return float(np.mean(answered)) if answered else None
def mean_rank(run, item):
    return float(np.mean([r["answers"]["q3"].index(item) + 1 for r in run])) if run else None
stats_ = {}
for option in data["options"]:
    stats_["share:" + option] = (lambda run, o=option: share(run, o))
for value in range(1, 6):
    stats_["point:" + str(value)] = (lambda run, v=value: point(run, v))
stats_["rating"] = mean_rating
for item in data["items"]:
    stats_["rank:" + item] = (lambda run, i=item: mean_rank(run, i))
out = {}
for key, f in stats_.items():
    per_run = [f(run) for run in data["runs"]]
    low, high = interval(per_run)
    out[key] = {"perRun": per_run, "original": f(data["original"]), "low": low, "high": high}
print(json.dumps(out))`,
        { runs, original, options: MC.options, items: RANKING.items },
      );
      const check = (
        key: string,
        stat: {
          original: number | null;
          perRun: (number | null)[];
          interval: { low: number; high: number; mean: number } | null;
        },
      ) => {
        const want = expected[key]!;
        expect(
          stat.perRun.map((v) => v === null),
          key,
        ).toEqual(want.perRun.map((v) => v === null));
        stat.perRun.forEach((v, i) => v !== null && close(v, want.perRun[i]!));
        if (want.original === null) expect(stat.original).toBeNull();
        else close(stat.original!, want.original);
        if (want.low === null) expect(stat.interval, key).toBeNull();
        else {
          close(stat.interval!.low, want.low, 1e-8, stat.interval!.mean);
          close(stat.interval!.high, want.high!, 1e-8, stat.interval!.mean);
        }
      };
      const mc = questionStability(MC, original, runs);
      mc.shares.forEach((share) => check(`share:${share.value}`, share));
      const rating = questionStability(RATING, original, runs);
      rating.shares.forEach((share) => check(`point:${share.value}`, share));
      check("rating", rating.rating!);
      const ranking = questionStability(RANKING, original, runs);
      ranking.ranks!.forEach((rank) => check(`rank:${rank.item}`, rank));
    }
  });

  it("is stable only when every share is within ±10 points and the leading option holds in ≥ 80 % of the runs", () => {
    const question: Question = { ...MC, maxSelections: 1 };
    // 10 respondents per run; `coffee` of them choose Coffee, the rest Tea.
    const run = (coffee: number) =>
      Array.from({ length: 10 }, (_, i) => ({ personaId: `p${i}`, answers: { q1: [i < coffee ? "Coffee" : "Tea"] } }));
    const steady = questionStability(question, run(7), [run(7), run(7), run(8), run(7), run(6)]);
    expect(steady.modal).toMatchObject({ value: "Coffee", agreement: 1, original: "Coffee" });
    expect(steady.shares.every((share) => share.stable)).toBe(true);
    expect(steady).toMatchObject({ assessed: true, stable: true, reasons: [] });

    // Coffee leads in 3 of 5 runs (60 %), shares swing widely.
    const swinging = questionStability(question, run(7), [run(7), run(2), run(8), run(3), run(9)]);
    expect(swinging.modal).toMatchObject({ value: "Coffee", agreement: 0.6 });
    expect(swinging.stable).toBe(false);
    expect(swinging.reasons.sort()).toEqual(["modal_disagreement", "wide_interval"]);

    // Same leader everywhere, but a share moves more than ±10 points.
    const wide = questionStability(question, run(7), [run(6), run(9), run(6), run(9)]);
    expect(wide.modal!.agreement).toBe(1);
    const coffee = wide.shares.find((share) => share.value === "Coffee")!;
    expect(coffee.interval!.halfWidth).toBeGreaterThan(STABILITY_RULES.shareHalfWidthPoints);
    expect(wide.reasons).toEqual(["wide_interval"]);
  });

  it("judges a rating by its mean rating's interval against 10 % of the scale", () => {
    const run = (ratings: number[]) => ratings.map((q2, i) => ({ personaId: `p${i}`, answers: { q2 } }));
    const calm = questionStability(RATING, run([4, 4, 4, 3]), [
      run([4, 4, 4, 3]),
      run([4, 4, 3, 4]),
      run([4, 4, 4, 4]),
    ]);
    // Means 3.75, 3.75, 4: half-width t(0.975, 2) · sd / √3 ≈ 0.36, under 0.1 × (5 − 1) = 0.4.
    expect(calm.rating!.interval!.halfWidth).toBeLessThan(0.4);
    expect(calm).toMatchObject({ stable: true, reasons: [] });
    const restless = questionStability(RATING, run([4, 4]), [run([1, 2]), run([5, 5]), run([3, 3])]);
    expect(restless).toMatchObject({ stable: false, reasons: ["wide_interval"] });
  });

  it("calls a question with answers in fewer than two runs fragile for too few runs, and does not assess open questions", () => {
    const empty = [{ personaId: "p1", answers: { q2: null } }];
    const lone = questionStability(RATING, empty, [[{ personaId: "p1", answers: { q2: 4 } }], empty, empty]);
    expect(lone.rating!.interval).toBeNull();
    expect(lone.answeredPerRun).toEqual([1, 0, 0]);
    expect(lone).toMatchObject({ stable: false, reasons: ["too_few_runs"] });
    const open = questionStability(OPEN, [], [[], []]);
    expect(open).toMatchObject({ assessed: false, stable: false, reasons: ["not_assessed"], shares: [] });
  });
});

describe("replicate seeds", () => {
  it("are the same for the same base seed, distinct within a check, and 31-bit", () => {
    for (const base of [0, 1, 7, 2 ** 31 - 1]) {
      const seeds = replicateSeeds(base, 10);
      expect(replicateSeeds(base, 10)).toEqual(seeds);
      expect(new Set(seeds).size).toBe(10);
      expect(seeds.every((seed) => Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31)).toBe(true);
      // A shorter check is the same check's first runs.
      expect(replicateSeeds(base, 3)).toEqual(seeds.slice(0, 3));
    }
    expect(replicateSeeds(1, 5)).not.toEqual(replicateSeeds(2, 5));
  });
});

describe("theme recurrence", () => {
  const finding = (id: string, title: string) => ({ id, title, text: "", evidence: [] as string[] });

  it("counts the reruns in which each original theme comes back, by the app's theme matching", () => {
    const original = [
      finding("a", "Price versus trust"),
      finding("b", "Everyday convenience"),
      // The same theme under a later question, worded differently: one theme.
      finding("c", "Price and trust"),
    ];
    const runs = [
      [{ title: "price vs. trust" }, { title: "Everyday convenience" }],
      [{ title: "Price versus trust" }],
      [{ title: "Price & trust" }, { title: "Packaging as a quality signal" }],
      [{ title: "Price versus trust" }, { title: "Packaging as a quality signal" }],
      [{ title: "Trust versus price" }, { title: "Convenience stores" }],
    ];
    const { themes, emergent } = themeStability(original, runs);
    expect(themes.map((t) => [t.title, t.recurrences, t.share, t.stable])).toEqual([
      ["Price versus trust", 5, 1, true],
      ["Everyday convenience", 1, 0.2, false],
    ]);
    expect(themes[0]!.perRun).toEqual([true, true, true, true, true]);
    expect(themes[0]!.matchedTitles).toEqual([
      "price vs. trust",
      "Price versus trust",
      "Price & trust",
      "Trust versus price",
    ]);
    expect(emergent).toEqual([
      { title: "Packaging as a quality signal", recurrences: 2, share: 0.4 },
      { title: "Convenience stores", recurrences: 1, share: 0.2 },
    ]);
  });

  it("marks a theme stable from 80 % of the reruns", () => {
    const runs = [true, true, true, true, false].map((has) => (has ? [{ title: "Price" }] : []));
    expect(themeStability([finding("a", "Price")], runs).themes[0]).toMatchObject({ recurrences: 4, stable: true });
    const fewer = [true, true, true, false, false].map((has) => (has ? [{ title: "Price" }] : []));
    expect(themeStability([finding("a", "Price")], fewer).themes[0]).toMatchObject({ recurrences: 3, stable: false });
  });
});
