import crypto from "node:crypto";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { entitlementOf, type Entitlement } from "../../src/cloud/licence/entitlement";
import { startTestCloud, type TestCloud } from "../support/cloud";
import { startBillingWorld, type BillingWorld } from "../support/billing-world";

// The guarantee billing rests on: however Stripe delivers (duplicates, any order, failures it
// retries), every event's effect is applied exactly once and the entitlements end where an
// ordered, once-only delivery of the same events puts them.

let world: BillingWorld | undefined;
let ordered: TestCloud | undefined;
afterAll(async () => {
  await world?.dispose();
  await ordered?.dispose();
});

const SUBSCRIPTIONS = 50;
const MIN_DELIVERIES = 1000;

/** ~1 in 7 events fails on its first attempt (after its work, before commit); Stripe retries it. */
const failsFirstAttempt = (eventId: string) => crypto.createHash("sha256").update(eventId).digest()[0]! % 7 === 0;

describe("webhook delivery at scale on PostgreSQL", () => {
  it(`${MIN_DELIVERIES}+ deliveries for ${SUBSCRIPTIONS} subscriptions, 30% duplicates, shuffled, with failures: same entitlements as ordered once-only delivery, each effect once`, async () => {
    const attempts = new Map<string, number>();
    world = await startBillingWorld({
      faultBeforeCommit: (event) => {
        const n = (attempts.get(event.id) ?? 0) + 1;
        attempts.set(event.id, n);
        if (n === 1 && failsFirstAttempt(event.id)) throw new Error("injected handler failure");
      },
    });
    const { fake, cloud } = world;
    fake.control.setFaults({ webhook: { duplicateRate: 0.3, shuffle: true }, seed: 20261203 });
    fake.control.pauseDeliveries();
    const rng = xoroshiro128plus(7);
    const random = () => uniformFloat64(rng);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;

    // 50 accounts buy a plan; the webhooks wait in Stripe's queue.
    const users: { accountId: string; accessToken: string; subscription: string }[] = [];
    for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
      const user = await world.signUp(`scale${i}-${Date.now()}@example.com`);
      const tier = random() < 0.6 ? "professional" : "enterprise";
      const created = await world.api("POST", "/billing/create-checkout", user.accessToken, { tier });
      expect(created.status).toBe(200);
      const session = fake.control.completeCheckout(created.body.sessionId);
      users.push({ ...user, subscription: session.subscription as string });
    }
    // Their subscriptions live: renewals paid and failed, trials ending, cancellations, plan changes.
    const ops: ((u: (typeof users)[number]) => Promise<unknown> | unknown)[] = [
      (u) => fake.control.renew(u.subscription),
      (u) => fake.control.renewalFails(u.subscription),
      (u) => fake.control.trialWillEnd(u.subscription),
      (u) => fake.control.endPeriod(u.subscription),
      async (u) => {
        const portal = await world!.api("POST", "/billing/portal", u.accessToken);
        const page = await (await fetch(portal.body.url)).text();
        const action = /action="([^"]+\/(cancel|renew))"/.exec(page)?.[1];
        if (action) await fetch(new URL(action, fake.url), { method: "POST", body: "", redirect: "manual" });
      },
      async (u) => {
        const sub = fake.control.state().subscriptions.find((s) => s.id === u.subscription)!;
        const tier = sub.items.data[0]!.price.id === fake.prices.professional ? "enterprise" : "professional";
        const preview = await world!.api("POST", "/billing/change-plan", u.accessToken, { tier, preview: true });
        if (preview.body.kind === "preview") {
          await world!.api("POST", "/billing/change-plan", u.accessToken, {
            tier,
            prorationDate: preview.body.preview.prorationDate,
          });
        }
      },
    ];
    const targetEvents = Math.ceil(MIN_DELIVERIES / 1.3) + 10;
    for (let guard = 0; fake.control.state().events.length < targetEvents && guard < 2000; guard += 1) {
      try {
        await pick(ops)(pick(users));
      } catch {
        // Not every step fits every state (renewing a cancelled plan); Stripe would refuse it too.
      }
    }

    fake.control.resumeDeliveries();
    await fake.control.flushDeliveries();

    const events = fake.control.state().events as unknown as Stripe.Event[];
    const deliveries = fake.control.deliveries();
    expect(deliveries.length).toBeGreaterThanOrEqual(MIN_DELIVERIES);
    expect(deliveries.filter((d) => d.duplicate).length / events.length).toBeGreaterThan(0.2);
    expect(deliveries.filter((d) => d.status === 500).length).toBeGreaterThan(events.length / 20);
    expect(deliveries.some((d) => d.exhausted)).toBe(false);
    // Shuffled: the order of first attempts is not the order Stripe created the events in.
    const firstAttempts = deliveries.filter((d) => d.attempt === 1 && !d.duplicate).map((d) => d.eventId);
    expect(firstAttempts).not.toEqual(events.map((e) => e.id));

    // Every event is recorded with every delivery counted, and applied.
    const rows = await cloud.db.prisma.stripeEvent.findMany();
    expect(rows).toHaveLength(events.length);
    expect(rows.every((row) => row.appliedAt !== null && row.outcome !== "failed")).toBe(true);
    expect(rows.reduce((sum, row) => sum + row.deliveries, 0)).toBe(deliveries.filter((d) => d.status !== null).length);

    // The reference: a second Cloud, same accounts, every event once, in Stripe's order.
    ordered = await startTestCloud({ stripeApiBase: fake.url, prices: fake.prices, now: world.now });
    const accounts = await cloud.db.prisma.account.findMany();
    await ordered.db.prisma.account.createMany({
      data: accounts.map((a) => ({
        id: a.id,
        email: a.email,
        createdAt: a.createdAt,
        stripeCustomerId: a.stripeCustomerId,
      })),
    });
    for (const event of [...events].sort((a, b) => a.created - b.created)) {
      expect(await ordered.webhooks!.apply(event)).not.toBe("duplicate");
    }

    const now = world.now();
    const entitlements = async (c: TestCloud): Promise<Record<string, Entitlement>> =>
      Object.fromEntries(
        await Promise.all(
          users.map(async (u) => [
            u.accountId,
            entitlementOf(await c.db.prisma.subscription.findMany({ where: { accountId: u.accountId } }), now),
          ]),
        ),
      );
    const shuffledResult = await entitlements(cloud);
    expect(shuffledResult).toEqual(await entitlements(ordered));
    // And both are what Stripe says now.
    for (const u of users) {
      const sub = fake.control.state().subscriptions.find((s) => s.id === u.subscription)!;
      expect(shuffledResult[u.accountId]!.status).toBe(sub.status);
    }
    const tiers = new Set(Object.values(shuffledResult).map((e) => `${e.status}:${e.tier}`));
    expect(tiers.size).toBeGreaterThan(3); // the run covered several states, not one

    // Exactly once: the same effects per event as the once-only delivery, and one payment per paid invoice.
    const effectCounts = async (c: TestCloud) => {
      const grouped = await c.db.prisma.billingEffect.groupBy({ by: ["eventId", "kind"], _count: { _all: true } });
      return Object.fromEntries(grouped.map((g) => [`${g.eventId}:${g.kind}`, g._count._all]));
    };
    const counts = await effectCounts(cloud);
    expect(counts).toEqual(await effectCounts(ordered));
    expect(Object.values(counts).every((n) => n === 1)).toBe(true);
    const paidInvoices = fake.control.state().invoices.filter((i) => i.status === "paid").length;
    expect(await cloud.db.prisma.payment.count()).toBe(paidInvoices);
  }, 240_000);
});
