import { z } from "zod";

/**
 * The closed list of error codes that may cross a boundary (IPC, REST, socket.io).
 * Extend it here and only here; the HTTP status each maps to lives beside it.
 */
export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "NOT_FOUND",
  "CONFLICT",
  "QUOTA_EXCEEDED",
  "INVALID_DEMOGRAPHICS",
  "PROVIDER_UNAVAILABLE",
  "RATE_LIMITED",
  "CANCELLED",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "WRITE_FAILED",
  "INTERNAL",
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_DEMOGRAPHICS: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  QUOTA_EXCEEDED: 402,
  PROVIDER_UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  CANCELLED: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  WRITE_FAILED: 507,
  INTERNAL: 500,
};

/** One-line meaning of every code, served in the OpenAPI document. */
export const ERROR_DESCRIPTIONS: Record<ErrorCode, string> = {
  VALIDATION_FAILED: "The input does not match the route's schema; details.issues lists each field.",
  NOT_FOUND: "The referenced record does not exist.",
  CONFLICT: "The request conflicts with the record's current state (e.g. a run already in progress).",
  QUOTA_EXCEEDED: "The plan's limit would be exceeded; details says how many remain.",
  INVALID_DEMOGRAPHICS: "Target demographics are malformed; details names the dimension and category.",
  PROVIDER_UNAVAILABLE:
    "An outside service (LLM provider, CRM, Sight Cloud) is not configured, cannot be reached, or is paused by its circuit breaker; details.provider names it.",
  RATE_LIMITED: "Too many requests; retry after details.retryAfterMs.",
  CANCELLED: "The operation was cancelled.",
  UNAUTHORIZED: "Missing or invalid credentials, or a refused origin.",
  FORBIDDEN: "The credentials are valid but do not allow this (e.g. an expired or altered share link).",
  WRITE_FAILED:
    "A file could not be written (disk full, permission denied, read-only folder); details.reason says which. No partial file is left.",
  INTERNAL: "An unexpected error; the log has the details.",
};

export const wireErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

/** Thrown inside services; the router turns it into a WireError. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The result of every invoke, on every transport: data or a typed error, never a throw. */
export type InvokeResult<T> = { data: T } | { error: WireError };
