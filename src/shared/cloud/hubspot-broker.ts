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
 * Where the broker lets HubSpot's codes go: the app's loopback listener (RFC 8252 §7.3) on any
 * port, or its URL scheme. Exact matches only, so a code issued for someone else's site cannot
 * be redeemed with the Cloud's secret.
 */
export function isAllowedHubspotRedirect(uri: string): boolean {
  if ((HUBSPOT_SCHEME_REDIRECTS as readonly string[]).includes(uri)) return true;
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
