/**
 * The fake's notion of "now", like a Stripe test clock: object timestamps, periods and
 * prorations read it; it only moves forward. Webhook signatures use the wall clock instead,
 * as Stripe signs at delivery time and receivers check the signature against their own clock.
 */
export class FakeClock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

  nowMs(): number {
    return this.base() + this.offsetMs;
  }

  /** Unix seconds, Stripe's unit for every timestamp. */
  nowS(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`advanceClock: seconds must be >= 0, got ${seconds}`);
    this.offsetMs += seconds * 1000;
  }

  /** Moves forward to `unixS` when the clock is behind it; never backwards. */
  reach(unixS: number): void {
    const gap = unixS * 1000 - this.nowMs();
    if (gap > 0) this.offsetMs += gap;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
