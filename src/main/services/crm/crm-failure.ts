import { AppError } from "../../../shared/contract";
import type { CrmProviderId } from "./crm-provider";

/**
 * How a CRM call failed, whatever the SDK or wire shape: providers translate into this, the
 * call policy decides from `kind` what to retry and what opens the breaker, and `toAppError`
 * gives the UI one typed error with `details.reason` it can word.
 */
export type CrmFailureKind =
  | "rate_limited" // 429 (HubSpot's rolling limits, Salesforce's concurrency limit)
  | "server" // 5xx
  | "network" // connection refused or reset
  | "auth" // 401 after the one refresh, or a refresh token the CRM refuses
  | "daily_limit" // Salesforce REQUEST_LIMIT_EXCEEDED (403): nothing works until the allowance resets
  | "rejected" // any other 4xx: a bad field, a bad id
  | "circuit_open"; // our breaker: failing fast

export class CrmFailure extends Error {
  readonly kind: CrmFailureKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** The CRM's own error code (INVALID_SESSION_ID, VALIDATION_ERROR…). */
  readonly crmCode: string | undefined;
  constructor(
    kind: CrmFailureKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; crmCode?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "CrmFailure";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.crmCode = options.crmCode;
  }
}

export const RETRYABLE: ReadonlySet<CrmFailureKind> = new Set(["rate_limited", "server", "network"]);
/** Failures that say the CRM is unhealthy, not that our request or our quota is wrong. */
export const UNHEALTHY: ReadonlySet<CrmFailureKind> = new Set(["server", "network"]);

export function kindForStatus(status: number, crmCode?: string): CrmFailureKind {
  if (status === 401) return "auth";
  if (status === 429) return "rate_limited";
  if (status === 403 && crmCode === "REQUEST_LIMIT_EXCEEDED") return "daily_limit";
  if (status >= 500) return "server";
  return "rejected";
}

export const CRM_LABEL: Record<CrmProviderId, string> = { hubspot: "HubSpot", salesforce: "Salesforce" };

/** `details.reason` values the UI words ("HubSpot asks Sight to slow down", "reconnect Salesforce"…). */
export type CrmErrorReason =
  "rate_limited" | "unavailable" | "circuit_open" | "daily_limit" | "reconnect_required" | "rejected";

/** Any URL in a message becomes "<url>": a URL may carry a token (HubSpot's account call has it in its path). */
export function withoutUrls(message: string): string {
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)"']+/gi, "<url>");
}

export function toAppError(raw: CrmFailure, provider: CrmProviderId, attempts: number): AppError {
  const failure = Object.assign(Object.create(Object.getPrototypeOf(raw) as object) as CrmFailure, raw, {
    message: withoutUrls(raw.message),
  });
  const label = CRM_LABEL[provider];
  const details = (reason: CrmErrorReason, extra: object = {}) => ({
    provider,
    reason,
    attempts,
    ...(failure.status ? { status: failure.status } : {}),
    ...(failure.crmCode ? { crmCode: failure.crmCode } : {}),
    ...extra,
  });
  switch (failure.kind) {
    case "rate_limited":
      return new AppError(
        "RATE_LIMITED",
        `${label} is rate limiting Sight; try again shortly.`,
        details("rate_limited", { retryAfterMs: failure.retryAfterMs ?? null }),
      );
    case "circuit_open":
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label} failed repeatedly; Sight pauses calls to it for a moment.`,
        details("circuit_open"),
      );
    case "daily_limit":
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label}'s daily API request limit is used up; resume the sync once it has reset.`,
        details("daily_limit"),
      );
    case "auth":
      return new AppError(
        "UNAUTHORIZED",
        `${label} no longer accepts Sight's connection; reconnect it.`,
        details("reconnect_required"),
      );
    case "rejected":
      return new AppError("VALIDATION_FAILED", `${label} refused the request: ${failure.message}`, details("rejected"));
    default:
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label} cannot be reached (${failure.message}).`,
        details("unavailable"),
      );
  }
}
