import type { BridgeError } from "../../bridge/bridge";
import type { DemographicsProblem } from "../demographics/DemographicsEditor";

export const PROJECT_FIELDS = ["name", "description", "researchGoal", "targetAudience", "targetSampleSize"] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number];

export interface ProjectFormErrors {
  fields: Partial<Record<ProjectField, string>>;
  demographics: DemographicsProblem | null;
}

interface Issue {
  path?: unknown;
  message?: unknown;
}

const isField = (value: unknown): value is ProjectField =>
  typeof value === "string" && (PROJECT_FIELDS as readonly string[]).includes(value);

/**
 * Reads a refused save: VALIDATION_FAILED lists issues by path (field, or
 * targetDemographics.<dimension>.<category>), INVALID_DEMOGRAPHICS names the dimension and
 * category and may carry normalised weights. Returns null for anything else.
 */
export function projectFormErrors(error: BridgeError): ProjectFormErrors | null {
  const details = (error.details ?? {}) as Record<string, unknown>;
  if (error.code === "INVALID_DEMOGRAPHICS") {
    const suggestion = details.suggestion;
    return {
      fields: {},
      demographics: {
        dimension: typeof details.dimension === "string" ? details.dimension : "",
        category: typeof details.category === "string" ? details.category : undefined,
        message: error.message,
        suggestion: suggestion && typeof suggestion === "object" ? (suggestion as Record<string, number>) : undefined,
      },
    };
  }
  if (error.code === "VALIDATION_FAILED" && Array.isArray(details.issues)) {
    const result: ProjectFormErrors = { fields: {}, demographics: null };
    for (const issue of details.issues as Issue[]) {
      const path = Array.isArray(issue.path) ? issue.path.map(String) : [];
      const message = typeof issue.message === "string" ? issue.message : error.message;
      const [head, dimension, category] = path;
      if (isField(head)) result.fields[head] ??= message;
      else if (head === "targetDemographics" && !result.demographics) {
        result.demographics = { dimension: dimension ?? "", category, message };
      }
    }
    return result;
  }
  return null;
}
