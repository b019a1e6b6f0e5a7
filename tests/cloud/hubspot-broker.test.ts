import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHubspotFake, type HubspotFake } from "../../fakes/hubspot";
import { isAllowedHubspotRedirect } from "../../src/shared/cloud/hubspot-broker";
import { CrmFailure } from "../../src/main/services/crm/crm-failure";
import { brokeredHubspotTokenEndpoint, fetchHubspotAppConfig } from "../../src/main/services/crm/hubspot-broker";
import { HUBSPOT_SCOPES, hubspotAuthorizeUrl } from "../../src/main/services/crm/hubspot-oauth";
import { HubspotProvider } from "../../src/main/services/crm/hubspot-provider";
import { OAuthFlows, type CompletedFlow } from "../../src/main/services/crm/oauth-flow";
import { createCodeVerifier } from "../../src/main/services/crm/pkce";
import type { TokenEndpoint, TokenSet } from "../../src/main/services/crm/token-keeper";
import { startTestCloud, type TestCloud } from "../support/cloud";
import { FAST_POLICY, REDIRECT_URI, capturingLogger, pressAllow } from "../crm/support";

const TOKEN_PATH = "/oauth/hubspot/token";
const REVOKE_PATH = "/oauth/hubspot/revoke";

/** Every body a Cloud answered in this file, to look for the client secret in. */
const bodies: string[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  bodies.push(await response.clone().text());
  return response;
};

async function post(cloud: TestCloud, path: string, body: unknown) {
  const response = await fetch(`${cloud.url}/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as any };
}

/** Awaits a promise that must reject with a CrmFailure. */
async function failure(promise: Promise<unknown>): Promise<CrmFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrmFailure);
  return error as CrmFailure;
}

/** What the desktop does: the Cloud's app config, a pending flow with PKCE, the consent page's Allow. */
async function authorize(cloud: TestCloud): Promise<CompletedFlow> {
  const app = await fetchHubspotAppConfig(cloud.url, { fetch: recordingFetch });
  const flows = new OAuthFlows();
  const flow = flows.begin("hubspot", REDIRECT_URI);
  const callback = await pressAllow(
    hubspotAuthorizeUrl({ authorizeUrl: app.authorizeUrl!, clientId: app.clientId!, scopes: app.scopes, ...flow }),
  );
  return flows.complete("hubspot", {
    state: callback.searchParams.get("state") ?? "",
    code: callback.searchParams.get("code") ?? undefined,
  });
}

function hubspotAppOf(fake: HubspotFake, clientSecret = fake.clientSecret) {
  return { clientId: fake.clientId, clientSecret, apiBase: fake.url, authorizeUrl: `${fake.url}/oauth/authorize` };
}

const isToken = (token: string) => /^hs(at|rt)-fake-/.test(token);

let fake: HubspotFake;
beforeAll(async () => {
  fake = await startHubspotFake();
});
afterAll(async () => {
  await fake?.close();
});

describe("Sight Cloud's HubSpot OAuth broker", () => {
  const logger = capturingLogger();
  // The broker's rate limit counts per minute: each test starts in a fresh window.
  let shiftMs = 0;
  let cloud: TestCloud;
  let broker: TokenEndpoint;
  const connect = async () => broker.exchangeCode(await authorize(cloud));
  const provider = (tokens: TokenSet, persisted: TokenSet[] = []) =>
    new HubspotProvider({
      apiBaseUrl: fake.url,
      tokens,
      tokenEndpoint: broker,
      persistTokens: async (next) => void persisted.push(next),
      policy: FAST_POLICY,
    });

  beforeAll(async () => {
    cloud = await startTestCloud({
      hubspot: hubspotAppOf(fake),
      logger,
      now: () => new Date(Date.now() + shiftMs),
    });
    broker = brokeredHubspotTokenEndpoint({ cloudUrl: cloud.url, fetch: recordingFetch });
  });
  afterAll(async () => {
    await cloud?.dispose();
  });
  beforeEach(() => {
    shiftMs += 61_000;
  });

  it("serves the HubSpot app's client id, consent page and scopes without a sign-in", async () => {
    expect(await fetchHubspotAppConfig(cloud.url, { fetch: recordingFetch })).toEqual({
      configured: true,
      clientId: "hubspot-fake-client",
      authorizeUrl: `${fake.url}/oauth/authorize`,
      scopes: HUBSPOT_SCOPES,
      redirectUri: "http://127.0.0.1:9/api/v1/oauth/hubspot/callback",
    });
  });

  it("exchanges a consent-page code and its PKCE verifier for tokens HubSpot's API accepts", async () => {
    const before = fake.control.state();
    const done = await authorize(cloud);
    const startedAt = Date.now();
    const tokens = await broker.exchangeCode(done);

    expect(tokens.accessToken).toMatch(/^hsat-fake-/);
    expect(tokens.refreshToken).toMatch(/^hsrt-fake-/);
    expect(tokens.instanceUrl).toBeNull();
    // HubSpot's 1800 s, counted from when the desktop got the answer.
    expect(tokens.expiresAt! - startedAt).toBeGreaterThanOrEqual(1_799_000);
    expect(tokens.expiresAt! - startedAt).toBeLessThanOrEqual(1_805_000);
    const after = fake.control.state();
    expect(after.oauth.codeExchanges).toBe(before.oauth.codeExchanges + 1);
    expect(after.counts["oauth.token"]).toBe((before.counts["oauth.token"] ?? 0) + 1);
    expect(after.issuedTokens).toEqual(expect.arrayContaining([tokens.accessToken, tokens.refreshToken]));

    const hubspot = provider(tokens);
    expect(await hubspot.account()).toEqual({
      provider: "hubspot",
      accountId: "4242",
      accountName: "sight-test.hubspot.com",
      userEmail: "researcher@example.com",
    });
    const fields = await hubspot.listFields();
    expect(fields.find((field) => field.name === "email")?.kind).toBe("email");
  });

  it("refuses a wrong PKCE verifier with UNAUTHORIZED and HubSpot's message, and nothing is issued", async () => {
    const done = await authorize(cloud);
    const issuedBefore = fake.control.state().issuedTokens.filter(isToken);
    const refused = await post(cloud, TOKEN_PATH, {
      grant_type: "authorization_code",
      code: done.code,
      redirect_uri: done.redirectUri,
      code_verifier: createCodeVerifier(),
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toEqual({
      code: "UNAUTHORIZED",
      message: "HubSpot refused the grant: The code_verifier does not match the code_challenge.",
      details: { provider: "hubspot", reason: "refused", status: 400, crmCode: "BAD_AUTH_CODE" },
    });

    const other = await authorize(cloud);
    const viaClient = await failure(broker.exchangeCode({ ...other, codeVerifier: createCodeVerifier() }));
    expect([viaClient.kind, viaClient.status, viaClient.crmCode]).toEqual(["auth", 400, "BAD_AUTH_CODE"]);
    expect(fake.control.state().issuedTokens.filter(isToken)).toEqual(issuedBefore);
  });

  it("refreshes through the broker for a new access token; HubSpot keeps the refresh token", async () => {
    const tokens = await connect();
    const refreshesBefore = fake.control.state().oauth.refreshes;
    const refreshed = await broker.refresh(tokens.refreshToken);

    expect(refreshed.accessToken).toMatch(/^hsat-fake-/);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(fake.control.state().oauth.refreshes).toBe(refreshesBefore + 1);
    const info = await fetch(`${fake.url}/oauth/v1/access-tokens/${refreshed.accessToken}`);
    expect(info.status).toBe(200);
    expect(((await info.json()) as { hub_id: number }).hub_id).toBe(4242);
  });

  it("lets a HubSpot provider refresh an expired access token through the Cloud and retry", async () => {
    const tokens = await connect();
    const persisted: TokenSet[] = [];
    const hubspot = provider(tokens, persisted);
    const refreshesBefore = fake.control.state().oauth.refreshes;
    fake.control.expireTokens();

    expect((await hubspot.listFields()).length).toBeGreaterThan(0);
    expect(fake.control.state().oauth.refreshes).toBe(refreshesBefore + 1);
    expect(persisted).toHaveLength(1);
    expect(persisted[0]!.accessToken).not.toBe(tokens.accessToken);
    expect(persisted[0]!.refreshToken).toBe(tokens.refreshToken);
  });

  it("revokes a refresh token through the broker: it and its access tokens stop working", async () => {
    const tokens = await connect();
    const revocationsBefore = fake.control.state().oauth.revocations;
    await broker.revoke(tokens);

    expect(fake.control.state().oauth.revocations).toBe(revocationsBefore + 1);
    const refused = await failure(broker.refresh(tokens.refreshToken));
    expect([refused.kind, refused.status, refused.crmCode]).toEqual(["auth", 400, "BAD_REFRESH_TOKEN"]);
    expect(refused.message).toBe("HubSpot refused the grant: The refresh token is unknown, revoked or expired.");
    expect((await fetch(`${fake.url}/oauth/v1/access-tokens/${tokens.accessToken}`)).status).toBe(404);

    const again = await post(cloud, REVOKE_PATH, { refresh_token: tokens.refreshToken });
    expect([again.status, again.body.error.code, again.body.error.message]).toEqual([
      404,
      "NOT_FOUND",
      "HubSpot refused the request: refresh token not found",
    ]);
  });

  it("refuses a redirect_uri other than the app's loopback or sight:// callback with 400, before calling HubSpot", async () => {
    const done = await authorize(cloud);
    const before = fake.control.state();
    for (const redirectUri of [
      "https://evil.example/oauth/callback",
      "http://127.0.0.1.evil.example:47123/oauth/callback",
      "http://127.0.0.1:47123/oauth/callback?next=https://evil.example",
      "http://127.0.0.1/oauth/callback",
      "sight://oauth-callback/salesforce",
    ]) {
      const refused = await post(cloud, TOKEN_PATH, {
        grant_type: "authorization_code",
        code: done.code,
        redirect_uri: redirectUri,
        code_verifier: done.codeVerifier,
      });
      expect([refused.status, refused.body.error.code], redirectUri).toEqual([400, "VALIDATION_FAILED"]);
      expect(refused.body.error.details.issues[0].path).toEqual(["redirect_uri"]);
    }
    const viaClient = await failure(broker.exchangeCode({ ...done, redirectUri: "https://evil.example/cb" }));
    expect(viaClient.kind).toBe("rejected");

    const after = fake.control.state();
    expect(after.counts["oauth.token"]).toBe(before.counts["oauth.token"]);
    expect(after.oauth.codeExchanges).toBe(before.oauth.codeExchanges);
    // HubSpot never saw the code, so it is still good for the redirect it was issued for.
    expect((await broker.exchangeCode(done)).accessToken).toMatch(/^hsat-fake-/);
  });

  it("refuses a body over 4 KiB with VALIDATION_FAILED before calling HubSpot", async () => {
    const before = fake.control.state().counts["oauth.token"];
    const refused = await post(cloud, TOKEN_PATH, { grant_type: "refresh_token", refresh_token: "x".repeat(5000) });
    expect([refused.status, refused.body.error.code, refused.body.error.message]).toEqual([
      400,
      "VALIDATION_FAILED",
      "The request body is not valid JSON or too large.",
    ]);
    expect(fake.control.state().counts["oauth.token"]).toBe(before);
  });

  it("answers RATE_LIMITED with Retry-After after 30 broker calls a minute from one address", async () => {
    for (let i = 0; i < 30; i += 1) await fetchHubspotAppConfig(cloud.url, { fetch: recordingFetch });
    const before = fake.control.state().counts["oauth.token"];
    const limited = await post(cloud, TOKEN_PATH, { grant_type: "refresh_token", refresh_token: "hsrt-fake-any" });

    expect([limited.status, limited.body.error.code]).toEqual([429, "RATE_LIMITED"]);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    const viaClient = await failure(fetchHubspotAppConfig(cloud.url, { fetch: recordingFetch }));
    expect(viaClient.kind).toBe("rate_limited");
    expect(viaClient.retryAfterMs).toBeGreaterThan(58_000);
    expect(fake.control.state().counts["oauth.token"]).toBe(before);
  });

  it("documents the broker's routes in the OpenAPI document as public", async () => {
    const doc = (await (await fetch(`${cloud.url}/api/v1/openapi.json`)).json()) as any;
    expect(doc.paths["/api/v1/oauth/hubspot/config"].get.security).toEqual([]);
    expect(doc.paths["/api/v1/oauth/hubspot/revoke"].post.security).toEqual([]);
    const token = doc.paths["/api/v1/oauth/hubspot/token"].post;
    expect(token.security).toEqual([]);
    const grants = token.requestBody.content["application/json"].schema.oneOf;
    expect(grants.map((grant: any) => grant.properties.grant_type.const)).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
  });

  it("never writes the client secret into a log line or a response body", () => {
    expect(logger.lines.filter((line) => line.event === "cloud.hubspot_oauth").length).toBeGreaterThanOrEqual(8);
    expect(logger.lines.some((line) => line.level === "warn")).toBe(true);
    expect(JSON.stringify(logger.lines)).not.toContain(fake.clientSecret);
    expect(bodies.length).toBeGreaterThan(40);
    expect(bodies.filter((body) => body.includes(fake.clientSecret))).toEqual([]);
  });
});

describe("a Cloud holding the wrong HubSpot client secret", () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ hubspot: hubspotAppOf(fake, "not-the-hubspot-secret") });
  });
  afterAll(async () => {
    await cloud?.dispose();
  });

  it("is refused by HubSpot, which checks the secret the broker sends", async () => {
    const done = await authorize(cloud);
    const broker = brokeredHubspotTokenEndpoint({ cloudUrl: cloud.url, fetch: recordingFetch });
    const refused = await failure(broker.exchangeCode(done));
    expect([refused.kind, refused.status, refused.crmCode]).toEqual(["auth", 400, "BAD_CLIENT_ID"]);
    expect(refused.message).toBe("HubSpot refused the grant: The client_secret is missing or wrong.");
  });
});

describe("a Cloud whose HubSpot cannot be reached", () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    cloud = await startTestCloud({ hubspot: { ...hubspotAppOf(fake), apiBase: `http://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await cloud?.dispose();
  });

  it("answers PROVIDER_UNAVAILABLE (503), which the desktop treats as a retryable server failure", async () => {
    const refused = await post(cloud, TOKEN_PATH, { grant_type: "refresh_token", refresh_token: "hsrt-fake-any" });
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
      503,
      "PROVIDER_UNAVAILABLE",
      { provider: "hubspot", reason: "unavailable" },
    ]);
    const broker = brokeredHubspotTokenEndpoint({ cloudUrl: cloud.url, fetch: recordingFetch });
    expect((await failure(broker.refresh("hsrt-fake-any"))).kind).toBe("server");
  });
});

describe("a Cloud with no HubSpot app configured", () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  });
  afterAll(async () => {
    await cloud?.dispose();
  });

  it("says configured: false, with no client id, consent page or scopes", async () => {
    expect(await fetchHubspotAppConfig(cloud.url, { fetch: recordingFetch })).toEqual({
      configured: false,
      clientId: null,
      authorizeUrl: null,
      scopes: [],
      redirectUri: null,
    });
  });

  it("answers the token and revoke routes with PROVIDER_UNAVAILABLE: the Cloud has no HubSpot app", async () => {
    const expected = {
      code: "PROVIDER_UNAVAILABLE",
      message: "The Cloud has no HubSpot app configured.",
      details: { provider: "hubspot", reason: "not_configured" },
    };
    const token = await post(cloud, TOKEN_PATH, { grant_type: "refresh_token", refresh_token: "hsrt-fake-any" });
    const revoke = await post(cloud, REVOKE_PATH, { refresh_token: "hsrt-fake-any" });
    expect([token.status, token.body.error]).toEqual([503, expected]);
    expect([revoke.status, revoke.body.error]).toEqual([503, expected]);

    // Not retried and not counted against HubSpot's health: nothing on the desktop can fix it.
    const broker = brokeredHubspotTokenEndpoint({ cloudUrl: cloud.url, fetch: recordingFetch });
    const refused = await failure(broker.refresh("hsrt-fake-any"));
    expect([refused.kind, refused.status, refused.message]).toEqual([
      "rejected",
      503,
      "The Cloud has no HubSpot app configured.",
    ]);
  });
});

describe("the broker's redirect URI policy", () => {
  it.each([
    ["http://127.0.0.1:47123/oauth/callback", true],
    ["http://localhost:1/oauth/callback", true],
    ["http://127.0.0.1:65535/oauth/callback", true],
    ["sight://oauth-callback/hubspot", true],
    ["sight-dev://oauth-callback/hubspot", true],
    ["http://127.0.0.1:0/oauth/callback", false],
    ["http://127.0.0.1:65536/oauth/callback", false],
    ["http://127.0.0.1/oauth/callback", false],
    ["https://127.0.0.1:47123/oauth/callback", false],
    ["http://[::1]:47123/oauth/callback", false],
    ["http://user@127.0.0.1:47123/oauth/callback", false],
    ["http://127.0.0.1:47123/oauth/callback/", false],
    ["http://127.0.0.1:47123/oauth/callback#x", false],
    ["http://127.0.0.1:47123/oauth/callback/../../admin", false],
    ["http://localhost.evil.example:47123/oauth/callback", false],
    ["sight://oauth-callback/hubspot/", false],
    ["sight://oauth-callback/salesforce", false],
    ["SIGHT://oauth-callback/hubspot", false],
    ["", false],
  ])("%s → %s", (uri, allowed) => {
    expect(isAllowedHubspotRedirect(uri)).toBe(allowed);
  });
});
