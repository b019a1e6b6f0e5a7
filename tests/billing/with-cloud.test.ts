import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BillingStatus } from "../../src/shared/contract";
import { REFRESH_TOKEN_KEY, createCloudSession } from "../../src/main/services/billing/cloud-session";
import { createBillingFiles } from "../../src/main/services/billing/billing-files";
import type { CloudConfig } from "../../src/main/services/billing/cloud-config";
import type { TrustedKey } from "../../src/main/services/billing/licence";
import { silentLogger } from "../../src/main/services/logger";
import type { SecretStore } from "../../src/main/services/secrets/secret-store";
import { startTestCloud, type TestCloud } from "../support/cloud";
import { data, type TestApp } from "../support/services";
import { quitDesktop, readStoredLicence, startDesktop, type Desktop } from "./support";

/**
 * The desktop's billing against the real Sight Cloud (src/cloud, on embedded PostgreSQL), with
 * no Stripe: accounts, sessions and Free licences need none.
 */

let cloud: TestCloud;
let config: CloudConfig;
const apps: TestApp[] = [];
let counter = 0;
const credentials = () => ({
  email: `desk${Date.now()}-${(counter += 1)}@example.com`,
  password: "correct horse battery",
});

beforeAll(async () => {
  cloud = await startTestCloud({ database: "pglite" });
  config = { url: cloud.url, keys: [cloud.licenceKey.publicJwk as TrustedKey], ignoredKeyOverride: false };
}, 60_000);
afterAll(async () => cloud?.dispose());
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const start = (options: { dataDir?: string; secrets?: SecretStore } = {}) => startDesktop(config, apps, options);
const quit = (desktop: Desktop) => quitDesktop(apps, desktop);

describe("billing against Sight Cloud", () => {
  it("signs up, stores the refresh token encrypted and the Free licence on disk, and returns no token", async () => {
    const t = await start();
    const account = credentials();
    const result = await t.call("billing.signUp", account);
    const status = data(result) as BillingStatus;
    expect(status).toMatchObject({
      cloudConfigured: true,
      cloudReachable: true,
      account: { email: account.email },
      plan: "free",
      licence: { status: "none", subscribedTier: null },
      problem: null,
    });
    const refreshToken = await t.secrets.get(REFRESH_TOKEN_KEY);
    const licence = readStoredLicence(t.dataDir);
    expect(refreshToken).toEqual(expect.any(String));
    expect(licence).toEqual(expect.any(String));
    expect(JSON.stringify(result)).not.toContain(refreshToken!);
    expect(JSON.stringify(result)).not.toContain(licence!.split(".")[2]!);
  });

  it("answers a wrong password with the Cloud's own UNAUTHORIZED and stays signed out", async () => {
    const t = await start();
    const account = credentials();
    data(await t.call("billing.signUp", account));
    data(await t.call("billing.signOut"));
    expect(await t.call("billing.signIn", { ...account, password: "not the password" })).toMatchObject({
      error: { code: "UNAUTHORIZED" },
    });
    expect(await t.status()).toMatchObject({ account: null, cloudReachable: true });
  });

  it("persists the refresh token the Cloud rotates when the next start refreshes the session", async () => {
    const first = await start();
    data(await first.call("billing.signUp", credentials()));
    const before = await first.secrets.get(REFRESH_TOKEN_KEY);
    await quit(first);

    const again = await start({ dataDir: first.dataDir, secrets: first.secrets });
    await again.app.services.billing.settled();
    const after = await first.secrets.get(REFRESH_TOKEN_KEY);
    expect(after).toEqual(expect.any(String));
    expect(after).not.toBe(before);
    expect(await again.status()).toMatchObject({ cloudReachable: true, problem: null, licence: { status: "none" } });
  });

  it("signs out with session_ended when the Cloud no longer accepts the stored sign-in", async () => {
    const first = await start();
    const account = credentials();
    data(await first.call("billing.signUp", account));
    const refreshToken = await first.secrets.get(REFRESH_TOKEN_KEY);
    await quit(first);
    // Signed out on the Cloud meanwhile (another device, the account page): the token is revoked.
    const revoked = await fetch(`${cloud.url}/api/v1/auth/sign-out`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    });
    expect(revoked.status).toBe(200);

    const again = await start({ dataDir: first.dataDir, secrets: first.secrets });
    await again.app.services.billing.settled();
    expect(await again.status()).toMatchObject({
      account: null,
      plan: "free",
      licence: null,
      problem: { code: "session_ended" },
    });
    expect(await first.secrets.has(REFRESH_TOKEN_KEY)).toBe(false);
    expect(readStoredLicence(first.dataDir)).toBeNull();
  });

  it("shares one refresh between concurrent calls, so the Cloud never sees a refresh token used twice", async () => {
    const t = await start();
    data(await t.call("billing.signUp", credentials()));
    // A new session object knows the stored refresh token but no access token yet.
    const session = createCloudSession({
      baseUrl: cloud.url,
      secrets: t.secrets,
      files: createBillingFiles(t.dataDir, silentLogger),
      logger: silentLogger,
      now: () => new Date(),
    });
    const [licence, account, again] = await Promise.all([
      session.client.call("licence.get", {}),
      session.client.call("account.get", {}),
      session.client.call("licence.get", {}),
    ]);
    expect(licence.claims.tier).toBe("free");
    expect(again.claims.sub).toBe(account.id);
    // Had two refreshes raced with one token, the Cloud would have revoked the family.
    expect((await session.client.call("account.get", {})).id).toBe(account.id);
  });

  it("passes the Cloud's own error through, code and message, when checkout is not available there", async () => {
    const t = await start();
    const account = credentials();
    data(await t.call("billing.signUp", account));
    // What the Cloud itself answers the same request, asked directly.
    const post = async (path: string, body: unknown, token?: string) =>
      (await fetch(`${cloud.url}/api/v1${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }).then((response) => response.json())) as any;
    const { accessToken } = await post("/auth/sign-in", account);
    const direct = await post("/billing/create-checkout", { tier: "professional" }, accessToken);
    expect(direct.error.code).not.toBe("INTERNAL");

    expect(await t.call("billing.checkout", { tier: "professional" })).toEqual({
      error: { code: direct.error.code, message: direct.error.message, details: direct.error.details },
    });
    expect(await t.status()).toMatchObject({ cloudReachable: true, plan: "free" });
  });
});
