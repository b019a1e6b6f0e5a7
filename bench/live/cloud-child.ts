/**
 * One Sight Cloud instance (createCloud, relay included) for bench/live-fanout.bench.ts, in a
 * process of its own (`node --import tsx bench/live/cloud-child.ts`), so its work is not the
 * host's. Configured by BENCH_CLOUD (JSON, see CloudChildConfig); prints `cloud-url <url>` once it
 * listens, logs warnings and errors to stderr, and closes on SIGTERM or when the bench goes away
 * (the IPC channel closes).
 */
import { createCloud, type Cloud } from "../../src/cloud/cloud";
import { cloudConfigSchema } from "../../src/cloud/config";

export interface CloudChildConfig {
  dataDir: string;
  /** Ed25519 private JWK (JSON) and the access-token secret: shared by every instance on one database. */
  licenceKey: string;
  accessTokenSecret: string;
  /** PostgreSQL; embedded PGlite in dataDir without. */
  databaseUrl?: string;
  /** The relay on Redis (socket.io adapter + streams); in memory without. */
  redisUrl?: string;
  redisPrefix?: string;
}

const input = JSON.parse(process.env.BENCH_CLOUD ?? "{}") as CloudChildConfig;
let cloud: Cloud | null = null;
let closing = false;

async function stop(code: number) {
  if (closing) return;
  closing = true;
  const force = setTimeout(() => process.exit(code), 5_000);
  force.unref();
  await cloud?.close().catch(() => undefined);
  process.exit(code);
}
process.once("SIGTERM", () => void stop(0));
process.once("SIGINT", () => void stop(0));
process.once("disconnect", () => void stop(0));
// The bench collects the join's garbage before it measures the fan-out.
process.on("message", (message: { type?: string } | null) => {
  if (message?.type !== "gc") return;
  globalThis.gc?.();
  process.send?.({ type: "gc-done" });
});

try {
  const config = cloudConfigSchema.parse({
    host: "127.0.0.1",
    port: 0,
    dataDir: input.dataDir,
    databaseUrl: input.databaseUrl,
    licenceKey: input.licenceKey,
    accessTokenSecret: input.accessTokenSecret,
    stripe: { prices: {} },
    logLevel: "warn",
    redisUrl: input.redisUrl,
    redisPrefix: input.redisPrefix,
  });
  cloud = await createCloud(config);
  const url = await cloud.listen();
  console.log(`cloud-url ${url} relay=${cloud.relay.mode} db=${cloud.db.kind}`);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await stop(1);
}
