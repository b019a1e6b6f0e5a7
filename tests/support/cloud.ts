import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createCloud, type Cloud, type CloudOptions } from "../../src/cloud/cloud";
import { cloudConfigSchema } from "../../src/cloud/config";
import { generateLicenceKeyJson } from "../../src/cloud/licence/keys";
import { silentLogger } from "../../src/main/services/logger";

/** A new, empty database on the test PostgreSQL server (see global-setup.ts); dropped by `drop`. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.SIGHT_TEST_DATABASE_URL;
  if (!admin)
    throw new Error(
      `No PostgreSQL for the Cloud's tests: ${process.env.SIGHT_TEST_DATABASE_ERROR ?? "unknown reason"}`,
    );
  const name = `sight_cloud_test_${crypto.randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The test Redis server (see global-setup.ts) and a key prefix of this run's own. */
export function testRedis(): { url: string; prefix: string } {
  const url = process.env.SIGHT_TEST_REDIS_URL;
  if (!url)
    throw new Error(`No Redis for the relay's tests: ${process.env.SIGHT_TEST_REDIS_ERROR ?? "unknown reason"}`);
  return { url, prefix: `sight-test-${crypto.randomBytes(6).toString("hex")}:` };
}

export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const TEST_STRIPE_KEY = "sk_test_fakeCloudTests0001";
export const TEST_WEBHOOK_SECRET = "whsec_fakeCloudTests0001";

export interface TestCloud extends Cloud {
  url: string;
  dispose(): Promise<void>;
}

/** A Cloud on its own fresh PostgreSQL database, listening on a free loopback port. */
export async function startTestCloud(
  options: {
    stripeApiBase?: string;
    prices?: { professional?: string; enterprise?: string };
    database?: "postgres" | "pglite";
    publicUrl?: string;
    /** The live relay on Redis (SIGHT_TEST_REDIS_URL) with this key prefix; in memory without. */
    redis?: { url: string; prefix: string };
    /** The HubSpot app the OAuth broker uses (HUBSPOT_* settings); unconfigured without. */
    hubspot?: { clientId?: string; clientSecret?: string; apiBase?: string; authorizeUrl?: string };
    /** Which proxies' X-Forwarded-For to believe (SIGHT_CLOUD_TRUST_PROXY); none without. */
    trustProxy?: boolean | number | string;
  } & CloudOptions = {},
): Promise<TestCloud> {
  const database = options.database === "pglite" ? null : await freshPostgresDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-cloud-test-"));
  const config = cloudConfigSchema.parse({
    // Configured, as every instance on a shared database must be (a second instance reuses them).
    licenceKey: await generateLicenceKeyJson(),
    accessTokenSecret: crypto.randomBytes(32).toString("base64url"),
    host: "127.0.0.1",
    port: 0,
    dataDir,
    publicUrl: options.publicUrl ?? "http://127.0.0.1:9",
    databaseUrl: database?.url,
    stripe: {
      secretKey: options.stripeApiBase ? TEST_STRIPE_KEY : undefined,
      webhookSecret: options.stripeApiBase ? TEST_WEBHOOK_SECRET : undefined,
      prices: options.prices ?? {},
      apiBase: options.stripeApiBase,
    },
    hubspot: options.hubspot,
    redisUrl: options.redis?.url,
    redisPrefix: options.redis?.prefix,
    trustProxy: options.trustProxy,
  });
  const cloud = await createCloud(config, { logger: silentLogger, scrypt: TEST_SCRYPT, ...options });
  const url = await cloud.listen();
  return Object.assign(cloud, {
    url,
    async dispose() {
      await cloud.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
