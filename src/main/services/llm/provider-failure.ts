import { AppError, type LlmProviderId } from "../../../shared/contract";
import { PROVIDER_LABEL } from "./provider-config";

/**
 * How a provider call failed, independent of the SDK: adapters translate their SDK's errors
 * into this, and the call policy decides from `kind` what to retry and what trips the breaker.
 */
export type FailureKind =
  | "rate_limited" // 429
  | "server" // 500, 502, 503, 504
  | "network" // connection refused/reset, DNS, broken stream
  | "timeout" // our per-attempt timeout fired
  | "auth" // 401, 403, or a key the provider calls invalid
  | "rejected" // any other 4xx: bad model name, bad request
  | "circuit_open"; // our breaker is open: failing fast

export class ProviderFailure extends Error {
  readonly kind: FailureKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    kind: FailureKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ProviderFailure";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export const RETRYABLE_KINDS: ReadonlySet<FailureKind> = new Set(["rate_limited", "server", "network"]);
/** Failures that say the provider is unhealthy (not our key, not our request, not its rate limit). */
export const BREAKER_KINDS: ReadonlySet<FailureKind> = new Set(["server", "network", "timeout"]);

export function kindForStatus(status: number): FailureKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limited";
  if ([500, 502, 503, 504].includes(status)) return "server";
  return "rejected";
}

interface HeaderLookup {
  get(name: string): string | null;
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), or OpenAI's `retry-after-ms`. */
export function parseRetryAfter(headers: HeaderLookup | undefined | null, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get("retry-after-ms"));
  if (headers.get("retry-after-ms") !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads a failure's numeric status from an SDK error without depending on its class. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 100 && status < 600 ? status : undefined;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

function afterAttempts(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : "";
}

/** The AppError a caller sees once the policy gives up. */
export function toAppError(
  failure: ProviderFailure,
  provider: LlmProviderId,
  context: { attempts: number; timeoutMs: number },
): AppError {
  const label = PROVIDER_LABEL[provider];
  const details = { provider, reason: failure.kind, status: failure.status, attempts: context.attempts };
  switch (failure.kind) {
    case "auth":
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label} rejected the API key (HTTP ${failure.status ?? "?"}). Check the key in Settings.`,
        details,
      );
    case "rate_limited":
      return new AppError(
        "RATE_LIMITED",
        `${label} is rate-limiting requests (HTTP 429)${failure.retryAfterMs !== undefined ? `; try again in ${seconds(failure.retryAfterMs)}` : ""}.`,
        { ...details, retryAfterMs: failure.retryAfterMs ?? null },
      );
    case "timeout":
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label} did not answer within ${seconds(context.timeoutMs)}.`,
        details,
      );
    case "circuit_open":
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label} is failing repeatedly, so Sight paused requests to it for a few seconds. Try again shortly.`,
        details,
      );
    case "rejected":
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label} refused the request (HTTP ${failure.status ?? "?"}): ${failure.message}`,
        details,
      );
    case "network":
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label} cannot be reached (${failure.message})${afterAttempts(context.attempts)}.`,
        details,
      );
    case "server":
      return new AppError(
        "PROVIDER_UNAVAILABLE",
        `${label} is unavailable (HTTP ${failure.status ?? "?"})${afterAttempts(context.attempts)}.`,
        details,
      );
  }
}
