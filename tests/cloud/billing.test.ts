import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcile, replay } from "../../src/cloud/reconcile";
import { startBillingWorld, type BillingWorld } from "../support/billing-world";

let world: BillingWorld;
let failEvent: string | null = null;
beforeAll(async () => {
  world = await startBillingWorld({
    faultBeforeCommit: (event) => {
      if (event.id === failEvent) throw new Error("injected failure");
    },
  });
});
afterAll(async () => {
  await world?.dispose();
});

const day = 24 * 60 * 60;

describe("checkout", () => {
  it("creates a subscription-mode session with the tier's price, our account id, an idempotency key and a 14-day trial on Professional", async () => {
    const { accountId, accessToken } = await world.signUp();
    const result = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "professional" });
    expect(result.status).toBe(200);
    expect(result.body.url).toMatch(new RegExp(`^${world.fake.url}/c/pay/cs_test_`));
    const request = world.fake.control
      .requests()
      .find(
        (r) => r.method === "POST" && r.path === "/v1/checkout/sessions" && r.params.client_reference_id === accountId,
      );
    expect(request?.params).toMatchObject({
      mode: "subscription",
      line_items: [{ price: world.fake.prices.professional, quantity: "1" }],
      subscription_data: { trial_period_days: "14", metadata: { sight_account_id: accountId } },
    });
    expect(request?.idempotencyKey).toMatch(new RegExp(`^checkout-${accountId}-`));
    expect(String(request?.params.success_url)).toContain("/billing/return?app=sight&session_id={CHECKOUT_SESSION_ID}");
  });

  it("reuses the account's Stripe customer for a second checkout and offers no trial on Enterprise", async () => {
    const { accountId, accessToken } = await world.signUp();
    await world.api("POST", "/billing/create-checkout", accessToken, { tier: "enterprise" });
    await world.api("POST", "/billing/create-checkout", accessToken, { tier: "enterprise" });
    const sessions = world.fake.control
      .requests()
      .filter((r) => r.path === "/v1/checkout/sessions" && r.params.client_reference_id === accountId);
    expect(sessions).toHaveLength(2);
    expect(new Set(sessions.map((s) => s.params.customer)).size).toBe(1);
    expect(sessions[0]!.params.subscription_data).not.toHaveProperty("trial_period_days");
    const customers = world.fake.control.requests().filter((r) => r.path === "/v1/customers" && r.method === "POST");
    expect(customers.filter((c) => (c.params.metadata as any)?.sight_account_id === accountId)).toHaveLength(1);
  });

  it("turns a completed checkout into a Professional trial licence with 50 personas, from the webhooks alone", async () => {
    const { accountId, accessToken } = await world.signUp();
    expect((await world.licence(accessToken)).tier).toBe("free");
    await world.subscribe(accessToken, "professional");
    const claims = await world.licence(accessToken);
    expect(claims).toMatchObject({
      sub: accountId,
      tier: "professional",
      personaLimit: 50,
      status: "trialing",
      subscribedTier: "professional",
    });
    expect(new Date(claims.trialEndsAt).getTime() / 1000).toBeCloseTo(world.now().getTime() / 1000 + 14 * day, -2);
    const account = await world.cloud.db.prisma.account.findUnique({ where: { id: accountId } });
    expect(account?.hadTrial).toBe(true);
  });

  it("expires the open Checkout of an earlier click, so two tabs cannot both be paid (nor both get a trial)", async () => {
    const { accountId, accessToken } = await world.signUp();
    const first = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "professional" });
    const second = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "professional" });
    const sessions = world.fake.control.state().sessions.filter((s) => s.client_reference_id === accountId);
    expect(sessions.find((s) => s.id === first.body.sessionId)?.status).toBe("expired");
    expect(sessions.find((s) => s.id === second.body.sessionId)?.status).toBe("open");
    expect(() => world.fake.control.completeCheckout(first.body.sessionId)).toThrow();
  });

  it("refuses a second checkout for a subscribed account with CONFLICT", async () => {
    const { accessToken } = await world.signUp();
    await world.subscribe(accessToken, "enterprise");
    const again = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "professional" });
    expect([again.status, again.body.error.code]).toEqual([409, "CONFLICT"]);
  });

  it("answers PROVIDER_UNAVAILABLE while Stripe is down, creates nothing, and works once it is back", async () => {
    const { accountId, accessToken } = await world.signUp();
    world.fake.control.setFaults({ apiDown: true });
    try {
      const down = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "professional" });
      expect([down.status, down.body.error.code]).toEqual([503, "PROVIDER_UNAVAILABLE"]);
      expect(down.body.error.message).toMatch(/Stripe cannot be reached/);
    } finally {
      world.fake.control.setFaults({ apiDown: false });
    }
    expect(world.fake.control.state().sessions.filter((s) => s.client_reference_id === accountId)).toHaveLength(0);
    expect((await world.api("POST", "/billing/create-checkout", accessToken, { tier: "professional" })).status).toBe(
      200,
    );
  });

  it("says billing is off when the tier has no price configured", async () => {
    const { accessToken } = await world.signUp();
    const result = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "ultimate" });
    expect(result.status).toBe(400);
  });
});

describe("lifecycle after checkout", () => {
  it("keeps the tier for 7 days after a failed renewal, counted from the failed invoice, then drops to Free", async () => {
    const { accessToken } = await world.signUp();
    const session = await world.subscribe(accessToken, "enterprise");
    const sub = world.fake.control.renewalFails(session.subscription as string);
    await world.fake.control.flushDeliveries();
    const claims = await world.licence(accessToken);
    const invoice = world.fake.control.state().invoices.find((i) => i.id === sub.latest_invoice)!;
    expect(claims).toMatchObject({ tier: "enterprise", status: "past_due" });
    expect(new Date(claims.graceEndsAt).getTime()).toBe((invoice.created + 7 * day) * 1000);
    // The licence itself ends with the grace, so an app offline past it falls back to Free.
    expect(claims.exp).toBe(invoice.created + 7 * day);
    world.fake.control.advanceClock(7 * day + 60);
    expect((await world.licence(accessToken)).tier).toBe("free");
  });

  it("does not restart the grace when another invoice fails while past due", async () => {
    const { accessToken } = await world.signUp();
    const session = await world.subscribe(accessToken, "professional");
    world.fake.control.renewalFails(session.subscription as string);
    await world.fake.control.flushDeliveries();
    const first = (await world.licence(accessToken)).graceEndsAt;
    world.fake.control.advanceClock(2 * day);
    world.fake.control.renewalFails(session.subscription as string);
    await world.fake.control.flushDeliveries();
    const second = await world.licence(accessToken);
    expect(second.status).toBe("past_due");
    expect(second.graceEndsAt).toBe(first);
  });

  it("refuses a change of plan while a payment is past due, so an unpaid invoice cannot buy another tier", async () => {
    const { accessToken } = await world.signUp();
    const session = await world.subscribe(accessToken, "professional");
    world.fake.control.renewalFails(session.subscription as string);
    await world.fake.control.flushDeliveries();
    const refused = await world.api("POST", "/billing/change-plan", accessToken, { tier: "enterprise", preview: true });
    expect([refused.status, refused.body.error.code, refused.body.error.details.reason]).toEqual([
      409,
      "CONFLICT",
      "past_due",
    ]);
  });

  it("refuses a backdated or stale proration date, which would credit time already used", async () => {
    const { accessToken } = await world.signUp();
    const session = await world.subscribe(accessToken, "enterprise");
    world.fake.control.renew(session.subscription as string);
    await world.fake.control.flushDeliveries();
    world.fake.control.advanceClock(20 * day);
    const backdated = Math.floor(world.now().getTime() / 1000) - 19 * day;
    const refused = await world.api("POST", "/billing/change-plan", accessToken, {
      tier: "professional",
      prorationDate: backdated,
    });
    expect([refused.status, refused.body.error.details.reason]).toEqual([400, "stale_preview"]);
    const preview = await world.api("POST", "/billing/change-plan", accessToken, {
      tier: "professional",
      preview: true,
    });
    world.fake.control.advanceClock(11 * 60);
    const stale = await world.api("POST", "/billing/change-plan", accessToken, {
      tier: "professional",
      prorationDate: preview.body.preview.prorationDate,
    });
    expect(stale.body.error.details.reason).toBe("stale_preview");
  });

  it("cancels at period end through the portal: the tier holds until then, then Free", async () => {
    const { accessToken } = await world.signUp();
    const session = await world.subscribe(accessToken, "enterprise");
    const portal = await world.api("POST", "/billing/portal", accessToken);
    expect(portal.body.url).toMatch(new RegExp(`^${world.fake.url}/p/session/`));
    // What a browser does: read the portal page and submit its "Cancel plan" form.
    const page = await (await fetch(portal.body.url)).text();
    const action = /<form method="post" action="([^"]+\/cancel)"/.exec(page)?.[1];
    expect(action).toBeDefined();
    const cancel = await fetch(new URL(action!, world.fake.url), { method: "POST", body: "", redirect: "manual" });
    expect(cancel.status).toBeLessThan(400);
    await world.fake.control.flushDeliveries();
    const pending = await world.licence(accessToken);
    expect(pending.tier).toBe("enterprise");
    expect(pending.cancelAt).not.toBeNull();
    world.fake.control.endPeriod(session.subscription as string);
    await world.fake.control.flushDeliveries();
    expect(await world.licence(accessToken)).toMatchObject({
      tier: "free",
      status: "canceled",
      subscribedTier: "enterprise",
    });
  });

  it("previews a change of plan and charges exactly the previewed amount when applied with its proration date", async () => {
    const { accessToken } = await world.signUp();
    const session = await world.subscribe(accessToken, "enterprise");
    world.fake.control.renew(session.subscription as string);
    await world.fake.control.flushDeliveries();
    world.fake.control.advanceClock(10 * day);
    const preview = await world.api("POST", "/billing/change-plan", accessToken, {
      tier: "professional",
      preview: true,
    });
    expect(preview.body.kind).toBe("preview");
    // Enterprise → Professional two-thirds through the period: a credit, so nothing is due.
    expect(preview.body.preview.lines.length).toBeGreaterThanOrEqual(2);
    const applied = await world.api("POST", "/billing/change-plan", accessToken, {
      tier: "professional",
      prorationDate: preview.body.preview.prorationDate,
    });
    expect(applied.body.kind).toBe("applied");
    expect(applied.body.claims.tier).toBe("professional");
    const invoice = world.fake.control
      .state()
      .invoices.filter((i) => i.parent?.subscription_details?.subscription === session.subscription)
      .at(-1)!;
    expect(invoice.amount_due).toBe(preview.body.preview.amountDue);
    const lineSum = preview.body.preview.lines.reduce((sum: number, line: { amount: number }) => sum + line.amount, 0);
    expect(invoice.lines.data.reduce((sum, line) => sum + line.amount, 0)).toBe(lineSum);
  });

  it("charges a prorated, positive amount for Professional → Enterprise mid-period", async () => {
    const { accessToken } = await world.signUp();
    const session = await world.subscribe(accessToken, "professional");
    world.fake.control.renew(session.subscription as string); // the trial ends, the first period is paid
    await world.fake.control.flushDeliveries();
    world.fake.control.advanceClock(15 * day);
    const preview = await world.api("POST", "/billing/change-plan", accessToken, { tier: "enterprise", preview: true });
    expect(preview.body.preview.amountDue).toBeGreaterThan(0);
    expect(preview.body.preview.amountDue).toBeLessThan(19900 - 4900);
    const applied = await world.api("POST", "/billing/change-plan", accessToken, {
      tier: "enterprise",
      prorationDate: preview.body.preview.prorationDate,
    });
    expect(applied.body.claims).toMatchObject({ tier: "enterprise", personaLimit: null });
    const paid = await world.cloud.db.prisma.payment.findMany({
      where: { subscriptionId: session.subscription as string },
    });
    await world.fake.control.flushDeliveries();
    const after = await world.cloud.db.prisma.payment.findMany({
      where: { subscriptionId: session.subscription as string },
    });
    expect(after.map((p) => p.amountPaid)).toContain(preview.body.preview.amountDue);
    expect(after.length).toBeGreaterThanOrEqual(paid.length);
  });

  it("ignores webhooks that arrive for a deleted account and never grants it anything", async () => {
    const { accountId, accessToken } = await world.signUp();
    world.fake.control.pauseDeliveries();
    const created = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "enterprise" });
    world.fake.control.completeCheckout(created.body.sessionId);
    await world.cloud.accounts.deleteAccount(accountId, "correct horse battery");
    world.fake.control.resumeDeliveries();
    await world.fake.control.flushDeliveries();
    const events = await world.cloud.db.prisma.stripeEvent.findMany({ where: { accountId } });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.outcome === "ignored")).toBe(true);
    expect(await world.cloud.db.prisma.subscription.count({ where: { accountId } })).toBe(0);
  });
});

describe("return pages and account deletion", () => {
  it("sends the browser back to the app's own scheme, and never to another one", async () => {
    const { accountId, accessToken } = await world.signUp();
    await world.api("POST", "/billing/create-checkout", accessToken, { tier: "enterprise", app: "sight-dev" });
    const request = world.fake.control
      .requests()
      .find((r) => r.path === "/v1/checkout/sessions" && r.params.client_reference_id === accountId);
    expect(String(request?.params.success_url)).toMatch(
      /\/billing\/return\?app=sight-dev&session_id=\{CHECKOUT_SESSION_ID\}$/,
    );
    const page = async (query: string) => (await fetch(`${world.cloud.url}/billing/return${query}`)).text();
    expect(await page("?app=sight-dev")).toContain('href="sight-dev://billing/return"');
    expect(await page("")).toContain('href="sight://billing/return"');
    const hostile = await page("?app=javascript:alert(1)//");
    expect(hostile).toContain('href="sight://billing/return"');
    expect(hostile).not.toContain("javascript");
  });

  it("cancels a deleted account's subscription in Stripe at once, and a retried deletion does not fail on it", async () => {
    const { accountId, accessToken } = await world.signUp();
    const session = await world.subscribe(accessToken, "enterprise");
    await world.cloud.billing.cancelAll(accountId);
    await world.cloud.billing.cancelAll(accountId); // as a retried deletion would
    await world.fake.control.flushDeliveries();
    expect(world.fake.control.state().subscriptions.find((s) => s.id === session.subscription)?.status).toBe(
      "canceled",
    );
    await world.cloud.accounts.deleteAccount(accountId, "correct horse battery");
    const row = await world.cloud.db.prisma.account.findUnique({ where: { id: accountId } });
    expect(row?.deletedAt).not.toBeNull();
  });
});

describe("recovering missed events", () => {
  it("reconcile applies events Stripe never delivered, and running it twice changes nothing", async () => {
    const { accessToken } = await world.signUp();
    world.fake.control.setWebhookUrl(null);
    const since = new Date((world.now().getTime() / 1000 - 5) * 1000);
    const created = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "enterprise" });
    world.fake.control.completeCheckout(created.body.sessionId);
    world.fake.control.setWebhookUrl(`${world.cloud.url}/api/v1/billing/webhook`);
    expect((await world.licence(accessToken)).tier).toBe("free");
    const first = await reconcile(world.cloud, since);
    // subscription.created, invoice.paid, checkout.session.completed act; customer/invoice.created are recorded only.
    expect(first.outcomes.applied).toBe(3);
    expect(first.outcomes.ignored).toBe(2);
    // Events of earlier tests in the same window were already applied: duplicates, no effect.
    expect(first.outcomes.duplicate).toBe(first.seen - 5);
    expect(first.outcomes.failed).toBe(0);
    expect((await world.licence(accessToken)).tier).toBe("enterprise");
    const effects = await world.cloud.db.prisma.billingEffect.count();
    const second = await reconcile(world.cloud, since);
    expect(second.outcomes.applied).toBe(0);
    expect(second.outcomes.duplicate).toBe(first.seen);
    expect(await world.cloud.db.prisma.billingEffect.count()).toBe(effects);
  });

  it("stores a failed event as failed (rolled back), Stripe's retry applies it, and replay re-processes failures", async () => {
    const { accessToken } = await world.signUp();
    world.fake.control.pauseDeliveries();
    const created = await world.api("POST", "/billing/create-checkout", accessToken, { tier: "professional" });
    world.fake.control.completeCheckout(created.body.sessionId);
    const completed = world.fake.control
      .state()
      .events.filter((e) => e.type === "checkout.session.completed")
      .at(-1)!;
    failEvent = completed.id;
    world.fake.control.resumeDeliveries();
    await world.fake.control.flushDeliveries();
    const row = await world.cloud.db.prisma.stripeEvent.findUnique({ where: { id: completed.id } });
    expect(row).toMatchObject({ outcome: "failed", appliedAt: null });
    expect(row!.deliveries).toBeGreaterThan(1);
    expect(await world.cloud.db.prisma.billingEffect.count({ where: { eventId: completed.id } })).toBe(0);
    failEvent = null;
    const report = await replay(world.cloud, {});
    expect(report.outcomes.applied).toBeGreaterThanOrEqual(1);
    expect(await world.cloud.db.prisma.stripeEvent.findUnique({ where: { id: completed.id } })).toMatchObject({
      outcome: "applied",
    });
    expect(
      await world.cloud.db.prisma.billingEffect.count({ where: { eventId: completed.id, replay: true } }),
    ).toBeGreaterThan(0);
  });
});
