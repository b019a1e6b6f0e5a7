import type { PersonaValidation } from "../../../shared/contract";
import { chiSquareGoodnessOfFit } from "../../../shared/domain/chi-square";
import type { TargetDemographics } from "../../../shared/domain/demographics";

export const VALIDATION_ALPHA = 0.05;

/**
 * Per dimension, a chi-square goodness-of-fit test of the personas that were actually
 * generated (their slot categories, which every persona was checked against) against the target.
 */
export function validatePersonas(
  projectId: string,
  target: TargetDemographics,
  personas: { demographics: Record<string, string> }[],
  now: Date,
): PersonaValidation {
  const total = personas.length;
  const dimensions = Object.entries(target).map(([dimension, weights]) => {
    const counts = new Map<string, number>();
    let outsideTarget = 0;
    for (const persona of personas) {
      const category = persona.demographics[dimension];
      if (category === undefined) continue;
      if (!Object.hasOwn(weights, category)) outsideTarget++;
      else counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    const categories = Object.entries(weights).map(([category, share]) => ({
      category,
      targetShare: share,
      expectedCount: share * total,
      actualCount: counts.get(category) ?? 0,
    }));
    // Categories with weight 0 cannot enter the test (expected 0); a persona in one is a mismatch.
    const tested = categories.filter((c) => c.targetShare > 0);
    const zeroHit = categories.some((c) => c.targetShare === 0 && c.actualCount > 0) || outsideTarget > 0;
    const testedCount = tested.reduce((sum, c) => sum + c.actualCount, 0);
    if (total === 0 || tested.length < 2 || testedCount === 0) {
      return {
        dimension,
        categories,
        outsideTarget,
        statistic: null,
        df: Math.max(0, tested.length - 1),
        pValue: null,
        verdict: (zeroHit || (total > 0 && testedCount === 0) ? "differs" : "untestable") as "differs" | "untestable",
        smallExpectedCounts: total > 0 && tested.some((c) => c.expectedCount < 5),
      };
    }
    const result = chiSquareGoodnessOfFit(
      tested.map((c) => c.actualCount),
      tested.map((c) => (c.targetShare / tested.reduce((s, t) => s + t.targetShare, 0)) * testedCount),
    );
    const differs = zeroHit || (result.pValue !== null && result.pValue < VALIDATION_ALPHA);
    return {
      dimension,
      categories,
      outsideTarget,
      statistic: result.statistic,
      df: result.df,
      pValue: result.pValue,
      verdict: (differs ? "differs" : "consistent") as "differs" | "consistent",
      smallExpectedCounts: tested.some((c) => c.expectedCount < 5),
    };
  });
  return { projectId, total, alpha: VALIDATION_ALPHA, dimensions, computedAt: now.toISOString() };
}
