import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/shared/contract";
import { OAuthFlowError, OAuthFlows } from "../../src/main/services/crm/oauth-flow";
import { codeChallengeS256, createPkcePair } from "../../src/main/services/crm/pkce";

describe("PKCE (RFC 7636)", () => {
  // The RFC's value; Python's hashlib + base64.urlsafe_b64encode agree.
  it("derives Appendix B's S256 challenge from its verifier", () => {
    expect(codeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("makes 43-character unreserved verifiers whose challenge is their base64url SHA-256", () => {
    const pair = createPkcePair();
    expect(pair.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.challenge).toBe(createHash("sha256").update(pair.verifier).digest("base64url"));
    expect(createPkcePair().verifier).not.toBe(pair.verifier);
  });

  it("refuses a verifier shorter than 43 characters", () => {
    expect(() => codeChallengeS256("too-short")).toThrow(/43-128/);
  });
});

function refusal(run: () => unknown): OAuthFlowError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthFlowError);
    expect(error).toBeInstanceOf(AppError);
    return error as OAuthFlowError;
  }
  throw new Error("expected the callback to be refused");
}

describe("OAuth state", () => {
  const redirect = "http://127.0.0.1:5000/oauth/callback";

  it("accepts the pending flow's state once and hands back its verifier", () => {
    const flows = new OAuthFlows();
    const flow = flows.begin("salesforce", redirect);
    expect(flow.state).toMatch(/^[A-Za-z0-9_-]{16,256}$/); // what the sight:// deep-link parser admits
    const done = flows.complete("salesforce", { state: flow.state, code: "abc" });
    expect(done).toEqual({
      provider: "salesforce",
      code: "abc",
      codeVerifier: flow.codeVerifier,
      redirectUri: redirect,
    });
    expect(codeChallengeS256(done.codeVerifier)).toBe(flow.codeChallenge);
  });

  it("refuses a wrong state with state_mismatch and keeps the real flow pending", () => {
    const flows = new OAuthFlows();
    const flow = flows.begin("hubspot", redirect);
    const error = refusal(() => flows.complete("hubspot", { state: `${flow.state.slice(0, -1)}x`, code: "forged" }));
    expect(error.reason).toBe("state_mismatch");
    expect(error.code).toBe("UNAUTHORIZED");
    expect(flows.complete("hubspot", { state: flow.state, code: "real" }).code).toBe("real");
  });

  it("refuses a replayed state", () => {
    const flows = new OAuthFlows();
    const flow = flows.begin("hubspot", redirect);
    flows.complete("hubspot", { state: flow.state, code: "first" });
    expect(refusal(() => flows.complete("hubspot", { state: flow.state, code: "first" })).reason).toBe("replayed");
  });

  it("refuses a state older than 10 minutes, and accepts one just younger", () => {
    let now = 1_000_000;
    const flows = new OAuthFlows({ now: () => now });
    const young = flows.begin("hubspot", redirect);
    now += 10 * 60_000 - 1;
    expect(flows.complete("hubspot", { state: young.state, code: "ok" }).code).toBe("ok");
    const old = flows.begin("hubspot", redirect);
    now += 10 * 60_000;
    expect(flows.hasPending("hubspot")).toBe(false);
    expect(refusal(() => flows.complete("hubspot", { state: old.state, code: "late" })).reason).toBe("expired");
  });

  it("keeps one pending flow per provider: starting again retires the first state", () => {
    const flows = new OAuthFlows();
    const first = flows.begin("hubspot", redirect);
    const other = flows.begin("salesforce", redirect);
    const second = flows.begin("hubspot", redirect);
    expect(refusal(() => flows.complete("hubspot", { state: first.state, code: "x" })).reason).toBe("replayed");
    expect(flows.complete("hubspot", { state: second.state, code: "y" }).code).toBe("y");
    expect(flows.complete("salesforce", { state: other.state, code: "z" }).code).toBe("z");
  });

  it("refuses a callback when nothing is pending, and a denial with denied", () => {
    const flows = new OAuthFlows();
    expect(refusal(() => flows.complete("hubspot", { state: "a".repeat(43), code: "x" })).reason).toBe(
      "no_pending_flow",
    );
    const flow = flows.begin("hubspot", redirect);
    expect(refusal(() => flows.complete("hubspot", { state: flow.state, error: "access_denied" })).reason).toBe(
      "denied",
    );
    expect(flows.hasPending("hubspot")).toBe(false);
  });

  it("refuses a state sent to the other provider", () => {
    const flows = new OAuthFlows();
    const flow = flows.begin("hubspot", redirect);
    flows.begin("salesforce", redirect);
    expect(refusal(() => flows.complete("salesforce", { state: flow.state, code: "x" })).reason).toBe("state_mismatch");
  });
});
