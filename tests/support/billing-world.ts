import type Stripe from "stripe";
import { startStripeFake, type StripeFake } from "../../fakes/stripe";
import type { CloudOptions } from "../../src/cloud/cloud";
import { startTestCloud, TEST_STRIPE_KEY, TEST_WEBHOOK_SECRET, type TestCloud } from "./cloud";

/** The Stripe fake and a Cloud on a fresh PostgreSQL database, wired to each other. */
export interface BillingWorld {
  fake: StripeFake;
  cloud: TestCloud;
  /** The fake's clock as a Date (the Cloud runs on it, so prorations and grace agree). */
  now(): Date;
  signUp(email?: string): Promise<{ accountId: string; accessToken: string }>;
  api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Checkout through the fake's hosted page (its Subscribe button) and every webhook applied. */
  subscribe(token: string, tier: "professional" | "enterprise"): Promise<Stripe.Checkout.Session>;
  licence(token: string): Promise<any>;
  dispose(): Promise<void>;
}

let emails = 0;

export async function startBillingWorld(
  options: { retryDelaysMs?: number[]; database?: "postgres" | "pglite" } & CloudOptions = {},
): Promise<BillingWorld> {
  const fake = await startStripeFake({
    webhookSecret: TEST_WEBHOOK_SECRET,
    apiKey: TEST_STRIPE_KEY,
    retryDelaysMs: options.retryDelaysMs ?? [20, 50, 100, 200, 400, 800, 1600],
  });
  const now = () => new Date(fake.control.advanceClock(0).now * 1000);
  const cloud = await startTestCloud({ stripeApiBase: fake.url, prices: fake.prices, now, ...options });
  fake.control.setWebhookUrl(`${cloud.url}/api/v1/billing/webhook`);

  // Access tokens last 15 minutes of the fake clock, which tests move by days: sign in again then.
  const emailOfToken = new Map<string, string>();
  const fresh = new Map<string, string>();
  const api: BillingWorld["api"] = async (method, path, token, body) => {
    const send = async (bearer: string) => {
      const response = await fetch(`${cloud.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const first = await send(fresh.get(token) ?? token);
    const email = emailOfToken.get(token);
    if (first.status !== 401 || first.body.error?.details?.reason !== "invalid_token" || !email) return first;
    const session = await cloud.accounts.signIn({ email, password: "correct horse battery" }, "127.0.0.1");
    fresh.set(token, session.accessToken);
    return send(session.accessToken);
  };

  return {
    fake,
    cloud,
    now,
    async signUp(email = `buyer${Date.now()}-${(emails += 1)}@example.com`) {
      // Each test buyer comes from its own address: the sign-up limit counts per address.
      const session = await cloud.accounts.signUp(
        { email, password: "correct horse battery" },
        `test-${(emails += 1)}`,
      );
      emailOfToken.set(session.accessToken, email);
      return { accountId: session.account.id, accessToken: session.accessToken };
    },
    api,
    async subscribe(token, tier) {
      const created = await api("POST", "/billing/create-checkout", token, { tier });
      if (created.status !== 200) throw new Error(`checkout failed: ${JSON.stringify(created.body)}`);
      const session = fake.control.completeCheckout(created.body.sessionId);
      await fake.control.flushDeliveries();
      return session;
    },
    async licence(token) {
      const result = await api("GET", "/licence", token);
      if (result.status !== 200) throw new Error(`licence failed: ${JSON.stringify(result.body)}`);
      return result.body.claims;
    },
    async dispose() {
      await fake.close();
      await cloud.dispose();
    },
  };
}
