// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import {
  DEMOGRAPHIC_PRESETS,
  isStandardDimension,
  WEIGHT_SUM_TOLERANCE,
  type TargetDemographics,
} from "../../../shared/domain/demographics";

/**
 * The editor works in percentages typed as text; the contract stores fractions summing to 1.
 * This module is the conversion between the two, and nothing else.
 */
export interface CategoryDraft {
  uid: string;
  name: string;
  /** What the user typed in the weight box, in percent ("" counts as 0). */
  percent: string;
  /** The stored fraction this row was loaded with, used as is while `percent` is left untouched. */
  loaded?: { percent: string; fraction: number };
}

export interface DimensionDraft {
  uid: string;
  key: string;
  categories: CategoryDraft[];
}

let counter = 0;
export const newUid = (prefix: string) => `${prefix}${++counter}`;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** "" → 0; anything that is not a number → NaN (so the server can name it). */
export function percentValue(text: string): number {
  const trimmed = text.trim().replace(",", ".");
  return trimmed === "" ? 0 : Number(trimmed);
}

export function percentSum(categories: readonly CategoryDraft[]): number {
  return categories.reduce((sum, category) => sum + percentValue(category.percent), 0);
}

/** 100% within the same tolerance the server applies to fractions (1e-6 of 1 = 1e-4 of 100). */
export function isHundred(sum: number): boolean {
  return Math.abs(sum - 100) <= WEIGHT_SUM_TOLERANCE * 100;
}

export function percentText(fraction: number): string {
  return String(round(fraction * 100, 6));
}

export function categoriesFromFractions(weights: Record<string, number>): CategoryDraft[] {
  return Object.entries(weights).map(([name, fraction]) => {
    const percent = percentText(fraction);
    return { uid: newUid("c"), name, percent, loaded: { percent, fraction } };
  });
}

const untouched = (category: CategoryDraft) =>
  category.loaded !== undefined && category.loaded.percent === category.percent;

export function draftsFromDemographics(demographics: TargetDemographics): DimensionDraft[] {
  return Object.entries(demographics).map(([key, weights]) => ({
    uid: newUid("d"),
    key,
    categories: categoriesFromFractions(weights),
  }));
}

/**
 * Percentages → fractions. When the percentages add up to 100 (within tolerance), the last
 * category takes the remainder so the fractions sum to exactly 1; otherwise each is pct/100 and
 * the server refuses the sum, naming the dimension and suggesting normalised weights.
 */
export function fractionsFromCategories(categories: readonly CategoryDraft[]): Record<string, number> {
  // A weight nobody edited goes back exactly as stored: opening and saving a project changes nothing.
  const fractions = categories.map((category) =>
    untouched(category) ? category.loaded!.fraction : round(percentValue(category.percent) / 100, 10),
  );
  const total = fractions.reduce((a, b) => a + b, 0);
  const exact = categories.every(untouched) || !isHundred(total * 100);
  const out: Record<string, number> = {};
  let others = 0;
  categories.forEach((category, index) => {
    const name = category.name.trim();
    if (!exact && index === categories.length - 1) {
      out[name] = Math.max(0, round(1 - others, 10));
    } else {
      out[name] = fractions[index]!;
      others += fractions[index]!;
    }
  });
  return out;
}

export function demographicsFromDrafts(drafts: readonly DimensionDraft[]): TargetDemographics {
  return Object.fromEntries(drafts.map((draft) => [draft.key, fractionsFromCategories(draft.categories)]));
}

/**
 * Scales the weights to 100%, to two decimals, by largest remainder so the shown percentages
 * add up to exactly 100 with none going negative. All zeros become an even split.
 */
export function normalisedPercents(categories: readonly CategoryDraft[]): CategoryDraft[] {
  if (categories.length === 0) return [];
  const raw = categories.map((category) => {
    const value = percentValue(category.percent);
    return Number.isFinite(value) && value > 0 ? value : 0;
  });
  const total = raw.reduce((a, b) => a + b, 0);
  const shares = total > 0 ? raw.map((value) => (value / total) * 10_000) : raw.map(() => 10_000 / raw.length);
  const floors = shares.map(Math.floor);
  let left = 10_000 - floors.reduce((a, b) => a + b, 0);
  const byRemainder = shares
    .map((share, index) => ({ index, rest: share - floors[index]! }))
    .sort((a, b) => b.rest - a.rest);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    floors[index]! += 1;
    left -= 1;
  }
  return categories.map((category, index) => ({ ...category, percent: String(floors[index]! / 100) }));
}

/** Weights suggested by the server (fractions) applied onto the drafts' categories, by name. */
export function applySuggestion(
  categories: readonly CategoryDraft[],
  suggestion: Record<string, number>,
): CategoryDraft[] {
  return categories.map((category) => {
    const fraction = suggestion[category.name.trim()];
    return fraction === undefined ? category : { ...category, percent: percentText(fraction) };
  });
}

export function presetCategories(dimension: string, preset: string): CategoryDraft[] | null {
  if (!isStandardDimension(dimension)) return null;
  const weights = DEMOGRAPHIC_PRESETS[dimension][preset];
  return weights ? categoriesFromFractions(weights) : null;
}

export function presetsFor(dimension: string): string[] {
  return isStandardDimension(dimension) ? Object.keys(DEMOGRAPHIC_PRESETS[dimension]) : [];
}

/**
 * uids of categories whose name repeats an earlier one, compared as the server does (trimmed,
 * case-folded). Exact repeats would silently collapse into one key, so the form refuses to send them.
 */
export function duplicateCategoryUids(categories: readonly CategoryDraft[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const category of categories) {
    const name = category.name.trim().toLowerCase();
    if (name === "") continue;
    if (seen.has(name)) duplicates.add(category.uid);
    seen.add(name);
  }
  return duplicates;
}
