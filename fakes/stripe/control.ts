/**
 * Test control of the fake, in-process and over HTTP (`/__control/...`, JSON, no auth; the
 * server only listens on loopback). Lifecycle simulations stand in for what Stripe does on its
 * own schedule (renewals, dunning, period ends); faults and the delivery queue let tests break
 * the network between Stripe and the Cloud in reproducible ways.
 */
import type http from "node:http";
import type Stripe from "stripe";
import { z } from "zod";
import { readBody, sendJson } from "../http";
import type { ApiFaults, LoggedApiRequest, StripeApi } from "./api";
import type { Checkout } from "./checkout";
import type { FakeClock } from "./clock";
import { StripeApiError } from "./errors";
import type { FakeEvent } from "./objects";
import type { StripeStore } from "./store";
import type { PastDueOutcome, Subscriptions } from "./subscriptions";
import type { DeliveryRecord, WebhookDispatcher, WebhookFaults } from "./webhooks";

export const faultsSchema = z.strictObject({
  apiDown: z.union([z.boolean(), z.literal("reset")]).optional(),
  failNextApiCalls: z.number().int().min(0).max(1_000_000).optional(),
  webhook: z
    .strictObject({
      duplicateRate: z.number().min(0).max(1).optional(),
      shuffle: z.boolean().optional(),
      delayMs: z.number().int().min(0).max(60_000).optional(),
      dropFirstAttempts: z.number().int().min(0).max(100).optional(),
    })
    .optional(),
  /** Seeds the PRNG behind duplicateRate and shuffle (default 1). */
  seed: z.number().int().optional(),
});
export type FaultsPatch = z.infer<typeof faultsSchema>;

export interface FaultState extends ApiFaults {
  webhook: WebhookFaults;
  seed: number;
}

export interface StripeFakeState {
  /** The fake clock, unix seconds. */
  now: number;
  customers: (Stripe.Customer | Stripe.DeletedCustomer)[];
  subscriptions: Stripe.Subscription[];
  invoices: Stripe.Invoice[];
  sessions: Stripe.Checkout.Session[];
  portalSessions: Stripe.BillingPortal.Session[];
  /** Oldest first. */
  events: FakeEvent[];
  pendingDeliveries: number;
}

export interface StripeFakeControl {
  /** The renewal charge is declined: period advances, open invoice, status past_due. */
  renewalFails(subscriptionId: string): Stripe.Subscription;
  /** The period ends and renews: invoice paid, period advanced, status active. */
  renew(subscriptionId: string): Stripe.Subscription;
  /** Scheduled cancellation → canceled; past_due → unpaid (or canceled); otherwise renews. */
  endPeriod(subscriptionId: string, options?: { pastDue?: PastDueOutcome }): Stripe.Subscription;
  /** customer.subscription.trial_will_end (clock moves to three days before trial_end). */
  trialWillEnd(subscriptionId: string): Stripe.Subscription;
  /** Moves the fake clock forward; returns the new time (unix seconds). */
  advanceClock(seconds: number): { now: number };
  /** What pressing Subscribe on the hosted page does, without a browser. */
  completeCheckout(sessionId: string, form?: { email?: string; card?: string }): Stripe.Checkout.Session;
  setFaults(patch: FaultsPatch): FaultState;
  faults(): FaultState;
  setWebhookUrl(url: string | null): void;
  pauseDeliveries(): void;
  resumeDeliveries(): void;
  /** Resolves when every queued delivery got a 2xx or ran out of retries (delivers even while paused). */
  flushDeliveries(): Promise<void>;
  deliveries(): DeliveryRecord[];
  state(): StripeFakeState;
  requests(): LoggedApiRequest[];
  /** Back to a fresh account: seeded prices only, clock offset, logs, faults and queue cleared. */
  reset(): void;
}

export function createControl(deps: {
  store: StripeStore;
  clock: FakeClock;
  subscriptions: Subscriptions;
  checkout: Checkout;
  api: StripeApi;
  webhooks: WebhookDispatcher;
}): StripeFakeControl {
  const { store, clock, subscriptions, checkout, api, webhooks } = deps;
  let seed = 1;
  const faults = (): FaultState => ({ ...api.faults, webhook: { ...webhooks.faults }, seed });
  return {
    renewalFails: (id) => structuredClone(subscriptions.renewalFails(id)),
    renew: (id) => structuredClone(subscriptions.renew(id)),
    endPeriod: (id, options) => structuredClone(subscriptions.endPeriod(id, options?.pastDue)),
    trialWillEnd: (id) => structuredClone(subscriptions.trialWillEnd(id)),
    advanceClock(seconds) {
      clock.advance(seconds);
      return { now: clock.nowS() };
    },
    completeCheckout: (id, form = {}) => structuredClone(checkout.complete(id, form)),
    setFaults(patch) {
      const parsed = faultsSchema.parse(patch);
      if (parsed.apiDown !== undefined) api.faults.apiDown = parsed.apiDown;
      if (parsed.failNextApiCalls !== undefined) api.faults.failNextApiCalls = parsed.failNextApiCalls;
      if (parsed.webhook) {
        const defined = Object.entries(parsed.webhook).filter(([, value]) => value !== undefined);
        Object.assign(webhooks.faults, Object.fromEntries(defined));
      }
      if (parsed.seed !== undefined) {
        seed = parsed.seed;
        webhooks.seed(seed);
      }
      return faults();
    },
    faults,
    setWebhookUrl(url) {
      webhooks.url = url;
    },
    pauseDeliveries: () => webhooks.pause(),
    resumeDeliveries: () => webhooks.resume(),
    flushDeliveries: () => webhooks.flush(),
    deliveries: () => webhooks.deliveries(),
    state: () =>
      structuredClone({
        now: clock.nowS(),
        customers: [...store.customers.values()],
        subscriptions: [...store.subscriptions.values()],
        invoices: [...store.invoices.values()],
        sessions: [...store.sessions.values()],
        portalSessions: [...store.portalSessions.values()],
        events: store.events,
        pendingDeliveries: webhooks.pendingCount(),
      }),
    requests: () => api.requests(),
    reset() {
      store.reset();
      clock.reset();
      api.reset();
      webhooks.reset();
      seed = 1;
    },
  };
}

const urlSchema = z.strictObject({ url: z.string().url().nullable() });
const secondsSchema = z.strictObject({ seconds: z.number().min(0) });
const endPeriodSchema = z.strictObject({ pastDue: z.enum(["unpaid", "cancel"]).optional() });
const checkoutSchema = z.strictObject({ email: z.string().optional(), card: z.string().optional() });

type Action = (control: StripeFakeControl, body: unknown, id: string) => unknown;

const POST_ACTIONS: [RegExp, Action][] = [
  [/^\/__control\/reset$/, (c) => (c.reset(), { ok: true })],
  [/^\/__control\/faults$/, (c, body) => c.setFaults(faultsSchema.parse(body))],
  [/^\/__control\/webhook-url$/, (c, body) => (c.setWebhookUrl(urlSchema.parse(body).url), { ok: true })],
  [/^\/__control\/deliveries\/pause$/, (c) => (c.pauseDeliveries(), { ok: true })],
  [/^\/__control\/deliveries\/resume$/, (c) => (c.resumeDeliveries(), { ok: true })],
  [/^\/__control\/deliveries\/flush$/, async (c) => (await c.flushDeliveries(), { deliveries: c.deliveries() })],
  [/^\/__control\/clock\/advance$/, (c, body) => c.advanceClock(secondsSchema.parse(body).seconds)],
  [/^\/__control\/subscriptions\/([^/]+)\/renew$/, (c, _b, id) => c.renew(id)],
  [/^\/__control\/subscriptions\/([^/]+)\/renewal-fails$/, (c, _b, id) => c.renewalFails(id)],
  [/^\/__control\/subscriptions\/([^/]+)\/end-period$/, (c, body, id) => c.endPeriod(id, endPeriodSchema.parse(body))],
  [/^\/__control\/subscriptions\/([^/]+)\/trial-will-end$/, (c, _b, id) => c.trialWillEnd(id)],
  [/^\/__control\/checkout\/([^/]+)\/complete$/, (c, body, id) => c.completeCheckout(id, checkoutSchema.parse(body))],
];

const GET_ACTIONS: Record<string, (control: StripeFakeControl) => unknown> = {
  "/__control/state": (c) => c.state(),
  "/__control/requests": (c) => ({ requests: c.requests() }),
  "/__control/deliveries": (c) => ({ deliveries: c.deliveries() }),
  "/__control/faults": (c) => c.faults(),
};

export async function handleControl(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  control: StripeFakeControl,
  health: () => unknown,
): Promise<void> {
  const method = req.method ?? "GET";
  if (method === "GET" && url.pathname === "/__control/health") return sendJson(res, { status: 200, body: health() });
  const get = GET_ACTIONS[url.pathname];
  if (method === "GET" && get) return sendJson(res, { status: 200, body: get(control) });
  const action = method === "POST" ? POST_ACTIONS.find(([pattern]) => pattern.test(url.pathname)) : undefined;
  if (!action) {
    return sendJson(res, { status: 404, body: { error: `No control endpoint ${method} ${url.pathname}.` } });
  }
  let body: unknown;
  try {
    const text = await readBody(req);
    body = text.trim() ? JSON.parse(text) : {};
  } catch {
    return sendJson(res, { status: 400, body: { error: "The body is not JSON." } });
  }
  const id = decodeURIComponent(action[0].exec(url.pathname)?.[1] ?? "");
  try {
    return sendJson(res, { status: 200, body: await action[1](control, body, id) });
  } catch (error) {
    if (error instanceof StripeApiError) return sendJson(res, { status: error.status, body: error.body("control") });
    if (error instanceof z.ZodError)
      return sendJson(res, { status: 400, body: { error: "Invalid control body.", issues: error.issues } });
    return sendJson(res, { status: 400, body: { error: error instanceof Error ? error.message : String(error) } });
  }
}
