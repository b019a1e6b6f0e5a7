import { sleep } from "../llm/abort";

export interface TokenBucketOptions {
  /** The burst: requests that may go at once when the bucket is full. */
  capacity: number;
  /** Tokens added per interval, continuously. */
  refillPerInterval: number;
  intervalMs: number;
  now?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Spaces requests: full at start, refilled continuously. A 429 drains it, so callers also wait
 * for the CRM's window. Callers are served in arrival order.
 */
export class TokenBucket {
  /**
   * A bucket that never exceeds `max` requests in any rolling `intervalMs` (HubSpot's
   * TEN_SECONDLY_ROLLING). A bucket of capacity `max` refilled at `max` per interval would not:
   * a full burst plus a window's refill is 2 × max. Burst + refill per interval = max keeps
   * every window within it; a fifth of it as burst keeps 80 % of the throughput.
   */
  static forRollingLimit(
    max: number,
    intervalMs: number,
    options: Pick<TokenBucketOptions, "now" | "wait"> = {},
  ): TokenBucket {
    const capacity = Math.max(1, Math.floor(max / 5));
    return new TokenBucket({ capacity, refillPerInterval: Math.max(1, max - capacity), intervalMs, ...options });
  }

  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: TokenBucketOptions) {
    if (options.capacity < 1 || options.refillPerInterval <= 0 || options.intervalMs <= 0)
      throw new Error("TokenBucket: capacity >= 1, refillPerInterval > 0 and intervalMs > 0");
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? sleep;
    this.tokens = options.capacity;
    this.updatedAt = this.now();
  }

  /** Resolves when the caller may send one request; callers are served in arrival order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeOne(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  private async takeOne(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const perMs = this.options.refillPerInterval / this.options.intervalMs;
      await this.wait(Math.ceil((1 - this.tokens) / perMs), signal);
    }
  }

  private refill(): void {
    const now = this.now();
    const perMs = this.options.refillPerInterval / this.options.intervalMs;
    this.tokens = Math.min(this.options.capacity, this.tokens + (now - this.updatedAt) * perMs);
    this.updatedAt = now;
  }
}
