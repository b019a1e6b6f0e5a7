import { describe, expect, it } from "vitest";
import { routes } from "../../src/shared/contract";
import { loginUrlOf, type LoginHostProblem } from "../../src/renderer/features/integrations/login-host";

/** The Salesforce login host the Integrations card sends with crm.connect (pure, in the renderer). */

describe("the Salesforce login host", () => {
  it("sends no host for production (main's own default) and the sandbox host for a sandbox, whatever is typed", () => {
    expect(loginUrlOf("production", "https://evil.example")).toEqual({ ok: true, url: undefined });
    expect(loginUrlOf("sandbox", "")).toEqual({ ok: true, url: "https://test.salesforce.com" });
  });

  it.each([
    ["https://acme.my.salesforce.com", "https://acme.my.salesforce.com"],
    ["https://acme.my.salesforce.com/", "https://acme.my.salesforce.com"],
    ["  https://Acme.My.Salesforce.com  ", "https://acme.my.salesforce.com"],
    ["acme.my.salesforce.com", "https://acme.my.salesforce.com"],
    ["HTTPS://acme--uat.sandbox.my.salesforce.com", "https://acme--uat.sandbox.my.salesforce.com"],
    ["https://127.0.0.1:8443", "https://127.0.0.1:8443"],
  ])("accepts the My Domain %j as %s", (typed, url) => {
    expect(loginUrlOf("custom", typed)).toEqual({ ok: true, url });
  });

  it.each<[string, LoginHostProblem]>([
    ["", "empty"],
    ["   ", "empty"],
    ["http://acme.my.salesforce.com", "not_https"],
    ["ftp://acme.my.salesforce.com", "not_https"],
    ["javascript:alert(1)", "not_https"],
    ["https://user:secret@acme.my.salesforce.com", "has_credentials"],
    ["https://acme.my.salesforce.com/home", "has_path"],
    ["https://acme.my.salesforce.com?next=/", "has_path"],
    ["https://acme.my.salesforce.com#top", "has_path"],
    ["https://acme my.salesforce.com", "not_address"],
    ["https://-acme.my.salesforce.com", "not_address"],
    ["https://", "not_address"],
    [`https://${"a".repeat(300)}.com`, "too_long"],
  ])("refuses %j as %s", (typed, problem) => {
    expect(loginUrlOf("custom", typed)).toEqual({ ok: false, problem });
  });

  it("only ever sends what the contract's crm.connect accepts", () => {
    const input = routes["crm.connect"].input;
    for (const typed of ["acme.my.salesforce.com", "https://ACME.my.salesforce.com/", "https://127.0.0.1:8443"]) {
      const result = loginUrlOf("custom", typed);
      expect(result.ok).toBe(true);
      if (result.ok)
        expect(input.safeParse({ provider: "salesforce", loginUrl: result.url }).success, typed).toBe(true);
    }
  });
});
