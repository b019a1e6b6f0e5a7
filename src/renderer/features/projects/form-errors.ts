// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import { useTranslation } from "react-i18next";
import { projectCreateSchema, type ProjectCreate, type WireIssue } from "../../../shared/contract";
import { findDemographicsProblems, type DemographicsProblem } from "../../../shared/domain/demographics";
import { isBridgeError } from "../../bridge/bridge";
import { checkInput, issuesOf } from "../../forms/issues";
import { problemOfDetails } from "../demographics/problem-text";
import { duplicateCategoryUids, type DimensionDraft } from "../demographics/drafts";

export const PROJECT_FIELDS = ["name", "description", "researchGoal", "targetAudience", "targetSampleSize"] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number];

export interface ProjectFormErrors {
  /** One message per field, in the field's own words. */
  fields: Partial<Record<ProjectField, string>>;
  /** Each dimension's problem (the editor says it beside the row or under the dimension). */
  demographics: DemographicsProblem[];
}

export interface ProjectCheck extends ProjectFormErrors {
  /** Two categories of a dimension share a name: the editor marks the rows, and nothing is sent. */
  duplicates: boolean;
}

export const NO_ERRORS: ProjectFormErrors = { fields: {}, demographics: [] };

const isField = (value: unknown): value is ProjectField =>
  typeof value === "string" && (PROJECT_FIELDS as readonly string[]).includes(value);

/** How each field says what it needs: the same words whatever the rule it broke. */
export function useProjectFieldWords(): (field: ProjectField) => string {
  const { t } = useTranslation();
  return (field) =>
    field === "name"
      ? t("projectForm.errorName")
      : field === "targetSampleSize"
        ? t("projectForm.errorSampleSize")
        : t("projectForm.errorText");
}

function fieldErrors(issues: readonly WireIssue[], words: (field: ProjectField) => string) {
  const fields: ProjectFormErrors["fields"] = {};
  for (const issue of issues) {
    const [head] = issue.path;
    if (isField(head)) fields[head] ??= words(head);
  }
  return fields;
}

/**
 * The project form checked in the browser with the route's own schema and the demographics
 * rules the server applies, so a save that would be refused is never sent.
 */
export function checkProjectForm(
  input: ProjectCreate,
  drafts: readonly DimensionDraft[],
  words: (field: ProjectField) => string,
): ProjectCheck {
  return {
    fields: fieldErrors(checkInput(projectCreateSchema, input), words),
    demographics: findDemographicsProblems(input.targetDemographics ?? {}),
    duplicates: drafts.some((draft) => duplicateCategoryUids(draft.categories).size > 0),
  };
}

export const hasProblems = (check: ProjectCheck) =>
  Object.keys(check.fields).length > 0 || check.demographics.length > 0 || check.duplicates;

/** The form's own findings first; the server's only where the form found nothing. */
export function mergeErrors(check: ProjectCheck, refusal: ProjectFormErrors | null): ProjectFormErrors {
  if (!refusal) return check;
  const dimensions = new Set(check.demographics.map((problem) => problem.dimension));
  return {
    fields: { ...refusal.fields, ...check.fields },
    demographics: [
      ...check.demographics,
      ...refusal.demographics.filter((problem) => !dimensions.has(problem.dimension)),
    ],
  };
}

/**
 * A refused save as the form shows it: VALIDATION_FAILED by field, INVALID_DEMOGRAPHICS by
 * dimension (worded from its reason). Null for other errors, which a toast says.
 */
export function projectFormErrors(error: unknown, words: (field: ProjectField) => string): ProjectFormErrors | null {
  if (!isBridgeError(error)) return null;
  if (error.code === "INVALID_DEMOGRAPHICS") {
    const problem = problemOfDetails(error.details);
    return problem ? { fields: {}, demographics: [problem] } : null;
  }
  const issues = issuesOf(error);
  if (!issues) return null;
  const fields = fieldErrors(issues, words);
  return Object.keys(fields).length > 0 ? { fields, demographics: [] } : null;
}
