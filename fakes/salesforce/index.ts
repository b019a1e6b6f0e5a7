/**
 * A stateful loopback fake of Salesforce for Sight's CRM sync: OAuth for a public client with
 * PKCE (authorize page, token endpoint answering `instance_url` and `id`, refresh, revoke) and
 * the REST endpoints in ./api.ts, with the org's daily API request allowance
 * (REQUEST_LIMIT_EXCEEDED once spent). One server is both "login" and "instance" host.
 */
import { z } from "zod";
import { Faults } from "../faults";
import type { HttpReply } from "../http";
import { consentRoutes } from "../crm/consent-page";
import { AuthorizationServer, GrantError } from "../crm/oauth";
import { startCrmFakeServer, type CrmFakeControl, type FakeRoute } from "../crm/server";
import { ORG_ID, SalesforceStore, USER_ID, salesforceApiRoutes, sfError } from "./api";

export interface SalesforceFakeOptions {
  port?: number;
  clientId?: string;
  /** Salesforce does not say how long an access token lives; the session timeout decides (default 2 h). */
  accessTokenTtlS?: number;
  /** The org's "Refresh Token Rotation" setting. */
  rotateRefreshTokens?: boolean;
  now?: () => number;
  log?: (line: string) => void;
}

export interface SalesforceFake {
  url: string;
  clientId: string;
  control: CrmFakeControl;
  store: SalesforceStore;
  close(): Promise<void>;
}

const extraFaultsSchema = z.strictObject({
  /** Sets what is left of the daily allowance (0: every API call gets REQUEST_LIMIT_EXCEEDED). */
  dailyApiRemaining: z.number().int().min(0).max(10_000_000).optional(),
  /** false: ContentNote is not available in the org (Notes off), Sight must fall back to a Task. */
  notesEnabled: z.boolean().optional(),
});

function grantError(error: GrantError): HttpReply {
  const [code, description] = {
    invalid_client: ["invalid_client_id", "client identifier invalid"],
    invalid_code: ["invalid_grant", "authentication failure"],
    invalid_verifier: ["invalid_grant", "invalid code verifier"],
    redirect_mismatch: ["redirect_uri_mismatch", "redirect_uri must match configuration"],
    invalid_refresh_token: ["invalid_grant", "expired access/refresh token"],
  }[error.kind];
  return { status: 400, body: { error: code, error_description: description } };
}

function oauthRoutes(oauth: AuthorizationServer, baseUrl: () => string, now: () => number): FakeRoute[] {
  const tokenBody = (grant: { accessToken: string; refreshToken?: string; scope: string }) => ({
    access_token: grant.accessToken,
    ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
    signature: "fake-signature",
    scope: grant.scope || "api refresh_token",
    instance_url: baseUrl(),
    id: `${baseUrl()}/id/${ORG_ID}/${USER_ID}`,
    token_type: "Bearer",
    issued_at: String(now()),
  });
  return [
    ...consentRoutes({
      path: /^\/services\/oauth2\/authorize$/,
      provider: "Salesforce",
      oauth,
      account: "Sight Test Org",
    }),
    {
      method: "POST",
      path: /^\/services\/oauth2\/token$/,
      name: "oauth.token",
      api: false,
      handle: async ({ form }) => {
        const fields = await form();
        const clientId = fields.get("client_id") ?? "";
        try {
          switch (fields.get("grant_type")) {
            case "authorization_code":
              return {
                status: 200,
                body: tokenBody(
                  oauth.exchangeCode({
                    clientId,
                    code: fields.get("code") ?? "",
                    redirectUri: fields.get("redirect_uri") ?? "",
                    codeVerifier: fields.get("code_verifier") ?? undefined,
                  }),
                ),
              };
            case "refresh_token":
              return {
                status: 200,
                body: tokenBody(oauth.refreshGrant({ clientId, refreshToken: fields.get("refresh_token") ?? "" })),
              };
            default:
              return {
                status: 400,
                body: { error: "unsupported_grant_type", error_description: "grant type not supported" },
              };
          }
        } catch (error) {
          if (error instanceof GrantError) return grantError(error);
          throw error;
        }
      },
    },
    {
      method: "POST",
      path: /^\/services\/oauth2\/revoke$/,
      name: "oauth.revoke",
      api: false,
      handle: async ({ form, url }) => {
        const token = (await form()).get("token") ?? url.searchParams.get("token") ?? "";
        return oauth.revoke(token)
          ? { status: 200, body: "", headers: { "content-type": "text/plain" } }
          : {
              status: 400,
              body: { error: "unsupported_token_type", error_description: "this token type is not supported" },
            };
      },
    },
  ];
}

export async function startSalesforceFake(options: SalesforceFakeOptions = {}): Promise<SalesforceFake> {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? "salesforce-fake-consumer-key";
  const oauth = new AuthorizationServer({
    clients: [{ clientId }],
    requirePkce: true,
    accessTokenTtlS: options.accessTokenTtlS ?? 7200,
    rotateRefreshTokens: options.rotateRefreshTokens ?? false,
    prefixes: { access: "00D5g000000FakeEAA!sfat-", refresh: "5Aep861-fake-", code: "aPrx-fake-" },
    now,
  });
  const store = new SalesforceStore(now);
  let baseUrl = "";
  const server = await startCrmFakeServer({
    label: "salesforce-fake",
    port: options.port,
    routes: [...oauthRoutes(oauth, () => baseUrl, now), ...salesforceApiRoutes(store, () => baseUrl)],
    oauth,
    faults: new Faults(),
    dialect: {
      rateLimited: (seconds) => ({
        ...sfError(429, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."),
        headers: { "retry-after": String(seconds) },
      }),
      serverError: (status) =>
        status === 503
          ? sfError(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable.")
          : sfError(
              status,
              "UNKNOWN_EXCEPTION",
              "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567-89 (-1)",
            ),
      unauthorized: () => sfError(401, "INVALID_SESSION_ID", "Session expired or invalid"),
      notFound: () => sfError(404, "NOT_FOUND", "The requested resource does not exist"),
      beforeApi: () => {
        if (store.dailyApiUsed >= store.dailyApiMax)
          return sfError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        store.dailyApiUsed += 1;
        return null;
      },
      apiHeaders: () => ({ "sforce-limit-info": `api-usage=${store.dailyApiUsed}/${store.dailyApiMax}` }),
    },
    extraFaults: {
      schema: extraFaultsSchema,
      apply(patch) {
        const parsed = extraFaultsSchema.parse(patch);
        if (parsed.dailyApiRemaining !== undefined)
          store.dailyApiUsed = Math.max(0, store.dailyApiMax - parsed.dailyApiRemaining);
        if (parsed.notesEnabled !== undefined) store.notesEnabled = parsed.notesEnabled;
      },
    },
    state: () => ({
      leads: store.tables.Lead.all(),
      notes: store.tables.ContentNote.all(),
      links: store.tables.ContentDocumentLink.all(),
      tasks: store.tables.Task.all(),
      accounts: store.tables.Account.all(),
      opportunities: store.tables.Opportunity.all(),
      duplicateExternalIds: store.tables.Lead.duplicates(),
      dailyApiRemaining: store.dailyApiMax - store.dailyApiUsed,
    }),
    reset: () => store.reset(),
    log: options.log,
  });
  baseUrl = server.url;
  return { url: server.url, clientId, control: server.control, store, close: server.close };
}
