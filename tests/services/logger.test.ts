import { describe, expect, it } from "vitest";
import { redact } from "../../src/main/services/logger";

describe("log redaction", () => {
  it("masks credential fields and key-shaped values, keeps counts", () => {
    const out = redact({
      apiKey: "AIzaSyABCDEFGHIJKLMNOPQRSTUVWXYZ0123456",
      authorization: "Bearer abc.def",
      accessToken: "t",
      token: "t",
      nested: {
        password: "p",
        note: "key AIzaSyABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 leaked",
        sk: "sk_live_0123456789abcdef",
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
});
