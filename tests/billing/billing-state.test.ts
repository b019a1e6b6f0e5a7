import { describe, expect, it } from "vitest";
import type { BillingStatus } from "../../src/shared/contract";
import type { SubscriptionStatus } from "../../src/shared/cloud/contract";
import {
  changePlanRefusalOf,
  pastDueNoticeOf,
  planActionOf,
  subscribedTierOf,
} from "../../src/renderer/features/billing/billing-state";

/** The Plan & billing page's rules (pure, in the renderer): which action each plan offers, and the past-due wording. */

const NOW = new Date("2026-12-01T12:00:00.000Z");
const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

function statusOf(
  plan: BillingStatus["plan"],
  licence: Partial<NonNullable<BillingStatus["licence"]>> | null,
): BillingStatus {
  return {
    cloudConfigured: true,
    cloudReachable: true,
    account: { email: "researcher@example.com" },
    plan,
    personaLimit: plan === "free" ? 5 : plan === "professional" ? 50 : null,
    licence: licence && {
      status: "active",
      subscribedTier: "professional",
      trialEndsAt: null,
      graceEndsAt: null,
      cancelAt: null,
      periodEndsAt: at(20 * DAY),
      expiresAt: at(7 * DAY),
      refreshedAt: at(0),
      ...licence,
    },
    problem: null,
  };
}

/** A Professional subscription in `status`, with the plan the Cloud grants for it. */
const professional = (status: SubscriptionStatus, plan: BillingStatus["plan"] = "free", extra = {}) =>
  statusOf(plan, { status, subscribedTier: "professional", ...extra });

describe("planActionOf", () => {
  it.each<[string, BillingStatus, "none" | "upgrade" | "change", "none" | "upgrade" | "change"]>([
    ["Free, never subscribed", statusOf("free", null), "upgrade", "upgrade"],
    [
      "a Free licence (no subscription)",
      statusOf("free", { status: "none", subscribedTier: null }),
      "upgrade",
      "upgrade",
    ],
    ["an active Professional subscription", professional("active", "professional"), "none", "change"],
    ["a Professional trial", professional("trialing", "professional"), "none", "change"],
    ["a past-due Professional subscription in its grace", professional("past_due", "professional"), "none", "none"],
    ["a past-due Professional subscription after its grace", professional("past_due", "free"), "none", "none"],
    ["a canceled Professional subscription", professional("canceled"), "upgrade", "upgrade"],
    ["an unpaid Professional subscription", professional("unpaid"), "upgrade", "upgrade"],
    ["a paused Professional subscription", professional("paused"), "upgrade", "upgrade"],
    ["an expired first payment", professional("incomplete_expired"), "upgrade", "upgrade"],
    ["a first payment still pending", professional("incomplete"), "upgrade", "upgrade"],
  ])("with %s offers %s on Professional and %s on Enterprise", (_name, status, onProfessional, onEnterprise) => {
    expect(planActionOf(status, "professional")).toBe(onProfessional);
    expect(planActionOf(status, "enterprise")).toBe(onEnterprise);
  });

  it("offers nothing in a build without Sight Cloud", () => {
    expect(planActionOf({ ...statusOf("free", null), cloudConfigured: false }, "professional")).toBe("none");
  });
});

describe("subscribedTierOf", () => {
  it.each<[SubscriptionStatus, "professional" | null]>([
    ["trialing", "professional"],
    ["active", "professional"],
    ["past_due", null],
    ["unpaid", null],
    ["paused", null],
    ["canceled", null],
  ])("names the tier of a %s subscription as changeable: %s", (status, tier) => {
    expect(subscribedTierOf(professional(status, "professional"))).toBe(tier);
  });
});

describe("pastDueNoticeOf", () => {
  it("says the paid tier holds until the grace ends while it has not", () => {
    const status = professional("past_due", "professional", { graceEndsAt: at(3 * DAY) });
    expect(pastDueNoticeOf(status, NOW)).toEqual({ kind: "grace", tier: "professional", date: at(3 * DAY) });
  });

  it("says the plan is Free now once the grace has ended, never a date in the past", () => {
    const status = professional("past_due", "free", { graceEndsAt: at(-DAY) });
    expect(pastDueNoticeOf(status, NOW)).toEqual({ kind: "ended", tier: "professional" });
  });

  it("says the plan is Free now once the grace has ended, even before the licence is refreshed", () => {
    const status = professional("past_due", "professional", { graceEndsAt: at(-1000) });
    expect(pastDueNoticeOf(status, NOW)).toEqual({ kind: "ended", tier: "professional" });
  });

  it("says the plan is Free when the Cloud gave no grace date", () => {
    expect(pastDueNoticeOf(professional("past_due", "free"), NOW)).toEqual({ kind: "ended", tier: "professional" });
  });

  it("says nothing when no payment is overdue", () => {
    expect(pastDueNoticeOf(professional("active", "professional"), NOW)).toBeNull();
    expect(pastDueNoticeOf(statusOf("free", null), NOW)).toBeNull();
  });
});

describe("changePlanRefusalOf", () => {
  it.each([
    ["CONFLICT past_due", { code: "CONFLICT", details: { reason: "past_due" } }, "past_due"],
    [
      "VALIDATION_FAILED stale_preview",
      { code: "VALIDATION_FAILED", details: { reason: "stale_preview" } },
      "stale_preview",
    ],
    ["CONFLICT same_plan", { code: "CONFLICT", details: { reason: "same_plan" } }, null],
    ["VALIDATION_FAILED with issues", { code: "VALIDATION_FAILED", details: { issues: [] } }, null],
    ["past_due under another code", { code: "INTERNAL", details: { reason: "past_due" } }, null],
    ["no details", { code: "CONFLICT" }, null],
    ["not an error", null, null],
  ])("reads %s as %s", (_name, error, refusal) => {
    expect(changePlanRefusalOf(error)).toBe(refusal);
  });
});
