import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LLM_SETTINGS } from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import { data, startTestApp, type TestApp } from "../support/services";
import { FAST_POLICY } from "./harness";

const ctx = { transport: "ipc" as const };
let fakes: RunningFakes;
let app: TestApp;

beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
beforeEach(async () => {
  fakes.reset();
  app = await startTestApp({ env: { ...fakes.env }, llmPolicy: FAST_POLICY });
});
afterEach(async () => app.close());

async function appWithEnv(env: Record<string, string | undefined>): Promise<TestApp> {
  await app.close();
  app = await startTestApp({ env, llmPolicy: FAST_POLICY });
  return app;
}

describe("llm routes", () => {
  it("llm.getSettings returns the defaults on a new data folder", async () => {
    expect(data(await app.router.invoke("llm.getSettings", {}, ctx))).toEqual(DEFAULT_LLM_SETTINGS);
  });

  it("llm.updateSettings merges, persists to llm-settings.json and emits db.changed", async () => {
    const changed: string[][] = [];
    app.services.bus.on("db.changed", ({ tables }) => changed.push(tables));
    const next = data(await app.router.invoke("llm.updateSettings", { concurrency: 4, provider: "openai" }, ctx));
    expect(next).toEqual({ ...DEFAULT_LLM_SETTINGS, concurrency: 4, provider: "openai" });
    expect(JSON.parse(fs.readFileSync(path.join(app.dataDir, "llm-settings.json"), "utf8"))).toEqual(next);
    expect(changed).toEqual([["LlmSettings"]]);
    expect(data(await app.router.invoke("llm.getSettings", {}, ctx))).toEqual(next);
  });

  it("llm.updateSettings refuses invalid values with VALIDATION_FAILED and changes nothing", async () => {
    for (const input of [
      { concurrency: 0 },
      { provider: "claude" },
      { openaiBaseUrl: "ftp://127.0.0.1/v1" },
      { requestTimeoutMs: 10 },
      { models: { personas: "" } },
      { prices: { "gemini-2.5-flash": { inputPerMTok: -1, outputPerMTok: 1 } } },
    ]) {
      expect(await app.router.invoke("llm.updateSettings", input, ctx), JSON.stringify(input)).toMatchObject({
        error: { code: "VALIDATION_FAILED" },
      });
    }
    expect(fs.existsSync(path.join(app.dataDir, "llm-settings.json"))).toBe(false);
  });

  it("llm.status says which provider is in force and that it is Sight's fake", async () => {
    expect(data(await app.router.invoke("llm.status", {}, ctx))).toMatchObject({
      provider: "gemini",
      configured: true,
      isFake: true,
      keySource: "environment",
      baseUrl: fakes.geminiBaseUrl,
    });
  });

  it("llm.testConnection succeeds against the fake with one small JSON request", async () => {
    const result = data(await app.router.invokeTyped("llm.testConnection", {}, ctx));
    expect(result).toMatchObject({ ok: true, provider: "gemini", model: "gemini-2.5-flash" });
    expect(result.message).toMatch(/^Connected to Sight's test fake \(gemini-2\.5-flash\) in \d+ ms\.$/);
    expect(fakes.requests()).toHaveLength(1);
    expect(fakes.requests()[0]).toMatchObject({ hasSchema: true, scenario: "connection-test" });
  });

  it("llm.testConnection can test the other provider", async () => {
    const result = data(await app.router.invokeTyped("llm.testConnection", { provider: "openai" }, ctx));
    expect(result).toMatchObject({ ok: true, provider: "openai" });
    expect(fakes.requests()[0]?.api).toBe("openai");
  });

  it("llm.testConnection reports a rejected key clearly instead of failing the route", async () => {
    await appWithEnv({ ...fakes.env, GEMINI_API_KEY: "rejected-key" });
    const result = data(await app.router.invokeTyped("llm.testConnection", {}, ctx));
    expect(result).toMatchObject({ ok: false, provider: "gemini" });
    expect(result.message).toBe("Gemini rejected the API key (HTTP 403). Check the key in Settings.");
    expect(fakes.requests()).toHaveLength(1);
  });

  it("llm.testConnection reports a missing key without calling anything, and an outage without retrying", async () => {
    await appWithEnv({ ...fakes.env, GEMINI_API_KEY: undefined });
    expect(data(await app.router.invoke("llm.testConnection", {}, ctx))).toMatchObject({
      ok: false,
      message: "No Gemini API key: set one in Settings → AI provider, or set GEMINI_API_KEY.",
    });
    expect(fakes.requests()).toHaveLength(0);

    await appWithEnv({ ...fakes.env });
    fakes.control({ fail5xx: 3 });
    expect(data(await app.router.invoke("llm.testConnection", {}, ctx))).toMatchObject({
      ok: false,
      message: "Gemini is unavailable (HTTP 503).",
    });
    expect(fakes.requests()).toHaveLength(1);
  });

  it("a key stored through secrets.set is used, and no llm route returns it", async () => {
    await appWithEnv({ SIGHT_GEMINI_BASE_URL: fakes.geminiBaseUrl });
    const key = "test-gemini-key-never-returned";
    data(await app.router.invoke("secrets.set", { key: "llm.gemini.apiKey", value: key }, ctx));
    const outputs = await Promise.all([
      app.router.invoke("llm.getSettings", {}, ctx),
      app.router.invoke("llm.status", {}, ctx),
      app.router.invoke("llm.testConnection", {}, ctx),
    ]);
    expect(outputs[1]).toMatchObject({ data: { keySource: "secret-store", configured: true, isFake: false } });
    expect(outputs[2]).toMatchObject({ data: { ok: true } });
    expect(JSON.stringify(outputs)).not.toContain(key);
  });

  it("repointing a provider's base URL deletes its stored key, so the key never reaches the new host", async () => {
    // Someone else's server, recording every request that reaches it.
    const seen: http.IncomingHttpHeaders[] = [];
    const urls: string[] = [];
    const collector = http.createServer((request, response) => {
      seen.push(request.headers);
      urls.push(request.url ?? "");
      response.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const elsewhere = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    try {
      await appWithEnv({});
      const geminiKey = "test-gemini-key-bound-to-google";
      const openaiKey = "sk-test-bound-to-the-local-endpoint-0123";
      data(await app.router.invoke("secrets.set", { key: "llm.gemini.apiKey", value: geminiKey }, ctx));
      data(await app.router.invoke("secrets.set", { key: "llm.openai.apiKey", value: openaiKey }, ctx));
      // The same endpoint written differently is not a move: the key stays.
      data(
        await app.router.invoke(
          "llm.updateSettings",
          { geminiBaseUrl: "https://generativelanguage.googleapis.com/" },
          ctx,
        ),
      );
      expect(await app.services.deps.secrets.get("llm.gemini.apiKey")).toBe(geminiKey);

      const changed: string[][] = [];
      app.services.bus.on("db.changed", ({ tables }) => changed.push(tables));
      data(await app.router.invoke("llm.updateSettings", { geminiBaseUrl: elsewhere }, ctx));
      expect(changed).toEqual([["LlmSettings", "Secrets"]]);
      expect(data(await app.router.invoke("secrets.has", { key: "llm.gemini.apiKey" }, ctx))).toEqual({
        key: "llm.gemini.apiKey",
        present: false,
      });
      // Only the moved provider's key goes.
      expect(await app.services.deps.secrets.get("llm.openai.apiKey")).toBe(openaiKey);
      expect(data(await app.router.invoke("llm.status", {}, ctx))).toMatchObject({
        configured: false,
        keySource: "none",
        missing: "No Gemini API key: set one in Settings → AI provider, or set GEMINI_API_KEY.",
      });
      expect(data(await app.router.invoke("llm.testConnection", {}, ctx))).toMatchObject({ ok: false });
      expect(seen).toHaveLength(0);

      // A key entered after the change is meant for the new endpoint, and is sent there.
      const newKey = "test-gemini-key-for-the-new-host";
      data(await app.router.invoke("secrets.set", { key: "llm.gemini.apiKey", value: newKey }, ctx));
      await app.router.invoke("llm.testConnection", {}, ctx);
      expect(seen.length).toBeGreaterThan(0);
      expect(JSON.stringify([seen, urls])).not.toContain(geminiKey);
      expect(JSON.stringify([seen, urls])).toContain(newKey);

      data(await app.router.invoke("llm.updateSettings", { openaiBaseUrl: `${elsewhere}/v1` }, ctx));
      expect(await app.services.deps.secrets.has("llm.openai.apiKey")).toBe(false);
      expect(await app.services.deps.secrets.get("llm.gemini.apiKey")).toBe(newKey);
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it("never sends a key from the environment to a base URL changed in Settings", async () => {
    await appWithEnv({ GEMINI_API_KEY: "env-key-0123456789abcdef" });
    expect(data(await app.router.invoke("llm.status", {}, ctx))).toMatchObject({ keySource: "environment" });
    data(await app.router.invoke("llm.updateSettings", { geminiBaseUrl: "http://127.0.0.1:9/" }, ctx));
    const moved = data(await app.router.invoke("llm.status", {}, ctx)) as { missing: string };
    expect(moved).toMatchObject({ keySource: "none", configured: false, baseUrl: "http://127.0.0.1:9" });
    expect(moved.missing).toMatch(/GEMINI_API_KEY is only sent to https:\/\/generativelanguage\.googleapis\.com/);
    // The connection test says so without calling the endpoint (latency 0: no request made).
    expect(data(await app.router.invoke("llm.testConnection", {}, ctx))).toMatchObject({
      ok: false,
      latencyMs: 0,
      message: moved.missing,
    });
    // Back at the default endpoint, the environment's key applies again.
    data(await app.router.invoke("llm.updateSettings", { geminiBaseUrl: "" }, ctx));
    expect(data(await app.router.invoke("llm.status", {}, ctx))).toMatchObject({ keySource: "environment" });
  });
});
