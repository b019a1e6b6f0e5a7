import path from "node:path";
import type Stripe from "stripe";
import type { FastifyInstance } from "fastify";
import { createLogger, type Logger } from "../main/services/logger";
import { createAccountsService, type AccountsService } from "./accounts/accounts-service";
import type { ScryptParams } from "./accounts/passwords";
import { createRateLimiter } from "./accounts/rate-limit";
import { accessTokenKey } from "./accounts/tokens";
import { createBillingService, type BillingService } from "./billing/billing-service";
import { createStripe } from "./billing/stripe-client";
import { createWebhookProcessor, type WebhookProcessor } from "./billing/webhooks";
import type { CloudConfig } from "./config";
import { migrateCloud } from "./db/migrate";
import { openCloudDatabase, type CloudDatabase } from "./db/open";
import { buildCloudApp } from "./http/server";
import { generateLicenceKeyJson, importLicenceKey, secretFromFile, type LicenceSigningKey } from "./licence/keys";
import { createRelay, type Relay, type RelayTuning } from "./live/relay";
import { createHubspotBroker } from "./oauth/hubspot-broker";
import { randomBytes } from "node:crypto";

export const CLOUD_MIGRATIONS_DIR = path.resolve(import.meta.dirname, "..", "..", "prisma", "cloud", "migrations");
const WEBHOOK_TOLERANCE_S = 300;

export interface CloudOptions {
  logger?: Logger;
  now?: () => Date;
  version?: string;
  /** Tests: cheaper password hashing. */
  scrypt?: ScryptParams;
  /** Tests: make the webhook handler fail after its work, before commit (Stripe retries). */
  faultBeforeCommit?: (event: Stripe.Event) => void;
  /** Tests: smaller streams and rate windows for the live-session relay. */
  relay?: RelayTuning;
}

export interface Cloud {
  config: CloudConfig;
  db: CloudDatabase;
  app: FastifyInstance;
  accounts: AccountsService;
  billing: BillingService;
  /** Null when billing is not configured (no STRIPE_SECRET_KEY). */
  webhooks: WebhookProcessor | null;
  stripe: Stripe | null;
  /** The live-session relay (socket.io on the same HTTP server, path /live/socket.io). */
  relay: Relay;
  licenceKey: LicenceSigningKey;
  logger: Logger;
  publicUrl: string;
  /** Verifies a raw webhook body and applies it (what POST /api/v1/billing/webhook does). */
  handleWebhook(raw: Buffer, signature: string | undefined): Promise<{ status: number; body: unknown }>;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** JSON lines to stderr; with a log file, everything goes there and stderr keeps warnings and errors. */
function cloudLogger(config: CloudConfig): Logger {
  if (!config.logFile) return createLogger({ console: true, level: config.logLevel });
  const file = createLogger({ file: config.logFile, level: config.logLevel });
  const console = createLogger({ console: true, level: "warn" });
  return {
    debug: (event, fields) => file.debug(event, fields),
    info: (event, fields) => file.info(event, fields),
    warn: (event, fields) => (file.warn(event, fields), console.warn(event, fields)),
    error: (event, fields) => (file.error(event, fields), console.error(event, fields)),
  };
}

/** Builds the Cloud (database migrated, keys loaded) without listening yet. */
export async function createCloud(config: CloudConfig, options: CloudOptions = {}): Promise<Cloud> {
  const logger = options.logger ?? cloudLogger(config);
  const now = options.now ?? (() => new Date());
  if (config.databaseUrl && (!config.licenceKey || !config.accessTokenSecret)) {
    // Instances on one database must sign with the same keys; per-folder keys would make them
    // reject each other's tokens and sign licences the app does not trust.
    throw new Error(
      "With DATABASE_URL, set SIGHT_CLOUD_LICENCE_KEY and SIGHT_CLOUD_ACCESS_TOKEN_SECRET (shared by every instance); see --help.",
    );
  }
  const db = await openCloudDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    await migrateCloud(db, CLOUD_MIGRATIONS_DIR, logger);
  } catch (error) {
    await db.close();
    throw error;
  }
  const licenceKey = await importLicenceKey(
    config.licenceKey ?? (await secretFromFile(config.dataDir, "licence-signing-key.jwk", generateLicenceKeyJson)),
  );
  const accessSecret =
    config.accessTokenSecret ??
    (await secretFromFile(config.dataDir, "access-token-secret", async () => randomBytes(32).toString("base64url")));
  const publicUrl = (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, "");
  const stripe = config.stripe.secretKey ? createStripe(config.stripe.secretKey, config.stripe.apiBase) : null;
  const prices = config.stripe.prices;
  const billing = createBillingService({ prisma: db.prisma, stripe, prices, publicUrl, licenceKey, now, logger });
  const rateLimiter = createRateLimiter(db.prisma, now);
  const accounts = createAccountsService({
    prisma: db.prisma,
    rateLimiter,
    accessKey: accessTokenKey(accessSecret),
    now,
    logger,
    scrypt: options.scrypt,
    onDelete: (accountId) => billing.cancelAll(accountId),
  });
  const webhooks = stripe
    ? createWebhookProcessor({
        prisma: db.prisma,
        stripe,
        prices,
        now,
        logger,
        faultBeforeCommit: options.faultBeforeCommit,
      })
    : null;

  const handleWebhook: Cloud["handleWebhook"] = async (raw, signature) => {
    if (!stripe || !webhooks || !config.stripe.webhookSecret) {
      return { status: 503, body: { error: { code: "PROVIDER_UNAVAILABLE", message: "Billing is not configured." } } };
    }
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error("missing Stripe-Signature header");
      event = stripe.webhooks.constructEvent(raw, signature, config.stripe.webhookSecret, WEBHOOK_TOLERANCE_S);
    } catch (error) {
      logger.warn("cloud.webhook_rejected", { reason: error instanceof Error ? error.message : "bad signature" });
      return {
        status: 400,
        body: { error: { code: "VALIDATION_FAILED", message: "The webhook signature is missing, wrong or too old." } },
      };
    }
    try {
      const outcome = await webhooks.apply(event);
      return { status: 200, body: { received: true, outcome } };
    } catch {
      return {
        status: 500,
        body: { error: { code: "INTERNAL", message: "The event was not applied; deliver it again." } },
      };
    }
  };

  if (Boolean(config.hubspot.clientId) !== Boolean(config.hubspot.clientSecret)) {
    logger.warn("cloud.hubspot_not_configured", {
      hint: "Set both HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET; the HubSpot broker is off until then.",
    });
  }
  const hubspot = createHubspotBroker({ config: config.hubspot, rateLimiter, logger, publicUrl });

  const app = buildCloudApp({
    trustProxy: config.trustProxy,
    accounts,
    billing,
    hubspot,
    licenceKey,
    logger,
    version: options.version ?? "0.1.0",
    webhook: handleWebhook,
    viewerDir: config.viewerDir,
  });
  if (config.databaseUrl && !config.redisUrl) {
    // Sessions are in the shared database, their events in this process: one instance only.
    logger.warn("cloud.relay_single_instance", {
      hint: "Several instances behind a balancer need REDIS_URL for the live relay.",
    });
  }
  let relay: Relay;
  try {
    relay = await createRelay({
      server: app.server,
      prisma: db.prisma,
      accounts,
      logger,
      now,
      publicUrl,
      origins: config.liveOrigins,
      redisUrl: config.redisUrl,
      redisPrefix: config.redisPrefix,
      tuning: options.relay,
      trustProxy: config.trustProxy,
    });
  } catch (error) {
    await app.close().catch(() => undefined);
    await db.close();
    throw error;
  }
  return {
    config,
    db,
    app,
    accounts,
    billing,
    webhooks,
    stripe,
    relay,
    licenceKey,
    logger,
    publicUrl,
    handleWebhook,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      return `http://${config.host}:${port}`;
    },
    async close() {
      // The relay first: its sockets are long-lived connections the HTTP server would wait for.
      await relay.close();
      await app.close();
      await db.close();
    },
  };
}
