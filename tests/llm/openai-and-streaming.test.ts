import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFakes, type RunningFakes } from "../../fakes";
import type { LlmUsage } from "../../src/main/services/llm/types";
import { rejectionOf, serviceAgainst } from "./harness";

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
beforeEach(() => fakes.reset());

const discussionTurn = {
  task: "discussion" as const,
  system: "You are Anna, 34, a nurse from Warsaw, in a focus group about oat milk.",
  messages: [
    { role: "user" as const, text: "Moderator: What do you think of the new packaging?" },
    { role: "model" as const, text: "It looks fresh." },
    { role: "user" as const, text: "Moderator: Would you pay more for it?" },
  ],
};

const OPENAI = { SIGHT_LLM_PROVIDER: "openai" };

describe("streaming", () => {
  it("Gemini: delivers tokens in order, and joined they equal the final value", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ streamChunkDelayMs: 2 });
    const tokens: string[] = [];
    const usages: LlmUsage[] = [];
    const result = await llm.streamText({
      ...discussionTurn,
      onToken: (t) => tokens.push(t),
      onUsage: (u) => usages.push(u),
    });
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join("")).toBe(result.value);
    expect(result.value.length).toBeGreaterThan(20);
    expect(result).toMatchObject({ provider: "gemini", model: "gemini-2.5-flash" });
    expect(result.usage.outputTokens).toBe(Math.ceil(result.value.length / 4));
    expect(usages).toEqual([result.usage]);

    const [sent] = fakes.requests();
    expect(sent).toMatchObject({
      stream: true,
      hasSchema: false,
      path: "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    });
    expect(sent?.messages.map((m) => m.role)).toEqual(["user", "model", "user"]);
  });

  it("Gemini: retries a stream that failed before any text arrived", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ fail5xx: 1 });
    const tokens: string[] = [];
    const result = await llm.streamText({ ...discussionTurn, onToken: (t) => tokens.push(t) });
    expect(tokens.join("")).toBe(result.value);
    expect(fakes.requests().map((r) => r.status)).toEqual([503, 200]);
  });

  it("OpenAI-compatible: streams in order with usage from the final chunk", async () => {
    const { llm } = serviceAgainst(fakes, { env: OPENAI });
    const tokens: string[] = [];
    const result = await llm.streamText({ ...discussionTurn, onToken: (t) => tokens.push(t) });
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join("")).toBe(result.value);
    expect(result.provider).toBe("openai");
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBe(Math.ceil(result.value.length / 4));
    expect(fakes.requests()[0]).toMatchObject({ api: "openai", stream: true, path: "/v1/chat/completions" });
  });

  it("the same conversation streams the same text from both providers' fakes", async () => {
    const gemini = await serviceAgainst(fakes).llm.streamText({ ...discussionTurn, onToken: () => {} });
    const openai = await serviceAgainst(fakes, { env: OPENAI }).llm.streamText({
      ...discussionTurn,
      onToken: () => {},
    });
    expect(openai.value).toBe(gemini.value);
  });
});

describe("OpenAI-compatible provider (openai SDK)", () => {
  const schema = z.object({
    themes: z
      .array(z.object({ label: z.string(), sentiment: z.enum(["positive", "neutral", "negative"]) }))
      .min(2)
      .max(4),
  });
  const analysis = {
    task: "analysis" as const,
    system: "Find the themes.",
    messages: [{ role: "user" as const, text: "Transcript" }],
    schema,
  };

  it("returns schema-valid JSON using response_format json_schema, the system message and the model", async () => {
    const { llm } = serviceAgainst(fakes, {
      env: OPENAI,
      settings: { models: { personas: "m", discussion: "m", analysis: "qwen2.5:7b" } },
    });
    const result = await llm.generateJson({ ...analysis, schemaName: "themes" });
    expect(schema.parse(result.value)).toEqual(result.value);
    expect(result).toMatchObject({
      provider: "openai",
      model: "qwen2.5:7b",
      attempts: 1,
      usage: { priced: false, costUsd: 0 },
    });
    expect(fakes.requests()[0]).toMatchObject({
      api: "openai",
      model: "qwen2.5:7b",
      system: "Find the themes.",
      hasSchema: true,
      keyPresent: true,
    });
  });

  it("feeds validation errors back as assistant + user messages", async () => {
    const { llm } = serviceAgainst(fakes, { env: OPENAI });
    fakes.control({ malformed: 1 });
    const result = await llm.generateJson(analysis);
    expect(result.attempts).toBe(2);
    const retried = fakes.requests()[1]!;
    expect(retried.messages.map((m) => m.role)).toEqual(["user", "model", "user"]);
    expect(retried.messages[2]?.text).toMatch(/^Your previous answer was invalid: the answer is not valid JSON/);
  });

  it("honours Retry-After on 429 and retries 5xx", async () => {
    const { llm } = serviceAgainst(fakes, { env: OPENAI });
    fakes.control({ fail429: 1, retryAfterSeconds: 0.3, fail5xx: 1 });
    await llm.generateJson(analysis);
    const log = fakes.requests();
    expect(log.map((r) => r.status)).toEqual([429, 503, 200]);
    expect(log[1]!.startedAt - log[0]!.endedAt!).toBeGreaterThanOrEqual(290);
  });

  it("refuses a rejected key (401) with a clear message and no retries", async () => {
    const { llm } = serviceAgainst(fakes, { env: { ...OPENAI, SIGHT_OPENAI_API_KEY: "rejected-key" } });
    const error = await rejectionOf(llm.generateJson(analysis));
    expect(error).toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      details: { provider: "openai", reason: "auth", status: 401 },
    });
    expect(error.message).toBe(
      "The OpenAI-compatible endpoint rejected the API key (HTTP 401). Check the key in Settings.",
    );
    expect(fakes.requests()).toHaveLength(1);
  });

  it("needs no key for a local endpoint, but does for api.openai.com", async () => {
    const local = serviceAgainst(fakes, { env: { ...OPENAI, SIGHT_OPENAI_API_KEY: undefined } });
    expect(await local.llm.status()).toMatchObject({ provider: "openai", configured: true, keySource: "not-needed" });
    const cloud = serviceAgainst(fakes, {
      env: { ...OPENAI, SIGHT_OPENAI_API_KEY: undefined, SIGHT_OPENAI_BASE_URL: "https://api.openai.com/v1" },
    });
    const error = await rejectionOf(cloud.llm.generateJson(analysis));
    expect(error.message).toMatch(/^No API key for the OpenAI-compatible endpoint/);
    expect(fakes.requests()).toHaveLength(0);
  });
});
