import { isBridgeError } from "../bridge/bridge";

/**
 * The server's VALIDATION_FAILED issues as `{ "models.personas": "must be …" }`, keyed by the
 * dotted path of each field (first message per field). Null for any other error. The messages
 * are zod's English: use the keys to know which fields were refused, never show the values
 * (forms/issues.ts and forms/issue-text.ts word them in the UI's language).
 */
export function fieldErrorsOf(error: unknown): Record<string, string> | null {
  if (!isBridgeError(error) || error.code !== "VALIDATION_FAILED") return null;
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  const fields: Record<string, string> = {};
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    const path = Array.isArray(issue.path) ? issue.path.map(String).join(".") : "";
    const message = typeof issue.message === "string" ? issue.message : error.message;
    fields[path] ??= message;
  }
  return fields;
}
