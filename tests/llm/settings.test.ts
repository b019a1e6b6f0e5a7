import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LLM_SETTINGS } from "../../src/shared/contract";
import { createLlmService } from "../../src/main/services/llm/llm-service";
import { createLlmSettingsStore, createMemoryLlmSettingsStore } from "../../src/main/services/llm/settings-store";
import { silentLogger } from "../../src/main/services/logger";
import { createMemorySecretStore } from "../../src/main/services/secrets/secret-store";
import { startFakes, type RunningFakes } from "../../fakes";
import { tempDir } from "../support/services";
import { FAST_POLICY, rejectionOf } from "./harness";

describe("LLM settings file", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir("sight-llm-settings-");
    file = path.join(dir, "llm-settings.json");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("starts from the defaults when there is no file", () => {
    expect(createLlmSettingsStore(file).get()).toEqual(DEFAULT_LLM_SETTINGS);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("persists updates atomically, and a new store reads them back", () => {
    const updated = createLlmSettingsStore(file).update({
      provider: "openai",
      concurrency: 3,
      openaiBaseUrl: "http://127.0.0.1:1234/v1",
    });
    expect(updated).toMatchObject({ provider: "openai", concurrency: 3, models: DEFAULT_LLM_SETTINGS.models });
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(updated);
    expect(createLlmSettingsStore(file).get()).toEqual(updated);
    expect(fs.readdirSync(dir)).toEqual(["llm-settings.json"]);
  });

  it("refuses an invalid value and leaves the file as it was", () => {
    const store = createLlmSettingsStore(file);
    store.update({ concurrency: 5 });
    const before = fs.readFileSync(file, "utf8");
    expect(() => store.update({ concurrency: 0 })).toThrow();
    expect(() => store.update({ geminiBaseUrl: "file:///etc/passwd" })).toThrow();
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    expect(store.get().concurrency).toBe(5);
  });

  it("falls back per field on a damaged or hand-edited file", () => {
    fs.writeFileSync(file, JSON.stringify({ provider: "openai", concurrency: "many", requestTimeoutMs: 5000 }));
    expect(createLlmSettingsStore(file).get()).toEqual({
      ...DEFAULT_LLM_SETTINGS,
      provider: "openai",
      requestTimeoutMs: 5000,
    });
    fs.writeFileSync(file, "{ not json");
    expect(createLlmSettingsStore(file).get()).toEqual(DEFAULT_LLM_SETTINGS);
  });
});

describe("environment overrides and status", () => {
  let fakes: RunningFakes;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => fakes.close());
  beforeEach(() => fakes.reset());

  const service = (env: Record<string, string | undefined>, stored: { gemini?: string } = {}, settings = {}) =>
    createLlmService({
      settings: createMemoryLlmSettingsStore(settings),
      secrets: createMemorySecretStore(stored.gemini ? { "llm.gemini.apiKey": stored.gemini } : {}),
      env,
      logger: silentLogger,
      policy: FAST_POLICY,
    });

  it("reports the real Gemini endpoint, a missing key and no fake by default", async () => {
    expect(await service({}).status()).toEqual({
      provider: "gemini",
      configured: false,
      missing: "No Gemini API key: set one in Settings → AI provider, or set GEMINI_API_KEY.",
      baseUrl: "https://generativelanguage.googleapis.com",
      keySource: "none",
      baseUrlSource: "default",
      isFake: false,
      models: DEFAULT_LLM_SETTINGS.models,
    });
  });

  it("labels the fakes' environment as a fake with keys and URLs from the environment", async () => {
    expect(await service(fakes.env).status()).toMatchObject({
      provider: "gemini",
      configured: true,
      missing: null,
      baseUrl: fakes.geminiBaseUrl,
      keySource: "environment",
      baseUrlSource: "environment",
      isFake: true,
    });
  });

  it("takes the base URL from settings unless the environment overrides it", async () => {
    const settings = { geminiBaseUrl: "https://gateway.example.com/gemini/" };
    expect(await service({ GEMINI_API_KEY: "k" }, {}, settings).status()).toMatchObject({
      baseUrl: "https://gateway.example.com/gemini",
      baseUrlSource: "settings",
    });
    expect(
      await service({ GEMINI_API_KEY: "k", SIGHT_GEMINI_BASE_URL: fakes.geminiBaseUrl }, {}, settings).status(),
    ).toMatchObject({
      baseUrl: fakes.geminiBaseUrl,
      baseUrlSource: "environment",
    });
  });

  it("SIGHT_LLM_PROVIDER picks the provider over the settings; an unknown name is ignored", async () => {
    expect((await service({ SIGHT_LLM_PROVIDER: "openai" }).status()).provider).toBe("openai");
    expect((await service({ SIGHT_LLM_PROVIDER: "claude" }, {}, { provider: "openai" }).status()).provider).toBe(
      "openai",
    );
  });

  it("prefers the stored key to GEMINI_API_KEY", async () => {
    const env = { ...fakes.env, SIGHT_LLM_FAKE: undefined };
    const llm = service(env, { gemini: "rejected-key" });
    expect(await llm.status()).toMatchObject({ keySource: "secret-store", isFake: false });
    const error = await rejectionOf(
      llm.streamText({ task: "discussion", system: "s", messages: [{ role: "user", text: "hi" }], onToken: () => {} }),
    );
    expect(error.message).toBe("Gemini rejected the API key (HTTP 403). Check the key in Settings.");
  });

  it("uses the environment's fake key when pointed at the fakes, so a stored real key never reaches them", async () => {
    const llm = service(fakes.env, { gemini: "test-gemini-stored-key-000000" });
    expect(await llm.status()).toMatchObject({ keySource: "environment", isFake: true });
    await llm.streamText({
      task: "discussion",
      system: "s",
      messages: [{ role: "user", text: "hi" }],
      onToken: () => {},
    });
    expect(fakes.requests()[0]).toMatchObject({ status: 200, keyPresent: true });
  });

  it("never puts a key in the status", async () => {
    const key = "test-gemini-key-never-returned";
    const status = await service({ GEMINI_API_KEY: "env-key-value" }, { gemini: key }).status();
    expect(JSON.stringify(status)).not.toContain(key);
    expect(JSON.stringify(status)).not.toContain("env-key-value");
  });
});
