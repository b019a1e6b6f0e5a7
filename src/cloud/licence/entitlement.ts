import { PLANS, type PlanId } from "../../shared/domain/plans";
import { SUBSCRIPTION_STATUSES, type PaidTier, type SubscriptionStatus } from "../../shared/cloud/contract";

export const GRACE_PERIOD_MS = 7 * 24 * 60 * 60 * 1000;

export interface SubscriptionState {
  id: string;
  status: string;
  tier: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: Date | null;
  trialEnd: Date | null;
  pastDueSince: Date | null;
  stripeUpdatedAt: Date;
}

export interface Entitlement {
  tier: PlanId;
  status: SubscriptionStatus;
  subscribedTier: PaidTier | null;
  trialEndsAt: Date | null;
  graceEndsAt: Date | null;
  cancelAt: Date | null;
  periodEndsAt: Date | null;
}

const PAID: readonly string[] = ["professional", "enterprise"];
const KNOWN_STATUSES: readonly string[] = SUBSCRIPTION_STATUSES.filter((status) => status !== "none");

/**
 * What one subscription grants now: trialing|active → its tier; past_due → its tier for 7 days
 * from the failed invoice, then Free; anything else (canceled, unpaid, incomplete, paused) → Free.
 */
export function grantOf(sub: SubscriptionState, now: Date): PlanId {
  if (!PAID.includes(sub.tier)) return "free";
  if (sub.status === "trialing" || sub.status === "active") return sub.tier as PlanId;
  if (sub.status === "past_due") {
    const since = sub.pastDueSince ?? sub.stripeUpdatedAt;
    return now.getTime() < since.getTime() + GRACE_PERIOD_MS ? (sub.tier as PlanId) : "free";
  }
  return "free";
}

const rank = (tier: PlanId) => (tier === "enterprise" ? 2 : tier === "professional" ? 1 : 0);

/** The account's entitlement over all its subscriptions: the best grant wins; ties go to the newest. */
export function entitlementOf(subs: SubscriptionState[], now: Date): Entitlement {
  const sorted = [...subs].sort((a, b) => {
    const byGrant = rank(grantOf(b, now)) - rank(grantOf(a, now));
    return byGrant !== 0 ? byGrant : b.stripeUpdatedAt.getTime() - a.stripeUpdatedAt.getTime();
  });
  const best = sorted[0];
  if (!best) {
    return {
      tier: "free",
      status: "none",
      subscribedTier: null,
      trialEndsAt: null,
      graceEndsAt: null,
      cancelAt: null,
      periodEndsAt: null,
    };
  }
  const pastDue = best.status === "past_due";
  return {
    tier: grantOf(best, now),
    status: (KNOWN_STATUSES.includes(best.status) ? best.status : "incomplete") as SubscriptionStatus,
    subscribedTier: PAID.includes(best.tier) ? (best.tier as PaidTier) : null,
    trialEndsAt: best.status === "trialing" ? best.trialEnd : null,
    graceEndsAt: pastDue ? new Date((best.pastDueSince ?? best.stripeUpdatedAt).getTime() + GRACE_PERIOD_MS) : null,
    cancelAt: best.cancelAt ?? (best.cancelAtPeriodEnd ? best.currentPeriodEnd : null),
    periodEndsAt: best.currentPeriodEnd,
  };
}

export function personaLimitOf(tier: PlanId): number | null {
  return PLANS[tier].personaLimit;
}
