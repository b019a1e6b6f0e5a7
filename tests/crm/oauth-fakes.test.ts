import { describe, expect, it } from "vitest";
import { createPkcePair } from "../../src/main/services/crm/pkce";
import { hubspotAuthorizeUrl } from "../../src/main/services/crm/hubspot-oauth";
import { salesforceAuthorizeUrl } from "../../src/main/services/crm/salesforce-oauth";
import { REDIRECT_URI, hubspotWorld, pressAllow, salesforceWorld } from "./support";

async function token(url: string, fields: Record<string, string>) {
  const response = await fetch(url, { method: "POST", body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("CRM fakes: OAuth", () => {
  it("Salesforce: the consent page has an Allow button and redirects with code and state", async () => {
    const { fake } = await salesforceWorld();
    const pkce = createPkcePair();
    const url = salesforceAuthorizeUrl({
      loginUrl: fake.url,
      clientId: fake.clientId,
      redirectUri: REDIRECT_URI,
      state: "s".repeat(43),
      codeChallenge: pkce.challenge,
    });
    const html = await (await fetch(url)).text();
    expect(html).toContain('data-testid="salesforce-fake-allow"');
    const callback = await pressAllow(url);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe("s".repeat(43));
    expect(callback.searchParams.get("code")).toMatch(/^aPrx-fake-/);
  });

  it("Salesforce: refuses an authorize request without a PKCE challenge (public client)", async () => {
    const { fake } = await salesforceWorld();
    const response = await fetch(
      `${fake.url}/services/oauth2/authorize?response_type=code&client_id=${fake.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&state=abc`,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("code_challenge is required");
  });

  it("Salesforce: verifies the code_verifier, spends the code on first use, answers instance_url and id", async () => {
    const { fake } = await salesforceWorld();
    const tokenUrl = `${fake.url}/services/oauth2/token`;
    const pkce = createPkcePair();
    const authorize = () =>
      salesforceAuthorizeUrl({
        loginUrl: fake.url,
        clientId: fake.clientId,
        redirectUri: REDIRECT_URI,
        state: "t".repeat(43),
        codeChallenge: pkce.challenge,
      });
    const exchange = (code: string, verifier: string) =>
      token(tokenUrl, {
        grant_type: "authorization_code",
        code,
        client_id: fake.clientId,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      });

    const wrong = await exchange((await pressAllow(authorize())).searchParams.get("code")!, createPkcePair().verifier);
    expect(wrong).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: "invalid code verifier" },
    });

    const code = (await pressAllow(authorize())).searchParams.get("code")!;
    const good = await exchange(code, pkce.verifier);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({
      instance_url: fake.url,
      token_type: "Bearer",
      id: expect.stringContaining("/id/00D"),
    });
    expect((await exchange(code, pkce.verifier)).body).toMatchObject({ error: "invalid_grant" });
  });

  it("HubSpot: the code exchange needs the client secret", async () => {
    const { fake } = await hubspotWorld();
    const pkce = createPkcePair();
    const url = hubspotAuthorizeUrl({
      authorizeUrl: `${fake.url}/oauth/authorize`,
      clientId: fake.clientId,
      redirectUri: REDIRECT_URI,
      state: "h".repeat(43),
      codeChallenge: pkce.challenge,
    });
    const code = (await pressAllow(url)).searchParams.get("code")!;
    const fields = {
      grant_type: "authorization_code",
      code,
      client_id: fake.clientId,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    };
    const refused = await token(`${fake.url}/oauth/v1/token`, { ...fields, client_secret: "wrong" });
    expect(refused).toMatchObject({ status: 400, body: { status: "BAD_CLIENT_ID" } });
  });

  it("HubSpot: Deny redirects with error=access_denied and the state", async () => {
    const { fake } = await hubspotWorld();
    const url = hubspotAuthorizeUrl({
      authorizeUrl: `${fake.url}/oauth/authorize`,
      clientId: fake.clientId,
      redirectUri: REDIRECT_URI,
      state: "d".repeat(43),
      codeChallenge: createPkcePair().challenge,
    });
    const fields = new URLSearchParams(new URL(url).search);
    fields.set("decision", "deny");
    const answer = await fetch(`${fake.url}/oauth/authorize`, { method: "POST", body: fields, redirect: "manual" });
    const location = new URL(answer.headers.get("location")!);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: "access_denied", state: "d".repeat(43) });
  });

  it("HubSpot: fault switches and counters work over HTTP too, with HubSpot's 429 headers", async () => {
    const world = await hubspotWorld();
    const tokens = await world.connect();
    const control = (path: string, body: unknown) =>
      fetch(`${world.fake.url}/__control/${path}`, { method: "POST", body: JSON.stringify(body) });
    expect((await control("faults", { fail429: 1, retryAfterSeconds: 7 })).status).toBe(200);
    expect((await control("faults", { fail429: "lots" })).status).toBe(400);
    const limited = await fetch(`${world.fake.url}/crm/v3/properties/contacts`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.headers.get("x-hubspot-ratelimit-interval-milliseconds")).toBe("10000");
    expect(await limited.json()).toMatchObject({ policyName: "TEN_SECONDLY_ROLLING", errorType: "RATE_LIMIT" });
    const state = (await (await fetch(`${world.fake.url}/__control/state`)).json()) as {
      counts: Record<string, number>;
    };
    expect(state.counts["properties.list"]).toBe(1);
  });
});
