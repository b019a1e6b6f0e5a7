import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  halfJitterGenerator,
  handleWhen,
  timeout,
  type IBackoff,
} from "cockatiel";
import type { LlmProviderId } from "../../../shared/contract";
import { cancelledError, raceAbort, sleep, throwIfAborted } from "./abort";
import { BREAKER_KINDS, ProviderFailure, RETRYABLE_KINDS, toAppError } from "./provider-failure";

export interface PolicyOptions {
  /** Transport attempts per call, the first included. */
  maxAttempts: number;
  /** Jittered exponential backoff between attempts when the provider sends no Retry-After. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the call fails with RATE_LIMITED at once. */
  maxRetryAfterMs: number;
  /** Consecutive unhealthy failures (5xx, network, timeout) that open the circuit. */
  breakerThreshold: number;
  halfOpenAfterMs: number;
}

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 10_000,
};

export interface RetryNotice {
  failure: ProviderFailure;
  attempt: number;
  delayMs: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  /** False for probes (Test connection): one attempt, and the breaker is neither consulted nor fed. */
  resilient?: boolean;
  /** Asked before each retry; a stream that already delivered text says no. */
  canRetry?: () => boolean;
  onRetry?: (notice: RetryNotice) => void;
}

/** One provider's bulkhead and circuit breaker, and the retry loop around them. */
export interface ProviderPolicy {
  readonly concurrency: number;
  /**
   * Runs `attempt` (which must throw ProviderFailure for provider errors) under the policies.
   * Throws AppError: CANCELLED, RATE_LIMITED, or PROVIDER_UNAVAILABLE once it gives up.
   */
  run<T>(attempt: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T>;
}

/*
 * cockatiel 3.2.1 supplies the bulkhead, breaker, timeout and backoff series. The retry loop is
 * ours: cockatiel's RetryPolicy sleeps on a plain setTimeout that ignores the AbortSignal, and
 * its backoff cannot see the provider's Retry-After, both of which this layer must honour.
 */
export function createProviderPolicy(
  provider: LlmProviderId,
  concurrency: number,
  overrides: Partial<PolicyOptions> = {},
): ProviderPolicy {
  const options = { ...DEFAULT_POLICY_OPTIONS, ...overrides };
  const limiter = bulkhead(concurrency, Number.MAX_SAFE_INTEGER);
  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof ProviderFailure && BREAKER_KINDS.has(error.kind)),
    { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.breakerThreshold) },
  );

  const attemptOnce = <T>(attempt: (signal: AbortSignal) => Promise<T>, call: CallOptions): Promise<T> => {
    const { signal } = call;
    const limited = () =>
      raceAbort(
        limiter.execute(() => {
          throwIfAborted(signal);
          return timeout(call.timeoutMs, TimeoutStrategy.Cooperative).execute(async ({ signal: attemptSignal }) => {
            try {
              return await attempt(attemptSignal);
            } catch (error) {
              // The signals say why an SDK call was aborted better than the SDK's error does.
              if (signal?.aborted) throw cancelledError();
              if (attemptSignal.aborted) {
                throw new ProviderFailure("timeout", `no answer within ${call.timeoutMs} ms`, { cause: error });
              }
              throw error;
            }
          }, signal);
        }, signal),
        signal,
      );
    if (call.resilient === false) return limited();
    return breaker.execute(limited, signal).catch((error: unknown) => {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        throw new ProviderFailure("circuit_open", "circuit open");
      }
      if (error instanceof TaskCancelledError) throw cancelledError();
      throw error;
    });
  };

  return {
    concurrency,
    async run(attempt, call) {
      const series = new ExponentialBackoff({
        initialDelay: options.baseDelayMs,
        maxDelay: options.maxDelayMs,
        generator: halfJitterGenerator,
      });
      let backoff: IBackoff<unknown> | undefined;
      for (let attemptNo = 1; ; attemptNo++) {
        throwIfAborted(call.signal);
        try {
          return await attemptOnce(attempt, call);
        } catch (error) {
          if (error instanceof TaskCancelledError) throw cancelledError();
          if (!(error instanceof ProviderFailure)) throw error;
          const retryAfterTooLong = error.retryAfterMs !== undefined && error.retryAfterMs > options.maxRetryAfterMs;
          const retry =
            call.resilient !== false &&
            attemptNo < options.maxAttempts &&
            RETRYABLE_KINDS.has(error.kind) &&
            !retryAfterTooLong &&
            (call.canRetry?.() ?? true);
          if (!retry) throw toAppError(error, provider, { attempts: attemptNo, timeoutMs: call.timeoutMs });
          backoff = backoff ? backoff.next(undefined) : series.next();
          // Honour the provider's Retry-After, plus a little jitter so parallel callers do not return in lockstep.
          const delayMs =
            error.retryAfterMs !== undefined
              ? error.retryAfterMs + Math.random() * Math.min(250, error.retryAfterMs * 0.1)
              : backoff.duration;
          call.onRetry?.({ failure: error, attempt: attemptNo, delayMs });
          await sleep(delayMs, call.signal);
        }
      }
    },
  };
}
