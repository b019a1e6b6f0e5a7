/**
 * HubSpot's token endpoint as the desktop app reaches it: through Sight Cloud's broker, which
 * adds the client secret the app must never ship (see src/cloud/oauth/hubspot-broker.ts). Same
 * `TokenEndpoint` as `hubspotTokenEndpoint`, and the Cloud's typed errors come back as the
 * CrmFailure kinds the call policy and the token keeper already act on.
 */
import type { z } from "zod";
import { cloudRoutes, type CloudRoutes } from "../../../shared/cloud/contract";
import type { HubspotAppConfig, HubspotTokenAnswer } from "../../../shared/cloud/hubspot-broker";
import { wireErrorSchema, type WireError } from "../../../shared/contract/errors";
import { parseRetryAfter } from "../llm/provider-failure";
import { CrmFailure, kindForStatus, type CrmFailureKind } from "./crm-failure";
import type { TokenEndpoint, TokenSet } from "./token-keeper";

/** As crm-http's: a Cloud (and HubSpot behind it) that does not answer in this long counts as a network failure. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface HubspotBrokerOptions {
  /** Sight Cloud's base URL (its routes live under /api/v1). */
  cloudUrl: string;
  now?: () => number;
  fetch?: typeof fetch;
}

type BrokerRoute = "oauth.hubspotConfig" | "oauth.hubspotToken" | "oauth.hubspotRevoke";

/** What the broker's error details carry besides the code (HubSpot's status and code when HubSpot refused). */
interface BrokerErrorDetails {
  reason?: unknown;
  status?: unknown;
  crmCode?: unknown;
  retryAfterMs?: unknown;
}

function kindFor(error: WireError): CrmFailureKind {
  const reason = (error.details as BrokerErrorDetails | undefined)?.reason;
  switch (error.code) {
    case "UNAUTHORIZED":
      return "auth"; // HubSpot refused the code, the verifier or the refresh token: reconnect
    case "RATE_LIMITED":
      return "rate_limited"; // HubSpot's limit or the broker's per-address one
    case "PROVIDER_UNAVAILABLE":
      // No HubSpot app on this Cloud: retrying cannot help, and HubSpot is not unhealthy.
      return reason === "not_configured" ? "rejected" : "server";
    case "INTERNAL":
      return "server";
    default:
      return "rejected";
  }
}

function cloudFailure(status: number, body: unknown, headers: Headers): CrmFailure {
  const retryAfterMs = parseRetryAfter(headers);
  const wire = wireErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
  // Not the Cloud's own answer (a proxy's error page): the status is all there is.
  if (!wire.success)
    return new CrmFailure(kindForStatus(status), `Sight Cloud answered HTTP ${status}`, { status, retryAfterMs });
  const details = (wire.data.details ?? {}) as BrokerErrorDetails;
  return new CrmFailure(kindFor(wire.data), wire.data.message, {
    status: typeof details.status === "number" ? details.status : status,
    crmCode: typeof details.crmCode === "string" ? details.crmCode : undefined,
    retryAfterMs: typeof details.retryAfterMs === "number" ? details.retryAfterMs : retryAfterMs,
  });
}

/** One broker call, no retries (the call policy retries), checked in and out with the Cloud's contract. */
async function callBroker<N extends BrokerRoute>(
  options: { cloudUrl: string; fetch?: typeof fetch },
  name: N,
  input: z.input<CloudRoutes[N]["input"]>,
): Promise<z.output<CloudRoutes[N]["output"]>> {
  const def = cloudRoutes[name] as { input: z.ZodType; output: z.ZodType; rest: { method: string; path: string } };
  const checked = def.input.safeParse(input);
  if (!checked.success)
    throw new CrmFailure("rejected", `invalid ${name} request: ${checked.error.issues[0]?.message ?? "invalid"}`);
  const get = def.rest.method === "GET";
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? fetch)(`${options.cloudUrl.replace(/\/+$/, "")}/api/v1${def.rest.path}`, {
      method: def.rest.method,
      headers: { accept: "application/json", ...(get ? {} : { "content-type": "application/json" }) },
      body: get ? undefined : JSON.stringify(checked.data),
      redirect: "error",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new CrmFailure("network", `Sight Cloud cannot be reached (${(error as Error).message || "network error"})`, {
      cause: error,
    });
  }
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!response.ok) throw cloudFailure(response.status, body, response.headers);
  const parsed = def.output.safeParse(body);
  if (!parsed.success)
    throw new CrmFailure("rejected", `unexpected response: ${parsed.error.issues[0]?.message ?? "invalid"}`, {
      status: response.status,
    });
  return parsed.data as z.output<CloudRoutes[N]["output"]>;
}

/** The Cloud's HubSpot app (client id, consent page, scopes) the desktop builds its authorization URL from. */
export function fetchHubspotAppConfig(
  cloudUrl: string,
  options: { fetch?: typeof fetch } = {},
): Promise<HubspotAppConfig> {
  return callBroker({ cloudUrl, fetch: options.fetch }, "oauth.hubspotConfig", {});
}

export function brokeredHubspotTokenEndpoint(options: HubspotBrokerOptions): TokenEndpoint {
  const now = options.now ?? Date.now;
  const tokens = (answer: HubspotTokenAnswer): TokenSet => ({
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    expiresAt: now() + answer.expires_in * 1000,
    instanceUrl: null,
  });
  return {
    exchangeCode: async ({ code, redirectUri, codeVerifier }) =>
      tokens(
        await callBroker(options, "oauth.hubspotToken", {
          grant_type: "authorization_code",
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        }),
      ),
    refresh: async (refreshToken) =>
      tokens(
        await callBroker(options, "oauth.hubspotToken", { grant_type: "refresh_token", refresh_token: refreshToken }),
      ),
    async revoke(current) {
      await callBroker(options, "oauth.hubspotRevoke", { refresh_token: current.refreshToken });
    },
  };
}
