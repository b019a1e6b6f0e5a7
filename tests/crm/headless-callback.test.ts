/**
 * The headless host's side of connecting (RFC 8252 §7.3): REST starts the flow, the consent page
 * sends the browser to the host's loopback `/oauth/callback` (no bearer token: the single-use
 * state authorises it), and the page it answers says what happened.
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningHost } from "../../src/main/headless/host";
import { startTestHost } from "../support/test-host";
import { crmDeps, startCrmFakes, type CrmFakes } from "./app-support";
import { pressAllow } from "./support";

const TOKEN = "crm-callback-token-0123456789";
const auth = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
let fakes: CrmFakes;
let host: RunningHost;
let dataDir: string;

beforeAll(async () => {
  fakes = await startCrmFakes();
  ({ host, dataDir } = await startTestHost({
    token: TOKEN,
    renderer: { "index.html": "<!doctype html><title>Sight</title>" },
    deps: { crm: crmDeps(fakes) },
  }));
});
afterAll(async () => {
  await host.close();
  await fakes.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it("connects HubSpot over REST and the loopback callback, which refuses a second use", async () => {
  const base = host.server.url;
  const started = await fetch(`${base}/api/v1/integrations/crm/connect`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ provider: "hubspot" }),
  });
  expect(started.status).toBe(200);
  const { url } = (await started.json()) as { url: string };
  expect(new URL(url).searchParams.get("redirect_uri")).toBe(`http://127.0.0.1:${host.server.port}/oauth/callback`);

  const callback = await pressAllow(url);
  const page = await fetch(callback);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('data-testid="oauth-result" data-ok="true">Connected to HubSpot</h1>');
  expect(html).toContain("Sight is connected to sight-test.hubspot.com.");
  expect(page.headers.get("cache-control")).toBe("no-store");

  const again = await fetch(callback);
  expect(again.status).toBe(400);
  expect(await again.text()).toContain("This sign-in link was already used");

  const status = (await (await fetch(`${base}/api/v1/integrations/crm`, { headers: auth })).json()) as {
    providers: { provider: string; connected: boolean }[];
  };
  expect(status.providers.map((p) => [p.provider, p.connected])).toEqual([
    ["hubspot", true],
    ["salesforce", false],
  ]);
  const history = await fetch(`${base}/api/v1/integrations/crm/sync`, { headers: auth });
  expect(await history.json()).toEqual({ items: [], nextCursor: null, total: 0 });
  // Every other route still needs the token.
  expect((await fetch(`${base}/api/v1/integrations/crm`)).status).toBe(401);
  // Markup in the answer is shown as text, never run.
  const injected = await fetch(`${base}/oauth/callback?state=${"x".repeat(20)}&error=<script>`);
  expect(await injected.text()).not.toContain("<script>");
});
