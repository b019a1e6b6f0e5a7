import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFakes, type RunningFakes } from "../../fakes";
import { maxInFlight, rejectionOf, serviceAgainst } from "./harness";

const schema = z.object({ summary: z.string(), score: z.number().int().min(1).max(5) });
const request = {
  task: "analysis" as const,
  system: "Summarise the discussion.",
  messages: [{ role: "user" as const, text: "Transcript: ..." }],
  schema,
};

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
beforeEach(() => fakes.reset());

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("retries with backoff that honours Retry-After", () => {
  it("rides out a 429 storm, waiting at least Retry-After between attempts", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ fail429: 3, retryAfterSeconds: 1 });
    const result = await llm.generateJson(request);
    expect(schema.safeParse(result.value).success).toBe(true);
    const log = fakes.requests();
    expect(log.map((r) => r.status)).toEqual([429, 429, 429, 200]);
    for (let index = 1; index < log.length; index++) {
      // Our backoff in tests is 10-40 ms, so only Retry-After explains a wait this long.
      expect(log[index]!.startedAt - log[index - 1]!.endedAt!).toBeGreaterThanOrEqual(990);
    }
  }, 15_000);

  it("fails with RATE_LIMITED and retryAfterMs when 429s outlast the attempts", async () => {
    const { llm } = serviceAgainst(fakes, { policy: { maxAttempts: 3 } });
    fakes.control({ fail429: 10, retryAfterSeconds: 0.02 });
    const error = await rejectionOf(llm.generateJson(request));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.details).toMatchObject({ provider: "gemini", status: 429, attempts: 3, retryAfterMs: 20 });
    expect(fakes.requests()).toHaveLength(3);
  });

  it("does not sit out a Retry-After longer than the limit: RATE_LIMITED at once, saying when to retry", async () => {
    const { llm } = serviceAgainst(fakes, { policy: { maxRetryAfterMs: 5_000 } });
    fakes.control({ fail429: 1, retryAfterSeconds: 30 });
    const error = await rejectionOf(llm.generateJson(request));
    expect(error).toMatchObject({ code: "RATE_LIMITED", details: { retryAfterMs: 30_000 } });
    expect(error.message).toBe("Gemini is rate-limiting requests (HTTP 429); try again in 30 s.");
    expect(fakes.requests()).toHaveLength(1);
  });

  it("retries 503s and succeeds", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ fail5xx: 2 });
    await llm.generateJson(request);
    expect(fakes.requests().map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("gives up on a lasting outage with PROVIDER_UNAVAILABLE after 5 attempts", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ fail5xx: 10, status5xx: 502 });
    const error = await rejectionOf(llm.generateJson(request));
    expect(error).toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      details: { reason: "server", status: 502, attempts: 5 },
    });
    expect(error.message).toBe("Gemini is unavailable (HTTP 502) after 5 attempts.");
    expect(fakes.requests()).toHaveLength(5);
  });

  it("retries connection failures and then says the provider cannot be reached", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { llm } = serviceAgainst(fakes, {
      env: { SIGHT_GEMINI_BASE_URL: `http://127.0.0.1:${port}` },
      policy: { maxAttempts: 2 },
    });
    const error = await rejectionOf(llm.generateJson(request));
    expect(error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", details: { reason: "network", attempts: 2 } });
    expect(error.message).toMatch(/^Gemini cannot be reached \(ECONNREFUSED\) after 2 attempts\.$/);
  });
});

describe("circuit breaker", () => {
  it("opens after repeated failures, fails fast without calling the provider, and closes after a healthy probe", async () => {
    const { llm } = serviceAgainst(fakes, { policy: { breakerThreshold: 3, maxAttempts: 3, halfOpenAfterMs: 300 } });
    fakes.control({ fail5xx: 100 });
    expect(await rejectionOf(llm.generateJson(request))).toMatchObject({ details: { reason: "server" } });
    expect(fakes.requests()).toHaveLength(3);

    const started = performance.now();
    const fast = await rejectionOf(llm.generateJson(request));
    expect(performance.now() - started).toBeLessThan(100);
    expect(fast).toMatchObject({ code: "PROVIDER_UNAVAILABLE", details: { reason: "circuit_open" } });
    expect(fast.message).toMatch(/^Gemini is failing repeatedly/);
    expect(fakes.requests()).toHaveLength(3);

    fakes.reset();
    await new Promise((resolve) => setTimeout(resolve, 350));
    await llm.generateJson(request);
    await llm.generateJson(request);
    expect(fakes.requests().map((r) => r.status)).toEqual([200, 200]);
  });

  it("does not count rate limits as provider ill health: the circuit stays closed", async () => {
    const { llm } = serviceAgainst(fakes, { policy: { breakerThreshold: 2, maxAttempts: 1 } });
    fakes.control({ fail429: 3 });
    for (let i = 0; i < 3; i++) expect((await rejectionOf(llm.generateJson(request))).code).toBe("RATE_LIMITED");
    await llm.generateJson(request);
    expect(fakes.requests().map((r) => r.status)).toEqual([429, 429, 429, 200]);
  });
});

describe("keys", () => {
  it("refuses a rejected key (403) with a clear message and no retries", async () => {
    const { llm } = serviceAgainst(fakes, { env: { GEMINI_API_KEY: "rejected-key" } });
    const error = await rejectionOf(llm.generateJson(request));
    expect(error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", details: { reason: "auth", status: 403 } });
    expect(error.message).toBe("Gemini rejected the API key (HTTP 403). Check the key in Settings.");
    expect(fakes.requests()).toHaveLength(1);
  });

  it("treats Google's 400 API_KEY_INVALID as a rejected key too", async () => {
    const { llm } = serviceAgainst(fakes, { env: { GEMINI_API_KEY: "invalid-key" } });
    const error = await rejectionOf(llm.generateJson(request));
    expect(error.message).toBe("Gemini rejected the API key (HTTP 400). Check the key in Settings.");
    expect(fakes.requests()).toHaveLength(1);
  });

  it("fails before any network call when there is no Gemini key", async () => {
    const { llm } = serviceAgainst(fakes, { env: { GEMINI_API_KEY: undefined } });
    const error = await rejectionOf(llm.generateJson(request));
    expect(error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", details: { reason: "not_configured" } });
    expect(error.message).toBe("No Gemini API key: set one in Settings → AI provider, or set GEMINI_API_KEY.");
    expect(fakes.requests()).toHaveLength(0);
  });
});

describe("cancellation and timeouts", () => {
  it("cancels during a backoff wait promptly with CANCELLED, and makes no further request", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ fail429: 1, retryAfterSeconds: 30 });
    const controller = new AbortController();
    const pending = rejectionOf(llm.generateJson({ ...request, signal: controller.signal }));
    await until(() => fakes.requests()[0]?.endedAt != null);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const abortedAt = performance.now();
    controller.abort();
    const error = await pending;
    expect(error.code).toBe("CANCELLED");
    expect(performance.now() - abortedAt).toBeLessThan(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fakes.requests()).toHaveLength(1);
  });

  it("cancels a request in flight, and the provider sees the connection close", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ latencyMs: 5_000 });
    const controller = new AbortController();
    const pending = rejectionOf(llm.generateJson({ ...request, signal: controller.signal }));
    await until(() => fakes.requests().length === 1);
    controller.abort();
    expect((await pending).code).toBe("CANCELLED");
    await until(() => fakes.requests()[0]?.endedAt != null, 1_000);
  });

  it("cancels a call still queued behind the concurrency limit without it ever being sent", async () => {
    const { llm } = serviceAgainst(fakes, { settings: { concurrency: 1 } });
    fakes.control({ latencyMs: 300 });
    const first = llm.generateJson(request);
    const controller = new AbortController();
    const queued = rejectionOf(llm.generateJson({ ...request, signal: controller.signal }));
    await until(() => fakes.requests().length === 1);
    controller.abort();
    expect((await queued).code).toBe("CANCELLED");
    await first;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fakes.requests()).toHaveLength(1);
  });

  it("refuses an already-cancelled request without sending anything", async () => {
    const { llm } = serviceAgainst(fakes);
    const error = await rejectionOf(llm.generateJson({ ...request, signal: AbortSignal.abort() }));
    expect(error.code).toBe("CANCELLED");
    expect(fakes.requests()).toHaveLength(0);
  });

  it("times out a slow answer with PROVIDER_UNAVAILABLE and does not retry it", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ latencyMs: 2_000 });
    const error = await rejectionOf(llm.generateJson({ ...request, timeoutMs: 200 }));
    expect(error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", details: { reason: "timeout" } });
    expect(error.message).toBe("Gemini did not answer within 0.2 s.");
    expect(fakes.requests()).toHaveLength(1);
  });
});

describe("bounded concurrency", () => {
  it("keeps at most `concurrency` requests in flight per provider", async () => {
    const { llm } = serviceAgainst(fakes, { settings: { concurrency: 3 } });
    fakes.control({ latencyMs: 200 });
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, index) =>
        llm.generateJson({ ...request, messages: [{ role: "user", text: `Transcript ${index}` }] }),
      ),
    );
    expect(results).toHaveLength(9);
    const log = fakes.requests();
    expect(log).toHaveLength(9);
    expect(maxInFlight(log)).toBe(3);
  });
});
