/**
 * HubSpot takes only https redirect URLs, so its consent page returns to Sight Cloud's callback
 * page, which hands the answer on to where the connect started: a headless host's loopback
 * callback (302) or the app's sight:// link (a page that opens it). The state says which; the
 * code is exchanged with the Cloud's own callback as redirect_uri, and only that one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubspotFake, type HubspotFake } from "../../fakes/hubspot";
import { HUBSPOT_CALLBACK_PATH, hubspotReturnUrl, hubspotStatePrefix } from "../../src/shared/cloud/hubspot-broker";
import { brokeredHubspotTokenEndpoint, fetchHubspotAppConfig } from "../../src/main/services/crm/hubspot-broker";
import { hubspotAuthorizeUrl } from "../../src/main/services/crm/hubspot-oauth";
import { OAuthFlows } from "../../src/main/services/crm/oauth-flow";
import { CrmFailure } from "../../src/main/services/crm/crm-failure";
import { startTestCloud, type TestCloud } from "../support/cloud";
import { pressAllow } from "../crm/support";

let fake: HubspotFake;
let cloud: TestCloud;
const PUBLIC_URL = "http://127.0.0.1:9";

beforeAll(async () => {
  fake = await startHubspotFake();
  cloud = await startTestCloud({
    publicUrl: PUBLIC_URL,
    hubspot: {
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      apiBase: fake.url,
      authorizeUrl: `${fake.url}/oauth/authorize`,
    },
  });
});
afterAll(async () => {
  await cloud?.dispose();
  await fake?.close();
});

/** The consent page's answer as HubSpot sends it to the Cloud's callback page, fetched on the test Cloud. */
async function throughCloud(prefix: string) {
  const app = await fetchHubspotAppConfig(cloud.url);
  expect(app.redirectUri).toBe(`${PUBLIC_URL}${HUBSPOT_CALLBACK_PATH}`);
  const flows = new OAuthFlows();
  const flow = flows.begin("hubspot", app.redirectUri!, prefix);
  const answer = await pressAllow(
    hubspotAuthorizeUrl({ authorizeUrl: app.authorizeUrl!, clientId: app.clientId!, ...flow }),
  );
  expect(`${answer.origin}${answer.pathname}`).toBe(app.redirectUri);
  const page = await fetch(`${cloud.url}${answer.pathname}${answer.search}`, { redirect: "manual" });
  return { flows, flow, answer, page };
}

describe("Sight Cloud's HubSpot callback page", () => {
  it("returns the answer to a headless host's loopback callback, and the code is exchanged for the Cloud's callback", async () => {
    const { flows, page, answer } = await throughCloud(hubspotStatePrefix({ kind: "loopback", port: 5189 }));
    expect(page.status).toBe(302);
    const location = new URL(page.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("http://127.0.0.1:5189/oauth/callback");
    expect(location.searchParams.get("code")).toBe(answer.searchParams.get("code"));
    expect(location.searchParams.get("state")).toMatch(/^loop5189-[A-Za-z0-9_-]{43}$/);

    const done = flows.complete("hubspot", {
      state: location.searchParams.get("state")!,
      code: location.searchParams.get("code")!,
    });
    const tokens = await brokeredHubspotTokenEndpoint({ cloudUrl: cloud.url }).exchangeCode(done);
    expect(tokens.accessToken).toMatch(/^hsat-fake-/);
  });

  it("opens the app's sight:// link for a connect started in the desktop app", async () => {
    const { page, answer } = await throughCloud(hubspotStatePrefix({ kind: "app", scheme: "sight" }));
    expect(page.status).toBe(200);
    const html = await page.text();
    const href = /<a class="button" id="return" href="([^"]+)">Open Sight<\/a>/.exec(html)?.[1];
    const link = new URL(href!.replaceAll("&#38;", "&"));
    expect(`${link.protocol}//${link.host}${link.pathname}`).toBe("sight://oauth-callback/hubspot");
    expect(link.searchParams.get("code")).toBe(answer.searchParams.get("code"));
    expect(link.searchParams.get("state")).toMatch(/^app-[A-Za-z0-9_-]{43}$/);
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${href}">`);
    expect(page.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a state Sight did not make, and a code exchanged for another Cloud's callback page", async () => {
    const stray = await fetch(`${cloud.url}${HUBSPOT_CALLBACK_PATH}?state=${"x".repeat(30)}&code=abc`, {
      redirect: "manual",
    });
    expect(stray.status).toBe(400);
    expect(await stray.text()).toContain("does not belong to a connection Sight started");
    expect(hubspotReturnUrl("loop99999-abcdefghijklmnopqrstuvwxyz")).toBeNull();
    expect(hubspotReturnUrl("appdev-abcdefghijklmnopqrstuvwxyz")).toBe("sight-dev://oauth-callback/hubspot");

    const refused = await brokeredHubspotTokenEndpoint({ cloudUrl: cloud.url })
      .exchangeCode({
        code: "any-code",
        redirectUri: `https://cloud.elsewhere.example${HUBSPOT_CALLBACK_PATH}`,
        codeVerifier: "v".repeat(43),
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CrmFailure);
    expect((refused as CrmFailure).message).toBe("redirect_uri names another Sight Cloud's callback page.");
  });
});
