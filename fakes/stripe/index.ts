/**
 * A stateful loopback fake of the Stripe API for Sight Cloud's billing, spoken to by the real
 * `stripe` SDK: `new Stripe(key, { ...fake.sdkOptions(), apiVersion })`. One server carries the
 * API (`/v1`), the hosted Checkout and portal pages, and the test controls (`/__control`).
 */
import http from "node:http";
import { listenLoopback, sendJson } from "../http";
import { StripeApi } from "./api";
import { Checkout } from "./checkout";
import { FakeClock } from "./clock";
import { createControl, handleControl, type StripeFakeControl } from "./control";
import { unrecognizedUrl } from "./errors";
import { Invoicing } from "./invoicing";
import { HostedPages } from "./pages";
import { SEEDED_PRICES, StripeStore } from "./store";
import { Subscriptions } from "./subscriptions";
import { WebhookDispatcher } from "./webhooks";

export interface StripeFakeOptions {
  /** 0 (default) picks a free port. The server binds 127.0.0.1 only. */
  port?: number;
  /** Where signed events are POSTed; can be set later with control.setWebhookUrl. */
  webhookUrl?: string;
  /** `whsec_…`: deliveries are signed with it exactly as Stripe signs them. */
  webhookSecret: string;
  /** When set, API requests with another key get Stripe's 401. */
  apiKey?: string;
  /** Webhook retry delays after a failed attempt (ms); one retry per entry. */
  retryDelaysMs?: number[];
  /** Base of the fake clock (ms); control.advanceClock moves it forward from there. */
  now?: () => number;
  /** One line per unexpected server error (the CLI sends them to stderr). */
  log?: (line: string) => void;
}

export interface StripeFake {
  url: string;
  port: number;
  /** For `new Stripe(key, { ...fake.sdkOptions(), apiVersion })`. */
  sdkOptions(): { host: string; port: number; protocol: "http" };
  /** The seeded recurring monthly USD prices: professional 4900, enterprise 19900 cents. */
  prices: { professional: string; enterprise: string };
  control: StripeFakeControl;
  close(): Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [100, 500, 2_000, 5_000, 10_000];

export async function startStripeFake(options: StripeFakeOptions): Promise<StripeFake> {
  if (!options.webhookSecret?.startsWith("whsec_"))
    throw new Error("startStripeFake: webhookSecret must start with whsec_");
  const log = options.log ?? (() => {});
  let baseUrl = "";
  const clock = new FakeClock(options.now ?? Date.now);
  const webhooks = new WebhookDispatcher({
    url: options.webhookUrl ?? null,
    secret: options.webhookSecret,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    onDelivered: (event) => {
      event.pending_webhooks = 0;
    },
  });
  const store = new StripeStore(clock, (event) => webhooks.enqueue(event));
  const invoicing = new Invoicing(store, clock, () => baseUrl);
  const subscriptions = new Subscriptions(store, clock, invoicing);
  const checkout = new Checkout(store, clock, invoicing, () => baseUrl);
  const api = new StripeApi(
    { store, clock, invoicing, subscriptions, checkout, baseUrl: () => baseUrl },
    options.apiKey,
  );
  const pages = new HostedPages(store, checkout, subscriptions);
  const control = createControl({ store, clock, subscriptions, checkout, api, webhooks });
  const prices = { professional: SEEDED_PRICES.professional.id, enterprise: SEEDED_PRICES.enterprise.id };
  const health = () => ({ ok: true, url: baseUrl, prices });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = async () => {
      if (url.pathname.startsWith("/__control/")) return handleControl(req, res, url, control, health);
      if (url.pathname.startsWith("/v1/")) return api.handle(req, res, url);
      if (await pages.handle(req, res, url)) return;
      sendJson(res, { status: 404, body: unrecognizedUrl(req.method ?? "GET", url.pathname).body("none") });
    };
    route().catch((error: unknown) => {
      log(`stripe-fake: ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) {
        sendJson(res, {
          status: 500,
          body: { error: { type: "api_error", message: `Stripe fake bug: ${String(error)}` } },
        });
      } else res.destroy();
    });
  });
  const listening = await listenLoopback(server, options.port);
  const { port } = listening;
  baseUrl = listening.baseUrl;

  return {
    url: baseUrl,
    port,
    sdkOptions: () => ({ host: "127.0.0.1", port, protocol: "http" }),
    prices,
    control,
    close: () => {
      webhooks.close();
      return listening.close();
    },
  };
}

export type { StripeFakeControl, StripeFakeState, FaultState, FaultsPatch } from "./control";
export type { LoggedApiRequest } from "./api";
export type { DeliveryRecord, WebhookFaults } from "./webhooks";
export type { FakeEvent } from "./objects";
export { API_VERSION } from "./objects";
export { signatureHeader } from "./webhooks";
