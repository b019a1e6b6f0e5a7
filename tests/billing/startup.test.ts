import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BillingStatus } from "../../src/shared/contract";
import { ACCOUNT_FILE } from "../../src/main/services/billing/billing-files";
import { REFRESH_TOKEN_KEY } from "../../src/main/services/billing/cloud-session";
import { LICENCE_CLOCK_TOLERANCE_S } from "../../src/main/services/billing/licence";
import { createMemorySecretStore } from "../../src/main/services/secrets/secret-store";
import type { ServiceDeps } from "../../src/main/services/create-services";
import { data, startTestApp, tempDir, type TestApp } from "../support/services";
import {
  base64url,
  claimsFor,
  licenceFor,
  makeSigningKey,
  unreachableCloud,
  withPart,
  writeStoredLicence,
  type TestSigningKey,
} from "./support";

/** What the app makes of the licence in its data folder when it starts, with no Cloud answering. */

let key: TestSigningKey;
let foreign: TestSigningKey;
const apps: TestApp[] = [];
const ctx = { transport: "rest" as const };

beforeAll(async () => {
  key = await makeSigningKey("cloud-test");
  foreign = await makeSigningKey("not-ours");
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function startWith(licence: string | null, overrides: Partial<ServiceDeps> = {}) {
  const dataDir = tempDir();
  if (licence !== null) writeStoredLicence(dataDir, licence);
  const app = await startTestApp({ dataDir, cloud: await unreachableCloud([key.publicJwk]), ...overrides });
  apps.push(app);
  const status = async () => data(await app.router.invoke("billing.status", {}, ctx)) as BillingStatus;
  return { app, dataDir, status };
}

/** A stored sign-in: the refresh token in the secret store and the account beside the licence. */
function signedInSecrets() {
  return createMemorySecretStore({ [REFRESH_TOKEN_KEY]: "rt_stored_refresh_token_0123456789" });
}

describe("the licence on disk at start", () => {
  it("puts a genuine Professional licence in force before the first request", async () => {
    const t = await startWith(await licenceFor(key, "professional"));
    expect(await t.status()).toMatchObject({ plan: "professional", personaLimit: 50, problem: null });
  });

  it("refuses a licence whose claims were edited: Free, with licence_invalid", async () => {
    const genuine = await licenceFor(key, "free");
    const t = await startWith(withPart(genuine, 1, base64url(claimsFor("enterprise", new Date()))));
    expect(await t.status()).toMatchObject({
      plan: "free",
      personaLimit: 5,
      licence: null,
      problem: { code: "licence_invalid", message: expect.stringMatching(/not valid.*Free plan/) },
    });
  });

  it("refuses a licence signed by a key this build does not trust: Free, with licence_invalid", async () => {
    const t = await startWith(await licenceFor(foreign, "enterprise"));
    expect(await t.status()).toMatchObject({ plan: "free", problem: { code: "licence_invalid" } });
  });

  it("refuses a file that is not a licence at all: Free, with licence_invalid", async () => {
    const t = await startWith("this is not a licence\n");
    expect(await t.status()).toMatchObject({ plan: "free", problem: { code: "licence_invalid" } });
  });

  it("falls back to Free with licence_expired, saying when, for a licence past its expiry", async () => {
    const exp = Math.floor(Date.now() / 1000) - 3 * 86_400;
    const t = await startWith(await licenceFor(key, "professional", new Date(), { iat: exp - 7 * 86_400, exp }));
    const expiredAt = new Date((exp + LICENCE_CLOCK_TOLERANCE_S) * 1000).toISOString().slice(0, 16).replace("T", " ");
    expect(await t.status()).toMatchObject({
      plan: "free",
      licence: null,
      problem: { code: "licence_expired", message: expect.stringContaining(`expired on ${expiredAt} UTC`) },
    });
  });

  it("keeps a valid licence when the Cloud cannot be reached at start, and says the Cloud is unreachable", async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, ACCOUNT_FILE), JSON.stringify({ id: "acct_test_1", email: "r@example.com" }));
    writeStoredLicence(dataDir, await licenceFor(key, "professional"));
    const app = await startTestApp({
      dataDir,
      secrets: signedInSecrets(),
      cloud: await unreachableCloud([key.publicJwk]),
    });
    apps.push(app);
    await app.services.billing.settled();
    expect(data(await app.router.invoke("billing.status", {}, ctx))).toMatchObject({
      cloudConfigured: true,
      cloudReachable: false,
      account: { email: "r@example.com" },
      plan: "professional",
      problem: null,
    });
    expect(data(await app.router.invoke("personas.quota", {}, ctx))).toMatchObject({ limit: 50 });
  });
});

describe("a licence that expires while the app runs", () => {
  it("drops the plan to Free with licence_expired at that moment, announced with billing.changed", async () => {
    // The app's clock runs one tolerance ahead, so a licence that expires ~2 s from now (plus the
    // tolerance) is valid at start and its expiry timer fires during the test.
    const ahead = LICENCE_CLOCK_TOLERANCE_S * 1000;
    const exp = Math.floor(Date.now() / 1000) + 2;
    const t = await startWith(await licenceFor(key, "professional", new Date(), { iat: exp - 3600, exp }), {
      now: () => new Date(Date.now() + ahead),
    });
    expect(await t.status()).toMatchObject({ plan: "professional" });

    const changed = await new Promise<BillingStatus>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error("no billing.changed within 6 s")), 6000);
      t.app.services.bus.on("billing.changed", (status) => {
        clearTimeout(timeout);
        resolve(status);
      });
    });
    expect(changed).toMatchObject({ plan: "free", licence: null, problem: { code: "licence_expired" } });
    expect(data(await t.app.router.invoke("personas.quota", {}, ctx))).toMatchObject({ plan: "free", limit: 5 });
  });
});
