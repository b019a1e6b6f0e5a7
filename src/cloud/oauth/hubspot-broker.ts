import { AppError } from "../../shared/contract/errors";
import {
  CLOUD_HUBSPOT_CALLBACK,
  HUBSPOT_CALLBACK_PATH,
  type HubspotAppConfig,
  type HubspotTokenAnswer,
  type HubspotTokenRequest,
} from "../../shared/cloud/hubspot-broker";
import { CrmFailure } from "../../main/services/crm/crm-failure";
import { HUBSPOT_SCOPES, hubspotTokenEndpoint } from "../../main/services/crm/hubspot-oauth";
import type { Logger } from "../../main/services/logger";
import type { RateLimiter, RateRule } from "../accounts/rate-limit";
import type { CloudConfig } from "../config";

/**
 * HubSpot's code exchange, refresh and revocation with the client secret only the Cloud holds.
 * No Sight Cloud sign-in (connecting HubSpot needs no Cloud account), so every call counts
 * against its client address instead: 30 a minute across the three routes, where a connect
 * takes two and a connection refreshes once every half hour.
 */
export const HUBSPOT_BROKER_RATE: RateRule = { limit: 30, windowMs: 60_000 };

export interface HubspotBrokerDeps {
  /** This Cloud's public URL (no trailing slash): its callback page is `${publicUrl}${HUBSPOT_CALLBACK_PATH}`. */
  publicUrl: string;
  config: CloudConfig["hubspot"];
  rateLimiter: RateLimiter;
  logger: Logger;
}

export type HubspotBroker = ReturnType<typeof createHubspotBroker>;

type Operation = HubspotTokenRequest["grant_type"] | "revoke";

/** HubSpot's refusal or outage, in the Cloud's error vocabulary; details keep HubSpot's status and code. */
function brokerError(failure: CrmFailure): AppError {
  const details = (reason: string, extra: object = {}) => ({
    provider: "hubspot",
    reason,
    ...(failure.status ? { status: failure.status } : {}),
    ...(failure.crmCode ? { crmCode: failure.crmCode } : {}),
    ...extra,
  });
  if (failure.kind === "auth")
    return new AppError("UNAUTHORIZED", `HubSpot refused the grant: ${failure.message}`, details("refused"));
  if (failure.kind === "rate_limited")
    return new AppError(
      "RATE_LIMITED",
      "HubSpot is rate limiting Sight Cloud; try again shortly.",
      details("rate_limited", { retryAfterMs: failure.retryAfterMs ?? 10_000 }),
    );
  // Any other 4xx is HubSpot refusing this request (an unknown refresh token on revoke: 404).
  if (failure.kind === "rejected" && failure.status !== undefined && failure.status >= 400)
    return new AppError(
      failure.status === 404 ? "NOT_FOUND" : "VALIDATION_FAILED",
      `HubSpot refused the request: ${failure.message}`,
      details("rejected"),
    );
  return new AppError(
    "PROVIDER_UNAVAILABLE",
    `HubSpot cannot be reached (${failure.message}).`,
    details("unavailable"),
  );
}

export function createHubspotBroker(deps: HubspotBrokerDeps) {
  const { clientId, clientSecret, authorizeUrl } = deps.config;
  // now() = 0 makes the endpoint's expiresAt the token's lifetime in ms: HubSpot's expires_in, unrounded.
  const endpoint =
    clientId && clientSecret
      ? hubspotTokenEndpoint({
          apiBaseUrl: deps.config.apiBase.replace(/\/+$/, ""),
          clientId,
          clientSecret,
          now: () => 0,
        })
      : null;

  const admit = (address: string) => deps.rateLimiter.take(`hubspot-oauth:${address}`, HUBSPOT_BROKER_RATE);
  const configured = () => {
    if (endpoint) return endpoint;
    throw new AppError("PROVIDER_UNAVAILABLE", "The Cloud has no HubSpot app configured.", {
      provider: "hubspot",
      reason: "not_configured",
    });
  };
  const forward = async <T>(operation: Operation, call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      deps.logger.info("cloud.hubspot_oauth", { operation, outcome: "ok" });
      return result;
    } catch (error) {
      if (!(error instanceof CrmFailure)) throw error;
      // Kind, status and HubSpot's code only: the request carried a code, a verifier or a token.
      deps.logger.warn("cloud.hubspot_oauth", {
        operation,
        outcome: error.kind,
        status: error.status,
        crmCode: error.crmCode,
      });
      throw brokerError(error);
    }
  };

  return {
    async appConfig(address: string): Promise<HubspotAppConfig> {
      await admit(address);
      return endpoint
        ? {
            configured: true,
            clientId: clientId!,
            authorizeUrl,
            scopes: HUBSPOT_SCOPES,
            redirectUri: `${deps.publicUrl}${HUBSPOT_CALLBACK_PATH}`,
          }
        : { configured: false, clientId: null, authorizeUrl: null, scopes: [], redirectUri: null };
    },

    async token(input: HubspotTokenRequest, address: string): Promise<HubspotTokenAnswer> {
      await admit(address);
      const hubspot = configured();
      // A Cloud callback page in redirect_uri must be this Cloud's own.
      if (
        input.grant_type === "authorization_code" &&
        CLOUD_HUBSPOT_CALLBACK.test(input.redirect_uri) &&
        input.redirect_uri !== `${deps.publicUrl}${HUBSPOT_CALLBACK_PATH}`
      )
        throw new AppError("VALIDATION_FAILED", "redirect_uri names another Sight Cloud's callback page.", {
          issues: [{ path: ["redirect_uri"], message: "not this Cloud's callback" }],
        });
      const tokens = await forward(input.grant_type, () =>
        input.grant_type === "authorization_code"
          ? hubspot.exchangeCode({
              code: input.code,
              redirectUri: input.redirect_uri,
              codeVerifier: input.code_verifier,
            })
          : hubspot.refresh(input.refresh_token),
      );
      return {
        access_token: tokens.accessToken,
        // HubSpot answers a refresh token on every grant; keep the one sent if it ever does not.
        refresh_token: tokens.refreshToken ?? (input.grant_type === "refresh_token" ? input.refresh_token : ""),
        expires_in: (tokens.expiresAt ?? 0) / 1000,
      };
    },

    async revoke(refreshToken: string, address: string): Promise<void> {
      await admit(address);
      const hubspot = configured();
      // HubSpot revokes by the refresh token alone (DELETE /oauth/v1/refresh-tokens/:token).
      await forward("revoke", () =>
        hubspot.revoke({ accessToken: "", refreshToken, expiresAt: null, instanceUrl: null }),
      );
    },
  };
}
