/**
 * A stateful loopback fake of HubSpot for Sight's CRM sync: OAuth (authorize page, token
 * endpoint with client secret and optional PKCE, token info, refresh-token revocation) and the
 * CRM v3 endpoints in ./api.ts, with HubSpot's rolling per-10-second limit and its
 * `X-HubSpot-RateLimit-*` headers. `@hubspot/api-client` talks to it with `basePath: fake.url`.
 */
import { z } from "zod";
import { Faults } from "../faults";
import type { HttpReply } from "../http";
import { consentRoutes } from "../crm/consent-page";
import { AuthorizationServer, GrantError } from "../crm/oauth";
import { startCrmFakeServer, type CrmFakeControl, type FakeRoute } from "../crm/server";
import { HubspotStore, hubspotApiRoutes, hubspotError } from "./api";

export interface HubspotFakeOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Access token lifetime; HubSpot's is 1800 s. */
  accessTokenTtlS?: number;
  rotateRefreshTokens?: boolean;
  /** The rolling limit (HubSpot: 110 requests per 10 s for an OAuth app). */
  rateLimit?: { max: number; intervalMs: number };
  now?: () => number;
  log?: (line: string) => void;
}

export interface HubspotFake {
  url: string;
  clientId: string;
  clientSecret: string;
  hubId: number;
  control: CrmFakeControl;
  store: HubspotStore;
  close(): Promise<void>;
}

export const HUB_ID = 4242;
const HUB_DOMAIN = "sight-test.hubspot.com";
const USER = "researcher@example.com";

const extraFaultsSchema = z.strictObject({
  rateLimitMax: z.number().int().min(1).max(100_000).optional(),
  rateLimitIntervalMs: z.number().int().min(10).max(600_000).optional(),
});

function grantError(error: GrantError): HttpReply {
  const status = {
    invalid_client: "BAD_CLIENT_ID",
    invalid_code: "BAD_AUTH_CODE",
    invalid_verifier: "BAD_AUTH_CODE",
    redirect_mismatch: "BAD_REDIRECT_URI",
    invalid_refresh_token: "BAD_REFRESH_TOKEN",
  }[error.kind];
  return { status: 400, body: { status, message: error.message, correlationId: crypto.randomUUID() } };
}

/** HubSpot's 429 for its rolling limit; the fake adds Retry-After (HubSpot's own clients wait out the window). */
function tenSecondlyLimit(retryAfterSeconds: number): HttpReply {
  return {
    ...hubspotError(429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit.", {
      errorType: "RATE_LIMIT",
      policyName: "TEN_SECONDLY_ROLLING",
    }),
    headers: { "retry-after": String(retryAfterSeconds) },
  };
}

function oauthRoutes(oauth: AuthorizationServer, now: () => number): FakeRoute[] {
  return [
    ...consentRoutes({ path: /^\/oauth\/authorize$/, provider: "HubSpot", oauth, account: HUB_DOMAIN }),
    {
      method: "POST",
      path: /^\/oauth\/v1\/token$/,
      name: "oauth.token",
      api: false,
      handle: async ({ form }) => {
        const fields = await form();
        const client = {
          clientId: fields.get("client_id") ?? "",
          clientSecret: fields.get("client_secret") ?? undefined,
        };
        try {
          const grantType = fields.get("grant_type");
          const grant =
            grantType === "authorization_code"
              ? oauth.exchangeCode({
                  ...client,
                  code: fields.get("code") ?? "",
                  redirectUri: fields.get("redirect_uri") ?? "",
                  codeVerifier: fields.get("code_verifier") ?? undefined,
                })
              : grantType === "refresh_token"
                ? oauth.refreshGrant({ ...client, refreshToken: fields.get("refresh_token") ?? "" })
                : null;
          if (!grant)
            return { status: 400, body: { status: "BAD_GRANT_TYPE", message: "grant_type is not supported" } };
          return {
            status: 200,
            body: {
              token_type: "bearer",
              access_token: grant.accessToken,
              // HubSpot answers a refresh token on every grant; the same one unless rotation is on.
              refresh_token: grant.refreshToken ?? fields.get("refresh_token"),
              expires_in: grant.expiresInS,
            },
          };
        } catch (error) {
          if (error instanceof GrantError) return grantError(error);
          throw error;
        }
      },
    },
    {
      method: "GET",
      path: /^\/oauth\/v1\/access-tokens\/([^/]+)$/,
      name: "oauth.accessTokenInfo",
      api: false,
      handle: ({ match }) => {
        const token = decodeURIComponent(match[1]!);
        const check = oauth.checkAccess(token);
        if (!check.ok) return hubspotError(404, "OBJECT_NOT_FOUND", "Token not found");
        return {
          status: 200,
          body: {
            token,
            user: USER,
            hub_domain: HUB_DOMAIN,
            scopes: check.scope.split(/\s+/).filter(Boolean),
            hub_id: HUB_ID,
            app_id: 777,
            expires_in: Math.max(0, Math.floor((check.expiresAt - now()) / 1000)),
            user_id: 31337,
            token_type: "access",
          },
        };
      },
    },
    {
      method: "DELETE",
      path: /^\/oauth\/v1\/refresh-tokens\/([^/]+)$/,
      name: "oauth.revoke",
      api: false,
      handle: ({ match }) =>
        oauth.revoke(decodeURIComponent(match[1]!))
          ? { status: 204, body: null }
          : hubspotError(404, "OBJECT_NOT_FOUND", "refresh token not found"),
    },
  ];
}

export async function startHubspotFake(options: HubspotFakeOptions = {}): Promise<HubspotFake> {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? "hubspot-fake-client";
  const clientSecret = options.clientSecret ?? "hubspot-fake-secret";
  const oauth = new AuthorizationServer({
    clients: [{ clientId, clientSecret }],
    requirePkce: false,
    accessTokenTtlS: options.accessTokenTtlS ?? 1800,
    rotateRefreshTokens: options.rotateRefreshTokens ?? false,
    prefixes: { access: "hsat-fake-", refresh: "hsrt-fake-", code: "hscode-" },
    now,
  });
  const store = new HubspotStore(now);
  const limit = { ...(options.rateLimit ?? { max: 110, intervalMs: 10_000 }) };
  let window: number[] = [];
  const remaining = () => {
    const since = now() - limit.intervalMs;
    window = window.filter((at) => at > since);
    return limit.max - window.length;
  };

  const server = await startCrmFakeServer({
    label: "hubspot-fake",
    port: options.port,
    routes: [...oauthRoutes(oauth, now), ...hubspotApiRoutes(store, now)],
    oauth,
    faults: new Faults(),
    dialect: {
      rateLimited: tenSecondlyLimit,
      serverError: (status) => hubspotError(status, "INTERNAL_ERROR", "internal error"),
      unauthorized: (expired) =>
        expired
          ? hubspotError(
              401,
              "EXPIRED_AUTHENTICATION",
              "The OAuth token used to make this call expired 0 minute(s) ago.",
            )
          : hubspotError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found."),
      notFound: (method, path) => hubspotError(404, "OBJECT_NOT_FOUND", `No route for ${method} ${path}`),
      beforeApi: () => {
        if (remaining() > 0) {
          window.push(now());
          return null;
        }
        return tenSecondlyLimit(Math.max(1, Math.ceil((window[0]! + limit.intervalMs - now()) / 1000)));
      },
      apiHeaders: () => ({
        "x-hubspot-ratelimit-interval-milliseconds": String(limit.intervalMs),
        "x-hubspot-ratelimit-max": String(limit.max),
        "x-hubspot-ratelimit-remaining": String(Math.max(0, remaining())),
      }),
    },
    extraFaults: {
      schema: extraFaultsSchema,
      apply(patch) {
        const parsed = extraFaultsSchema.parse(patch);
        if (parsed.rateLimitMax !== undefined) limit.max = parsed.rateLimitMax;
        if (parsed.rateLimitIntervalMs !== undefined) limit.intervalMs = parsed.rateLimitIntervalMs;
      },
    },
    state: () => ({
      contacts: store.tables.contacts.all(),
      notes: store.tables.notes
        .all()
        .map((note) => ({ ...note, associations: store.noteAssociations.get(note.id) ?? [] })),
      duplicateExternalIds: store.tables.contacts.duplicates(),
    }),
    reset: () => {
      store.reset();
      window = [];
    },
    log: options.log,
  });

  return {
    url: server.url,
    clientId,
    clientSecret,
    hubId: HUB_ID,
    control: server.control,
    store,
    close: server.close,
  };
}
