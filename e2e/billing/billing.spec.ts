import type { APIRequestContext, Page } from "@playwright/test";
import { api, expect, test, uniqueName } from "../support/fixtures";
import { E2E_CLOUD_URL, E2E_STRIPE_URL, E2E_TOKEN } from "../support/host";

/**
 * Buying a plan, end to end: the app (headless host) signs in to a real Sight Cloud, Checkout
 * runs on the Stripe fake's hosted page, and only Stripe's signed webhooks change the plan.
 */

async function stripeControl(request: APIRequestContext, path: string, body: unknown = {}) {
  const response = await request.post(`${E2E_STRIPE_URL}/__control${path}`, { data: body });
  expect(response.ok(), `POST ${path} → ${response.status()}`).toBe(true);
  return response.json();
}

async function subscriptionOf(request: APIRequestContext, email: string): Promise<string> {
  const state = await (await request.get(`${E2E_STRIPE_URL}/__control/state`)).json();
  const customer = state.customers.find((c: { email?: string }) => c.email === email);
  const sub = state.subscriptions.find((s: { customer: string }) => s.customer === customer?.id);
  expect(sub, `a subscription for ${email}`).toBeTruthy();
  return sub.id;
}

/** What the app's 24-hour timer does: ask the Cloud for a fresh licence now. */
async function refreshLicence(page: Page) {
  await api(page, "POST", "/billing/refresh", {});
}

async function generate(page: Page, projectId: string, count: number) {
  const { jobId } = await api<{ jobId: string }>(page, "POST", `/projects/${projectId}/personas/generate`, { count });
  await expect
    .poll(async () => (await api<{ status: string }>(page, "GET", `/jobs/${jobId}`)).status, { timeout: 45_000 })
    .toBe("succeeded");
}

test.describe("Plan & billing with Sight Cloud and Stripe", () => {
  test("a Free user at 5 personas upgrades through Checkout, gets 50, loses a renewal, cancels and keeps their data", async ({
    app,
    request,
    context,
  }) => {
    test.setTimeout(180_000);
    const project = await api<{ id: string }>(app, "POST", "/projects", {
      name: uniqueName("Billing panel"),
      targetSampleSize: 6,
      targetDemographics: { gender: { female: 0.5, male: 0.5 } },
    });
    await generate(app, project.id, 5);

    // At the limit: the dialog says so and offers Upgrade.
    await app.goto(`/#/projects/${project.id}/personas`);
    await expect(app.getByTestId("persona-card")).toHaveCount(5);
    await app.getByRole("button", { name: "Generate personas" }).first().click();
    const wizard = app.getByRole("dialog", { name: "Generate personas" });
    await wizard.getByLabel("How many").fill("1");
    await expect(wizard.getByTestId("generate-limit")).toContainText("The Free plan allows 5 personas; 5 are used.");
    await wizard.getByTestId("generate-upgrade").click();

    // Plan & billing: Free, no account yet. Upgrading asks to sign in first.
    await expect(app.getByRole("heading", { level: 1, name: "Plan & billing" })).toBeVisible();
    await expect(app.getByTestId("current-plan")).toHaveText("Free");
    await expect(app.getByTestId("persona-usage")).toContainText("5");
    await app.getByTestId("upgrade-professional").click();
    await expect(app.getByTestId("billing-sign-in-hint")).toBeVisible();
    const email = `${uniqueName("buyer").replace(/\W+/g, "-").toLowerCase()}@example.com`;
    const form = app.getByTestId("billing-sign-in-form");
    await form.getByText("Create account", { exact: true }).click();
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill("correct horse battery");
    await form.getByTestId("billing-account-submit").click();
    await expect(app.getByTestId("billing-account-email")).toHaveText(email);

    // Checkout opens in a new tab on the Stripe fake's hosted page; pay there.
    const [checkout] = await Promise.all([
      context.waitForEvent("page"),
      app.getByTestId("upgrade-professional").click(),
    ]);
    await expect(app.getByTestId("billing-waiting")).toBeVisible();
    await checkout.waitForURL(`${E2E_STRIPE_URL}/c/pay/**`);
    await expect(checkout.getByTestId("stripe-fake-trial")).toContainText("14 days free");
    await checkout.getByTestId("stripe-fake-pay").click();
    // Stripe sends the browser to the Cloud's page, which bounces to sight://billing/return.
    await checkout.waitForURL(`${E2E_CLOUD_URL}/billing/return**`);
    await expect(checkout.getByRole("heading", { name: "Payment received" })).toBeVisible();
    await checkout.close();

    // Back in Sight: the plan comes from the licence the webhooks produced, not from the redirect.
    await app.bringToFront();
    await expect(app.getByTestId("current-plan")).toHaveText("Professional", { timeout: 20_000 });
    await expect(app.getByTestId("billing-status-line")).toContainText("Trial ends on");
    await expect(app.getByTestId("billing-waiting")).toHaveCount(0);

    // The limit is 50: a sixth persona generates through the UI.
    await app.goto(`/#/projects/${project.id}/personas`);
    await expect(app.getByTestId("persona-quota")).toContainText("50");
    await app.getByRole("button", { name: "Generate personas" }).first().click();
    await wizard.getByLabel("How many").fill("1");
    await expect(wizard.getByTestId("generate-limit")).toHaveCount(0);
    await wizard.getByRole("button", { name: "Generate", exact: true }).click();
    await expect(app.getByTestId("persona-card")).toHaveCount(6, { timeout: 45_000 });

    // The renewal fails: after the next licence refresh, every page shows the banner.
    const subscription = await subscriptionOf(request, email);
    await stripeControl(request, `/subscriptions/${subscription}/renewal-fails`);
    await stripeControl(request, "/deliveries/flush");
    await refreshLicence(app);
    const banner = app.getByTestId("payment-failed-banner");
    await expect(banner).toBeVisible();
    await expect(banner).toContainText("payment failed");
    await app.goto("/#/plan");
    await expect(app.getByTestId("current-plan")).toHaveText("Professional");
    await expect(app.getByTestId("billing-payment-failed")).toBeVisible();

    // Fixing the card in the portal clears it; then cancelling there ends the plan at period end.
    const [portal] = await Promise.all([context.waitForEvent("page"), app.getByTestId("manage-subscription").click()]);
    await portal.waitForURL(`${E2E_STRIPE_URL}/p/session/**`);
    await portal.getByTestId("stripe-fake-portal-update-card").click();
    await expect(portal.getByTestId("stripe-fake-portal-status")).toContainText("active");
    await portal.getByTestId("stripe-fake-portal-cancel").click();
    await expect(portal.getByTestId("stripe-fake-portal-cancels")).toBeVisible();
    await portal.close();
    await stripeControl(request, "/deliveries/flush");
    await refreshLicence(app);
    await expect(app.getByTestId("payment-failed-banner")).toHaveCount(0);
    await expect(app.getByTestId("current-plan")).toHaveText("Professional");
    await expect(app.getByTestId("billing-status-line")).toContainText("Cancels on");

    // The period ends: Free again, and all six personas are still there; a seventh is refused.
    await stripeControl(request, `/subscriptions/${subscription}/end-period`);
    await stripeControl(request, "/deliveries/flush");
    await refreshLicence(app);
    await expect(app.getByTestId("current-plan")).toHaveText("Free");
    await app.goto(`/#/projects/${project.id}/personas`);
    await expect(app.getByTestId("persona-card")).toHaveCount(6);
    await app.getByRole("button", { name: "Generate personas" }).first().click();
    await wizard.getByLabel("How many").fill("1");
    await expect(wizard.getByTestId("generate-limit")).toContainText("The Free plan allows 5 personas; 6 are used.");
  });

  test("the renderer never receives a token: billing status over REST carries no JWT or refresh token", async ({
    app,
  }) => {
    const response = await app.request.get(`/api/v1/billing/status`, {
      headers: { Authorization: `Bearer ${E2E_TOKEN}` },
    });
    const text = await response.text();
    expect(response.ok()).toBe(true);
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    expect(text).not.toMatch(/srt_[\w-]{20,}/);
  });
});
