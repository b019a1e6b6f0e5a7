import { describe, expect, it } from "vitest";
import { redact } from "../../src/main/services/logger";

describe("log redaction", () => {
  it("masks credential fields and key-shaped values, keeps counts", () => {
    const out = redact({
      apiKey: "AIzaFAKE-not-a-real-key-12345",
      authorization: "Bearer abc.def",
      accessToken: "t",
      token: "t",
      nested: {
        password: "p",
        note: "key AIzaFAKE-not-a-real-key-12345 leaked",
        sk: "sk_test_FAKE0123",
      },
      inputTokens: 120,
      outputTokens: 30,
      keySource: "environment",
    }) as Record<string, any>;
    expect(out).toEqual({
      apiKey: "[redacted]",
      authorization: "[redacted]",
      accessToken: "[redacted]",
      token: "[redacted]",
      nested: { password: "[redacted]", note: "key [redacted] leaked", sk: "[redacted]" },
      inputTokens: 120,
      outputTokens: 30,
      keySource: "environment",
    });
  });

  it("masks OpenAI-style sk- keys wherever they appear, but not words that merely contain sk-", () => {
    const out = redact({
      openai: "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD",
      project: "sk-proj-Abc_def-0123456789abcdefghij",
      error: { message: 'Incorrect API key provided: "sk-0123456789abcdefXYZ". See your dashboard.' },
      list: ["prefix sk-live_0123456789abcdef-tail suffix"],
      short: "sk-0123",
      task: "task-identifier-0123456789abcdef",
      disk: "ramdisk-0123456789abcdefghij",
    }) as Record<string, any>;
    expect(out).toEqual({
      openai: "[redacted]",
      project: "[redacted]",
      error: { message: 'Incorrect API key provided: "[redacted]". See your dashboard.' },
      list: ["prefix [redacted] suffix"],
      short: "sk-0123",
      task: "task-identifier-0123456789abcdef",
      disk: "ramdisk-0123456789abcdefghij",
    });
  });

  it("masks JWTs (Sight Cloud access tokens, licences) in any text, and fields named for them", () => {
    const jwt =
      "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJ0aWVyIjoicHJvZmVzc2lvbmFsIiwiZXhwIjoxfQ.c2lnbmF0dXJlLWJ5dGVzLWFyZS1sb25n";
    const out = redact({
      note: `licence ${jwt} refused`,
      licence: jwt,
      licenceJwt: "opaque",
      refreshToken: "opaque-refresh-token-value",
      plan: "professional",
      dotted: "release.notes.v2",
    }) as Record<string, unknown>;
    expect(out).toEqual({
      note: "licence [redacted] refused",
      licence: "[redacted]",
      licenceJwt: "[redacted]",
      refreshToken: "[redacted]",
      plan: "professional",
      dotted: "release.notes.v2",
    });
  });
});
