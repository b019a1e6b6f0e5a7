import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakes, type RunningFakes } from "../../fakes";
import { REJECTED_KEY } from "../../fakes/gemini-api";
import { createWorkerAdapters, type WorkerAdapters } from "../../src/main/services/llm/providers/worker-adapters";
import { ProviderFailure } from "../../src/main/services/llm/provider-failure";
import { rejectionOf, serviceAgainst } from "./harness";

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
beforeEach(() => fakes.reset());

const pools: WorkerAdapters[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});
function pool(options: Parameters<typeof createWorkerAdapters>[0] = {}) {
  const created = createWorkerAdapters(options);
  pools.push(created);
  return created;
}

const turn = {
  task: "discussion" as const,
  system: "You are Anna, 34, a nurse from Warsaw, in a focus group about oat milk.",
  messages: [{ role: "user" as const, text: "Moderator: Would you pay more for the new packaging?" }],
};

describe("provider calls in worker threads", () => {
  it("streams every token in order, the first one at once and the rest joined per frame", async () => {
    const { llm } = serviceAgainst(fakes, { adapters: pool().adapters });
    // Pieces 40 ms apart: each arrives as its own event; without a delay they come joined.
    fakes.control({ streamChunkDelayMs: 40 });
    const spaced: string[] = [];
    const result = await llm.streamText({ ...turn, onToken: (t) => spaced.push(t) });
    expect(spaced.join("")).toBe(result.value);
    expect(result.value.length).toBeGreaterThan(40);
    expect(spaced.length).toBeGreaterThan(3);
    expect(result).toMatchObject({ provider: "gemini", model: "gemini-2.5-flash" });
    expect(result.usage.outputTokens).toBe(Math.ceil(result.value.length / 4));

    fakes.control({ streamChunkDelayMs: 0 });
    const burst: string[] = [];
    const again = await llm.streamText({ ...turn, onToken: (t) => burst.push(t) });
    expect(again.value).toBe(result.value);
    expect(burst.join("")).toBe(again.value);
    // A burst of SDK chunks crosses as the first piece plus one joined remainder.
    expect(burst.length).toBeLessThanOrEqual(2);
    expect(burst.length).toBeLessThan(spaced.length);
  });

  it("keeps the failure kinds: Retry-After is honoured on 429, a rejected key is not retried", async () => {
    const { llm } = serviceAgainst(fakes, { adapters: pool().adapters });
    fakes.control({ fail429: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await llm.streamText({ ...turn, onToken: () => undefined });
    expect(fakes.requests().map((r) => r.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.value.length).toBeGreaterThan(20);

    fakes.reset();
    const rejected = serviceAgainst(fakes, { adapters: pool().adapters, env: { GEMINI_API_KEY: REJECTED_KEY } });
    const failure = await rejectionOf(rejected.llm.streamText({ ...turn, onToken: () => undefined }));
    expect(failure).toMatchObject({ code: "PROVIDER_UNAVAILABLE", details: { reason: "auth", status: 403 } });
    expect(failure.message).not.toContain(REJECTED_KEY);
    expect(fakes.requests().map((r) => r.status)).toEqual([403]);
  });

  it("a token consumer that throws fails its call, as it does in-process", async () => {
    const { llm } = serviceAgainst(fakes, { adapters: pool().adapters });
    const failure = await llm
      .streamText({
        ...turn,
        onToken: () => {
          throw new Error("the screen went away");
        },
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(JSON.stringify(failure) + String(failure)).toMatch(/the screen went away|PROVIDER_UNAVAILABLE|INTERNAL/);
    // The provider worker is still usable afterwards.
    const next = await llm.streamText({ ...turn, onToken: () => undefined });
    expect(next.value.length).toBeGreaterThan(20);
  });

  it("a cancelled call stops its request in the worker and rejects with CANCELLED", async () => {
    const { llm } = serviceAgainst(fakes, { adapters: pool().adapters });
    fakes.control({ latencyMs: 5_000 });
    const controller = new AbortController();
    const call = llm.streamText({ ...turn, onToken: () => undefined, signal: controller.signal });
    await expect.poll(() => fakes.requests().length, { timeout: 10_000 }).toBe(1);
    controller.abort();
    expect(await rejectionOf(call)).toMatchObject({ code: "CANCELLED" });
    // The worker aborted the fetch: the fake saw the connection close long before its 5 s.
    await expect.poll(() => fakes.requests()[0]?.endedAt ?? null, { timeout: 2_000 }).not.toBeNull();
  });

  it("a worker that dies fails its calls as network failures, says so once, and the next call starts a new one", async () => {
    const crashes: Error[] = [];
    // A stand-in worker that dies on its first message, as a crashed one would.
    const dying = pool({
      size: 1,
      onCrash: (error) => crashes.push(error),
      spec: { kind: "eval", code: `require("node:worker_threads").parentPort.on("message", () => process.exit(7));` },
    });
    const config = {
      provider: "gemini" as const,
      baseUrl: "http://127.0.0.1:9",
      baseUrlSource: "default" as const,
      apiKey: null,
      keySource: "none" as const,
      missing: null,
      isFake: true,
    };
    const request = { model: "m", system: "s", messages: [{ role: "user" as const, text: "hi" }] };
    const failure = await dying.adapters.gemini.generate(config, request, new AbortController().signal).catch((e) => e);
    expect(failure).toBeInstanceOf(ProviderFailure);
    expect(failure).toMatchObject({ kind: "network" });
    expect((failure as Error).message).toMatch(/provider worker stopped: exit code 7/);
    expect(crashes).toHaveLength(1);
    // The next call gets a fresh worker (which dies the same way here).
    await expect(dying.adapters.gemini.generate(config, request, new AbortController().signal)).rejects.toMatchObject({
      kind: "network",
    });
    expect(crashes).toHaveLength(2);
  });

  it("warm() starts the workers before any call, and close() refuses further calls", async () => {
    const warmed = pool({ size: 2 });
    await warmed.warm();
    const { llm } = serviceAgainst(fakes, { adapters: warmed.adapters });
    const results = await Promise.all([1, 2, 3, 4].map(() => llm.streamText({ ...turn, onToken: () => undefined })));
    expect(new Set(results.map((r) => r.value)).size).toBe(1);
    await warmed.close();
    expect(await rejectionOf(llm.streamText({ ...turn, onToken: () => undefined }))).toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
    });
  });
});
