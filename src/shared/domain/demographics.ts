/**
 * Target demographics: dimension → category → weight.
 *
 * Policy (documented in the README): weights must be finite, ≥ 0 and sum to 1 within
 * WEIGHT_SUM_TOLERANCE. We refuse rather than silently normalise, because a sum of 0.9 is more
 * often a typo than an intent; the error names the dimension and carries the normalised weights
 * in `details.suggestion`, and the editor in the app offers a one-click "Normalise to 100%".
 */

export const STANDARD_DIMENSIONS = ["age_group", "gender", "location", "education", "income"] as const;
export type StandardDimension = (typeof STANDARD_DIMENSIONS)[number];

export const WEIGHT_SUM_TOLERANCE = 1e-6;
export const MAX_DIMENSIONS = 12;
export const MAX_CATEGORIES = 30;
export const DIMENSION_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_CATEGORY_LENGTH = 60;
/** Age brackets read "18-24" or "65+". */
export const AGE_BRACKET_PATTERN = /^(\d{1,3})\s*(?:-\s*(\d{1,3})|\+)$/;

export type TargetDemographics = Record<string, Record<string, number>>;

/**
 * Why target demographics are refused, as a code the app turns into words in the UI's language
 * (the English `message` is for REST callers and logs).
 */
export const DEMOGRAPHICS_PROBLEM_REASONS = [
  "not_an_object",
  "too_many_dimensions",
  "bad_dimension_key",
  "not_a_category_map",
  "no_categories",
  "too_many_categories",
  "category_name_length",
  "category_name_spaces",
  "duplicate_category",
  "weight_not_a_number",
  "negative_weight",
  "bad_age_group",
  "weights_sum",
] as const;
export type DemographicsProblemReason = (typeof DEMOGRAPHICS_PROBLEM_REASONS)[number];

export interface DemographicsProblem {
  reason: DemographicsProblemReason;
  dimension: string;
  category?: string;
  message: string;
  /** weights_sum: what the weights add up to, in percent (90 for 0.9), as the editor shows it. */
  sumPercent?: number;
  /** weights_sum: the same weights scaled to sum to 1. */
  suggestion?: Record<string, number>;
}

export function isStandardDimension(key: string): key is StandardDimension {
  return (STANDARD_DIMENSIONS as readonly string[]).includes(key);
}

export function parseAgeBracket(category: string): { min: number; max: number } | null {
  const match = AGE_BRACKET_PATTERN.exec(category.trim());
  if (!match) return null;
  const min = Number(match[1]);
  const max = match[2] === undefined ? 120 : Number(match[2]);
  if (min > max || max > 120) return null;
  return { min, max };
}

/** A fraction of 1 as the percentage people read: 0.9 → 90, 1/3 → 33.3333. */
export function percentOf(fraction: number): number {
  return round(fraction * 100, 4);
}

/** Returns the first problem found, or null when the demographics are valid. */
export function findDemographicsProblem(value: unknown): DemographicsProblem | null {
  return findDemographicsProblems(value)[0] ?? null;
}

/**
 * Every dimension's first problem (a form shows each where it belongs, all at once), or the one
 * problem with the whole value. Empty when the demographics are valid.
 */
export function findDemographicsProblems(value: unknown): DemographicsProblem[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [
      { reason: "not_an_object", dimension: "", message: "Target demographics must be an object of dimensions." },
    ];
  }
  const dims = Object.entries(value as Record<string, unknown>);
  if (dims.length > MAX_DIMENSIONS) {
    return [
      { reason: "too_many_dimensions", dimension: "", message: `At most ${MAX_DIMENSIONS} dimensions are allowed.` },
    ];
  }
  return dims.flatMap(([dimension, categories]) => {
    const problem = dimensionProblem(dimension, categories);
    return problem ? [problem] : [];
  });
}

function dimensionProblem(dimension: string, categories: unknown): DemographicsProblem | null {
  if (!DIMENSION_KEY_PATTERN.test(dimension)) {
    return {
      reason: "bad_dimension_key",
      dimension,
      message: `Dimension "${dimension}" must be lower-case letters, digits and underscores, starting with a letter.`,
    };
  }
  if (typeof categories !== "object" || categories === null || Array.isArray(categories)) {
    return {
      reason: "not_a_category_map",
      dimension,
      message: `Dimension "${dimension}" must map categories to weights.`,
    };
  }
  const entries = Object.entries(categories as Record<string, unknown>);
  if (entries.length === 0) {
    return { reason: "no_categories", dimension, message: `Dimension "${dimension}" has no categories.` };
  }
  if (entries.length > MAX_CATEGORIES) {
    return {
      reason: "too_many_categories",
      dimension,
      message: `Dimension "${dimension}" has more than ${MAX_CATEGORIES} categories.`,
    };
  }
  let sum = 0;
  const seen = new Set<string>();
  for (const [category, weight] of entries) {
    const trimmed = category.trim();
    if (trimmed.length === 0 || category.length > MAX_CATEGORY_LENGTH) {
      return {
        reason: "category_name_length",
        dimension,
        category,
        message: `Category names in "${dimension}" must be 1–${MAX_CATEGORY_LENGTH} characters.`,
      };
    }
    if (trimmed !== category) {
      return {
        reason: "category_name_spaces",
        dimension,
        category,
        message: `Category "${category}" in "${dimension}" has surrounding spaces.`,
      };
    }
    const folded = category.toLowerCase();
    if (seen.has(folded)) {
      return {
        reason: "duplicate_category",
        dimension,
        category,
        message: `Category "${category}" appears twice in "${dimension}".`,
      };
    }
    seen.add(folded);
    if (typeof weight !== "number" || !Number.isFinite(weight)) {
      return {
        reason: "weight_not_a_number",
        dimension,
        category,
        message: `Weight of "${category}" in "${dimension}" must be a number.`,
      };
    }
    if (weight < 0) {
      return {
        reason: "negative_weight",
        dimension,
        category,
        message: `Weight of "${category}" in "${dimension}" must not be negative.`,
      };
    }
    if (dimension === "age_group" && parseAgeBracket(category) === null) {
      return {
        reason: "bad_age_group",
        dimension,
        category,
        message: `Age group "${category}" must read like "25-34" or "65+".`,
      };
    }
    sum += weight;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    const weights = Object.fromEntries(entries as [string, number][]);
    // In percent, as the editor shows weights: a sum of 0.9 reads "90%", never "0.9".
    const sumPercent = percentOf(sum);
    return {
      reason: "weights_sum",
      dimension,
      message: `Weights of "${dimension}" sum to ${sumPercent}%; they must sum to 100%.`,
      sumPercent,
      suggestion: sum > 0 ? normaliseWeights(weights) : undefined,
    };
  }
  return null;
}

export function normaliseWeights(weights: Record<string, number>): Record<string, number> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (sum <= 0) return { ...weights };
  const keys = Object.keys(weights);
  const out: Record<string, number> = {};
  let acc = 0;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      out[key] = round(1 - acc, 10);
    } else {
      const value = round(weights[key]! / sum, 10);
      out[key] = value;
      acc += value;
    }
  });
  return out;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Ready-made distributions the editor offers; categories are the app's canonical ones. */
export const DEMOGRAPHIC_PRESETS: Record<StandardDimension, Record<string, Record<string, number>>> = {
  age_group: {
    adults_even: { "18-24": 0.16, "25-34": 0.18, "35-44": 0.17, "45-54": 0.16, "55-64": 0.16, "65+": 0.17 },
    young_adults: { "18-24": 0.5, "25-34": 0.5 },
    working_age: { "25-34": 0.3, "35-44": 0.3, "45-54": 0.25, "55-64": 0.15 },
  },
  gender: {
    balanced: { female: 0.5, male: 0.5 },
    inclusive: { female: 0.49, male: 0.49, non_binary: 0.02 },
  },
  location: {
    settlement: { urban: 0.55, suburban: 0.3, rural: 0.15 },
    poland_regions: { Warszawa: 0.25, Kraków: 0.2, Gdańsk: 0.15, Wrocław: 0.15, Poznań: 0.15, Łódź: 0.1 },
  },
  education: {
    general: { secondary: 0.4, vocational: 0.15, bachelor: 0.3, master: 0.12, doctorate: 0.03 },
  },
  income: {
    quintiles: { low: 0.2, lower_middle: 0.2, middle: 0.2, upper_middle: 0.2, high: 0.2 },
  },
};
