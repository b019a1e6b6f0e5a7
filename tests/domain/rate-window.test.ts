import type http from "node:http";
import { describe, expect, it } from "vitest";
import { createRateWindow, LIVE_HANDSHAKE_RATE, tooManyHandshakes } from "../../src/shared/domain/rate-window";
import { clientAddressOf } from "../../src/cloud/live/relay";

describe("a fixed window of attempts per key", () => {
  it("lets `limit` attempts through per window and key, then says how long to wait", () => {
    let at = 1_000_000;
    const window = createRateWindow({ limit: 3, windowMs: 60_000 }, () => at);
    expect([window.take("a"), window.take("a"), window.take("a")]).toEqual([0, 0, 0]);
    at += 15_000;
    expect(window.take("a")).toBe(45_000);
    // Another address has its own count.
    expect(window.take("b")).toBe(0);
    // The window passes: counting starts again.
    at += 45_000;
    expect(window.take("a")).toBe(0);
    expect(tooManyHandshakes(45_000)).toBe("Too many connection attempts from this address: try again in 45 s.");
  });

  it("keeps memory bounded under a flood of distinct keys", () => {
    let at = 0;
    const window = createRateWindow(LIVE_HANDSHAKE_RATE, () => at);
    for (let i = 0; i < 25_000; i++) {
      at += 1;
      window.take(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    }
    expect(window.size()).toBeLessThanOrEqual(10_000);
    // The newest key is still counted.
    expect(window.take("10.0.97.167")).toBe(0);
  });
});

describe("the relay's client address", () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({
      socket: { remoteAddress },
      headers: forwarded ? { "x-forwarded-for": forwarded } : {},
    }) as unknown as http.IncomingMessage;

  it("is the peer unless the Cloud trusts a proxy, as Fastify's trustProxy decides", () => {
    const spoofed = request("203.0.113.9", "198.51.100.7");
    expect(clientAddressOf(false)(spoofed)).toBe("203.0.113.9");
    // A hop count cannot check the peer: nothing is believed.
    expect(clientAddressOf(1)(spoofed)).toBe("203.0.113.9");
    expect(clientAddressOf(true)(spoofed)).toBe("198.51.100.7");
    // Only the listed balancer's header counts.
    const viaBalancer = request("10.0.0.2", "198.51.100.7");
    expect(clientAddressOf("10.0.0.2, 10.0.0.3")(viaBalancer)).toBe("198.51.100.7");
    expect(clientAddressOf("10.0.0.2, 10.0.0.3")(spoofed)).toBe("203.0.113.9");
  });
});
