import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import type { LicenceClaims } from "../../src/shared/cloud/contract";
import type { BillingStatus } from "../../src/shared/contract";
import type { CloudConfig } from "../../src/main/services/billing/cloud-config";
import { ACCOUNT_FILE, LICENCE_FILE, type StoredAccount } from "../../src/main/services/billing/billing-files";
import { REFRESH_TOKEN_KEY } from "../../src/main/services/billing/cloud-session";
import { LICENCE_TYPE, type TrustedKey } from "../../src/main/services/billing/licence";
import { createMemorySecretStore, type SecretStore } from "../../src/main/services/secrets/secret-store";
import { data, startTestApp, tempDir, type TestApp } from "../support/services";

/**
 * Licences signed in the test with keys made in the test: the app under test trusts only the
 * public half it is given, exactly as a build trusts the key the release pipeline embeds.
 */
export interface TestSigningKey {
  kid: string;
  publicJwk: TrustedKey;
  privateJwk: JWK;
  privateKey: CryptoKey;
}

export async function makeSigningKey(kid = "test-key-1"): Promise<TestSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid } as TrustedKey;
  return { kid, publicJwk, privateJwk: { ...(await exportJWK(privateKey)), kid }, privateKey };
}

export type Tier = LicenceClaims["tier"];

/** The account `claimsFor` issues licences to unless told otherwise. */
export const TEST_ACCOUNT: StoredAccount = { id: "acct_test_1", email: "researcher@example.com" };

export function claimsFor(tier: Tier, now: Date, overrides: Partial<Record<keyof LicenceClaims, unknown>> = {}) {
  const iat = Math.floor(now.getTime() / 1000);
  return {
    iss: "sight-cloud",
    aud: "sight-desktop",
    sub: TEST_ACCOUNT.id,
    email: TEST_ACCOUNT.email,
    tier,
    personaLimit: tier === "free" ? 5 : tier === "professional" ? 50 : null,
    status: tier === "free" ? "none" : "active",
    subscribedTier: tier === "free" ? null : tier,
    trialEndsAt: null,
    graceEndsAt: null,
    cancelAt: null,
    periodEndsAt: tier === "free" ? null : new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    iat,
    exp: iat + 7 * 86_400,
    ...overrides,
  };
}

/** Signs claims as Sight Cloud does (EdDSA, the key's kid, the licence `typ`). */
export async function signLicence(
  key: TestSigningKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: LICENCE_TYPE, ...header })
    .sign(key.privateKey);
}

export async function licenceFor(key: TestSigningKey, tier: Tier, now = new Date(), overrides = {}) {
  return signLicence(key, claimsFor(tier, now, overrides));
}

/** Replaces one base64url part of a JWT (0 header, 1 payload, 2 signature). */
export function withPart(jwt: string, index: number, value: string): string {
  const parts = jwt.split(".");
  parts[index] = value;
  return parts.join(".");
}

export const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A loopback port nothing listens on: connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A Cloud configuration whose URL nothing answers, trusting `keys`. */
export async function unreachableCloud(keys: TrustedKey[]): Promise<CloudConfig> {
  return { url: `http://127.0.0.1:${await closedPort()}`, keys, ignoredKeyOverride: false };
}

export function writeStoredLicence(dataDir: string, jwt: string): void {
  fs.writeFileSync(path.join(dataDir, LICENCE_FILE), jwt, { mode: 0o600 });
}

export function readStoredLicence(dataDir: string): string | null {
  const file = path.join(dataDir, LICENCE_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
}

/**
 * A sign-in as signing in leaves it: the account in the data folder and a refresh token in the
 * secret store (one no Cloud knows, so any call that needs it fails as the test's Cloud decides).
 */
export function storeSignIn(dataDir: string, account: StoredAccount = TEST_ACCOUNT): SecretStore {
  fs.writeFileSync(path.join(dataDir, ACCOUNT_FILE), JSON.stringify(account), { mode: 0o600 });
  return createMemorySecretStore({ [REFRESH_TOKEN_KEY]: "rt_stored_refresh_token_0123456789" });
}

/**
 * A desktop app (services + router) that knows Sight Cloud through `cloud`, tracked in `apps` so
 * the suite closes it; `call` invokes a route over REST, `status` reads billing.status.
 */
export async function startDesktop(
  cloud: CloudConfig,
  apps: TestApp[],
  options: { dataDir?: string; secrets?: SecretStore } = {},
) {
  const dataDir = options.dataDir ?? tempDir();
  const secrets = options.secrets ?? createMemorySecretStore();
  const app = await startTestApp({ dataDir, secrets, cloud });
  apps.push(app);
  const call = (name: string, input: unknown = {}) => app.router.invoke(name, input, { transport: "rest" });
  const status = async () => data(await call("billing.status")) as BillingStatus;
  return { app, dataDir, secrets, call, status };
}
export type Desktop = Awaited<ReturnType<typeof startDesktop>>;

/** Stops the services but keeps the data folder and the secret store, as quitting the app does. */
export async function quitDesktop(apps: TestApp[], desktop: Desktop): Promise<void> {
  await desktop.app.services.close();
  apps.splice(apps.indexOf(desktop.app), 1);
}
