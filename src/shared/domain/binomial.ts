/**
 * Exact binomial tail probabilities, as scipy.stats.binom.sf(k − 1, n, p) and binom.cdf(k, n, p)
 * (the one-sided p-values of scipy.stats.binomtest). The tail on the far side of the mean is summed
 * term by term from its first term, so tiny p-values keep their precision; the near side is one
 * minus the far side. O(n) per call, which suits survey sizes (tens of thousands of answers).
 */

/** ln C(n, j) as a sum of logs: exact enough (each term rounds once) without a log-gamma. */
function logChoose(n: number, j: number): number {
  const m = Math.min(j, n - j);
  let sum = 0;
  for (let i = 1; i <= m; i++) sum += Math.log((n - m + i) / i);
  return sum;
}

function pmf(n: number, j: number, p: number): number {
  return Math.exp(logChoose(n, j) + j * Math.log(p) + (n - j) * Math.log1p(-p));
}

function checkArguments(n: number, p: number) {
  if (!Number.isInteger(n) || n < 0) throw new Error("n must be a non-negative integer");
  if (!(p > 0 && p < 1)) throw new Error("p must be strictly between 0 and 1");
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  checkArguments(n, p);
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (k < n * p) return 1 - binomialLowerTail(k - 1, n, p);
  let term = pmf(n, k, p);
  let sum = term;
  const odds = p / (1 - p);
  for (let j = k; j < n; j++) {
    term *= ((n - j) / (j + 1)) * odds;
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return Math.min(1, sum);
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  checkArguments(n, p);
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (k > n * p) return 1 - binomialUpperTail(k + 1, n, p);
  let term = pmf(n, k, p);
  let sum = term;
  const odds = (1 - p) / p;
  for (let j = k; j > 0; j--) {
    term *= (j / (n - j + 1)) * odds;
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return Math.min(1, sum);
}
