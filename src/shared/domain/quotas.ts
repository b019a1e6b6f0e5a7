import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { TargetDemographics } from "./demographics";

/**
 * Exact quota allocation. For N personas and each dimension's target weights:
 * 1. per-category counts by the largest-remainder method (ties broken by the seeded RNG), so
 *    every dimension's counts sum to N and each is within 1 of w·N;
 * 2. each dimension's N labels are shuffled with the seeded RNG and dealt to slots 0..N-1, so
 *    every dimension's marginal counts are exact by construction while dimensions combine
 *    freely (no dimension's order correlates with another's).
 * Same seed, distributions and N ⇒ same slots.
 */

export interface Slot {
  index: number;
  demographics: Record<string, string>;
}

export type Rng = { int(min: number, max: number): number };

/** A 32-bit FNV-1a hash of a text: the seed a study derives from its id when none was set. */
export function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function seededRng(seed: number): Rng {
  const generator = xoroshiro128plus(seed | 0);
  return { int: (min, max) => uniformInt(generator, min, max) };
}

export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Largest-remainder counts for one dimension; categories of weight 0 get 0. */
export function largestRemainder(weights: Record<string, number>, n: number, rng: Rng): Record<string, number> {
  const entries = Object.entries(weights);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  const counts: Record<string, number> = {};
  const remainders: { category: string; remainder: number; tieBreak: number }[] = [];
  let assigned = 0;
  for (const [category, weight] of entries) {
    const exact = total > 0 ? (weight / total) * n : 0;
    // Guard against 0.3*10 = 2.9999999999999996 flooring to 2.
    const floor = Math.floor(exact + 1e-9);
    counts[category] = floor;
    assigned += floor;
    remainders.push({ category, remainder: weight > 0 ? exact - floor : -1, tieBreak: rng.int(0, 0x7fffffff) });
  }
  remainders.sort((a, b) => b.remainder - a.remainder || a.tieBreak - b.tieBreak);
  for (let i = 0; assigned < n; i++, assigned++) {
    const pick = remainders[i % remainders.length]!;
    counts[pick.category] = counts[pick.category]! + 1;
  }
  return counts;
}

export function allocateSlots(target: TargetDemographics, n: number, seed: number): Slot[] {
  if (!Number.isInteger(n) || n < 0) throw new Error("n must be a non-negative integer");
  const rng = seededRng(seed);
  const slots: Slot[] = Array.from({ length: n }, (_, index) => ({ index, demographics: {} }));
  // Dimensions in key order so the result does not depend on JSON property order quirks.
  for (const dimension of Object.keys(target).sort()) {
    const counts = largestRemainder(target[dimension]!, n, rng);
    const labels: string[] = [];
    for (const [category, count] of Object.entries(counts)) for (let i = 0; i < count; i++) labels.push(category);
    shuffleInPlace(labels, rng);
    labels.forEach((category, index) => {
      slots[index]!.demographics[dimension] = category;
    });
  }
  return slots;
}

export function marginalCounts(
  slots: { demographics: Record<string, string> }[],
  dimension: string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const slot of slots) {
    const category = slot.demographics[dimension];
    if (category !== undefined) counts[category] = (counts[category] ?? 0) + 1;
  }
  return counts;
}

/**
 * Slots for `count` new personas in a project that already has some, so the whole project
 * lands on the target: per dimension, the largest-remainder counts for the new total, minus
 * what exists (never below zero), become the quotas of the new slots. A project generated in
 * several runs therefore ends with the same marginals as one generated at once, whenever the
 * earlier runs did not overshoot.
 */
export function allocateTopUp(
  target: TargetDemographics,
  existing: { demographics: Record<string, string> }[],
  count: number,
  seed: number,
): Slot[] {
  if (existing.length === 0) return allocateSlots(target, count, seed);
  const rng = seededRng(seed);
  const total = existing.length + count;
  const slots: Slot[] = Array.from({ length: count }, (_, index) => ({ index, demographics: {} }));
  for (const dimension of Object.keys(target).sort()) {
    const desired = largestRemainder(target[dimension]!, total, rng);
    const have = marginalCounts(existing, dimension);
    const need: Record<string, number> = {};
    for (const [category, want] of Object.entries(desired)) need[category] = Math.max(0, want - (have[category] ?? 0));
    const needTotal = Object.values(need).reduce((a, b) => a + b, 0);
    const counts = needTotal === count ? need : largestRemainder(needTotal > 0 ? need : target[dimension]!, count, rng);
    const labels: string[] = [];
    for (const [category, n] of Object.entries(counts)) for (let i = 0; i < n; i++) labels.push(category);
    shuffleInPlace(labels, rng);
    labels.forEach((category, index) => {
      slots[index]!.demographics[dimension] = category;
    });
  }
  return slots;
}
