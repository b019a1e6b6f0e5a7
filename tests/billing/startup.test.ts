import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BillingStatus } from "../../src/shared/contract";
import { ACCOUNT_FILE } from "../../src/main/services/billing/billing-files";
import { LICENCE_CLOCK_TOLERANCE_S } from "../../src/main/services/billing/licence";
import type { ServiceDeps } from "../../src/main/services/create-services";
import { data, startTestApp, tempDir, type TestApp } from "../support/services";
import {
  base64url,
  claimsFor,
  licenceFor,
  makeSigningKey,
  readStoredLicence,
  storeSignIn,
  TEST_ACCOUNT,
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

/** Starts on a data folder holding `licence`, signed in as the account it is issued to unless told otherwise. */
async function startWith(
  licence: string | null,
  overrides: Partial<ServiceDeps> = {},
  signIn: { account: typeof TEST_ACCOUNT } | null = { account: TEST_ACCOUNT },
) {
  const dataDir = tempDir();
  if (licence !== null) writeStoredLicence(dataDir, licence);
  const secrets = signIn ? storeSignIn(dataDir, signIn.account) : undefined;
  const app = await startTestApp({
    dataDir,
    ...(secrets ? { secrets } : {}),
    cloud: await unreachableCloud([key.publicJwk]),
    ...overrides,
  });
  apps.push(app);
  // The start-up refresh meets no Cloud; let it finish so what follows sees a settled status.
  await app.services.billing.settled();
  const status = async () => data(await app.router.invoke("billing.status", {}, ctx)) as BillingStatus;
  return { app, dataDir, status };
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
    const t = await startWith(await licenceFor(key, "professional"));
    expect(await t.status()).toMatchObject({
      cloudConfigured: true,
      cloudReachable: false,
      account: { email: TEST_ACCOUNT.email },
      plan: "professional",
      problem: null,
    });
    expect(data(await t.app.router.invoke("personas.quota", {}, ctx))).toMatchObject({ limit: 50 });
  });
});

describe("a stored licence that is not the signed-in account's", () => {
  it("drops a genuine Professional licence found in a signed-out data folder: Free, no problem, file removed", async () => {
    const t = await startWith(await licenceFor(key, "professional"), {}, null);
    expect(await t.status()).toMatchObject({ account: null, plan: "free", licence: null, problem: null });
    expect(data(await t.app.router.invoke("personas.quota", {}, ctx))).toMatchObject({ plan: "free", limit: 5 });
    expect(readStoredLicence(t.dataDir)).toBeNull();
  });

  it("drops a licence copied in together with its account file when no sign-in is stored: Free, file removed", async () => {
    const dataDir = tempDir();
    writeStoredLicence(dataDir, await licenceFor(key, "enterprise"));
    fs.writeFileSync(path.join(dataDir, ACCOUNT_FILE), JSON.stringify(TEST_ACCOUNT));
    const app = await startTestApp({ dataDir, cloud: await unreachableCloud([key.publicJwk]) });
    apps.push(app);
    await app.services.billing.settled();
    expect(data(await app.router.invoke("billing.status", {}, ctx))).toMatchObject({
      account: null,
      plan: "free",
      licence: null,
    });
    expect(readStoredLicence(dataDir)).toBeNull();
  });

  it("refuses a genuine licence issued to another account than the one signed in: Free, licence_invalid, file removed", async () => {
    const t = await startWith(
      await licenceFor(key, "enterprise"),
      {},
      {
        account: { id: "acct_someone_else", email: "someone@example.com" },
      },
    );
    expect(await t.status()).toMatchObject({
      account: { email: "someone@example.com" },
      plan: "free",
      licence: null,
      problem: { code: "licence_invalid", message: expect.stringContaining("another Sight Cloud account") },
    });
    expect(readStoredLicence(t.dataDir)).toBeNull();
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
