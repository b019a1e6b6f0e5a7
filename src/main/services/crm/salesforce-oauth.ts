/**
 * Salesforce's OAuth endpoints for a public client (a connected app with "Require Secret for
 * Web Server Flow" off and PKCE on): the desktop app exchanges and refreshes itself, no secret.
 */
import { z } from "zod";
import { CrmFailure } from "./crm-failure";
import { requestJson } from "./crm-http";
import { authorizeUrl, type AuthorizeRequest } from "./oauth-flow";
import type { TokenEndpoint, TokenSet } from "./token-keeper";

export interface SalesforceOAuthConfig {
  /** https://login.salesforce.com, https://test.salesforce.com, a My Domain, or a fake. */
  loginUrl: string;
  clientId: string;
}

export const SALESFORCE_SCOPES = ["api", "refresh_token", "openid"];

export function salesforceAuthorizeUrl(input: AuthorizeRequest & { loginUrl: string }): string {
  const endpoint = new URL("/services/oauth2/authorize", input.loginUrl).toString();
  return authorizeUrl(endpoint, { ...input, scopes: input.scopes ?? SALESFORCE_SCOPES }, { response_type: "code" });
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.string().url(),
  id: z.string(),
});

export function salesforceTokenEndpoint(config: SalesforceOAuthConfig): TokenEndpoint {
  const tokenUrl = new URL("/services/oauth2/token", config.loginUrl).toString();
  const grant = (fields: Record<string, string>) =>
    requestJson(
      {
        method: "POST",
        url: tokenUrl,
        body: new URLSearchParams({ ...fields, client_id: config.clientId }),
        oauth: true,
      },
      tokenResponse,
    );
  return {
    async exchangeCode({ code, redirectUri, codeVerifier }): Promise<TokenSet> {
      const answer = await grant({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      });
      if (!answer.refresh_token)
        throw new CrmFailure(
          "rejected",
          "Salesforce answered no refresh token: the connected app needs the refresh_token scope",
        );
      // Salesforce does not say when an access token expires (the org's session timeout does): refresh on 401.
      return {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token,
        expiresAt: null,
        instanceUrl: answer.instance_url,
      };
    },
    async refresh(refreshToken) {
      const answer = await grant({ grant_type: "refresh_token", refresh_token: refreshToken });
      return {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token ?? null,
        expiresAt: null,
        instanceUrl: answer.instance_url,
      };
    },
    async revoke(tokens) {
      const url = new URL("/services/oauth2/revoke", config.loginUrl).toString();
      await requestJson(
        { method: "POST", url, body: new URLSearchParams({ token: tokens.refreshToken }) },
        z.unknown(),
      );
    },
  };
}
