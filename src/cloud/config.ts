import path from "node:path";
import os from "node:os";
import { z } from "zod";

/**
 * Sight Cloud's configuration: flags win over the environment. Secrets (Stripe keys, signing
 * keys) come from the environment or files, never from flags a process listing would show.
 */
const DEFAULT_VIEWER_DIR = path.resolve(import.meta.dirname, "..", "..", "out", "renderer");

export const cloudConfigSchema = z.object({
  host: z.string().default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(5180),
  /** The address browsers reach (Stripe's success/cancel pages, portal return). */
  publicUrl: z.string().url().optional(),
  dataDir: z.string().min(1),
  databaseUrl: z.string().min(1).optional(),
  stripe: z.object({
    secretKey: z.string().min(1).optional(),
    webhookSecret: z.string().min(1).optional(),
    prices: z.object({ professional: z.string().min(1).optional(), enterprise: z.string().min(1).optional() }),
    /** Loopback fakes and gateways: the Stripe SDK's host/port/protocol. */
    apiBase: z.string().url().optional(),
  }),
  /**
   * The HubSpot app whose client secret the Cloud holds for the desktop's code exchange and
   * refresh (the broker under /api/v1/oauth/hubspot). Without both id and secret it answers
   * PROVIDER_UNAVAILABLE.
   */
  hubspot: z
    .object({
      clientId: z.string().min(1).optional(),
      clientSecret: z.string().min(1).optional(),
      /** HubSpot's API host (its token endpoint); a loopback fake in tests. */
      apiBase: z.string().url().default("https://api.hubapi.com"),
      /** HubSpot's consent page, which the desktop opens. */
      authorizeUrl: z.string().url().default("https://app.hubspot.com/oauth/authorize"),
    })
    .prefault({}),
  /** Ed25519 private JWK (JSON) that signs licences; generated into the data folder when absent. */
  licenceKey: z.string().min(1).optional(),
  /** HS256 secret for access tokens (shared by every instance); generated into the data folder when absent. */
  accessTokenSecret: z.string().min(32).optional(),
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /**
   * Behind a load balancer: which proxies' X-Forwarded-For to believe (Fastify's trustProxy),
   * so rate limits count clients, not the balancer. Off by default.
   */
  trustProxy: z.union([z.boolean(), z.number().int().positive(), z.string().min(1)]).default(false),
  /** JSON-lines log file (also written to stderr); secrets are redacted either way. */
  logFile: z.string().min(1).optional(),
  /**
   * Redis for the live-session relay (socket.io's adapter and the sessions' event streams), shared
   * by every instance. Without it the relay runs on this instance alone, in memory.
   */
  redisUrl: z.string().url().optional(),
  /** Prefix of every Redis key and channel the relay uses (several Clouds on one Redis). */
  redisPrefix: z.string().min(1).max(64).default("sight:"),
  /** Browser origins (besides the public URL's) allowed to open the relay's viewer socket. */
  liveOrigins: z.array(z.string().min(1)).default([]),
  /** The built renderer (out/renderer), served as the live-session viewer at /live/<session>. */
  viewerDir: z.string().min(1).default(DEFAULT_VIEWER_DIR),
});
export type CloudConfig = z.infer<typeof cloudConfigSchema>;

export function defaultCloudDataDir(): string {
  return process.env.XDG_DATA_HOME
    ? path.join(process.env.XDG_DATA_HOME, "sight-cloud")
    : path.join(os.homedir(), ".local", "share", "sight-cloud");
}

function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (!value) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

const FLAG_NAMES = ["host", "port", "public-url", "data-dir"] as const;

export const CLOUD_HELP = `Sight Cloud: accounts, Stripe billing, licences, the live-session relay, the HubSpot OAuth broker.

Usage: npm run cloud [-- <command>] [-- flags]

Commands:
  serve (default)               run the server
  reconcile --since <date>      fetch Stripe's events since <date> (ISO) and apply any that were missed
  replay [--all] [--event <id>] re-process stored webhook events (failed ones, all, or one)
  keys                          print the licence public key (JWK) the desktop app must trust
  generate-secrets              print a new licence signing key and access-token secret (for DATABASE_URL)

Flags:
  --host <addr>        bind address (default 127.0.0.1)
  --port <n>           port (default 5180)
  --public-url <url>   address browsers reach (default http://<host>:<port>)
  --data-dir <dir>     PGlite database and generated keys (default ~/.local/share/sight-cloud)

Environment:
  DATABASE_URL                       PostgreSQL; without it, an embedded PGlite database in --data-dir
  STRIPE_SECRET_KEY                  sk_live_… / sk_test_… (never logged)
  STRIPE_WEBHOOK_SECRET              whsec_… of the webhook endpoint <public-url>/api/v1/billing/webhook
  STRIPE_PRICE_PROFESSIONAL          price id of Professional ($49/month)
  STRIPE_PRICE_ENTERPRISE            price id of Enterprise ($199/month)
  STRIPE_API_BASE                    another Stripe API address (a loopback fake in tests)
  HUBSPOT_CLIENT_ID                  the HubSpot app's client id (public; served to the desktop)
  HUBSPOT_CLIENT_SECRET              its client secret (never logged); without both, the HubSpot broker is off
  HUBSPOT_API_BASE                   HubSpot's API address (default https://api.hubapi.com; a fake in tests)
  HUBSPOT_AUTHORIZE_URL              HubSpot's consent page (default https://app.hubspot.com/oauth/authorize)
  SIGHT_CLOUD_LICENCE_KEY            Ed25519 private JWK (JSON) signing licences
  SIGHT_CLOUD_ACCESS_TOKEN_SECRET    secret (>= 32 chars) signing access tokens
                                     (both required with DATABASE_URL, so every instance shares them;
                                     without it they are generated once into --data-dir)
  SIGHT_CLOUD_TRUST_PROXY            behind a load balancer: true, a hop count, or proxy addresses (X-Forwarded-For)
  SIGHT_CLOUD_LOG_FILE               also append the JSON-lines log to this file
  SIGHT_CLOUD_LOG_LEVEL              debug | info (default) | warn | error
  REDIS_URL                          Redis (>= 6.2) for the live-session relay, shared by every instance;
                                     without it the relay runs on this instance alone, in memory
  SIGHT_CLOUD_REDIS_PREFIX           prefix of the relay's Redis keys (default sight:)
  SIGHT_CLOUD_LIVE_ORIGINS           comma-separated browser origins allowed to join live sessions
                                     (the public URL's origin always is)
  SIGHT_CLOUD_VIEWER_DIR             the built renderer served as the live viewer at /live/<session>
                                     (default out/renderer; \`npm run build\` makes it)
  SIGHT_CLOUD_PUBLIC_URL, SIGHT_CLOUD_PORT, SIGHT_CLOUD_HOST, SIGHT_CLOUD_DATA_DIR
`;

export function parseCloudArgs(
  argv: string[],
  env: Record<string, string | undefined>,
): { command: string; options: Record<string, string | boolean>; config: CloudConfig } {
  const options: Record<string, string | boolean> = {};
  let command = "serve";
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith("--")) {
        options[name] = next;
        i += 1;
      } else options[name] = true;
    } else if (i === 0) command = arg;
    else throw new Error(`Unexpected argument ${arg}. See --help.`);
  }
  for (const name of Object.keys(options)) {
    if (!["help", "since", "all", "event", ...FLAG_NAMES].includes(name))
      throw new Error(`Unknown flag --${name}. See --help.`);
  }
  const flag = (name: (typeof FLAG_NAMES)[number]) =>
    typeof options[name] === "string" ? (options[name] as string) : undefined;
  const config = cloudConfigSchema.parse({
    host: flag("host") ?? env.SIGHT_CLOUD_HOST,
    port: flag("port") ?? env.SIGHT_CLOUD_PORT,
    publicUrl: flag("public-url") ?? env.SIGHT_CLOUD_PUBLIC_URL,
    dataDir: flag("data-dir") ?? env.SIGHT_CLOUD_DATA_DIR ?? defaultCloudDataDir(),
    databaseUrl: env.DATABASE_URL || undefined,
    stripe: {
      secretKey: env.STRIPE_SECRET_KEY || undefined,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
      prices: {
        professional: env.STRIPE_PRICE_PROFESSIONAL || undefined,
        enterprise: env.STRIPE_PRICE_ENTERPRISE || undefined,
      },
      apiBase: env.STRIPE_API_BASE || undefined,
    },
    hubspot: {
      clientId: env.HUBSPOT_CLIENT_ID || undefined,
      clientSecret: env.HUBSPOT_CLIENT_SECRET || undefined,
      apiBase: env.HUBSPOT_API_BASE || undefined,
      authorizeUrl: env.HUBSPOT_AUTHORIZE_URL || undefined,
    },
    licenceKey: env.SIGHT_CLOUD_LICENCE_KEY || undefined,
    accessTokenSecret: env.SIGHT_CLOUD_ACCESS_TOKEN_SECRET || undefined,
    logLevel: env.SIGHT_CLOUD_LOG_LEVEL || undefined,
    logFile: env.SIGHT_CLOUD_LOG_FILE || undefined,
    trustProxy: parseTrustProxy(env.SIGHT_CLOUD_TRUST_PROXY),
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.SIGHT_CLOUD_REDIS_PREFIX || undefined,
    viewerDir: env.SIGHT_CLOUD_VIEWER_DIR || undefined,
    liveOrigins: (env.SIGHT_CLOUD_LIVE_ORIGINS ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  });
  return { command, options, config };
}
