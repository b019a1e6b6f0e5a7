import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocateSlots,
  allocateTopUp,
  largestRemainder,
  marginalCounts,
  seededRng,
} from "../../src/shared/domain/quotas";

/** Random valid target distributions: 1–4 dimensions of 1–6 categories with random weights. */
const distributions = fc
  .array(
    fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }).filter((ws) => ws.some((w) => w > 0)),
    { minLength: 1, maxLength: 4 },
  )
  .map((dims) =>
    Object.fromEntries(
      dims.map((raw, d) => {
        const total = raw.reduce((a, b) => a + b, 0);
        return [`dim_${d}`, Object.fromEntries(raw.map((w, c) => [`cat_${c}`, w / total]))];
      }),
    ),
  );

describe("quota allocation", () => {
  it("gives every dimension exact largest-remainder marginals for any distribution and N", () => {
    fc.assert(
      fc.property(distributions, fc.integer({ min: 0, max: 400 }), fc.integer(), (target, n, seed) => {
        const slots = allocateSlots(target, n, seed);
        expect(slots).toHaveLength(n);
        for (const [dimension, weights] of Object.entries(target)) {
          const counts = marginalCounts(slots, dimension);
          const total = Object.values(counts).reduce((a, b) => a + b, 0);
          expect(total).toBe(n);
          for (const [category, weight] of Object.entries(weights)) {
            const count = counts[category] ?? 0;
            // Largest remainder: each count is floor or ceil of its exact quota.
            expect(count).toBeGreaterThanOrEqual(Math.floor(weight * n - 1e-9));
            expect(count).toBeLessThanOrEqual(Math.ceil(weight * n + 1e-9));
            if (weight === 0) expect(count).toBe(0);
          }
          // Every slot has exactly one category of each dimension.
          for (const slot of slots) expect(Object.keys(weights)).toContain(slot.demographics[dimension]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is reproducible: the same seed gives the same slots, another seed usually does not", () => {
    const target = { gender: { female: 0.5, male: 0.5 }, age_group: { "18-34": 0.4, "35-54": 0.35, "55+": 0.25 } };
    expect(allocateSlots(target, 40, 7)).toEqual(allocateSlots(target, 40, 7));
    expect(allocateSlots(target, 40, 7)).not.toEqual(allocateSlots(target, 40, 8));
  });

  it("matches hand-computed quotas", () => {
    expect(largestRemainder({ a: 0.5, b: 0.3, c: 0.2 }, 10, seededRng(1))).toEqual({ a: 5, b: 3, c: 2 });
    // 7 × (0.45, 0.35, 0.2) = 3.15, 2.45, 1.4 → floors 3, 2, 1 (6); the largest remainder (b, .45) gets the 7th.
    expect(largestRemainder({ a: 0.45, b: 0.35, c: 0.2 }, 7, seededRng(1))).toEqual({ a: 3, b: 3, c: 1 });
    expect(largestRemainder({ a: 1 }, 5, seededRng(1))).toEqual({ a: 5 });
  });

  it("combines dimensions jointly rather than in lockstep", () => {
    const target = { x: { a: 0.5, b: 0.5 }, y: { c: 0.5, d: 0.5 } };
    const slots = allocateSlots(target, 200, 3);
    const pairs = new Set(slots.map((s) => `${s.demographics.x}/${s.demographics.y}`));
    expect(pairs.size).toBe(4);
  });
});

describe("top-up allocation", () => {
  it("brings a project generated in two runs to the same marginals as one run", () => {
    const target = { gender: { female: 0.5, male: 0.5 }, income: { low: 0.3, middle: 0.4, high: 0.3 } };
    const first = allocateSlots(target, 5, 1);
    const second = allocateTopUp(target, first, 5, 2);
    const all = [...first, ...second];
    expect(marginalCounts(all, "gender")).toEqual({ female: 5, male: 5 });
    expect(marginalCounts(all, "income")).toEqual({ low: 3, middle: 4, high: 3 });
  });

  it("always returns exactly count slots covering every dimension", () => {
    fc.assert(
      fc.property(
        distributions,
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer(),
        (target, have, count, seed) => {
          const existing = allocateSlots(target, have, seed);
          const slots = allocateTopUp(target, existing, count, seed + 1);
          expect(slots).toHaveLength(count);
          for (const dimension of Object.keys(target)) {
            expect(Object.values(marginalCounts(slots, dimension)).reduce((a, b) => a + b, 0)).toBe(count);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
