/**
 * Sight Cloud billing benchmarks:
 * 1. Webhook throughput with dedupe on a real PostgreSQL server: signed Stripe events (30%
 *    duplicates, shuffled) POSTed to a Cloud process by 8 concurrent senders; each delivery is
 *    verified, recorded, and applied exactly once (a re-fetch from the Stripe fake, in its own
 *    process). Baseline: the dedupe insert alone (INSERT … ON CONFLICT) at the same concurrency.
 * 2. Licence verification in the app (src/main/services/billing/licence.ts): jose + zod over a
 *    real licence. Baseline: the bare Ed25519 signature check (node:crypto) on the same bytes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import Stripe from "stripe";
import { entitlementOf } from "../src/cloud/licence/entitlement";
import { issueLicence } from "../src/cloud/licence/issue-licence";
import { generateLicenceKeyJson, importLicenceKey } from "../src/cloud/licence/keys";
import { verifyLicence } from "../src/main/services/billing/licence";
// @ts-expect-error a plain .mjs script shared with the tests
import { startTestPostgres } from "../scripts/test-postgres.mjs";
import { target, writeResult } from "./lib";

const root = path.resolve(import.meta.dirname, "..");
const SUBSCRIPTIONS = 100;
const TARGET_EVENTS = 1500;
const CONCURRENCY = 8;
const STRIPE_KEY = "sk_test_benchLoopback0001";
const WEBHOOK_SECRET = "whsec_benchLoopback0001";

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out)) resolve(child);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      // A delivery that fails is a finding: show why (the Cloud logs it at warn level).
      for (const line of chunk.toString().split("\n"))
        if (/webhook_failed|unhandled|error/.test(line)) console.error(line.slice(0, 600));
    });
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}: ${out.slice(-2000)}`)));
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function webhookBench() {
  const admin = (startTestPostgres() as { url: string }).url;
  const dbName = `sight_bench_${crypto.randomBytes(4).toString("hex")}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${dbName}`);
  const databaseUrl = admin.replace(/\/postgres$/, `/${dbName}`);
  const [fakePort, cloudPort] = [await freePort(), await freePort()];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-bench-cloud-"));
  const fake = await start(
    ["fakes/stripe/cli.ts", "--port", String(fakePort), "--webhook-secret", WEBHOOK_SECRET, "--api-key", STRIPE_KEY],
    {},
    /listening on/,
  );
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  const prices = { professional: "price_1SightProfessionalMonthly", enterprise: "price_1SightEnterpriseMonthly" };
  const cloud = await start(
    ["src/cloud/cli.ts", "--port", String(cloudPort), "--data-dir", dataDir],
    {
      DATABASE_URL: databaseUrl,
      STRIPE_SECRET_KEY: STRIPE_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: fakeUrl,
      STRIPE_PRICE_PROFESSIONAL: prices.professional,
      STRIPE_PRICE_ENTERPRISE: prices.enterprise,
      SIGHT_CLOUD_LOG_LEVEL: "warn",
      SIGHT_CLOUD_LICENCE_KEY: await generateLicenceKeyJson(),
      SIGHT_CLOUD_ACCESS_TOKEN_SECRET: crypto.randomBytes(32).toString("base64url"),
    },
    /Sight Cloud on/,
  );
  try {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const stripe = new Stripe(STRIPE_KEY, {
      host: "127.0.0.1",
      port: fakePort,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    const control = async (p: string) => {
      const response = await fetch(`${fakeUrl}/__control${p}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      return response.ok;
    };
    // Accounts and their subscriptions, made the way the Cloud's checkout makes them.
    const subs: string[] = [];
    for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
      const id = `acct_bench_${i}`;
      await db.query(`INSERT INTO "Account" (id, email) VALUES ($1, $2)`, [id, `bench${i}@example.com`]);
      const session = await stripe.checkout.sessions.create({
        mode: "subscription",
        client_reference_id: id,
        customer_email: `bench${i}@example.com`,
        line_items: [{ price: i % 3 === 0 ? prices.enterprise : prices.professional, quantity: 1 }],
        success_url: "http://127.0.0.1:9/ok",
        subscription_data: { metadata: { sight_account_id: id } },
      });
      await control(`/checkout/${session.id}/complete`);
      subs.push((await stripe.checkout.sessions.retrieve(session.id)).subscription as string);
    }
    const rng = xoroshiro128plus(11);
    const ops = ["renew", "renewal-fails", "trial-will-end"];
    const stateEvents = async () =>
      ((await (await fetch(`${fakeUrl}/__control/state`)).json()) as { events: unknown[] }).events;
    while ((await stateEvents()).length < TARGET_EVENTS) {
      const sub = subs[Math.floor(uniformFloat64(rng) * subs.length)]!;
      await control(`/subscriptions/${sub}/${ops[Math.floor(uniformFloat64(rng) * ops.length)]}`);
    }
    const events = (await stateEvents()).map((event) => JSON.stringify(event));
    const deliveries = [...events, ...events.filter(() => uniformFloat64(rng) < 0.3)];
    for (let i = deliveries.length - 1; i > 0; i -= 1) {
      const j = Math.floor(uniformFloat64(rng) * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }

    // Baseline: the dedupe insert alone, at the same concurrency.
    const base = new pg.Pool({ connectionString: databaseUrl, max: CONCURRENCY });
    await base.query(`CREATE TABLE bench_dedupe (id TEXT PRIMARY KEY)`);
    const baseStart = performance.now();
    await pool(deliveries, CONCURRENCY, async (body) => {
      await base.query(`INSERT INTO bench_dedupe (id) VALUES ($1) ON CONFLICT DO NOTHING`, [JSON.parse(body).id]);
    });
    const baselineMs = performance.now() - baseStart;
    await base.end();

    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const failed: string[] = [];
    const send = async (body: string) => {
      const t0 = performance.now();
      const response = await fetch(`http://127.0.0.1:${cloudPort}/api/v1/billing/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET }),
        },
        body,
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      return { ms: performance.now() - t0, ok: response.status === 200 };
    };
    const started = performance.now();
    await pool(deliveries, CONCURRENCY, async (body) => {
      const result = await send(body);
      latencies.push(result.ms);
      if (!result.ok) failed.push(body);
    });
    const elapsedMs = performance.now() - started;
    // A delivery answered with 500 is one Stripe delivers again: do the same before checking.
    for (const body of failed) await send(body);
    const applied = Number(
      (await db.query(`SELECT count(*) AS n FROM "StripeEvent" WHERE "appliedAt" IS NOT NULL`)).rows[0].n,
    );
    const effects = Number((await db.query(`SELECT count(DISTINCT "eventId") AS n FROM "BillingEffect"`)).rows[0].n);
    const doubled = Number(
      (
        await db.query(
          `SELECT count(*) AS n FROM (SELECT "eventId", kind FROM "BillingEffect" GROUP BY 1, 2 HAVING count(*) > 1) d`,
        )
      ).rows[0].n,
    );
    const unapplied = (await db.query(`SELECT id, type, outcome, detail FROM "StripeEvent" WHERE "appliedAt" IS NULL`))
      .rows;
    await db.end();
    if (unapplied.length) console.log("unapplied:", JSON.stringify(unapplied), JSON.stringify([...statuses]));
    if (applied !== events.length || doubled !== 0 || effects !== events.length) {
      throw new Error(
        `correctness: ${applied} applied, ${effects} with effects, ${doubled} doubled of ${events.length} events`,
      );
    }
    return {
      deliveries: deliveries.length,
      uniqueEvents: events.length,
      eventsPerSecond: (deliveries.length / elapsedMs) * 1000,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
      baselineMs,
      elapsedMs,
      non200: failed.length,
    };
  } finally {
    cloud.kill("SIGTERM");
    fake.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await adminClient.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await adminClient.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function licenceBench() {
  const key = await importLicenceKey(await generateLicenceKeyJson());
  const now = new Date();
  const { licence } = await issueLicence(
    key,
    { id: "acct_bench", email: "bench@example.com" },
    entitlementOf([], now),
    now,
  );
  const keys = [key.publicJwk];
  const N = 3000;
  for (let i = 0; i < 200; i += 1) await verifyLicence(licence, keys, now); // warm-up
  let t0 = performance.now();
  for (let i = 0; i < N; i += 1) {
    const check = await verifyLicence(licence, keys, now);
    if (check.status !== "valid") throw new Error(`licence did not verify: ${JSON.stringify(check)}`);
  }
  const verifyUs = ((performance.now() - t0) / N) * 1000;
  const [header, payload, signature] = licence.split(".") as [string, string, string];
  const publicKey = crypto.createPublicKey({ key: key.publicJwk as crypto.JsonWebKey, format: "jwk" });
  const data = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, "base64url");
  t0 = performance.now();
  for (let i = 0; i < N; i += 1) {
    if (!crypto.verify(null, data, publicKey, sig)) throw new Error("raw verify failed");
  }
  const rawUs = ((performance.now() - t0) / N) * 1000;
  return { verifyUs, rawUs };
}

const webhooks = await webhookBench();
const licence = await licenceBench();
writeResult({
  name: "cloud-billing",
  metrics: {
    webhook_deliveries: webhooks.deliveries,
    webhook_unique_events: webhooks.uniqueEvents,
    webhook_events_per_s: webhooks.eventsPerSecond,
    webhook_p50_ms: webhooks.p50Ms,
    webhook_p99_ms: webhooks.p99Ms,
    webhook_max_ms: webhooks.maxMs,
    webhook_non_200: webhooks.non200,
    webhook_ratio_to_dedupe_insert: webhooks.elapsedMs / webhooks.baselineMs,
    licence_verify_us: licence.verifyUs,
    licence_raw_ed25519_us: licence.rawUs,
    licence_ratio_to_raw_ed25519: licence.verifyUs / licence.rawUs,
    load_average_1m: os.loadavg()[0]!,
  },
  targets: {
    webhook_p99_ms: target(webhooks.p99Ms, 250),
    licence_verify_us: target(licence.verifyUs, 1000),
  },
  notes: [
    `${CONCURRENCY} concurrent senders; 30% duplicate deliveries, shuffled; every event applied exactly once (checked).`,
    "Each applied event re-fetches its subscription from the Stripe fake (another process) under a per-subscription advisory lock.",
  ],
});
