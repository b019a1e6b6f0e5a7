import { z } from "zod";
import { route } from "./define";
import { PLAN_IDS } from "./plan";
import { paidTierSchema, prorationPreviewSchema, subscriptionStatusSchema } from "../cloud/contract";

/**
 * Plan & billing as the renderer sees it. The desktop never talks to Stripe: the main process
 * signs in to Sight Cloud, keeps the refresh token in the encrypted secret store, and holds a
 * licence (an Ed25519-signed JWT) that it verifies offline. No token ever reaches the renderer.
 */

export const LICENCE_PROBLEMS = [
  /** The stored licence's signature, issuer or shape is wrong (edited by hand, foreign key). */
  "licence_invalid",
  /** The licence expired and the Cloud could not give a new one. */
  "licence_expired",
  /** The Cloud refused our session (revoked elsewhere, account deleted): signed out. */
  "session_ended",
] as const;

export const billingStatusSchema = z.object({
  /** Whether this build knows a Sight Cloud to talk to (SIGHT_CLOUD_URL or the built-in one). */
  cloudConfigured: z.boolean(),
  /** Result of the last call to the Cloud: false while it cannot be reached. */
  cloudReachable: z.boolean().nullable(),
  account: z.object({ email: z.string() }).nullable(),
  /** The plan in force now (Free without a valid licence). */
  plan: z.enum(PLAN_IDS),
  personaLimit: z.number().int().nullable(),
  licence: z
    .object({
      status: subscriptionStatusSchema,
      subscribedTier: paidTierSchema.nullable(),
      trialEndsAt: z.string().nullable(),
      graceEndsAt: z.string().nullable(),
      cancelAt: z.string().nullable(),
      periodEndsAt: z.string().nullable(),
      /** The licence must be refreshed before this, or the app falls back to Free. */
      expiresAt: z.string(),
      refreshedAt: z.string(),
    })
    .nullable(),
  problem: z.object({ code: z.enum(LICENCE_PROBLEMS), message: z.string() }).nullable(),
});
export type BillingStatus = z.infer<typeof billingStatusSchema>;

const email = z.string().trim().min(3).max(254);
const credentials = z.strictObject({ email, password: z.string().min(1).max(256) });
/** Where a URL for the browser went: the desktop opens it itself; a browser tab opens it in a new tab. */
const openedUrl = z.object({ url: z.string().url(), opened: z.boolean() });

export const billingRoutes = {
  "billing.status": route({
    summary: "The plan in force, the licence behind it, the signed-in Cloud account and any problem.",
    input: z.strictObject({}),
    output: billingStatusSchema,
    rest: { method: "GET", path: "/billing/status" },
  }),
  "billing.signUp": route({
    summary: "Create a Sight Cloud account and sign this workspace in.",
    input: credentials.extend({ password: z.string().min(8).max(256) }),
    output: billingStatusSchema,
    rest: { method: "POST", path: "/billing/account/sign-up" },
  }),
  "billing.signIn": route({
    summary: "Sign this workspace in to Sight Cloud and fetch its licence.",
    input: credentials,
    output: billingStatusSchema,
    rest: { method: "POST", path: "/billing/account/sign-in" },
  }),
  "billing.signOut": route({
    summary: "Sign out of Sight Cloud here: revokes this sign-in and falls back to Free.",
    input: z.strictObject({}),
    output: billingStatusSchema,
    rest: { method: "POST", path: "/billing/account/sign-out" },
  }),
  "billing.refresh": route({
    summary: "Fetch a fresh licence now (after a checkout, or on demand).",
    input: z.strictObject({}),
    output: billingStatusSchema,
    rest: { method: "POST", path: "/billing/refresh" },
  }),
  "billing.checkout": route({
    summary: "Start Stripe Checkout for a paid plan; the desktop opens it in the system browser.",
    input: z.strictObject({ tier: paidTierSchema }),
    output: openedUrl,
    rest: { method: "POST", path: "/billing/checkout" },
  }),
  "billing.portal": route({
    summary: "Open Stripe's billing portal (card, invoices, cancel).",
    input: z.strictObject({}),
    output: openedUrl,
    rest: { method: "POST", path: "/billing/portal" },
  }),
  "billing.changePlan": route({
    summary: "Preview the prorated amount of a change of plan, or apply it with the previewed proration date.",
    input: z.strictObject({
      tier: paidTierSchema,
      preview: z.boolean(),
      prorationDate: z.number().int().positive().optional(),
    }),
    output: z.object({ preview: prorationPreviewSchema.nullable(), status: billingStatusSchema }),
    rest: { method: "POST", path: "/billing/change-plan" },
  }),
};
