import { z } from "zod";

/**
 * Validation issues as they cross a boundary: where (path), what kind (zod's code), and the
 * facts a person needs (limits, the contract's own reason), so the app can say it in the UI's
 * language. `message` is zod's English for REST callers and logs; the app never shows it.
 */

/** Reasons of the contract's own rules (refinements), beyond zod's built-in codes. */
export const ISSUE_REASONS = [
  /** Two entries of a list say the same thing (compared case-insensitively). */
  "duplicate",
  /** A multiple-choice question allows more selections than it has options. */
  "more_than_options",
  /** A rating scale's lowest point is not below its highest. */
  "min_not_below_max",
  /** A rating scale spans more points than a person can tell apart. */
  "too_many_points",
  /** Not an http(s) address. */
  "not_http_url",
  /** A persona's age outside the age group of the slot it fills (minimum and maximum say which). */
  "outside_age_group",
  /** Personas named that belong to another project (or no longer exist). */
  "not_in_project",
  /** Something needs the project's personas, and it has none yet. */
  "no_personas",
  /** A response-style benchmark's middle and end shares add up to more than 100 %. */
  "shares_over_total",
  /** A benchmark's standard deviation is larger than any distribution on its scale can have. */
  "spread_beyond_scale",
] as const;
export type IssueReason = (typeof ISSUE_REASONS)[number];

/** For `.refine(check, { message, ...because("duplicate") })`. */
export const because = (reason: IssueReason) => ({ params: { reason } });

export const wireIssueSchema = z.object({
  path: z.array(z.string()),
  code: z.string(),
  message: z.string(),
  /** too_small / too_big: the limit, and what it limits (string length, array size, number). */
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  origin: z.string().optional(),
  /** invalid_type: what was expected ("number", "int", "string", …). */
  expected: z.string().optional(),
  reason: z.enum(ISSUE_REASONS).optional(),
});
export type WireIssue = z.infer<typeof wireIssueSchema>;

const isReason = (value: unknown): value is IssueReason =>
  typeof value === "string" && (ISSUE_REASONS as readonly string[]).includes(value);

/** zod's issues in the wire shape; the same function serves the router and the app's own checks. */
export function wireIssues(issues: readonly z.core.$ZodIssue[]): WireIssue[] {
  return issues.map((issue) => {
    const facts = issue as {
      minimum?: unknown;
      maximum?: unknown;
      origin?: unknown;
      expected?: unknown;
      params?: { reason?: unknown };
    };
    return {
      path: issue.path.map(String),
      code: issue.code,
      message: issue.message,
      ...(typeof facts.minimum === "number" || typeof facts.minimum === "bigint"
        ? { minimum: Number(facts.minimum) }
        : {}),
      ...(typeof facts.maximum === "number" || typeof facts.maximum === "bigint"
        ? { maximum: Number(facts.maximum) }
        : {}),
      ...(typeof facts.origin === "string" ? { origin: facts.origin } : {}),
      ...(typeof facts.expected === "string" ? { expected: facts.expected } : {}),
      ...(isReason(facts.params?.reason) ? { reason: facts.params.reason } : {}),
    };
  });
}
