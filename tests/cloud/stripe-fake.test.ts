import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import {
  API_VERSION,
  startStripeFake,
  type StripeFake,
  type StripeFakeOptions,
  type StripeFakeState,
} from "../../fakes/stripe";
import { parseForm } from "../../fakes/stripe/form";
import { addInterval, prorate } from "../../fakes/stripe/periods";

const SECRET = "whsec_test_sight_fake";
const KEY = "sk_test_sight_fake_key";
const DAY = 86_400;
/** 2026-01-15 12:00 UTC: a fixed clock makes periods and prorations exact. */
const JAN_15 = Date.UTC(2026, 0, 15, 12);

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function start(options: Partial<StripeFakeOptions> = {}): Promise<{ fake: StripeFake; stripe: Stripe }> {
  const fake = await startStripeFake({ webhookSecret: SECRET, apiKey: KEY, retryDelaysMs: [20, 20, 20], ...options });
  running.push(fake);
  return { fake, stripe: client(fake) };
}

function client(fake: StripeFake, config: Stripe.StripeConfig = {}, key = KEY): Stripe {
  return new Stripe(key, {
    ...fake.sdkOptions(),
    apiVersion: API_VERSION as Stripe.LatestApiVersion,
    telemetry: false,
    ...config,
  });
}

interface Received {
  raw: string;
  signature: string;
  event: Stripe.Event;
}

/** A webhook endpoint like the Cloud's: verifies every delivery with the SDK, answers `respond`. */
async function receiver(stripe: Stripe, respond: (event: Stripe.Event, attempt: number) => number = () => 200) {
  const received: Received[] = [];
  const rejected: string[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const signature = String(req.headers["stripe-signature"]);
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(raw, signature, SECRET, 300);
      } catch (error) {
        rejected.push(String(error));
        res.writeHead(400).end();
        return;
      }
      const attempt = (attempts.get(event.id) ?? 0) + 1;
      attempts.set(event.id, attempt);
      received.push({ raw, signature, event });
      res.writeHead(respond(event, attempt)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const closer = { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  running.push(closer);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, received, rejected };
}

/** What a browser does on the hosted Checkout page: read the form, submit its fields. */
async function payOnHostedPage(url: string, fields: Record<string, string> = {}): Promise<Response> {
  const html = await (await fetch(url)).text();
  expect(html).toContain('data-testid="stripe-fake-pay"');
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
  const inputs = Object.fromEntries(
    [...html.matchAll(/<input name="([^"]+)"[^>]*?value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  return fetch(new URL(action, url), {
    method: "POST",
    body: new URLSearchParams({ ...inputs, ...fields }),
    redirect: "manual",
  });
}

/** Presses a portal button by its data-testid (each button sits in its own POST form). */
async function pressPortalButton(url: string, testid: string): Promise<void> {
  const html = await (await fetch(url)).text();
  const form = new RegExp(`<form method="post" action="([^"]+)"><button[^>]*data-testid="${testid}"`).exec(html);
  expect(form, `${testid} on the portal page`).not.toBeNull();
  const res = await fetch(new URL(form![1]!, url), { method: "POST", redirect: "manual" });
  expect(res.status).toBe(303);
}

async function subscribe(fake: StripeFake, stripe: Stripe, options: { trialDays?: number; email?: string } = {}) {
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer_email: options.email ?? "researcher@example.com",
    client_reference_id: "acct_123",
    line_items: [{ price: fake.prices.professional, quantity: 1 }],
    success_url: "http://127.0.0.1:1/billing/return?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://127.0.0.1:1/billing/cancelled",
    ...(options.trialDays ? { subscription_data: { trial_period_days: options.trialDays } } : {}),
  });
  const res = await payOnHostedPage(session.url!);
  expect(res.status).toBe(303);
  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
  return { session: done, subscription: done.subscription as Stripe.Subscription };
}

async function eventTypes(stripe: Stripe): Promise<string[]> {
  const types: string[] = [];
  await stripe.events.list({ limit: 100 }).autoPagingEach((event) => {
    types.push(event.type);
  });
  return types.reverse();
}

describe("Stripe fake: building blocks", () => {
  it.each([
    ["line_items[0][price]=price_1&line_items[0][quantity]=2", { line_items: [{ price: "price_1", quantity: "2" }] }],
    ["expand[0]=subscription&expand[1]=customer", { expand: ["subscription", "customer"] }],
    ["expand[]=a&expand[]=b", { expand: ["a", "b"] }],
    ["metadata[tier]=pro&metadata[note]=a+b%26c", { metadata: { tier: "pro", note: "a b&c" } }],
    ["created[gte]=10&created[lte]=20", { created: { gte: "10", lte: "20" } }],
    ["metadata=", { metadata: "" }],
  ])("parses the form body %s", (body, expected) => {
    expect(parseForm(body)).toEqual(expected);
  });

  it("bills months from the anchor day, clamped to short months", () => {
    const jan31 = Date.UTC(2026, 0, 31, 9) / 1000;
    expect(new Date(addInterval(jan31, "month", 1) * 1000).toISOString()).toBe("2026-02-28T09:00:00.000Z");
    expect(new Date(addInterval(jan31, "month", 2) * 1000).toISOString()).toBe("2026-03-31T09:00:00.000Z");
    expect(new Date(addInterval(jan31, "year", 1) * 1000).toISOString()).toBe("2027-01-31T09:00:00.000Z");
  });

  it("prorates by seconds left in the period and rounds each line to the cent", () => {
    expect(prorate(19_900, 0, 31 * DAY, 10 * DAY)).toBe(13_481); // 19900 × 21/31 = 13480.65
    expect(prorate(-4_900, 0, 31 * DAY, 10 * DAY)).toBe(-3_319); // a credit rounds like the charge
    expect(prorate(4_900, 0, 31 * DAY, 0)).toBe(4_900);
    expect(prorate(4_900, 0, 31 * DAY, 31 * DAY)).toBe(0);
  });

  it("speaks the API version the installed SDK pins", () => {
    expect(API_VERSION).toBe(Stripe.API_VERSION);
  });
});

describe("Stripe fake: API", () => {
  it("creates a customer once per idempotency key and replays the stored response", async () => {
    const { fake, stripe } = await start();
    const params = { email: "r@example.com", metadata: { sight_account_id: "acct_1" } };
    const first = await stripe.customers.create(params, { idempotencyKey: "customer-acct_1" });
    const again = await stripe.customers.create(params, { idempotencyKey: "customer-acct_1" });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(fake.control.state().customers).toHaveLength(1);
    const logged = fake.control.requests().filter((r) => r.path === "/v1/customers");
    expect(logged.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
      ["customer-acct_1", false],
      ["customer-acct_1", true],
    ]);
    expect(logged[0]!.params).toEqual({ email: "r@example.com", metadata: { sight_account_id: "acct_1" } });
  });

  it("refuses an idempotency key reused with other parameters", async () => {
    const { stripe } = await start();
    await stripe.customers.create({ email: "a@example.com" }, { idempotencyKey: "k" });
    const error = await stripe.customers.create({ email: "b@example.com" }, { idempotencyKey: "k" }).catch((e) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.rawType).toBe("idempotency_error");
  });

  it("answers Stripe's 404 resource_missing and 400 parameter errors", async () => {
    const { stripe, fake } = await start();
    const missing = await stripe.customers.retrieve("cus_missing").catch((e) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([missing.statusCode, missing.code, missing.param]).toEqual([404, "resource_missing", "id"]);
    const noMode = await stripe.checkout.sessions
      .create({ line_items: [{ price: fake.prices.professional, quantity: 1 }] } as Stripe.Checkout.SessionCreateParams)
      .catch((e) => e);
    expect([noMode.statusCode, noMode.code, noMode.param]).toEqual([400, "parameter_missing", "mode"]);
    const badPrice = await stripe.checkout.sessions
      .create({ mode: "subscription", line_items: [{ price: "price_nope", quantity: 1 }] })
      .catch((e) => e);
    expect([badPrice.statusCode, badPrice.code, badPrice.param]).toEqual([
      400,
      "resource_missing",
      "line_items[0][price]",
    ]);
    const unknown = await stripe.customers
      .create({ emial: "typo@example.com" } as Stripe.CustomerCreateParams)
      .catch((e) => e);
    expect([unknown.code, unknown.param]).toEqual(["parameter_unknown", "emial"]);
    // Documented by Stripe but not modelled: refused loudly instead of silently ignored.
    const unmodelled = await stripe.customers.create({ preferred_locales: ["en"] }).catch((e) => e);
    expect([unmodelled.statusCode, unmodelled.param]).toEqual([400, "preferred_locales"]);
    expect(unmodelled.message).toContain("does not model");
  });

  it("rejects a wrong API key with 401", async () => {
    const { fake } = await start();
    const error = await client(fake, {}, "sk_test_wrong_key_9999")
      .customers.list()
      .catch((e) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/^Invalid API Key provided: sk_test_\*+9999$/);
  });

  it("serves the seeded monthly prices with their products", async () => {
    const { fake, stripe } = await start();
    const pro = await stripe.prices.retrieve(fake.prices.professional, { expand: ["product"] });
    const ent = await stripe.prices.retrieve(fake.prices.enterprise);
    expect([pro.unit_amount, pro.currency, pro.recurring?.interval, (pro.product as Stripe.Product).name]).toEqual([
      4900,
      "usd",
      "month",
      "Sight Professional",
    ]);
    expect([ent.unit_amount, typeof ent.product]).toEqual([19900, "string"]);
    const listed = await stripe.prices.list({ lookup_keys: ["sight_enterprise_monthly"] });
    expect(listed.data.map((p) => p.id)).toEqual([fake.prices.enterprise]);
  });

  it("lists customers by email, newest first", async () => {
    const { stripe } = await start();
    const a = await stripe.customers.create({ email: "same@example.com" });
    await stripe.customers.create({ email: "other@example.com" });
    const b = await stripe.customers.create({ email: "same@example.com" });
    const listed = await stripe.customers.list({ email: "same@example.com" });
    expect(listed.data.map((c) => c.id)).toEqual([b.id, a.id]);
    const deleted = await stripe.customers.del(a.id);
    expect(deleted.deleted).toBe(true);
    expect((await stripe.customers.list({ email: "same@example.com" })).data.map((c) => c.id)).toEqual([b.id]);
  });

  it("walks more than 100 events with autoPagingEach, newest first", async () => {
    const { stripe } = await start();
    for (let i = 0; i < 105; i++) await stripe.customers.create({ email: `c${i}@example.com` });
    const firstPage = await stripe.events.list({ limit: 100 });
    expect([firstPage.data.length, firstPage.has_more]).toEqual([100, true]);
    const seen: Stripe.Event[] = [];
    await stripe.events.list({ limit: 100, type: "customer.created" }).autoPagingEach((event) => {
      seen.push(event);
    });
    expect(seen).toHaveLength(105);
    expect(new Set(seen.map((e) => e.id)).size).toBe(105);
    const emails = seen.map((e) => (e.data.object as Stripe.Customer).email);
    expect(emails[0]).toBe("c104@example.com");
    expect(emails.at(-1)).toBe("c0@example.com");
  });

  it("makes the SDK throw StripeAPIError when the API is down, StripeConnectionError when it resets", async () => {
    const { fake } = await start();
    const stripe = client(fake, { maxNetworkRetries: 0 });
    fake.control.setFaults({ apiDown: true });
    const down = await stripe.customers.list().catch((e) => e);
    expect(down).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(down.statusCode).toBe(503);
    fake.control.setFaults({ apiDown: "reset" });
    const reset = await stripe.customers.list().catch((e) => e);
    expect(reset).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    fake.control.setFaults({ apiDown: false });
    expect((await stripe.customers.list()).data).toEqual([]);
  });

  it("fails the next n calls with 500 and the SDK's retry, with the same idempotency key, succeeds", async () => {
    const { fake } = await start();
    const stripe = client(fake, { maxNetworkRetries: 1 });
    fake.control.setFaults({ failNextApiCalls: 1 });
    const customer = await stripe.customers.create({ email: "retry@example.com" }, { idempotencyKey: "once" });
    const logged = fake.control.requests();
    expect(logged.map((r) => [r.status, r.fault, r.idempotencyKey])).toEqual([
      [500, "fail_next", "once"],
      [200, null, "once"],
    ]);
    expect(fake.control.state().customers.map((c) => c.id)).toEqual([customer.id]);
  });
});

describe("Stripe fake: checkout and webhooks", () => {
  it("completes a checkout on the hosted page and starts a 14-day trial", async () => {
    const { fake, stripe } = await start();
    const { session, subscription } = await subscribe(fake, stripe, { trialDays: 14 });
    expect([session.status, session.payment_status, session.client_reference_id]).toEqual([
      "complete",
      "no_payment_required",
      "acct_123",
    ]);
    expect(subscription.status).toBe("trialing");
    expect(subscription.trial_end! - subscription.trial_start!).toBe(14 * DAY);
    expect(subscription.items.data[0]!.current_period_end).toBe(subscription.trial_end);
    expect(subscription.customer).toBe(session.customer);
    const invoice = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect([invoice.status, invoice.amount_due, invoice.billing_reason]).toEqual(["paid", 0, "subscription_create"]);
    expect(invoice.lines.data.map((l) => [l.description, l.amount])).toEqual([
      ["Trial period for Sight Professional", 0],
    ]);
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    const withLines = await stripe.checkout.sessions.retrieve(session.id, { expand: ["line_items"] });
    expect(withLines.line_items?.data.map((li) => [li.price?.id, li.quantity])).toEqual([
      [fake.prices.professional, 1],
    ]);
    const listed = await stripe.subscriptions.list({ customer: String(session.customer), expand: ["data.customer"] });
    expect((listed.data[0]!.customer as Stripe.Customer).email).toBe("researcher@example.com");
    const logged = fake.control.requests().find((r) => r.path === "/v1/checkout/sessions" && r.method === "POST")!;
    expect(logged.params.client_reference_id).toBe("acct_123");
    expect(logged.idempotencyKey).toMatch(/^stripe-node-retry-/); // the SDK keys every POST
    expect(await eventTypes(stripe)).toEqual([
      "customer.created",
      "customer.subscription.created",
      "invoice.created",
      "invoice.paid",
      "checkout.session.completed",
    ]);
  });

  it("redirects to success_url with the session id and refuses a declined card", async () => {
    const { fake, stripe } = await start();
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: fake.prices.enterprise, quantity: 1 }],
      success_url: "http://127.0.0.1:1/ok?session_id={CHECKOUT_SESSION_ID}",
    });
    const declined = await payOnHostedPage(session.url!, { email: "d@example.com", card: "4000 0000 0000 0002" });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined.");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    const paid = await payOnHostedPage(session.url!, { email: "d@example.com" });
    expect(paid.headers.get("location")).toBe(`http://127.0.0.1:1/ok?session_id=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription.latest_invoice"] });
    const sub = done.subscription as Stripe.Subscription;
    expect([done.payment_status, sub.status, (sub.latest_invoice as Stripe.Invoice).amount_paid]).toEqual([
      "paid",
      "active",
      19900,
    ]);
  });

  it("delivers every event signed like Stripe, each a snapshot of its moment", async () => {
    const { fake, stripe } = await start();
    const endpoint = await receiver(stripe);
    fake.control.setWebhookUrl(endpoint.url);
    await subscribe(fake, stripe, { trialDays: 14 });
    await fake.control.flushDeliveries();
    expect(endpoint.rejected).toEqual([]);
    expect(endpoint.received.map((r) => r.event.type)).toEqual(await eventTypes(stripe));
    expect(endpoint.received[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(endpoint.received[0]!.raw).toContain('\n  "id": "evt_'); // pretty-printed, as Stripe sends
    const byType = new Map(endpoint.received.map((r) => [r.event.type, r.event]));
    expect((byType.get("invoice.created")!.data.object as Stripe.Invoice).status).toBe("open");
    expect((byType.get("invoice.paid")!.data.object as Stripe.Invoice).status).toBe("paid");
    expect((byType.get("checkout.session.completed")!.data.object as Stripe.Checkout.Session).status).toBe("complete");
    expect(byType.get("customer.created")!.api_version).toBe(API_VERSION);
    expect(fake.control.deliveries().every((d) => d.status === 200 && d.attempt === 1)).toBe(true);
  });

  it("retries a receiver that answers 500 twice until it answers 200", async () => {
    const { fake, stripe } = await start({ retryDelaysMs: [20, 40, 80] });
    const endpoint = await receiver(stripe, (_event, attempt) => (attempt <= 2 ? 500 : 200));
    fake.control.setWebhookUrl(endpoint.url);
    const customer = await stripe.customers.create({ email: "x@example.com" });
    await fake.control.flushDeliveries();
    const [event] = (await stripe.events.list({ type: "customer.created" })).data;
    expect((event!.data.object as Stripe.Customer).id).toBe(customer.id);
    expect(fake.control.deliveries().map((d) => [d.eventId, d.attempt, d.status])).toEqual([
      [event!.id, 1, 500],
      [event!.id, 2, 500],
      [event!.id, 3, 200],
    ]);
    expect(new Set(endpoint.received.map((r) => r.raw)).size).toBe(1); // retries carry the same body
    expect((await stripe.events.retrieve(event!.id)).pending_webhooks).toBe(0);
  });

  it("gives up after the last retry and records the exhausted delivery", async () => {
    const { fake, stripe } = await start({ retryDelaysMs: [10] });
    const endpoint = await receiver(stripe, () => 503);
    fake.control.setWebhookUrl(endpoint.url);
    await stripe.customers.create({ email: "x@example.com" });
    await fake.control.flushDeliveries();
    expect(fake.control.deliveries().map((d) => [d.attempt, d.status, d.exhausted])).toEqual([
      [1, 503, false],
      [2, 503, true],
    ]);
  });

  it("loses the first attempts with dropFirstAttempts and still delivers on a retry", async () => {
    const { fake, stripe } = await start();
    const endpoint = await receiver(stripe);
    fake.control.setWebhookUrl(endpoint.url);
    fake.control.setFaults({ webhook: { dropFirstAttempts: 2 } });
    await stripe.customers.create({ email: "x@example.com" });
    await fake.control.flushDeliveries();
    expect(fake.control.deliveries().map((d) => [d.attempt, d.status, d.dropped])).toEqual([
      [1, null, true],
      [2, null, true],
      [3, 200, false],
    ]);
    expect(endpoint.received).toHaveLength(1);
  });

  it("duplicates deliveries with duplicateRate and reorders them with shuffle, reproducibly", async () => {
    const run = async () => {
      const { fake, stripe } = await start();
      const endpoint = await receiver(stripe);
      fake.control.setWebhookUrl(endpoint.url);
      fake.control.setFaults({ seed: 42, webhook: { duplicateRate: 1, shuffle: true } });
      fake.control.pauseDeliveries();
      for (let i = 0; i < 12; i++) await stripe.customers.create({ email: `c${i}@example.com` });
      await fake.control.flushDeliveries();
      const created = fake.control.state().events.map((e) => e.id);
      return { created, delivered: endpoint.received.map((r) => r.event.id), log: fake.control.deliveries() };
    };
    const first = await run();
    expect(first.delivered).toHaveLength(24);
    expect([...new Set(first.delivered)].sort()).toEqual([...first.created].sort());
    expect(first.log.filter((d) => d.duplicate)).toHaveLength(12);
    const inOrder = [...first.created.flatMap((id) => [id, id])];
    expect(first.delivered).not.toEqual(inOrder);
    const second = await run();
    // Same seed, same order of positions (ids differ between runs, so compare by creation index).
    const positions = (r: typeof first) => r.delivered.map((id) => r.created.indexOf(id));
    expect(positions(second)).toEqual(positions(first));
  });
});

describe("Stripe fake: subscription lifecycle", () => {
  it("previews a mid-period upgrade at exactly the amount the change then invoices", async () => {
    const { fake, stripe } = await start({ now: () => JAN_15 });
    const { subscription } = await subscribe(fake, stripe);
    const item = subscription.items.data[0]!;
    expect(new Date(item.current_period_end * 1000).toISOString()).toBe("2026-02-15T12:00:00.000Z");
    const { now } = fake.control.advanceClock(10 * DAY);
    const change = {
      items: [{ id: item.id, price: fake.prices.enterprise }],
      proration_date: now,
      proration_behavior: "always_invoice" as const,
    };
    const preview = await stripe.invoices.createPreview({
      customer: String(subscription.customer),
      subscription: subscription.id,
      subscription_details: change,
    });
    // 21 of 31 days left: charge 19900 × 21/31 = 13481, credit 4900 × 21/31 = 3319.
    expect(preview.lines.data.map((l) => [l.description, l.amount])).toEqual([
      ["Unused time on Sight Professional after 25 Jan 2026", -3319],
      ["Remaining time on Sight Enterprise after 25 Jan 2026", 13481],
    ]);
    expect(preview.amount_due).toBe(10_162);
    const updated = await stripe.subscriptions.update(
      subscription.id,
      { ...change, expand: ["latest_invoice"] },
      { idempotencyKey: `change-${subscription.id}` },
    );
    const invoice = updated.latest_invoice as Stripe.Invoice;
    expect([invoice.amount_due, invoice.amount_paid, invoice.status, invoice.billing_reason]).toEqual([
      preview.amount_due,
      10_162,
      "paid",
      "subscription_update",
    ]);
    expect(invoice.parent?.subscription_details?.subscription_proration_date).toBe(now);
    expect(updated.items.data[0]!.price.id).toBe(fake.prices.enterprise);
    expect(updated.items.data[0]!.current_period_end).toBe(item.current_period_end);
  });

  it("carries create_prorations lines into the next renewal invoice", async () => {
    const { fake, stripe } = await start({ now: () => JAN_15 });
    const { subscription } = await subscribe(fake, stripe);
    const { now } = fake.control.advanceClock(10 * DAY);
    await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: fake.prices.enterprise }],
      proration_date: now,
    });
    const upcoming = await stripe.invoices.createPreview({ subscription: subscription.id });
    fake.control.renew(subscription.id);
    const renewed = await stripe.invoices.retrieve(
      String((await stripe.subscriptions.retrieve(subscription.id)).latest_invoice),
    );
    expect(renewed.lines.data.map((l) => l.amount)).toEqual([-3319, 13481, 19900]);
    expect([renewed.amount_due, renewed.billing_reason]).toEqual([upcoming.amount_due, "subscription_cycle"]);
  });

  it("puts a subscription past_due when the renewal fails, and the portal's card update recovers it", async () => {
    const { fake, stripe } = await start();
    const { subscription } = await subscribe(fake, stripe);
    const periodEnd = subscription.items.data[0]!.current_period_end;
    fake.control.renewalFails(subscription.id);
    const pastDue = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    const invoice = pastDue.latest_invoice as Stripe.Invoice;
    expect([pastDue.status, invoice.status, invoice.attempt_count, invoice.amount_due]).toEqual([
      "past_due",
      "open",
      1,
      4900,
    ]);
    expect(pastDue.items.data[0]!.current_period_start).toBe(periodEnd);
    expect((await eventTypes(stripe)).slice(-3)).toEqual([
      "invoice.created",
      "invoice.payment_failed",
      "customer.subscription.updated",
    ]);
    const portal = await stripe.billingPortal.sessions.create({
      customer: String(subscription.customer),
      return_url: "http://127.0.0.1:1/billing/return",
    });
    expect(portal.url).toBe(`${fake.url}/p/session/${portal.id}`);
    await pressPortalButton(portal.url, "stripe-fake-portal-update-card");
    const recovered = await stripe.subscriptions.retrieve(subscription.id);
    expect(recovered.status).toBe("active");
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe("paid");
    expect((await eventTypes(stripe)).slice(-2)).toEqual(["invoice.paid", "customer.subscription.updated"]);
  });

  it("cancels at period end from the portal, then endPeriod deletes the subscription", async () => {
    const { fake, stripe } = await start();
    const { subscription } = await subscribe(fake, stripe, { trialDays: 14 });
    const portal = await stripe.billingPortal.sessions.create({ customer: String(subscription.customer) });
    await pressPortalButton(portal.url, "stripe-fake-portal-cancel");
    const canceling = await stripe.subscriptions.retrieve(subscription.id);
    expect([canceling.status, canceling.cancel_at_period_end, canceling.cancel_at]).toEqual([
      "trialing",
      true,
      subscription.items.data[0]!.current_period_end,
    ]);
    const [updated] = (await stripe.events.list({ type: "customer.subscription.updated", limit: 1 })).data;
    expect(updated!.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
    fake.control.endPeriod(subscription.id);
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect([ended.status, ended.ended_at]).toEqual(["canceled", subscription.trial_end]);
    expect((await eventTypes(stripe)).at(-1)).toBe("customer.subscription.deleted");
    expect((await stripe.subscriptions.list({ customer: String(subscription.customer) })).data).toEqual([]);
    expect(
      (await stripe.subscriptions.list({ customer: String(subscription.customer), status: "all" })).data,
    ).toHaveLength(1);
  });

  it("sends trial_will_end three days before the trial ends and renews into a paid period", async () => {
    const { fake, stripe } = await start();
    const { subscription } = await subscribe(fake, stripe, { trialDays: 14 });
    fake.control.trialWillEnd(subscription.id);
    const [notice] = (await stripe.events.list({ type: "customer.subscription.trial_will_end" })).data;
    expect(notice!.created).toBe(subscription.trial_end! - 3 * DAY);
    fake.control.renew(subscription.id);
    const active = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect([active.status, (active.latest_invoice as Stripe.Invoice).amount_paid]).toEqual(["active", 4900]);
    expect(active.items.data[0]!.current_period_start).toBe(subscription.trial_end);
  });

  it("cancels immediately with DELETE and answers 404 for a second cancel", async () => {
    const { fake, stripe } = await start();
    const { subscription } = await subscribe(fake, stripe);
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe("canceled");
    const again = await stripe.subscriptions.cancel(subscription.id).catch((e) => e);
    expect([again.statusCode, again.code]).toEqual([404, "resource_missing"]);
    const update = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true }).catch((e) => e);
    expect(update.message).toBe("A canceled subscription can only update its cancellation_details and metadata.");
  });
});

describe("Stripe fake: control over HTTP and the CLI", () => {
  it("runs lifecycle simulations and faults through /__control", async () => {
    const { fake, stripe } = await start();
    const { subscription } = await subscribe(fake, stripe);
    const post = async (path: string, body: unknown = {}): Promise<[number, Record<string, unknown>]> => {
      const res = await fetch(`${fake.url}/__control${path}`, { method: "POST", body: JSON.stringify(body) });
      return [res.status, (await res.json()) as Record<string, unknown>];
    };
    const [status, sub] = await post(`/subscriptions/${subscription.id}/renewal-fails`);
    expect([status, sub.status]).toEqual([200, "past_due"]);
    const [faultStatus, faults] = await post("/faults", { failNextApiCalls: 2, seed: 7 });
    expect([faultStatus, faults.failNextApiCalls, faults.seed]).toEqual([200, 2, 7]);
    const [badStatus] = await post("/faults", { apiDwn: true });
    expect(badStatus).toBe(400);
    const state = (await (await fetch(`${fake.url}/__control/state`)).json()) as StripeFakeState;
    expect(state.subscriptions[0]!.status).toBe("past_due");
  });

  it("prints one line with its URL and answers /__control/health", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "fakes/stripe/cli.ts", "--port", "0", "--webhook-secret", SECRET],
      {
        cwd: process.cwd(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    running.push({
      close: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]!);
      });
      child.once("exit", (code) => reject(new Error(`cli exited ${code}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
    const health = await fetch(`${url}/__control/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { prices: { professional: string } };
    expect(body.prices.professional).toMatch(/^price_/);
  });
});
