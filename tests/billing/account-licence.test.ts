import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BillingStatus } from "../../src/shared/contract";
import type { CloudConfig } from "../../src/main/services/billing/cloud-config";
import type { TrustedKey } from "../../src/main/services/billing/licence";
import { verifyLicence } from "../../src/main/services/billing/licence";
import type { SecretStore } from "../../src/main/services/secrets/secret-store";
import { startBillingWorld, type BillingWorld } from "../support/billing-world";
import { data, type TestApp } from "../support/services";
import { startHoldingProxy, type HoldingProxy } from "./holding-proxy";
import { quitDesktop, readStoredLicence, startDesktop, type Desktop } from "./support";

/**
 * Only the signed-in account's licence is ever in force: a licence fetch that was in flight
 * when the account changed (sign-out, or sign-in as someone else) is discarded. The real Sight
 * Cloud (on PGlite, with the Stripe fake for a paid plan) answers through a loopback proxy that
 * holds the licence back until the account has changed.
 */

const PASSWORD = "correct horse battery";
const LICENCE_PATH = "/api/v1/licence";

let world: BillingWorld;
let proxy: HoldingProxy;
let config: CloudConfig;
const apps: TestApp[] = [];
let counter = 0;

beforeAll(async () => {
  world = await startBillingWorld({ database: "pglite" });
  proxy = await startHoldingProxy(world.cloud.url);
  config = { url: proxy.url, keys: [world.cloud.licenceKey.publicJwk as TrustedKey], ignoredKeyOverride: false };
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await world?.dispose();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** An account on the Cloud, subscribed to Professional (a trial) or left on Free. */
async function account(plan: "professional" | "free") {
  const email = `owner${Date.now()}-${(counter += 1)}@example.com`;
  const { accountId, accessToken } = await world.signUp(email);
  if (plan === "professional") await world.subscribe(accessToken, "professional");
  return { id: accountId, email, credentials: { email, password: PASSWORD } };
}

const start = (dataDir?: string, secrets?: SecretStore) => startDesktop(config, apps, { dataDir, secrets });
const quit = (desktop: Desktop) => quitDesktop(apps, desktop);

async function storedLicenceSub(dataDir: string): Promise<string | null> {
  const jwt = readStoredLicence(dataDir);
  if (jwt === null) return null;
  const check = await verifyLicence(jwt, config.keys, new Date());
  return check.status === "valid" ? check.claims.sub : `(${check.status})`;
}

/** Fails fast instead of at the test timeout when `work` waits on something it must not. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

describe("a licence fetch in flight when the account changes", () => {
  it("discards the start-up licence that arrives after sign-out: Free, no licence on disk, still Free after a restart", async () => {
    const owner = await account("professional");
    const first = await start();
    expect(data(await first.call("billing.signIn", owner.credentials))).toMatchObject({ plan: "professional" });
    await quit(first);

    const held = proxy.holdNext("GET", LICENCE_PATH);
    const again = await start(first.dataDir, first.secrets);
    await held.held;
    expect(data(await again.call("billing.signOut"))).toMatchObject({ account: null, plan: "free", licence: null });
    held.release();
    await again.app.services.billing.settled();

    expect(await again.status()).toMatchObject({ account: null, plan: "free", licence: null });
    expect(readStoredLicence(again.dataDir)).toBeNull();
    await quit(again);
    const restarted = await start(first.dataDir, first.secrets);
    expect(await restarted.status()).toMatchObject({ account: null, plan: "free", licence: null });
  });

  it("gives the account signed in next its own licence, not the one fetched for the account before", async () => {
    const professional = await account("professional");
    const free = await account("free");
    const t = await start();
    expect(data(await t.call("billing.signIn", professional.credentials))).toMatchObject({ plan: "professional" });

    const held = proxy.holdNext("GET", LICENCE_PATH);
    t.app.services.billing.onBillingReturn();
    await held.held;
    data(await t.call("billing.signOut"));
    // Sign-in starts its own fetch: it neither waits for nor takes the one still held back.
    const signedIn = data(await within(t.call("billing.signIn", free.credentials), 5000, "sign-in")) as BillingStatus;
    expect(signedIn).toMatchObject({ account: { email: free.email }, plan: "free", licence: { status: "none" } });

    held.release();
    await t.app.services.billing.settled();
    expect(await t.status()).toMatchObject({
      account: { email: free.email },
      plan: "free",
      licence: { status: "none" },
    });
    expect(await storedLicenceSub(t.dataDir)).toBe(free.id);
  });
});
