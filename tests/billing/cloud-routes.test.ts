import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { REFRESH_TOKEN_KEY } from "../../src/main/services/billing/cloud-session";
import { NO_CLOUD } from "../../src/main/services/billing/cloud-config";
import type { ServiceDeps } from "../../src/main/services/create-services";
import { data, startTestApp, tempDir, type TestApp } from "../support/services";
import {
  licenceFor,
  makeSigningKey,
  readStoredLicence,
  storeSignIn,
  unreachableCloud,
  writeStoredLicence,
  type TestSigningKey,
} from "./support";

/** The billing routes where no Cloud is configured, or where the configured one answers nothing. */

let key: TestSigningKey;
const apps: TestApp[] = [];
const ctx = { transport: "rest" as const };

beforeAll(async () => {
  key = await makeSigningKey("cloud-test");
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(overrides: Partial<ServiceDeps> = {}) {
  const app = await startTestApp(overrides);
  apps.push(app);
  return { app, call: (name: string, input: unknown = {}) => app.router.invoke(name, input, ctx) };
}

const CLOUD_ROUTES: [string, unknown][] = [
  ["billing.signUp", { email: "r@example.com", password: "correct horse battery" }],
  ["billing.signIn", { email: "r@example.com", password: "correct horse battery" }],
  ["billing.signOut", {}],
  ["billing.refresh", {}],
  ["billing.checkout", { tier: "professional" }],
  ["billing.portal", {}],
  ["billing.changePlan", { tier: "enterprise", preview: true }],
];

describe("a build without Sight Cloud", () => {
  it("reports cloudConfigured false and the Free plan", async () => {
    const t = await start({ cloud: NO_CLOUD });
    expect(data(await t.call("billing.status"))).toEqual({
      cloudConfigured: false,
      cloudReachable: null,
      account: null,
      plan: "free",
      personaLimit: 5,
      licence: null,
      problem: null,
    });
  });

  it.each(CLOUD_ROUTES)("answers %s with PROVIDER_UNAVAILABLE: not configured in this build", async (name, input) => {
    const t = await start({ cloud: NO_CLOUD });
    expect(await t.call(name, input)).toEqual({
      error: {
        code: "PROVIDER_UNAVAILABLE",
        message: expect.stringMatching(/^Sight Cloud is not configured in this build/),
        details: { service: "cloud", reason: "not_configured" },
      },
    });
  });

  it("counts a Cloud URL without a trusted licence key as not configured", async () => {
    const t = await start({ cloud: await unreachableCloud([]) });
    expect(data(await t.call("billing.status"))).toMatchObject({ cloudConfigured: false });
    expect(await t.call("billing.signIn", CLOUD_ROUTES[1]![1])).toMatchObject({
      error: { code: "PROVIDER_UNAVAILABLE", details: { reason: "not_configured" } },
    });
  });

  it("keeps a fixed plan injected by tests, with no Cloud", async () => {
    const t = await start({ plan: "professional", cloud: await unreachableCloud([key.publicJwk]) });
    expect(data(await t.call("billing.status"))).toMatchObject({
      cloudConfigured: false,
      plan: "professional",
      personaLimit: 50,
    });
    expect(data(await t.call("app.info"))).toMatchObject({ plan: "professional" });
  });
});

describe("a Sight Cloud that cannot be reached", () => {
  it("answers sign-in with PROVIDER_UNAVAILABLE saying it cannot be reached, and marks the Cloud unreachable", async () => {
    const t = await start({ cloud: await unreachableCloud([key.publicJwk]) });
    expect(await t.call("billing.signIn", CLOUD_ROUTES[1]![1])).toMatchObject({
      error: {
        code: "PROVIDER_UNAVAILABLE",
        message: expect.stringMatching(/^Sight Cloud cannot be reached/),
        details: { service: "cloud", reason: "unreachable" },
      },
    });
    expect(data(await t.call("billing.status"))).toMatchObject({ cloudReachable: false, account: null, plan: "free" });
  });

  it("answers a refresh while signed in with PROVIDER_UNAVAILABLE and leaves the valid licence in force", async () => {
    const dataDir = tempDir();
    writeStoredLicence(dataDir, await licenceFor(key, "professional"));
    const t = await start({ dataDir, secrets: storeSignIn(dataDir), cloud: await unreachableCloud([key.publicJwk]) });
    expect(await t.call("billing.refresh")).toMatchObject({
      error: { code: "PROVIDER_UNAVAILABLE", details: { service: "cloud" } },
    });
    expect(data(await t.call("billing.status"))).toMatchObject({ plan: "professional", cloudReachable: false });
  });

  it("signs out locally even when the Cloud cannot be told: token forgotten, licence removed, Free", async () => {
    const dataDir = tempDir();
    writeStoredLicence(dataDir, await licenceFor(key, "enterprise"));
    const secrets = storeSignIn(dataDir);
    const t = await start({ dataDir, secrets, cloud: await unreachableCloud([key.publicJwk]) });
    await t.app.services.billing.settled();
    expect(data(await t.call("billing.status"))).toMatchObject({ plan: "enterprise" });

    expect(data(await t.call("billing.signOut"))).toMatchObject({ account: null, plan: "free", licence: null });
    expect(await secrets.has(REFRESH_TOKEN_KEY)).toBe(false);
    expect(readStoredLicence(dataDir)).toBeNull();
  });
});

describe("billing routes without a sign-in", () => {
  it("answers a refresh with UNAUTHORIZED asking to sign in first", async () => {
    const t = await start({ cloud: await unreachableCloud([key.publicJwk]) });
    expect(await t.call("billing.refresh")).toMatchObject({
      error: { code: "UNAUTHORIZED", message: "Sign in to Sight Cloud first.", details: { reason: "not_signed_in" } },
    });
  });

  it("answers checkout with UNAUTHORIZED asking to sign in first, without calling the Cloud", async () => {
    const t = await start({ cloud: await unreachableCloud([key.publicJwk]) });
    expect(await t.call("billing.checkout", { tier: "professional" })).toMatchObject({
      error: { code: "UNAUTHORIZED", details: { reason: "not_signed_in" } },
    });
    // Nothing was sent, so nothing is known about the Cloud's reachability.
    expect(data(await t.call("billing.status"))).toMatchObject({ cloudReachable: null });
  });

  it("refuses to apply a change of plan without the preview's prorationDate", async () => {
    const t = await start({ cloud: await unreachableCloud([key.publicJwk]) });
    expect(await t.call("billing.changePlan", { tier: "enterprise", preview: false })).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { issues: [{ path: ["prorationDate"] }] } },
    });
  });

  it("keeps the Cloud refresh token out of reach of the secrets routes", async () => {
    const t = await start({ cloud: await unreachableCloud([key.publicJwk]) });
    for (const name of ["secrets.has", "secrets.delete"]) {
      expect(await t.call(name, { key: REFRESH_TOKEN_KEY })).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    }
    expect(await t.call("secrets.set", { key: REFRESH_TOKEN_KEY, value: "x" })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
  });
});
