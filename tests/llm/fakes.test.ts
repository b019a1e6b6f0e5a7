import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createRng } from "../../fakes/deterministic";
import { chunkText } from "../../fakes/fake-model";
import { registerScenario, startFakes, taskMarker, valueForSchema, type RunningFakes } from "../../fakes";

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
beforeEach(() => fakes.reset());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${fakes.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const geminiBody = (text: string, extra: Record<string, unknown> = {}) => ({
  contents: [{ role: "user", parts: [{ text }] }],
  ...extra,
});

describe("schema-driven answers", () => {
  const schemas = {
    persona: z.object({
      firstName: z.string(),
      age: z.number().int().min(18).max(90),
      income: z.number().min(1000).max(9000),
      gender: z.enum(["female", "male", "non-binary"]),
      tags: z.array(z.string().min(3).max(12)).min(2).max(5),
      nickname: z.string().optional(),
      email: z.email(),
      partner: z.object({ name: z.string() }).nullable(),
    }),
    union: z.object({
      answer: z.union([z.object({ kind: z.literal("a"), n: z.number().int().positive() }), z.string().length(5)]),
    }),
    tuple: z.object({ pair: z.tuple([z.string(), z.number().int().nonnegative()]), flag: z.literal(true) }),
  };
  it.each(Object.entries(schemas))(
    "values for %s satisfy the zod schema they came from (200 seeds)",
    (_name, schema) => {
      const json = z.toJSONSchema(schema, { io: "input" });
      for (let seed = 0; seed < 200; seed++) {
        const value = valueForSchema(json, createRng(seed));
        const parsed = schema.safeParse(value);
        expect(parsed.success, `seed ${seed}: ${JSON.stringify(value)} ${parsed.error?.message}`).toBe(true);
      }
    },
  );

  it("reads Gemini's OpenAPI-style responseSchema (upper-case types)", () => {
    const value = valueForSchema(
      {
        type: "OBJECT",
        properties: { score: { type: "INTEGER", minimum: 1, maximum: 5 }, label: { type: "STRING" } },
        required: ["score", "label"],
      },
      createRng(1),
    ) as { score: number; label: string };
    expect(Number.isInteger(value.score) && value.score >= 1 && value.score <= 5).toBe(true);
    expect(typeof value.label).toBe("string");
  });

  it("stream chunks join back to the text", () => {
    for (const text of [
      "",
      "short",
      '{"a":"long value without many spaces at all","b":[1,2,3]}',
      "A few words here.\n\nAnd more.",
    ]) {
      const chunks = chunkText(text);
      expect(chunks.join("")).toBe(text);
    }
  });
});

describe("Gemini fake", () => {
  it("answers generateContent in the documented shape, deterministically from the prompt and seed", async () => {
    const body = geminiBody("Describe the packaging.", {
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { seed: 3 },
    });
    const first = await post("/v1beta/models/gemini-2.5-flash:generateContent", body, { "x-goog-api-key": "k" });
    const again = await post("/v1beta/models/gemini-2.5-flash:generateContent", body, { "x-goog-api-key": "k" });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      candidates: [
        { content: { role: "model", parts: [{ text: expect.any(String) }] }, finishReason: "STOP", index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: expect.any(Number),
        candidatesTokenCount: expect.any(Number),
        totalTokenCount: expect.any(Number),
      },
      modelVersion: "gemini-2.5-flash",
      responseId: expect.any(String),
    });
    expect(again.body).toEqual(first.body);
    const text = first.body.candidates[0].content.parts[0].text as string;
    expect(first.body.usageMetadata.candidatesTokenCount).toBe(Math.ceil(text.length / 4));
  });

  it("accepts the key as ?key= and refuses a missing or rejected key in Google's error shape", async () => {
    expect((await post("/v1beta/models/m:generateContent?key=k", geminiBody("hi"))).status).toBe(200);
    const missing = await post("/v1beta/models/m:generateContent", geminiBody("hi"));
    expect(missing).toMatchObject({ status: 403, body: { error: { code: 403, status: "PERMISSION_DENIED" } } });
    const rejected = await post("/v1beta/models/m:generateContent", geminiBody("hi"), {
      "x-goog-api-key": "rejected-key",
    });
    expect(rejected).toMatchObject({
      status: 403,
      body: { error: { code: 403, status: "PERMISSION_DENIED", message: expect.any(String) } },
    });
  });

  it("sends 429 RESOURCE_EXHAUSTED with Retry-After and RetryInfo, then 503, as told", async () => {
    fakes.control({ fail429: 1, retryAfterSeconds: 7, fail5xx: 1 });
    const limited = await post("/v1beta/models/m:generateContent", geminiBody("hi"), { "x-goog-api-key": "k" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.body.error).toMatchObject({
      code: 429,
      status: "RESOURCE_EXHAUSTED",
      details: [{ retryDelay: "7s" }],
    });
    const down = await post("/v1beta/models/m:generateContent", geminiBody("hi"), { "x-goog-api-key": "k" });
    expect(down).toMatchObject({ status: 503, body: { error: { code: 503, status: "UNAVAILABLE" } } });
    expect((await post("/v1beta/models/m:generateContent", geminiBody("hi"), { "x-goog-api-key": "k" })).status).toBe(
      200,
    );
  });

  it("streams SSE chunks that are partial GenerateContentResponses", async () => {
    const response = await fetch(`${fakes.baseUrl}/v1beta/models/m:streamGenerateContent?alt=sse`, {
      method: "POST",
      headers: { "x-goog-api-key": "k" },
      body: JSON.stringify(geminiBody("Tell me more.")),
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const events = (await response.text()).split("\n\n").filter(Boolean);
    expect(events.every((event) => event.startsWith("data: "))).toBe(true);
    const chunks = events.map((event) => JSON.parse(event.slice(6)));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.at(-1).candidates[0].finishReason).toBe("STOP");
    expect(chunks.at(-1).usageMetadata.totalTokenCount).toBeGreaterThan(0);
  });
});

describe("OpenAI-compatible fake", () => {
  it("answers chat completions in the documented shape and lists models", async () => {
    const reply = await post(
      "/v1/chat/completions",
      {
        model: "llama3.1:8b",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
      },
      { authorization: "Bearer k" },
    );
    expect(reply.body).toMatchObject({
      object: "chat.completion",
      model: "llama3.1:8b",
      choices: [{ index: 0, message: { role: "assistant", content: expect.any(String) }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      },
    });
    const models = (await (await fetch(`${fakes.openaiBaseUrl}/models`)).json()) as {
      object: string;
      data: { id: string }[];
    };
    expect(models.object).toBe("list");
    expect(models.data.map((m) => m.id)).toContain("llama3.1:8b");
  });

  it("refuses a missing key with 401 in OpenAI's error shape", async () => {
    const reply = await post("/v1/chat/completions", { model: "m", messages: [{ role: "user", content: "Hi" }] });
    expect(reply).toMatchObject({
      status: 401,
      body: { error: { type: "invalid_request_error", message: expect.any(String) } },
    });
  });
});

describe("control endpoint and scenarios", () => {
  it("POST /__control merges options, GET reads them, POST /__reset clears them and the log", async () => {
    const set = await post("/__control", { latencyMs: 5, fail429: 2, scenarioFlags: { mismatch: 2 } });
    expect(set.body).toMatchObject({ latencyMs: 5, fail429: 2, scenarioFlags: { mismatch: 2 } });
    await post("/__control", { scenarioFlags: { other: true } });
    expect(((await (await fetch(`${fakes.baseUrl}/__control`)).json()) as any).scenarioFlags).toEqual({
      mismatch: 2,
      other: true,
    });
    await post("/v1beta/models/m:generateContent", geminiBody("hi"), { "x-goog-api-key": "k" });
    expect(((await (await fetch(`${fakes.baseUrl}/__requests`)).json()) as any).requests).toHaveLength(1);
    const reset = await post("/__reset", {});
    expect(reset.body).toMatchObject({ latencyMs: 0, fail429: 0, scenarioFlags: {} });
    expect(fakes.requests()).toHaveLength(0);
  });

  it("refuses unknown or out-of-range control options with 400", async () => {
    expect((await post("/__control", { fail429: -1 })).status).toBe(400);
    expect((await post("/__control", { rate5xx: 2 })).status).toBe(400);
    expect((await post("/__control", { explode: true })).status).toBe(400);
  });

  it("routes a `sight-task:` marker to its registered scenario, with flags it can consume", async () => {
    expect(taskMarker("You are a persona writer.\nsight-task: echo-test\nBe kind.")).toBe("echo-test");
    expect(taskMarker("no marker here")).toBeNull();
    const unregister = registerScenario("echo-test", (request) =>
      request.takeFlag("shout")
        ? { said: request.messages.at(-1)?.text.toUpperCase() }
        : { said: request.messages.at(-1)?.text },
    );
    try {
      fakes.control({ scenarioFlags: { shout: 1 } });
      const ask = () =>
        post(
          "/v1/chat/completions",
          {
            model: "m",
            messages: [
              { role: "system", content: "sight-task: echo-test" },
              { role: "user", content: "hello" },
            ],
            response_format: { type: "json_object" },
          },
          { authorization: "Bearer k" },
        );
      const first = JSON.parse((await ask()).body.choices[0].message.content);
      const second = JSON.parse((await ask()).body.choices[0].message.content);
      expect([first, second]).toEqual([{ said: "HELLO" }, { said: "hello" }]);
      expect(fakes.requests().map((r) => r.scenario)).toEqual(["echo-test", "echo-test"]);
    } finally {
      unregister();
    }
  });
});
