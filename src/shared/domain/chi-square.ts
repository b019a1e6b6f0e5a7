import gammainc from "@stdlib/math-base-special-gammainc";

export interface ChiSquareResult {
  statistic: number;
  df: number;
  /** Upper-tail probability; null when the test is undefined (a single category). */
  pValue: number | null;
}

/**
 * Pearson's chi-square goodness-of-fit test, as scipy.stats.chisquare(f_obs, f_exp):
 * statistic Σ (o − e)² / e, df = k − 1, p = Q(df/2, statistic/2) (regularised upper incomplete
 * gamma, computed by stdlib's port of Boost so tiny p-values keep their precision).
 */
export function chiSquareGoodnessOfFit(observed: number[], expected: number[]): ChiSquareResult {
  if (observed.length !== expected.length) throw new Error("observed and expected differ in length");
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]!;
    if (!(e > 0)) throw new Error("expected counts must be positive");
    const d = observed[i]! - e;
    statistic += (d * d) / e;
  }
  const df = observed.length - 1;
  return { statistic, df, pValue: df > 0 ? chiSquareSurvival(statistic, df) : null };
}

/** P(X ≥ x) for X ~ χ²(df). */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/**
 * Pearson's chi-square test of independence on an r × c table, as
 * scipy.stats.chi2_contingency(table, correction=False): expected = row·col/total.
 * Rows or columns that sum to zero are dropped first (they carry no information).
 */
export function chiSquareIndependence(
  table: number[][],
): ChiSquareResult & { expected: number[][]; minExpected: number } {
  const rows = table.filter((row) => row.reduce((a, b) => a + b, 0) > 0);
  const columnCount = rows[0]?.length ?? 0;
  const keep = Array.from({ length: columnCount }, (_, c) => rows.some((row) => row[c]! > 0));
  const clean = rows.map((row) => row.filter((_, c) => keep[c]));
  const rowSums = clean.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = clean[0]?.map((_, c) => clean.reduce((a, row) => a + row[c]!, 0)) ?? [];
  const total = rowSums.reduce((a, b) => a + b, 0);
  const expected = clean.map((_, r) => colSums.map((col) => (rowSums[r]! * col) / total));
  let statistic = 0;
  let minExpected = Number.POSITIVE_INFINITY;
  clean.forEach((row, r) =>
    row.forEach((o, c) => {
      const e = expected[r]![c]!;
      minExpected = Math.min(minExpected, e);
      statistic += ((o - e) * (o - e)) / e;
    }),
  );
  const df = Math.max(0, (clean.length - 1) * (colSums.length - 1));
  return {
    statistic,
    df,
    pValue: df > 0 ? chiSquareSurvival(statistic, df) : null,
    expected,
    minExpected: Number.isFinite(minExpected) ? minExpected : 0,
  };
}
