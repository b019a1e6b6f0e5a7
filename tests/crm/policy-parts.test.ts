import { describe, expect, it } from "vitest";
import { MetadataCache } from "../../src/main/services/crm/metadata-cache";
import { TokenBucket } from "../../src/main/services/crm/token-bucket";

/** A clock that only moves when the bucket waits: waits are exact and instant. */
function virtualTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    wait: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    waits,
  };
}

describe("token bucket", () => {
  it("lets a full bucket's worth through at once, then spaces requests at the refill rate", async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({
      capacity: 10,
      refillPerInterval: 10,
      intervalMs: 10_000,
      now: time.now,
      wait: time.wait,
    });
    for (let i = 0; i < 10; i++) await bucket.take();
    expect(time.now()).toBe(0);
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(time.now()).toBe(5_000);
  });

  it("for a rolling limit, never admits more than the limit in any window, whatever the arrival pattern", async () => {
    const time = virtualTime();
    const bucket = TokenBucket.forRollingLimit(10, 1_000, { now: time.now, wait: time.wait });
    const admitted: number[] = [];
    await Promise.all(Array.from({ length: 50 }, () => bucket.take().then(() => admitted.push(time.now()))));
    const busiest = Math.max(
      ...admitted.map((at) => admitted.filter((other) => other > at - 1_000 && other <= at).length),
    );
    expect(busiest).toBeLessThanOrEqual(10);
    expect(busiest).toBeGreaterThanOrEqual(9); // and uses most of it
    expect(admitted).toHaveLength(50);
  });

  it("waits out a refill after a 429 drains it", async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({
      capacity: 10,
      refillPerInterval: 10,
      intervalMs: 10_000,
      now: time.now,
      wait: time.wait,
    });
    await bucket.take();
    bucket.drain();
    await bucket.take();
    expect(time.now()).toBe(1_000);
  });
});

describe("metadata cache", () => {
  it("loads once for concurrent callers and again after 5 minutes", async () => {
    let now = 0;
    let loads = 0;
    const cache = new MetadataCache<number>(() => now);
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("k", load), cache.get("k", load), cache.get("k", load)])).toEqual([1, 1, 1]);
    now += 5 * 60_000 - 1;
    expect(await cache.get("k", load)).toBe(1);
    now += 1;
    expect(await cache.get("k", load)).toBe(2);
  });

  it("does not keep a failed load", async () => {
    const cache = new MetadataCache<string>(() => 0);
    await expect(cache.get("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await cache.get("k", async () => "ok")).toBe("ok");
  });
});
