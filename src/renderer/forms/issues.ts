// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type { z } from "zod";
import { ISSUE_REASONS, wireIssues, type IssueReason, type WireIssue } from "../../shared/contract";
import { isBridgeError } from "../bridge/bridge";

/**
 * Validation issues from either side: the app's own check of a form against the contract's
 * schema before anything is sent, or the server's VALIDATION_FAILED when it still refuses (a
 * race, or a rule only it can check). Both arrive in one shape, so a form words them once.
 */

/** A form's input checked in the browser against the route's own schema. Empty when it passes. */
export function checkInput(schema: z.ZodType, input: unknown): WireIssue[] {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : wireIssues(parsed.error.issues);
}

const isReason = (value: unknown): value is IssueReason =>
  typeof value === "string" && (ISSUE_REASONS as readonly string[]).includes(value);
const numberOrNothing = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/**
 * The issues of a VALIDATION_FAILED refusal, read defensively (older servers sent only path and
 * message); null for any other error.
 */
export function issuesOf(error: unknown): WireIssue[] | null {
  if (!isBridgeError(error) || error.code !== "VALIDATION_FAILED") return null;
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.map((raw) => {
    const issue = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const minimum = numberOrNothing(issue.minimum);
    const maximum = numberOrNothing(issue.maximum);
    return {
      path: Array.isArray(issue.path) ? issue.path.map(String) : [],
      code: typeof issue.code === "string" ? issue.code : "custom",
      message: typeof issue.message === "string" ? issue.message : "",
      ...(minimum === undefined ? {} : { minimum }),
      ...(maximum === undefined ? {} : { maximum }),
      ...(typeof issue.origin === "string" ? { origin: issue.origin } : {}),
      ...(typeof issue.expected === "string" ? { expected: issue.expected } : {}),
      ...(isReason(issue.reason) ? { reason: issue.reason } : {}),
    };
  });
}

/** "questions.1.options.0": the dotted path a form keys its messages by. */
export const pathKey = (path: readonly (string | number)[]) => path.map(String).join(".");

/** One message per place: the first issue at each path wins (zod lists the most basic one first). */
export function firstIssueByPath(issues: readonly WireIssue[]): Map<string, WireIssue> {
  const byPath = new Map<string, WireIssue>();
  for (const issue of issues) {
    const key = pathKey(issue.path);
    if (!byPath.has(key)) byPath.set(key, issue);
  }
  return byPath;
}

/** `{ "models.personas": "Fill this in." }`: each place's first issue, in words. */
export function messagesByPath(
  issues: readonly WireIssue[],
  text: (issue: WireIssue) => string,
): Record<string, string> {
  return Object.fromEntries([...firstIssueByPath(issues)].map(([key, issue]) => [key, text(issue)]));
}
