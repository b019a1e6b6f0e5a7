import { z } from "zod";
import { route } from "../contract/define";
import {
  hubspotAppConfigSchema,
  hubspotRevokeRequestSchema,
  hubspotTokenAnswerSchema,
  hubspotTokenRequestSchema,
} from "./hubspot-broker";

/**
 * Sight Cloud's REST contract (under /api/v1), shared by the Cloud server and the desktop's
 * cloud client: isomorphic zod only. Errors use the app's closed list (shared/contract/errors).
 */

export const PAID_TIERS = ["professional", "enterprise"] as const;
export const paidTierSchema = z.enum(PAID_TIERS);
export type PaidTier = z.infer<typeof paidTierSchema>;
export const TIERS = ["free", ...PAID_TIERS] as const;
export const tierSchema = z.enum(TIERS);

/** Stripe's subscription statuses, plus `none` for an account that never subscribed. */
export const SUBSCRIPTION_STATUSES = [
  "none",
  "incomplete",
  "incomplete_expired",
  "trialing",
  "active",
  "past_due",
  "canceled",
  "unpaid",
  "paused",
] as const;
export const subscriptionStatusSchema = z.enum(SUBSCRIPTION_STATUSES);
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must be an email address");
/** NIST SP 800-63B: at least 8 characters, long passphrases allowed, no composition rules. */
const password = z.string().min(8, "must have at least 8 characters").max(256);
const device = z.string().trim().min(1).max(100).optional();

/**
 * Which app the browser returns to after Checkout or the portal: installed builds register
 * sight://, unpackaged ones sight-dev:// (so a dev build never steals the real app's links).
 */
export const APP_SCHEMES = ["sight", "sight-dev"] as const;
export const appSchemeSchema = z.enum(APP_SCHEMES);
export type AppScheme = z.infer<typeof appSchemeSchema>;

export const accountSchema = z.object({ id: z.string(), email: z.string(), createdAt: z.string() });
export type CloudAccount = z.infer<typeof accountSchema>;

export const sessionSchema = z.object({
  account: accountSchema,
  accessToken: z.string(),
  /** ISO time the access token stops working; refresh before. */
  accessTokenExpiresAt: z.string(),
  /** Opaque; rotated by every refresh. Store it encrypted. */
  refreshToken: z.string(),
});
export type CloudSession = z.infer<typeof sessionSchema>;

/** The claims of a licence (an Ed25519-signed JWT the desktop verifies offline). */
export const licenceClaimsSchema = z.object({
  iss: z.literal("sight-cloud"),
  aud: z.literal("sight-desktop"),
  sub: z.string(),
  email: z.string().optional(),
  tier: tierSchema,
  /** null: unlimited. */
  personaLimit: z.number().int().nonnegative().nullable(),
  status: subscriptionStatusSchema,
  /** The paid tier the subscription is for, even while the licence grants Free (e.g. grace over). */
  subscribedTier: paidTierSchema.nullable(),
  trialEndsAt: z.string().nullable(),
  /** past_due: the tier holds until then, then Free. */
  graceEndsAt: z.string().nullable(),
  /** Set when the subscription is cancelled at its period end. */
  cancelAt: z.string().nullable(),
  periodEndsAt: z.string().nullable(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type LicenceClaims = z.infer<typeof licenceClaimsSchema>;

export const licenceResponseSchema = z.object({ licence: z.string(), claims: licenceClaimsSchema });

export const prorationPreviewSchema = z.object({
  tier: paidTierSchema,
  /** Unix seconds; send it back with the change so the amount matches. */
  prorationDate: z.number().int(),
  amountDue: z.number().int(),
  currency: z.string(),
  lines: z.array(z.object({ description: z.string(), amount: z.number().int() })),
});
export type ProrationPreview = z.infer<typeof prorationPreviewSchema>;

const credentials = z.strictObject({ email, password, device });

export const cloudRoutes = {
  "auth.signUp": route({
    summary: "Create an account and sign in.",
    input: credentials,
    output: sessionSchema,
    rest: { method: "POST", path: "/auth/sign-up", status: 201 },
  }),
  "auth.signIn": route({
    summary: "Sign in (rate-limited per email and per address).",
    input: z.strictObject({ email, password: z.string().min(1).max(256), device }),
    output: sessionSchema,
    rest: { method: "POST", path: "/auth/sign-in" },
  }),
  "auth.refresh": route({
    summary: "Trade a refresh token for a new session; the old token stops working (reuse revokes the family).",
    input: z.strictObject({ refreshToken: z.string().min(20).max(200) }),
    output: sessionSchema,
    rest: { method: "POST", path: "/auth/refresh" },
  }),
  "auth.signOut": route({
    summary: "Revoke this sign-in's refresh tokens.",
    input: z.strictObject({ refreshToken: z.string().min(20).max(200) }),
    output: z.object({ signedOut: z.literal(true) }),
    rest: { method: "POST", path: "/auth/sign-out" },
  }),
  "account.get": route({
    summary: "The signed-in account.",
    input: z.strictObject({}),
    output: accountSchema,
    rest: { method: "GET", path: "/account" },
  }),
  "account.delete": route({
    summary: "Delete the account: cancels its subscriptions at once, revokes every sign-in, forgets the email.",
    input: z.strictObject({ password: z.string().min(1).max(256) }),
    output: z.object({ deleted: z.literal(true) }),
    rest: { method: "POST", path: "/account/delete" },
  }),
  "licence.get": route({
    summary: "A fresh signed licence for the signed-in account (7-day expiry).",
    input: z.strictObject({}),
    output: licenceResponseSchema,
    rest: { method: "GET", path: "/licence" },
  }),
  "billing.createCheckout": route({
    summary: "A Stripe Checkout Session for a paid tier; returns the URL to open in a browser.",
    input: z.strictObject({
      tier: paidTierSchema,
      requestId: z.string().uuid().optional(),
      app: appSchemeSchema.optional(),
    }),
    output: z.object({ url: z.string().url(), sessionId: z.string() }),
    rest: { method: "POST", path: "/billing/create-checkout" },
  }),
  "billing.portal": route({
    summary: "A Stripe billing-portal session URL (card, invoices, cancel).",
    input: z.strictObject({ app: appSchemeSchema.optional() }),
    output: z.object({ url: z.string().url() }),
    rest: { method: "POST", path: "/billing/portal" },
  }),
  "billing.changePlan": route({
    summary:
      "Preview (preview: true) or apply a change of tier; the change applies with the preview's prorationDate so the amount matches.",
    input: z.strictObject({
      tier: paidTierSchema,
      preview: z.boolean().default(false),
      prorationDate: z.number().int().positive().optional(),
    }),
    output: z.union([
      z.object({ kind: z.literal("preview"), preview: prorationPreviewSchema }),
      z.object({ kind: z.literal("applied"), licence: z.string(), claims: licenceClaimsSchema }),
    ]),
    rest: { method: "POST", path: "/billing/change-plan" },
  }),
  // HubSpot's OAuth broker: no Sight Cloud sign-in (connecting HubSpot needs no Cloud account),
  // rate-limited per client address instead.
  "oauth.hubspotConfig": route({
    summary: "The Cloud's HubSpot app (client id, consent page, scopes) the desktop builds its authorization URL from.",
    input: z.strictObject({}),
    output: hubspotAppConfigSchema,
    rest: { method: "GET", path: "/oauth/hubspot/config" },
  }),
  "oauth.hubspotToken": route({
    summary:
      "HubSpot's token endpoint with the Cloud's client secret: an authorization code (with its PKCE verifier, loopback or sight:// redirect only) or a refresh token for HubSpot's tokens.",
    input: hubspotTokenRequestSchema,
    output: hubspotTokenAnswerSchema,
    rest: { method: "POST", path: "/oauth/hubspot/token" },
  }),
  "oauth.hubspotRevoke": route({
    summary: "Revoke a HubSpot refresh token (and the access tokens issued with it).",
    input: hubspotRevokeRequestSchema,
    output: z.object({ revoked: z.literal(true) }),
    rest: { method: "POST", path: "/oauth/hubspot/revoke" },
  }),
};

export type CloudRoutes = typeof cloudRoutes;
export type CloudRouteName = keyof CloudRoutes;
