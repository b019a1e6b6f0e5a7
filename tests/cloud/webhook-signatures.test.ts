import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, TEST_WEBHOOK_SECRET, type TestCloud } from "../support/cloud";

// Signature checks and dedupe need no Stripe API: the events here are of a type Sight only records.
let cloud: TestCloud;
const stripe = new Stripe("sk_test_signaturesOnly01");
beforeAll(async () => {
  cloud = await startTestCloud({ stripeApiBase: "http://127.0.0.1:9" });
});
afterAll(async () => {
  await cloud?.dispose();
});

let n = 0;
function eventBody(id = `evt_sig_${(n += 1)}_${Date.now()}`) {
  return JSON.stringify({
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: "cus_123", object: "customer" } },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "customer.created",
  });
}

async function deliver(body: string, signature?: string) {
  const response = await fetch(`${cloud.url}/api/v1/billing/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? TEST_WEBHOOK_SECRET,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });

const stored = async (body: string) => cloud.db.prisma.stripeEvent.findUnique({ where: { id: JSON.parse(body).id } });

describe("Stripe webhooks: signatures on the raw bytes", () => {
  it("applies a correctly signed event and records it in the audit table", async () => {
    const body = eventBody();
    const result = await deliver(body, sign(body));
    expect(result).toEqual({ status: 200, body: { received: true, outcome: "ignored" } });
    expect(await stored(body)).toMatchObject({ type: "customer.created", outcome: "ignored", deliveries: 1 });
  });

  it.each([
    ["unsigned", () => undefined],
    ["signed with another endpoint's secret", (body: string) => sign(body, { secret: "whsec_someoneElse0001" })],
    [
      "signed 301 s ago (past the 300 s tolerance)",
      (body: string) => sign(body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ],
    ["with a malformed header", () => "t=notanumber,v1=zzzz"],
    ["with a v0 (test-mode legacy) signature only", (body: string) => sign(body).replace("v1=", "v0=")],
  ])("refuses an event %s with 400 and stores nothing", async (_label, signature) => {
    const body = eventBody();
    const result = await deliver(body, signature(body));
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe("VALIDATION_FAILED");
    expect(await stored(body)).toBeNull();
  });

  it("refuses a body changed after signing (one byte) with 400", async () => {
    const body = eventBody();
    const signature = sign(body);
    const result = await deliver(body.replace('"customer.created"', '"customer.created" '), signature);
    expect(result.status).toBe(400);
    expect(await stored(body)).toBeNull();
  });

  it("accepts an event signed 299 s ago", async () => {
    const body = eventBody();
    expect((await deliver(body, sign(body, { timestamp: Math.floor(Date.now() / 1000) - 299 }))).status).toBe(200);
  });

  it("refuses a signed body that is not JSON with 400", async () => {
    const body = "{not json";
    expect((await deliver(body, sign(body))).status).toBe(400);
  });

  it("counts the same event delivered 5 times once: one audit row, 5 deliveries, one effect", async () => {
    const body = eventBody();
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i += 1) outcomes.push((await deliver(body, sign(body))).body.outcome);
    expect(outcomes).toEqual(["ignored", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect((await stored(body))?.deliveries).toBe(5);
    expect(await cloud.db.prisma.billingEffect.count({ where: { eventId: JSON.parse(body).id } })).toBe(1);
  });

  it("applies an event once when 5 copies arrive at the same moment", async () => {
    const body = eventBody();
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(body, sign(body))));
    expect(results.map((r) => r.body.outcome).sort()).toEqual([
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "ignored",
    ]);
    expect(await cloud.db.prisma.billingEffect.count({ where: { eventId: JSON.parse(body).id } })).toBe(1);
  });
});
