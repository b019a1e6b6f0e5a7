import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFakes, type RunningFakes } from "../../fakes";
import type { LlmUsage } from "../../src/main/services/llm/types";
import { rejectionOf, serviceAgainst } from "./harness";

const personaSchema = z.object({
  name: z.string().min(2).max(60),
  age: z.number().int().min(18).max(90),
  occupation: z.string().min(1),
  traits: z
    .array(z.enum(["curious", "frugal", "loyal", "sceptical"]))
    .min(1)
    .max(3),
  quote: z.string().min(10),
});

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
beforeEach(() => fakes.reset());

const request = {
  task: "personas" as const,
  system: "You write one synthetic persona for a market-research panel.",
  messages: [{ role: "user" as const, text: "One persona from Kraków, please." }],
  schema: personaSchema,
};

describe("generateJson against the Gemini fake (@google/genai)", () => {
  it("returns a value that passes the zod schema, with usage, model and provider", async () => {
    const { llm } = serviceAgainst(fakes);
    const result = await llm.generateJson(request);
    expect(personaSchema.parse(result.value)).toEqual(result.value);
    expect(result).toMatchObject({ provider: "gemini", model: "gemini-2.5-flash", attempts: 1 });
    expect(result.usage.calls).toBe(1);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);

    const [sent] = fakes.requests();
    expect(sent).toMatchObject({
      api: "gemini",
      model: "gemini-2.5-flash",
      hasSchema: true,
      keyPresent: true,
      status: 200,
    });
    expect(sent?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(sent?.system).toBe(request.system);
    expect(sent?.messages).toEqual([{ role: "user", text: "One persona from Kraków, please." }]);
  });

  it("sends temperature and seed, and the same prompt and seed give the same value", async () => {
    const { llm } = serviceAgainst(fakes);
    const first = await llm.generateJson({ ...request, temperature: 0.4, seed: 7 });
    const second = await llm.generateJson({ ...request, temperature: 0.4, seed: 7 });
    const other = await llm.generateJson({ ...request, temperature: 0.4, seed: 8 });
    expect(second.value).toEqual(first.value);
    expect(other.value).not.toEqual(first.value);
    expect(fakes.requests()[0]).toMatchObject({ temperature: 0.4, seed: 7 });
  });

  it("uses the model configured for the task unless the request names one", async () => {
    const { llm } = serviceAgainst(fakes);
    await llm.generateJson({ ...request, task: "analysis" });
    await llm.generateJson({ ...request, model: "gemini-2.5-flash-lite" });
    expect(fakes.requests().map((r) => r.model)).toEqual(["gemini-2.5-pro", "gemini-2.5-flash-lite"]);
  });

  it("retries broken JSON once and succeeds on attempt 2, counting the usage of both calls", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ malformed: 1 });
    const seen: LlmUsage[] = [];
    const result = await llm.generateJson({ ...request, onUsage: (usage) => seen.push(usage) });
    expect(result.attempts).toBe(2);
    expect(personaSchema.safeParse(result.value).success).toBe(true);
    expect(fakes.requests().map((r) => r.fault)).toEqual(["malformed", null]);
    expect(seen).toHaveLength(2);
    expect(seen.every((usage) => usage.calls === 1 && usage.outputTokens > 0)).toBe(true);
    expect(result.usage.calls).toBe(2);
    expect(result.usage.inputTokens).toBe(seen[0]!.inputTokens + seen[1]!.inputTokens);
    expect(result.usage.outputTokens).toBe(seen[0]!.outputTokens + seen[1]!.outputTokens);
    expect(result.usage.costUsd).toBeCloseTo(seen[0]!.costUsd + seen[1]!.costUsd, 12);
  });

  it("feeds the bad answer and the validation error back to the model in the retried request", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ malformed: 1 });
    await llm.generateJson(request);
    const [first, second] = fakes.requests();
    expect(first?.messages).toHaveLength(1);
    expect(second?.messages).toHaveLength(3);
    expect(second?.messages[1]).toEqual({ role: "model", text: expect.any(String) });
    expect(() => JSON.parse(second!.messages[1]!.text)).toThrow();
    expect(second?.messages[2]?.role).toBe("user");
    expect(second?.messages[2]?.text).toMatch(
      /^Your previous answer was invalid: the answer is not valid JSON \(.+\)\. Answer again with JSON that matches the schema\.$/,
    );
  });

  it("retries a semantic check that fails and passes its message to the model", async () => {
    const { llm } = serviceAgainst(fakes);
    let calls = 0;
    const result = await llm.generateJson({
      ...request,
      validate: () => (++calls === 1 ? "the persona must live in Kraków" : null),
    });
    expect(result.attempts).toBe(2);
    expect(fakes.requests()[1]?.messagesText).toContain(
      "Your previous answer was invalid: the persona must live in Kraków.",
    );
  });

  it("gives up after maxAttempts invalid answers with PROVIDER_UNAVAILABLE and the issues", async () => {
    const { llm } = serviceAgainst(fakes);
    fakes.control({ malformed: 5 });
    const seen: LlmUsage[] = [];
    const error = await rejectionOf(
      llm.generateJson({ ...request, maxAttempts: 2, onUsage: (usage) => seen.push(usage) }),
    );
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(error.message).toMatch(/^The model kept returning invalid output after 2 attempts/);
    expect(error.details).toMatchObject({
      reason: "invalid_output",
      attempts: 2,
      issues: [expect.stringMatching(/not valid JSON/)],
    });
    expect(fakes.requests()).toHaveLength(2);
    expect(seen).toHaveLength(2);
  });

  it("reports zod issues by path when the JSON does not fit the schema", async () => {
    const { llm } = serviceAgainst(fakes);
    // A refinement is not part of the JSON schema the fake follows, so its answers fail it.
    const stricter = personaSchema.extend({
      age: z
        .number()
        .int()
        .refine((age) => age > 1000, "must be over 1000"),
    });
    const error = await rejectionOf(llm.generateJson({ ...request, schema: stricter, maxAttempts: 1 }));
    expect(error.details).toMatchObject({ reason: "invalid_output", issues: ["age: must be over 1000"] });
  });

  it("prices each call from the settings' price table, and flags a model without a price", async () => {
    const { llm, settings } = serviceAgainst(fakes);
    settings.update({ prices: { "gemini-2.5-flash": { inputPerMTok: 2, outputPerMTok: 10 } } });
    const priced = await llm.generateJson(request);
    const { inputTokens, outputTokens } = priced.usage;
    expect(priced.usage.costUsd).toBeCloseTo((inputTokens / 1e6) * 2 + (outputTokens / 1e6) * 10, 12);
    expect(priced.usage.priced).toBe(true);

    const unpriced = await llm.generateJson({ ...request, model: "some-unlisted-model" });
    expect(unpriced.usage).toMatchObject({ costUsd: 0, priced: false });
    expect(unpriced.usage.outputTokens).toBeGreaterThan(0);
  });
});
