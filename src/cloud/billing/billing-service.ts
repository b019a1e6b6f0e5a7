import crypto from "node:crypto";
import type Stripe from "stripe";
import { AppError } from "../../shared/contract/errors";
import type { AppScheme, PaidTier, ProrationPreview } from "../../shared/cloud/contract";
import type { Logger } from "../../main/services/logger";
import type { PrismaClient } from "../db/generated/client";
import { entitlementOf, grantOf } from "../licence/entitlement";
import { issueLicence } from "../licence/issue-licence";
import type { LicenceSigningKey } from "../licence/keys";
import { stripeFailure } from "./stripe-client";
import { accountForSubscription, cancelSubscription, upsertSubscription, type PriceTiers } from "./subscriptions";

export const TRIAL_DAYS = 14;
export const PREVIEW_LIFETIME_S = 10 * 60;

export interface BillingDeps {
  prisma: PrismaClient;
  /** Null when STRIPE_SECRET_KEY is not set: accounts and licences work, buying does not. */
  stripe: Stripe | null;
  prices: PriceTiers;
  publicUrl: string;
  licenceKey: LicenceSigningKey;
  now: () => Date;
  logger: Logger;
}

type Account = NonNullable<Awaited<ReturnType<PrismaClient["account"]["findUnique"]>>>;

export function createBillingService(deps: BillingDeps) {
  const stripe = () => {
    if (!deps.stripe)
      throw new AppError("PROVIDER_UNAVAILABLE", "Billing is not configured on this Sight Cloud.", {
        service: "stripe",
      });
    return deps.stripe;
  };
  const priceOf = (tier: PaidTier) => {
    const price = deps.prices[tier];
    if (!price)
      throw new AppError("PROVIDER_UNAVAILABLE", `No Stripe price is configured for ${tier}.`, { service: "stripe" });
    return price;
  };
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      deps.logger.warn("cloud.stripe_call_failed", { error: error instanceof Error ? error.message : String(error) });
      throw stripeFailure(error);
    }
  };

  const subscriptionsOf = (accountId: string) => deps.prisma.subscription.findMany({ where: { accountId } });

  /** The subscription that grants something now (or is past due), to change or manage. */
  const currentSubscription = async (accountId: string) => {
    const now = deps.now();
    const subs = await subscriptionsOf(accountId);
    return subs.find((s) => grantOf(s, now) !== "free" || s.status === "past_due") ?? null;
  };

  /** Subscriptions Stripe has not ended, asked of Stripe itself (our rows may wait on a webhook). */
  const liveSubscriptionsAtStripe = async (customer: string) => {
    const list = await call(() => stripe().subscriptions.list({ customer, status: "all", limit: 100 }));
    return list.data.filter((sub) => sub.status !== "canceled" && sub.status !== "incomplete_expired");
  };

  /** Expires the customer's open Checkout sessions, so two tabs can never both be paid. */
  const expireOpenCheckouts = async (customer: string) => {
    const open = await call(() => stripe().checkout.sessions.list({ customer, status: "open", limit: 100 }));
    for (const session of open.data) {
      await call(async () => {
        try {
          await stripe().checkout.sessions.expire(session.id);
        } catch (error) {
          // Completed or expired meanwhile: then there is nothing to expire.
          if ((error as { statusCode?: number }).statusCode !== 400) throw error;
        }
      });
    }
  };

  /** One Stripe customer per account, created once (idempotency key per account). */
  const ensureCustomer = async (account: Account): Promise<string> => {
    if (account.stripeCustomerId) return account.stripeCustomerId;
    const customer = await call(() =>
      stripe().customers.create(
        { email: account.email ?? undefined, metadata: { sight_account_id: account.id } },
        { idempotencyKey: `customer-${account.id}` },
      ),
    );
    const linked = await deps.prisma.account.updateMany({
      where: { id: account.id, stripeCustomerId: null },
      data: { stripeCustomerId: customer.id },
    });
    if (linked.count === 0) {
      const again = await deps.prisma.account.findUnique({ where: { id: account.id } });
      return again?.stripeCustomerId ?? customer.id;
    }
    return customer.id;
  };

  const licenceFor = async (account: Account) => {
    const entitlement = entitlementOf(await subscriptionsOf(account.id), deps.now());
    return issueLicence(deps.licenceKey, account, entitlement, deps.now());
  };

  return {
    licenceFor,

    async createCheckout(account: Account, tier: PaidTier, requestId: string | undefined, app: AppScheme = "sight") {
      const price = priceOf(tier);
      const customer = await ensureCustomer(account);
      if ((await liveSubscriptionsAtStripe(customer)).length > 0) {
        throw new AppError("CONFLICT", "This account already has a subscription; change plan or manage it instead.", {
          reason: "already_subscribed",
        });
      }
      await expireOpenCheckouts(customer);
      const everSubscribed = (await deps.prisma.subscription.count({ where: { accountId: account.id } })) > 0;
      const trial = tier === "professional" && !account.hadTrial && !everSubscribed;
      const session = await call(() =>
        stripe().checkout.sessions.create(
          {
            mode: "subscription",
            customer,
            client_reference_id: account.id,
            line_items: [{ price, quantity: 1 }],
            success_url: `${deps.publicUrl}/billing/return?app=${app}&session_id={CHECKOUT_SESSION_ID}`,
            cancel_url: `${deps.publicUrl}/billing/cancelled?app=${app}`,
            metadata: { sight_account_id: account.id, tier },
            subscription_data: {
              metadata: { sight_account_id: account.id, tier },
              ...(trial ? { trial_period_days: TRIAL_DAYS } : {}),
            },
          },
          // One click = one session: a retried request (network, double click) gets the same one.
          { idempotencyKey: `checkout-${account.id}-${requestId ?? crypto.randomUUID()}` },
        ),
      );
      if (!session.url) throw new AppError("INTERNAL", "Stripe returned a checkout session without a URL.");
      deps.logger.info("cloud.checkout_created", { accountId: account.id, tier, trial, sessionId: session.id });
      return { url: session.url, sessionId: session.id };
    },

    async portal(account: Account, app: AppScheme = "sight") {
      if (!account.stripeCustomerId) {
        throw new AppError("CONFLICT", "This account has no subscription to manage yet.", { reason: "no_customer" });
      }
      const session = await call(() =>
        stripe().billingPortal.sessions.create({
          customer: account.stripeCustomerId!,
          return_url: `${deps.publicUrl}/billing/return?app=${app}`,
        }),
      );
      return { url: session.url };
    },

    /**
     * Proration: the preview fixes `proration_date`; applying with the same date makes Stripe
     * compute the same amount, so the researcher pays what they were shown.
     */
    async changePlan(account: Account, input: { tier: PaidTier; preview: boolean; prorationDate?: number }) {
      const price = priceOf(input.tier);
      const current = await currentSubscription(account.id);
      if (!current)
        throw new AppError("CONFLICT", "There is no subscription to change; upgrade first.", {
          reason: "no_subscription",
        });
      if (current.priceId === price)
        throw new AppError("CONFLICT", `This account is already on ${input.tier}.`, { reason: "same_plan" });
      // A plan change creates an invoice; while one is unpaid it must not buy another tier (or restart the grace).
      if (current.status !== "active" && current.status !== "trialing") {
        throw new AppError("CONFLICT", "The last payment failed; update the payment method before changing plan.", {
          reason: "past_due",
        });
      }
      const sub = await call(() => stripe().subscriptions.retrieve(current.id));
      const item = sub.items.data[0];
      if (!item) throw new AppError("INTERNAL", "The subscription has no item to change.");
      const nowS = Math.floor(deps.now().getTime() / 1000);
      const prorationDate = input.prorationDate ?? nowS;
      // A preview lives 10 minutes: an older (or forged, backdated) date would credit time already used.
      if (
        prorationDate > nowS + 60 ||
        prorationDate < nowS - PREVIEW_LIFETIME_S ||
        prorationDate < item.current_period_start
      ) {
        throw new AppError("VALIDATION_FAILED", "The preview is out of date; preview the change again.", {
          reason: "stale_preview",
        });
      }
      if (input.preview) {
        const invoice = await call(() =>
          stripe().invoices.createPreview({
            customer: account.stripeCustomerId ?? undefined,
            subscription: sub.id,
            subscription_details: {
              items: [{ id: item.id, price }],
              proration_date: prorationDate,
              proration_behavior: "always_invoice",
            },
          }),
        );
        const preview: ProrationPreview = {
          tier: input.tier,
          prorationDate,
          amountDue: invoice.amount_due,
          currency: invoice.currency,
          lines: invoice.lines.data.map((line) => ({ description: line.description ?? "", amount: line.amount })),
        };
        return { kind: "preview" as const, preview };
      }
      const updated = await call(() =>
        stripe().subscriptions.update(
          sub.id,
          {
            items: [{ id: item.id, price }],
            proration_date: prorationDate,
            proration_behavior: "always_invoice",
            // A declined proration invoice leaves the price as it was instead of granting the new tier.
            payment_behavior: "pending_if_incomplete",
          },
          { idempotencyKey: `change-${sub.id}-${price}-${prorationDate}` },
        ),
      );
      // Stripe's own state (not a browser redirect), read again under the subscription's lock so
      // a webhook that committed meanwhile (a cancellation in the portal) is not overwritten.
      await deps.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${sub.id}))`;
        const fresh = await call(() => stripe().subscriptions.retrieve(updated.id, { expand: ["latest_invoice"] }));
        const owner = await accountForSubscription(tx, fresh);
        await upsertSubscription(tx, fresh, deps.prices, owner?.id ?? account.id, deps.now());
      });
      const { licence, claims } = await licenceFor(account);
      return { kind: "applied" as const, licence, claims };
    },

    /**
     * Account deletion: stop charging at once. Stripe is asked, not our rows: a subscription
     * whose webhook has not arrived yet must be cancelled too, and no open Checkout may be paid.
     */
    async cancelAll(accountId: string) {
      if (!deps.stripe) return;
      const account = await deps.prisma.account.findUnique({ where: { id: accountId } });
      if (!account?.stripeCustomerId) return;
      await expireOpenCheckouts(account.stripeCustomerId);
      for (const sub of await liveSubscriptionsAtStripe(account.stripeCustomerId)) {
        await cancelSubscription(deps.stripe, sub.id, call);
      }
    },
  };
}
export type BillingService = ReturnType<typeof createBillingService>;
