import type Stripe from "stripe";
import type { Prisma } from "../db/generated/client";

type Tx = Prisma.TransactionClient;

export interface PriceTiers {
  professional?: string;
  enterprise?: string;
}

export function tierOfPrice(prices: PriceTiers, priceId: string): string {
  if (prices.professional && priceId === prices.professional) return "professional";
  if (prices.enterprise && priceId === prices.enterprise) return "enterprise";
  return "unknown";
}

const date = (seconds: number | null | undefined) => (typeof seconds === "number" ? new Date(seconds * 1000) : null);
const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

/** Which account a subscription belongs to: our metadata first, then the customer we created. */
export async function accountForSubscription(tx: Tx, sub: Stripe.Subscription) {
  const fromMetadata = sub.metadata?.sight_account_id;
  if (fromMetadata) {
    const account = await tx.account.findUnique({ where: { id: fromMetadata } });
    if (account) return account;
  }
  const customerId = idOf(sub.customer);
  return customerId ? tx.account.findUnique({ where: { stripeCustomerId: customerId } }) : null;
}

/**
 * Upserts the subscription exactly as Stripe returned it. The caller fetched it from Stripe
 * after taking the subscription's lock, so whatever order events arrive in, the row ends at
 * Stripe's latest state.
 */
export async function upsertSubscription(
  tx: Tx,
  sub: Stripe.Subscription,
  prices: PriceTiers,
  accountId: string | null,
  at: Date,
) {
  const item = sub.items.data[0];
  const previous = await tx.subscription.findUnique({
    where: { id: sub.id },
    select: { status: true, pastDueSince: true },
  });
  const priceId = item?.price?.id ?? "";
  const latestInvoice = typeof sub.latest_invoice === "object" ? sub.latest_invoice : null;
  const data = {
    accountId,
    customerId: idOf(sub.customer) ?? "",
    status: sub.status,
    tier: tierOfPrice(prices, priceId),
    priceId,
    currentPeriodEnd: date(item?.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    cancelAt: date(sub.cancel_at),
    trialEnd: date(sub.trial_end),
    // Grace counts from the invoice whose payment failed, so it does not depend on when we heard.
    // A later invoice while still past due (a renewal, a plan change) does not restart the grace.
    pastDueSince:
      sub.status !== "past_due"
        ? null
        : previous?.status === "past_due" && previous.pastDueSince
          ? previous.pastDueSince
          : (date(latestInvoice?.created) ?? at),
    stripeUpdatedAt: at,
  };
  await tx.subscription.upsert({ where: { id: sub.id }, create: { id: sub.id, ...data }, update: data });
  if (accountId && sub.trial_end) {
    await tx.account.update({ where: { id: accountId }, data: { hadTrial: true } });
  }
  return data;
}

/** Cancels at Stripe now; one already cancelled (a retry, the dashboard) is not an error. */
export async function cancelSubscription(
  stripe: Stripe,
  subscriptionId: string,
  call: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): Promise<void> {
  await call(async () => {
    try {
      await stripe.subscriptions.cancel(subscriptionId);
    } catch (error) {
      const e = error as { statusCode?: number; code?: string };
      if (e.statusCode === 404 || e.code === "resource_missing") return;
      throw error;
    }
  });
}
