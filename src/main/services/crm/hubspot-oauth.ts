/**
 * HubSpot's OAuth endpoints. Its code exchange and refresh need the app's client secret, so in
 * the desktop app they go through Sight Cloud's broker (which uses `hubspotTokenEndpoint` with
 * the secret it holds); tests and the Cloud call HubSpot directly. Plain fetch: the SDK's
 * `oauth.tokensApi.create` (13.5) has no `code_verifier` parameter.
 */
import { z } from "zod";
import { requestJson } from "./crm-http";
import { authorizeUrl, type AuthorizeRequest } from "./oauth-flow";
import type { TokenEndpoint, TokenSet } from "./token-keeper";

export interface HubspotOAuthConfig {
  /** API host: https://api.hubapi.com (or a fake). */
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  now?: () => number;
}

export const HUBSPOT_SCOPES = [
  "oauth",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.companies.read",
  "crm.objects.deals.read",
  "crm.schemas.contacts.read",
];

/** The consent page (app.hubspot.com/oauth/authorize in production) with state and an S256 challenge. */
export function hubspotAuthorizeUrl(input: AuthorizeRequest & { authorizeUrl: string }): string {
  return authorizeUrl(input.authorizeUrl, { ...input, scopes: input.scopes ?? HUBSPOT_SCOPES });
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
});

export function hubspotTokenEndpoint(config: HubspotOAuthConfig): TokenEndpoint {
  const now = config.now ?? Date.now;
  const grant = async (fields: Record<string, string>): Promise<TokenSet> => {
    const body = new URLSearchParams({ ...fields, client_id: config.clientId, client_secret: config.clientSecret });
    const answer = await requestJson(
      { method: "POST", url: `${config.apiBaseUrl}/oauth/v1/token`, body, oauth: true },
      tokenResponse,
    );
    return {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      expiresAt: now() + answer.expires_in * 1000,
      instanceUrl: null,
    };
  };
  return {
    exchangeCode: ({ code, redirectUri, codeVerifier }) =>
      grant({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: codeVerifier }),
    refresh: (refreshToken) => grant({ grant_type: "refresh_token", refresh_token: refreshToken }),
    async revoke(tokens) {
      await requestJson(
        {
          method: "DELETE",
          url: `${config.apiBaseUrl}/oauth/v1/refresh-tokens/${encodeURIComponent(tokens.refreshToken)}`,
        },
        z.unknown(),
      );
    },
  };
}
