import { z } from "zod";

/**
 * The wire shapes of Sight Cloud's HubSpot OAuth broker (routes in ./contract.ts). HubSpot's code
 * exchange and refresh need the app's client secret, which never ships in the desktop app: the
 * Cloud holds it and forwards these grants. Field names are HubSpot's own (snake_case), so the
 * desktop's client is a thin pass-through.
 */

/** The app's custom schemes (installed and unpackaged builds, see APP_SCHEMES). */
export const HUBSPOT_SCHEME_REDIRECTS = [
  "sight://oauth-callback/hubspot",
  "sight-dev://oauth-callback/hubspot",
] as const;
const LOOPBACK_REDIRECT = /^http:\/\/(?:127\.0\.0\.1|localhost):([0-9]{1,5})\/oauth\/callback$/;

/**
 * HubSpot accepts only https redirect URLs (http for `localhost` during development), so neither
 * `sight://` nor a random loopback port can be registered with it. Its consent page sends the
 * browser to this Cloud page instead, which hands the answer on to where the connect started;
 * the `state` says where (see hubspotState/hubspotReturnUrl). The code is still worthless
 * without the PKCE verifier, which never leaves the app.
 */
export const HUBSPOT_CALLBACK_PATH = "/api/v1/oauth/hubspot/callback";
export const CLOUD_HUBSPOT_CALLBACK = /^https?:\/\/[^/?#@\s]+\/api\/v1\/oauth\/hubspot\/callback$/;

export type HubspotReturn = { kind: "app"; scheme: "sight" | "sight-dev" } | { kind: "loopback"; port: number };

/** The state's prefix names where the Cloud's callback page returns the answer to. */
export function hubspotStatePrefix(to: HubspotReturn): string {
  if (to.kind === "loopback") return `loop${to.port}-`;
  return to.scheme === "sight" ? "app-" : "appdev-";
}

const STATE_TARGET = /^(?:(app|appdev)|loop([0-9]{1,5}))-[A-Za-z0-9_-]{16,200}$/;

/** Where the Cloud's callback page sends HubSpot's answer (query appended), or null for a state Sight did not make. */
export function hubspotReturnUrl(state: string): string | null {
  const match = STATE_TARGET.exec(state);
  if (!match) return null;
  if (match[1]) return `${match[1] === "app" ? "sight" : "sight-dev"}://oauth-callback/hubspot`;
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535 ? `http://127.0.0.1:${port}/oauth/callback` : null;
}

/**
 * Where the broker lets HubSpot's codes go: the app's loopback listener (RFC 8252 §7.3) on any
 * port, or its URL scheme. Exact matches only, so a code issued for someone else's site cannot
 * be redeemed with the Cloud's secret.
 */
export function isAllowedHubspotRedirect(uri: string): boolean {
  if ((HUBSPOT_SCHEME_REDIRECTS as readonly string[]).includes(uri)) return true;
  // A Cloud's own callback page: the Cloud also checks that it is its own (its public URL).
  if (CLOUD_HUBSPOT_CALLBACK.test(uri)) return true;
  const port = LOOPBACK_REDIRECT.exec(uri)?.[1];
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65_535;
}

const redirectUri = z
  .string()
  .max(200)
  .refine(
    isAllowedHubspotRedirect,
    "must be http://127.0.0.1:<port>/oauth/callback, http://localhost:<port>/oauth/callback or sight(-dev)://oauth-callback/hubspot",
  );
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const codeVerifier = z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, "must be 43-128 unreserved characters (RFC 7636)");
const refreshToken = z.string().min(1).max(512);

export const hubspotAppConfigSchema = z.object({
  /** False until the Cloud's operator sets HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET. */
  configured: z.boolean(),
  /** Public: it is in every consent URL. */
  clientId: z.string().nullable(),
  /** HubSpot's consent page the desktop opens (with client_id, scope, state and an S256 challenge). */
  authorizeUrl: z.string().url().nullable(),
  scopes: z.array(z.string()),
  /**
   * The redirect URL registered with HubSpot: this Cloud's callback page, which returns the answer
   * to the app or the headless host. Optional: a Cloud older than this answers without it.
   */
  redirectUri: z.string().url().nullable().optional(),
});
export type HubspotAppConfig = z.infer<typeof hubspotAppConfigSchema>;

export const hubspotTokenRequestSchema = z.discriminatedUnion("grant_type", [
  z.strictObject({
    grant_type: z.literal("authorization_code"),
    code: z.string().min(1).max(512),
    redirect_uri: redirectUri,
    code_verifier: codeVerifier,
  }),
  z.strictObject({ grant_type: z.literal("refresh_token"), refresh_token: refreshToken }),
]);
export type HubspotTokenRequest = z.infer<typeof hubspotTokenRequestSchema>;

/** HubSpot's answer (POST /oauth/v1/token), minus token_type. */
export const hubspotTokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  /** Seconds the access token lives (HubSpot: 1800). */
  expires_in: z.number().positive(),
});
export type HubspotTokenAnswer = z.infer<typeof hubspotTokenAnswerSchema>;

export const hubspotRevokeRequestSchema = z.strictObject({ refresh_token: refreshToken });
