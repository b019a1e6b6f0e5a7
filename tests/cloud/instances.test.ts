import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloud, type Cloud } from "../../src/cloud/cloud";
import { silentLogger } from "../../src/main/services/logger";
import { startTestCloud, TEST_SCRYPT, TEST_WEBHOOK_SECRET, type TestCloud } from "../support/cloud";

// Two Cloud instances on one PostgreSQL database, as behind a load balancer: whatever they must
// agree on (refresh-token rotation, rate limits, webhook dedupe) lives in the database.
let a: TestCloud;
let b: Cloud;
let bUrl: string;
beforeAll(async () => {
  a = await startTestCloud({ stripeApiBase: "http://127.0.0.1:9" });
  b = await createCloud(
    { ...a.config, port: 0, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "sight-cloud-b-")) },
    { logger: silentLogger, scrypt: TEST_SCRYPT },
  );
  bUrl = await b.listen();
});
afterAll(async () => {
  await b?.close();
  fs.rmSync(b.config.dataDir, { recursive: true, force: true });
  await a?.dispose();
});

async function post(base: string, path: string, body: unknown) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("two Cloud instances on one database", () => {
  it("sign with the shared configured keys, so either verifies the other's tokens", async () => {
    expect(b.licenceKey.kid).toBe(a.licenceKey.kid);
    const session = await post(a.url, "/auth/sign-up", {
      email: `two-${Date.now()}@example.com`,
      password: "correct horse battery",
    });
    const licence = await fetch(`${bUrl}/api/v1/licence`, {
      headers: { authorization: `Bearer ${session.body.accessToken}` },
    });
    expect(licence.status).toBe(200);
  });

  it("detect a refresh token rotated on one instance and replayed on the other", async () => {
    const session = await post(a.url, "/auth/sign-up", {
      email: `rot-${Date.now()}@example.com`,
      password: "correct horse battery",
    });
    expect((await post(a.url, "/auth/refresh", { refreshToken: session.body.refreshToken })).status).toBe(200);
    const replay = await post(bUrl, "/auth/refresh", { refreshToken: session.body.refreshToken });
    expect([replay.status, replay.body.error.details.reason]).toEqual([401, "reuse"]);
  });

  it("refuses to start on a shared database without configured signing keys", async () => {
    await expect(createCloud({ ...a.config, licenceKey: undefined }, { logger: silentLogger })).rejects.toThrow(
      /SIGHT_CLOUD_LICENCE_KEY/,
    );
  });

  it("count failed sign-ins together: 5 on each make 10, and the 11th is refused on either", async () => {
    const email = `limit-${Date.now()}@example.com`;
    await post(a.url, "/auth/sign-up", { email, password: "correct horse battery" });
    for (let i = 0; i < 5; i += 1) {
      await post(a.url, "/auth/sign-in", { email, password: `wrong-${i}-aaaa` });
      await post(bUrl, "/auth/sign-in", { email, password: `wrong-${i}-bbbb` });
    }
    expect((await post(bUrl, "/auth/sign-in", { email, password: "correct horse battery" })).status).toBe(429);
    expect((await post(a.url, "/auth/sign-in", { email, password: "correct horse battery" })).status).toBe(429);
  });

  it("apply a webhook event once when Stripe's copies reach both instances at the same moment", async () => {
    const body = JSON.stringify({
      id: `evt_two_${Date.now()}`,
      object: "event",
      api_version: "2026-10-28.endive",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "cus_two", object: "customer" } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "customer.created",
    });
    const stripe = new Stripe("sk_test_twoInstances0001");
    const deliver = (base: string) =>
      fetch(`${base}/api/v1/billing/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret: TEST_WEBHOOK_SECRET }),
        },
        body,
      }).then(async (r) => ((await r.json()) as { outcome: string }).outcome);
    const outcomes = await Promise.all([deliver(a.url), deliver(bUrl), deliver(a.url), deliver(bUrl)]);
    expect(outcomes.sort()).toEqual(["duplicate", "duplicate", "duplicate", "ignored"]);
    const id = JSON.parse(body).id;
    expect(await a.db.prisma.billingEffect.count({ where: { eventId: id } })).toBe(1);
    expect((await a.db.prisma.stripeEvent.findUnique({ where: { id } }))?.deliveries).toBe(4);
  });
});
