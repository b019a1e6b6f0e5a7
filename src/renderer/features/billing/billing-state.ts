// Relative, type-only imports: the vitest tests under tests/ load this file outside Vite, where
// the @shared alias does not exist. Keep this module free of browser-only imports for the same reason.
import type { BillingStatus } from "../../../shared/contract";
import type { PaidTier, SubscriptionStatus } from "../../../shared/cloud/contract";
import type { PlanId } from "../../../shared/domain/plans";

/**
 * Subscriptions whose plan can be changed, the same rule as Sight Cloud's. `past_due` waits for a
 * working payment method (the portal); the rest (Free, ended, unpaid, paused, first payment
 * pending) grant Free and buy a plan again through Checkout.
 */
const CHANGEABLE: readonly SubscriptionStatus[] = ["trialing", "active"];

/** The paid tier this workspace is subscribed to and can change from, or null. */
export function subscribedTierOf(status: BillingStatus): PaidTier | null {
  const licence = status.licence;
  if (!licence || !CHANGEABLE.includes(licence.status)) return null;
  return licence.subscribedTier;
}

/** Whether there is a Stripe customer to send to the billing portal (card, invoices, cancel). */
export function canManageSubscription(status: BillingStatus): boolean {
  return status.account !== null && status.licence !== null && status.licence.status !== "none";
}

/** What the page offers on a paid plan's card. */
export type PlanAction = "none" | "upgrade" | "change";

export function planActionOf(status: BillingStatus, tier: PaidTier): PlanAction {
  if (!status.cloudConfigured) return "none";
  // The Cloud refuses both a change and a second subscription while a payment is overdue:
  // "Update payment method" on the current plan is the way forward.
  if (status.licence?.status === "past_due") return "none";
  const subscribed = subscribedTierOf(status);
  if (subscribed === null) return status.plan === tier ? "none" : "upgrade";
  return subscribed === tier ? "none" : "change";
}

/** The plan one step up, for "Upgrade" where a limit bites; null on the top plan. */
export function nextPlanOf(plan: PlanId): PaidTier | null {
  if (plan === "free") return "professional";
  if (plan === "professional") return "enterprise";
  return null;
}

/**
 * The parts of the status a Stripe page can change. Waiting ends when this differs from what it
 * was when the page opened: for Checkout only the plan counts, for the portal any of them
 * (a new card ends past_due, a cancellation sets cancelAt).
 */
export function billingFingerprint(status: BillingStatus, kind: "checkout" | "portal"): string {
  if (kind === "checkout") return status.plan;
  const licence = status.licence;
  return JSON.stringify([
    status.plan,
    licence?.status ?? null,
    licence?.subscribedTier ?? null,
    licence?.cancelAt ?? null,
    licence?.graceEndsAt ?? null,
  ]);
}

/** One line under the plan's name, as a catalogue key and the dates it needs. */
export type StatusLine =
  | {
      key:
        | "free"
        | "none"
        | "pastDue"
        | "trial"
        | "active"
        | "canceled"
        | "unpaid"
        | "incomplete"
        | "incompleteExpired"
        | "paused";
    }
  | { key: "trialEnds" | "cancels" | "renews"; date: string };

export function statusLineOf(status: BillingStatus): StatusLine {
  const licence = status.licence;
  if (!licence) return { key: "free" };
  switch (licence.status) {
    case "none":
      return { key: "none" };
    case "past_due":
      return { key: "pastDue" };
    case "trialing":
      if (licence.cancelAt) return { key: "cancels", date: licence.cancelAt };
      return licence.trialEndsAt ? { key: "trialEnds", date: licence.trialEndsAt } : { key: "trial" };
    case "active":
      if (licence.cancelAt) return { key: "cancels", date: licence.cancelAt };
      return licence.periodEndsAt ? { key: "renews", date: licence.periodEndsAt } : { key: "active" };
    case "canceled":
      return { key: "canceled" };
    case "unpaid":
      return { key: "unpaid" };
    case "incomplete":
      return { key: "incomplete" };
    case "incomplete_expired":
      return { key: "incompleteExpired" };
    case "paused":
      return { key: "paused" };
  }
}

/**
 * What a failed payment means right now: the paid tier still holds until the grace ends, or the
 * grace is over (or was never given) and the plan is Free until the payment method is updated.
 */
export type PastDueNotice = { kind: "grace"; tier: PlanId; date: string } | { kind: "ended"; tier: PlanId };

export function pastDueNoticeOf(status: BillingStatus, now: Date): PastDueNotice | null {
  const licence = status.licence;
  if (licence?.status !== "past_due") return null;
  const tier = licence.subscribedTier ?? status.plan;
  const graceEndsAt = licence.graceEndsAt;
  if (graceEndsAt && Date.parse(graceEndsAt) > now.getTime() && status.plan !== "free") {
    return { kind: "grace", tier, date: graceEndsAt };
  }
  return { kind: "ended", tier };
}

/** The refusals of billing.changePlan the dialog words itself, from the Cloud's error details. */
export type ChangePlanRefusal = "past_due" | "stale_preview";

export function changePlanRefusalOf(error: unknown): ChangePlanRefusal | null {
  const { code, details } = (error ?? {}) as { code?: unknown; details?: unknown };
  const reason = (details as { reason?: unknown } | null | undefined)?.reason;
  if (code === "CONFLICT" && reason === "past_due") return "past_due";
  if (code === "VALIDATION_FAILED" && reason === "stale_preview") return "stale_preview";
  return null;
}

/** Minutes to wait after RATE_LIMITED, rounded up and at least one. */
export function retryMinutesOf(details: unknown): number {
  const ms = (details as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? Math.max(1, Math.ceil(ms / 60_000)) : 1;
}
