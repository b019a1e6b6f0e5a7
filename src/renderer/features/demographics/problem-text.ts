// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type { TFunction } from "i18next";
import {
  DEMOGRAPHICS_PROBLEM_REASONS,
  MAX_CATEGORIES,
  MAX_CATEGORY_LENGTH,
  MAX_DIMENSIONS,
  type DemographicsProblem,
  type DemographicsProblemReason,
} from "../../../shared/domain/demographics";
import type { Format } from "../../i18n/format";
import { dimensionLabel } from "./labels";

/** Problems said beside the category they are about (the editor's row notes), not per dimension. */
export const ROW_REASONS: ReadonlySet<DemographicsProblemReason> = new Set([
  "category_name_length",
  "category_name_spaces",
  "duplicate_category",
  "weight_not_a_number",
  "negative_weight",
  "bad_age_group",
]);

const isReason = (value: unknown): value is DemographicsProblemReason =>
  typeof value === "string" && (DEMOGRAPHICS_PROBLEM_REASONS as readonly string[]).includes(value);

/** INVALID_DEMOGRAPHICS details as the problem the editor shows; null when they are not one. */
export function problemOfDetails(details: unknown): DemographicsProblem | null {
  const value = (typeof details === "object" && details !== null ? details : {}) as Record<string, unknown>;
  if (!isReason(value.reason)) return null;
  const suggestion = value.suggestion;
  return {
    reason: value.reason,
    dimension: typeof value.dimension === "string" ? value.dimension : "",
    message: "",
    ...(typeof value.category === "string" ? { category: value.category } : {}),
    ...(typeof value.sumPercent === "number" ? { sumPercent: value.sumPercent } : {}),
    ...(suggestion && typeof suggestion === "object" ? { suggestion: suggestion as Record<string, number> } : {}),
  };
}

/**
 * One demographics problem in the UI's language, in percent for sums as the editor shows them.
 * `inDimension`: said inside the dimension's own card, so its name is not repeated.
 */
export function demographicsProblemText(
  t: TFunction,
  format: Format,
  problem: DemographicsProblem,
  inDimension = false,
): string {
  const values = {
    dimension: dimensionLabel(t, problem.dimension),
    // Quoted as typed: the researcher looks for exactly these letters in the editor.
    category: problem.category ?? "",
    sum: format.percent(problem.sumPercent ?? 0),
    maxDimensions: format.integer(MAX_DIMENSIONS),
    maxCategories: format.integer(MAX_CATEGORIES),
    maxLength: format.integer(MAX_CATEGORY_LENGTH),
  };
  const text = t(`demographics.problems.${problem.reason}`, values);
  return inDimension || problem.dimension === "" ? text : t("demographics.problemIn", { ...values, problem: text });
}
