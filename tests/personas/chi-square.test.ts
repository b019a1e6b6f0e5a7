import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit, chiSquareIndependence } from "../../src/shared/domain/chi-square";
import { seededRng } from "../../src/shared/domain/quotas";
import { runPython } from "../support/python";

/** Deterministic test vectors: varied category counts, sample sizes and degrees of mismatch. */
function goodnessCases() {
  const rng = seededRng(2026);
  const cases: { observed: number[]; expected: number[] }[] = [
    { observed: [5, 5], expected: [5, 5] },
    { observed: [10, 0], expected: [5, 5] },
    { observed: [16, 18, 16, 14, 12, 12], expected: [16, 16, 16, 16, 16, 8] },
    { observed: [900, 50, 50], expected: [333.3, 333.3, 333.4] },
    { observed: [1, 2, 3, 4, 5], expected: [3, 3, 3, 3, 3] },
  ];
  for (let i = 0; i < 60; i++) {
    const k = rng.int(2, 12);
    const weights = Array.from({ length: k }, () => rng.int(1, 100));
    const n = rng.int(5, 2000);
    const total = weights.reduce((a, b) => a + b, 0);
    const expected = weights.map((w) => (w / total) * n);
    const observed = Array.from({ length: k }, () => 0);
    for (let j = 0; j < n; j++) observed[rng.int(0, k - 1)]! += 1;
    cases.push({ observed, expected });
  }
  return cases;
}

function contingencyCases() {
  const rng = seededRng(99);
  const cases: number[][][] = [
    [
      [10, 20],
      [30, 40],
    ],
    [
      [12, 0, 3],
      [5, 9, 14],
      [1, 1, 20],
    ],
  ];
  for (let i = 0; i < 30; i++) {
    const r = rng.int(2, 5);
    const c = rng.int(2, 6);
    cases.push(Array.from({ length: r }, () => Array.from({ length: c }, () => rng.int(1, 60))));
  }
  return cases;
}

const close = (actual: number, expected: number) => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

describe("chi-square against scipy", () => {
  it("goodness of fit equals scipy.stats.chisquare to 1e-9", () => {
    const cases = goodnessCases();
    const scipy = runPython<{ statistic: number; pvalue: number }[]>(
      `import json, sys
from scipy.stats import chisquare
out = []
for case in json.load(sys.stdin):
    r = chisquare(case["observed"], case["expected"])
    out.append({"statistic": float(r.statistic), "pvalue": float(r.pvalue)})
print(json.dumps(out))`,
      cases,
    );
    expect(scipy).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const ours = chiSquareGoodnessOfFit(c.observed, c.expected);
      close(ours.statistic, scipy[i]!.statistic);
      close(ours.pValue!, scipy[i]!.pvalue);
      expect(ours.df).toBe(c.observed.length - 1);
    });
    // The vectors span the whole range of p-values, including tiny ones.
    expect(Math.min(...scipy.map((s) => s.pvalue))).toBeLessThan(1e-50);
    expect(Math.max(...scipy.map((s) => s.pvalue))).toBeGreaterThan(0.5);
  });

  it("independence equals scipy.stats.chi2_contingency(correction=False) to 1e-9", () => {
    const tables = contingencyCases();
    const scipy = runPython<{ statistic: number; pvalue: number; dof: number }[]>(
      `import json, sys
from scipy.stats import chi2_contingency
out = []
for table in json.load(sys.stdin):
    r = chi2_contingency(table, correction=False)
    out.append({"statistic": float(r.statistic), "pvalue": float(r.pvalue), "dof": int(r.dof)})
print(json.dumps(out))`,
      tables,
    );
    tables.forEach((table, i) => {
      const ours = chiSquareIndependence(table);
      close(ours.statistic, scipy[i]!.statistic);
      close(ours.pValue!, scipy[i]!.pvalue);
      expect(ours.df).toBe(scipy[i]!.dof);
    });
  });

  it("has no p-value for a single category and p = 1 for a perfect fit", () => {
    expect(chiSquareGoodnessOfFit([7], [7])).toEqual({ statistic: 0, df: 0, pValue: null });
    expect(chiSquareGoodnessOfFit([3, 3], [3, 3])).toEqual({ statistic: 0, df: 1, pValue: 1 });
  });
});
