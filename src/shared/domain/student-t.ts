/**
 * Student's t distribution for whole degrees of freedom: what a t-interval over a handful of
 * replicate runs needs (df = runs − 1, so 1 to 9 in the stability report).
 *
 * For whole ν, P(|T| ≤ t) has a finite closed form (Abramowitz & Stegun 26.7.3 and 26.7.4, in
 * θ = atan(t / √ν)), so no incomplete beta function is needed, and the quantile is that function
 * inverted by bisection to the last bits of a double. Checked against scipy.stats.t.ppf and
 * scipy.stats.t.cdf in tests/domain/stability.test.ts.
 */

function assertDf(df: number): void {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a whole number ≥ 1, not ${df}`);
}

/** P(|T| ≤ t) for T ~ t(df), t ≥ 0. */
function centralMass(t: number, df: number): number {
  if (t === Infinity) return 1;
  const theta = Math.atan(t / Math.sqrt(df));
  const sin = Math.sin(theta);
  const cos2 = Math.cos(theta) ** 2;
  if (df % 2 === 1) {
    // ν odd: (2/π)·(θ + sinθ·cosθ·(1 + (2/3)cos²θ + … + (2·4⋯(ν−3))/(1·3⋯(ν−2))·cos^(ν−3)θ))
    if (df === 1) return (2 / Math.PI) * theta;
    let term = 1;
    let sum = 1;
    for (let k = 3; k <= df - 2; k += 2) {
      term *= ((k - 1) / k) * cos2;
      sum += term;
    }
    return (2 / Math.PI) * (theta + sin * Math.cos(theta) * sum);
  }
  // ν even: sinθ·(1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3⋯(ν−3))/(2·4⋯(ν−2))·cos^(ν−2)θ)
  let term = 1;
  let sum = 1;
  for (let k = 2; k <= df - 2; k += 2) {
    term *= ((k - 1) / k) * cos2;
    sum += term;
  }
  return sin * sum;
}

/** P(T ≤ t) for T ~ t(df). */
export function studentTCdf(t: number, df: number): number {
  assertDf(df);
  if (Number.isNaN(t)) return NaN;
  const half = centralMass(Math.abs(t), df) / 2;
  return t >= 0 ? 0.5 + half : 0.5 - half;
}

/** The p-quantile of t(df), 0 < p < 1 (scipy.stats.t.ppf(p, df)). */
export function studentTQuantile(p: number, df: number): number {
  assertDf(df);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must lie strictly between 0 and 1, not ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Closed forms where they exist (exact, and they keep extreme p precise).
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const target = 2 * p - 1;
  let lo = 0;
  let hi = 1;
  while (centralMass(hi, df) < target) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200 && hi - lo > Number.EPSILON * hi; i++) {
    const mid = (lo + hi) / 2;
    if (centralMass(mid, df) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
