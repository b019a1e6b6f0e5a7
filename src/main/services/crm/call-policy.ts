import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  circuitBreaker,
  halfJitterGenerator,
  handleWhen,
  type IBackoff,
  type IDisposable,
} from "cockatiel";
import type { Logger } from "../logger";
import { sleep, throwIfAborted } from "../llm/abort";
import type { CrmProviderId } from "./crm-provider";
import { CrmFailure, RETRYABLE, UNHEALTHY, toAppError } from "./crm-failure";
import type { TokenBucket } from "./token-bucket";

export interface CrmPolicyOptions {
  /** Attempts per call, the first included (issue 10: at most 3). */
  maxAttempts: number;
  /** Jittered exponential backoff when the CRM sends no Retry-After. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: RATE_LIMITED at once, with the wait in details. */
  maxRetryAfterMs: number;
  /** Consecutive 5xx/network failures (attempts, not calls) that open the breaker. */
  breakerThreshold: number;
  halfOpenAfterMs: number;
  /** How long the daily API limit keeps the breaker open before one call tries again. */
  dailyLimitPauseMs: number;
  /** Spaces requests under a rolling limit (HubSpot); taken before every attempt. */
  bucket?: TokenBucket;
  now?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger?: Logger;
}

export const DEFAULT_CRM_POLICY: CrmPolicyOptions = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
  dailyLimitPauseMs: 15 * 60_000,
};

export type BreakerState = "closed" | "open" | "half-open" | "daily-limit";

export interface CrmPolicy {
  /**
   * Runs `attempt` (which throws CrmFailure for CRM errors) with retries, the bucket and the
   * breaker. Throws AppError (RATE_LIMITED, PROVIDER_UNAVAILABLE, UNAUTHORIZED, VALIDATION_FAILED,
   * CANCELLED) once it gives up.
   */
  run<T>(operation: string, attempt: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  state(): BreakerState;
}

/*
 * cockatiel 3.2.1 supplies the breaker and the backoff series; the retry loop is ours, as in the
 * LLM layer: cockatiel's RetryPolicy cannot see Retry-After and sleeps past an AbortSignal.
 */
export function createCrmPolicy(provider: CrmProviderId, overrides: Partial<CrmPolicyOptions> = {}): CrmPolicy {
  const options = { ...DEFAULT_CRM_POLICY, ...overrides };
  const now = options.now ?? Date.now;
  const wait = options.wait ?? sleep;
  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof CrmFailure && UNHEALTHY.has(error.kind)),
    { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.breakerThreshold) },
  );
  let dailyLimit: { until: number; handle: IDisposable } | null = null;

  const attemptOnce = async <T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    if (dailyLimit && now() >= dailyLimit.until) {
      dailyLimit.handle.dispose();
      dailyLimit = null;
    }
    if (dailyLimit) throw new CrmFailure("daily_limit", "daily API request limit reached");
    await options.bucket?.take(signal);
    try {
      return await breaker.execute(attempt);
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError)
        throw new CrmFailure("circuit_open", "circuit open");
      if (error instanceof CrmFailure && error.kind === "daily_limit" && !dailyLimit)
        dailyLimit = { until: now() + options.dailyLimitPauseMs, handle: breaker.isolate() };
      if (error instanceof CrmFailure && error.kind === "rate_limited") options.bucket?.drain();
      throw error;
    }
  };

  return {
    state() {
      if (dailyLimit) return "daily-limit";
      if (breaker.state === CircuitState.Open || breaker.state === CircuitState.Isolated) return "open";
      return breaker.state === CircuitState.HalfOpen ? "half-open" : "closed";
    },
    async run(operation, attempt, signal) {
      const series = new ExponentialBackoff({
        initialDelay: options.baseDelayMs,
        maxDelay: options.maxDelayMs,
        generator: halfJitterGenerator,
      });
      let backoff: IBackoff<unknown> | undefined;
      for (let attemptNo = 1; ; attemptNo++) {
        throwIfAborted(signal);
        try {
          return await attemptOnce(attempt, signal);
        } catch (error) {
          if (!(error instanceof CrmFailure)) throw error;
          const waitTooLong = error.retryAfterMs !== undefined && error.retryAfterMs > options.maxRetryAfterMs;
          if (attemptNo >= options.maxAttempts || !RETRYABLE.has(error.kind) || waitTooLong) {
            options.logger?.warn("crm.call_failed", {
              provider,
              operation,
              kind: error.kind,
              status: error.status,
              attempts: attemptNo,
            });
            throw toAppError(error, provider, attemptNo);
          }
          backoff = backoff ? backoff.next(undefined) : series.next();
          // Honour Retry-After, plus a little jitter so parallel callers do not return in lockstep.
          const delayMs =
            error.retryAfterMs !== undefined
              ? error.retryAfterMs + Math.random() * Math.min(250, error.retryAfterMs * 0.1)
              : backoff.duration;
          options.logger?.info("crm.retry", {
            provider,
            operation,
            kind: error.kind,
            status: error.status,
            attempt: attemptNo,
            delayMs: Math.round(delayMs),
          });
          await wait(delayMs, signal);
        }
      }
    },
  };
}
