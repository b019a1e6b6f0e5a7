import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findPrice, priceCall } from "../../src/main/services/llm/pricing";
import { kindForStatus, parseRetryAfter } from "../../src/main/services/llm/provider-failure";
import { scrubMessage } from "../../src/main/services/llm/providers/provider";
import { jsonSchemaFor, parseOutput } from "../../src/main/services/llm/structured-output";

const headers = (values: Record<string, string>) => new Headers(values);

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  it.each([
    [{ "retry-after": "3" }, 3000],
    [{ "retry-after": "0" }, 0],
    [{ "retry-after": "1.5" }, 1500],
    [{ "retry-after": "Thu, 01 Jan 2026 12:00:10 GMT" }, 10_000],
    [{ "retry-after": "Thu, 01 Jan 2026 11:59:00 GMT" }, 0],
    [{ "retry-after-ms": "250", "retry-after": "9" }, 250],
    [{ "retry-after": "soon" }, undefined],
    [{}, undefined],
  ])("%j → %s ms", (values, expected) => {
    expect(parseRetryAfter(headers(values), now)).toBe(expected);
  });
});

describe("kindForStatus", () => {
  it.each([
    [401, "auth"],
    [403, "auth"],
    [429, "rate_limited"],
    [500, "server"],
    [502, "server"],
    [503, "server"],
    [504, "server"],
    [400, "rejected"],
    [404, "rejected"],
    [501, "rejected"],
  ])("HTTP %i is %s", (status, kind) => expect(kindForStatus(status)).toBe(kind));
});

describe("pricing", () => {
  const prices = {
    "gemini-2.5-flash": { inputPerMTok: 0.3, outputPerMTok: 2.5 },
    "gemini-2.5-flash-lite": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  };
  it("costs input and output tokens per million", () => {
    expect(priceCall("gemini-2.5-flash", 1_000_000, 200_000, prices)).toEqual({
      inputTokens: 1_000_000,
      outputTokens: 200_000,
      costUsd: 0.3 + 0.5,
      calls: 1,
      priced: true,
    });
  });
  it.each([
    ["gemini-2.5-flash", "gemini-2.5-flash"],
    ["models/gemini-2.5-flash", "gemini-2.5-flash"],
    ["gemini-2.5-flash-001", "gemini-2.5-flash"],
    ["gemini-2.5-flash-lite-preview", "gemini-2.5-flash-lite"],
    ["gemini-2.5-flashy", undefined],
    ["llama3.1:8b", undefined],
  ])("%s is priced as %s", (model, entry) => {
    expect(findPrice(model, prices)).toBe(entry === undefined ? undefined : prices[entry as keyof typeof prices]);
  });
  it("an unknown model costs 0 and is flagged unpriced", () => {
    expect(priceCall("llama3.1:8b", 100, 100, prices)).toMatchObject({ costUsd: 0, priced: false });
  });
});

describe("structured output", () => {
  const schema = z.object({ ok: z.boolean(), note: z.string().optional() });
  it("sends a JSON schema without $schema", () => {
    expect(jsonSchemaFor(schema)).toEqual({
      type: "object",
      properties: { ok: { type: "boolean" }, note: { type: "string" } },
      required: ["ok"],
    });
  });
  it.each([
    ['{"ok":true}', { ok: true, value: { ok: true } }],
    ['```json\n{"ok":false}\n```', { ok: true, value: { ok: false } }],
    ['{"ok":', { ok: false, issues: [expect.stringMatching(/^the answer is not valid JSON/)] }],
    ['{"ok":"yes"}', { ok: false, issues: ["ok: Invalid input: expected boolean, received string"] }],
    ["", { ok: false, issues: ["the answer was empty"] }],
  ])("%j", (text, expected) => {
    expect(parseOutput(text, schema, undefined)).toEqual(expected);
  });
  it("runs the semantic check after the schema", () => {
    expect(parseOutput('{"ok":false}', schema, (v) => (v.ok ? null : "ok must be true"))).toEqual({
      ok: false,
      issues: ["ok must be true"],
    });
  });
});

describe("scrubMessage", () => {
  it("removes keys from provider messages", () => {
    const key = "AIzaSyA-0123456789abcdefghijklmno";
    expect(scrubMessage(`Consumer 'api_key:${key}' has been suspended.`, key)).toBe(
      "Consumer 'api_key:[redacted]' has been suspended.",
    );
    expect(scrubMessage(`bad key ${key}`, null)).toBe("bad key [redacted]");
    expect(scrubMessage("Incorrect API key provided: my-local-secret", "my-local-secret")).toBe(
      "Incorrect API key provided: [redacted]",
    );
  });
});
