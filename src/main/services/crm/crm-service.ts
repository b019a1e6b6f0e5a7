/**
 * CRM sync for the app: connecting HubSpot and Salesforce (OAuth 2.0 with PKCE, tokens in the
 * encrypted secret store), their field lists and the persona mapping, previews, and syncs run
 * as durable jobs whose per-record outcomes are the ledger the history shows. Routes reach this
 * service only; no method returns a token.
 */
import { z } from "zod";
import {
  AppError,
  CRM_PROVIDERS,
  crmMappingSchema,
  oauthCallbackQuerySchema,
  type Insight,
  SIGHT_CRM_FIELDS,
  mappingEntrySchema,
  PREVIEW_REASONS,
  type CrmAccount,
  type CrmField,
  type CrmMapping,
  type CrmProviderId,
  type CrmProviderStatus,
  type CrmSync,
  type MappingEntry,
  type RouteOutput,
  type RouteParsedInput,
  type SyncPreview,
  type SyncRequest,
} from "../../../shared/contract";
import type { AppScheme } from "../../../shared/cloud/contract";
import { hubspotStatePrefix, isAllowedHubspotRedirect } from "../../../shared/cloud/hubspot-broker";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import { writeFileAtomic } from "../fs/atomic-write";
import { newId } from "../ids";
import type { JobRunner } from "../jobs/runner";
import type { Logger } from "../logger";
import { decodeCursor, encodeCursor, newestFirst } from "../projects/cursor";
import type { SecretStore } from "../secrets/secret-store";
import fs from "node:fs";
import path from "node:path";
import type { CrmPolicyOptions } from "./call-policy";
import { storedTarget, type CrmProvider } from "./crm-provider";
import { checkTargetKind } from "./crm-connection";
import { CRM_LABEL } from "./crm-failure";
import { brokeredHubspotTokenEndpoint, fetchHubspotAppConfig } from "./hubspot-broker";
import { hubspotAuthorizeUrl } from "./hubspot-oauth";
import { HubspotProvider } from "./hubspot-provider";
import { checkMapping, DEFAULT_MAPPING, hasErrors, PERSONA_OBJECT, personaRecord, recordDigest } from "./mapping";
import { OAuthFlowError, OAuthFlows, type OAuthCallback } from "./oauth-flow";
import { salesforceAuthorizeUrl, salesforceTokenEndpoint } from "./salesforce-oauth";
import { SalesforceProvider } from "./salesforce-provider";
import { buildInsightNote, loadPersonasForSync } from "./sync-sources";
import { CRM_SYNC_JOB_KIND, crmSyncParams, type CrmSyncParams } from "./sync-job";
import { tokenSetSchema, type TokenEndpoint, type TokenSet } from "./token-keeper";

export const CRM_TOKEN_KEYS = {
  hubspot: "crm.hubspot.tokens",
  salesforce: "crm.salesforce.tokens",
} as const satisfies Record<CrmProviderId, string>;

/** What a provider needs to connect: its app registration and endpoints. */
export interface HubspotAppConfig {
  clientId: string;
  authorizeUrl: string;
  /** The scopes the app is registered with (the Cloud says); HUBSPOT_SCOPES when absent. */
  scopes?: string[];
  /**
   * The Cloud's callback page registered with HubSpot (HubSpot takes only https redirect URLs):
   * it hands the answer on to the app or this host. Absent: HubSpot redirects here directly.
   */
  redirectUri?: string;
  apiBaseUrl: string;
  tokenEndpoint: TokenEndpoint;
}
export interface SalesforceAppConfig {
  clientId: string;
  /** The login host used when the researcher does not pick one. */
  loginUrl: string;
  /** Tests and fakes: accept this http:// host as a login host (real ones must be https). */
  allowHttpLogin?: boolean;
}

export interface CrmServiceDeps {
  db: Database;
  /** The analysis the app shows for a focus group (focusGroups.insights): what its note is built from. */
  focusGroupInsights: (focusGroupId: string) => Promise<Insight[]>;
  bus: EventBus;
  jobs: JobRunner;
  secrets: SecretStore;
  logger: Logger;
  now: () => Date;
  dataDir: string;
  env: Record<string, string | undefined>;
  /** Sight Cloud's URL: HubSpot's code exchange and refresh go through its broker. */
  cloudUrl: string | null;
  appScheme?: AppScheme;
  /** Headless host: its loopback origin; the consent page redirects to `<origin>/oauth/callback` (RFC 8252). */
  loopbackOrigin?: string;
  openInBrowser?: (url: string) => Promise<boolean>;
  /** Tests: app registrations given directly instead of from the environment and the Cloud. */
  apps?: { hubspot?: HubspotAppConfig | null; salesforce?: SalesforceAppConfig | null };
  policy?: Partial<CrmPolicyOptions>;
  /** Tests: HubSpot's rolling limit for the bucket (the fake's limit). */
  hubspotRateLimit?: { max: number; intervalMs: number };
}

const settingsFileSchema = z.object({
  mappings: z.record(z.string(), z.object({ entries: z.array(mappingEntrySchema), savedAt: z.string() })).default({}),
});
type SettingsFile = z.infer<typeof settingsFileSchema>;

const connectionAccount = (row: {
  provider: string;
  accountId: string;
  accountName: string;
  userEmail: string | null;
}): CrmAccount => ({
  provider: row.provider as CrmProviderId,
  accountId: row.accountId,
  accountName: row.accountName,
  userEmail: row.userEmail,
});

const HISTORY_SORT = "crmSyncCreated";
const RECORDS_SORT = "crmRecordKey";
const PREVIEW_ITEMS = 200;
const PREVIEW_REASON_TEXT: Record<(typeof PREVIEW_REASONS)[number], string> = {
  changed: "Changed since the last sync.",
  unchanged: "Unchanged since the last sync.",
  resend: "Unchanged since the last sync; sent again as asked (recreated if it was deleted in the CRM).",
};
const HUBSPOT_CONFIG_RETRY_MS = 30_000;
/** How long disconnecting waits for a cancelled sync to stop. */
const CANCEL_WAIT_MS = 30_000;
/** crm.status waits this long for Sight Cloud to describe its HubSpot app, then answers without it. */
const STATUS_WAIT_MS = 3_000;
const CLOUD_SLOW_REASON = "Sight Cloud is not answering right now; HubSpot can be connected once it does.";

function quickly<T>(value: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
    timer.unref?.();
  });
  return Promise.race([value, late]).finally(() => clearTimeout(timer));
}

type Problem = { code: string; message: string; at: string };

export type CrmService = ReturnType<typeof createCrmService>;

export function createCrmService(deps: CrmServiceDeps) {
  const { prisma } = deps.db;
  const flows = new OAuthFlows({ now: () => deps.now().getTime() });
  /**
   * One provider instance per connection, built once (concurrent first calls share the build, so
   * they share one token keeper and one refresh). The generation changes on every connect and
   * disconnect: an older instance still held by a running job can no longer write tokens.
   */
  type Instance = CrmProvider & { breakerState(): string };
  const providers = new Map<CrmProviderId, { generation: number; instance: Promise<Instance>; built?: Instance }>();
  const generations = new Map<CrmProviderId, number>();
  const nextGeneration = (provider: CrmProviderId) => {
    const generation = (generations.get(provider) ?? 0) + 1;
    generations.set(provider, generation);
    providers.delete(provider);
    return generation;
  };
  const problems = new Map<CrmProviderId, Problem>();
  const settingsFile = path.join(deps.dataDir, "crm-settings.json");
  let hubspotApp: { value: Promise<HubspotAppConfig | null>; until: number | null } | null = null;
  const changed = (tables: string[]) => deps.bus.emit("db.changed", { tables });

  const setProblem = (provider: CrmProviderId, code: string, message: string) => {
    problems.set(provider, { code, message, at: deps.now().toISOString() });
    changed(["CrmConnection"]);
  };

  // --- app registrations ------------------------------------------------------------------

  function hubspotConfig(): Promise<HubspotAppConfig | null> {
    if (deps.apps && "hubspot" in deps.apps) return Promise.resolve(deps.apps.hubspot ?? null);
    const brokerUrl = deps.env.SIGHT_HUBSPOT_BROKER_URL || deps.cloudUrl;
    if (!brokerUrl) return Promise.resolve(null);
    // The client id and consent URL come from the Cloud: asked once per run when it answers, and
    // again at most every 30 s while it does not (or has no HubSpot app), so status stays quick.
    if (hubspotApp && hubspotApp.until !== null && hubspotApp.until <= deps.now().getTime()) hubspotApp = null;
    if (!hubspotApp) {
      const entry: { value: Promise<HubspotAppConfig | null>; until: number | null } = {
        value: Promise.resolve(null),
        until: null,
      };
      const retryLater = () => {
        entry.until = deps.now().getTime() + HUBSPOT_CONFIG_RETRY_MS;
        return null;
      };
      entry.value = (async () => {
        const apiBaseUrl = deps.env.SIGHT_HUBSPOT_API_URL || "https://api.hubapi.com";
        const fromEnv = deps.env.SIGHT_HUBSPOT_CLIENT_ID;
        const remote = fromEnv ? null : await fetchHubspotAppConfig(brokerUrl);
        const clientId = fromEnv || remote?.clientId;
        if (!clientId) return retryLater();
        const authorizeUrl =
          deps.env.SIGHT_HUBSPOT_AUTHORIZE_URL || remote?.authorizeUrl || "https://app.hubspot.com/oauth/authorize";
        return {
          clientId,
          authorizeUrl,
          apiBaseUrl,
          scopes: remote?.scopes.length ? remote.scopes : undefined,
          redirectUri: deps.env.SIGHT_HUBSPOT_REDIRECT_URI || remote?.redirectUri || undefined,
          tokenEndpoint: brokeredHubspotTokenEndpoint({ cloudUrl: brokerUrl }),
        };
      })().catch((error: unknown) => {
        deps.logger.warn("crm.hubspot_config_failed", {
          error: error instanceof Error ? error.message : String(error),
        });
        return retryLater();
      });
      hubspotApp = entry;
    }
    return hubspotApp.value;
  }

  function salesforceConfig(): SalesforceAppConfig | null {
    if (deps.apps && "salesforce" in deps.apps) return deps.apps.salesforce ?? null;
    const clientId = deps.env.SIGHT_SALESFORCE_CLIENT_ID;
    if (!clientId) return null;
    const loginUrl = deps.env.SIGHT_SALESFORCE_LOGIN_URL || "https://login.salesforce.com";
    return { clientId, loginUrl, allowHttpLogin: loginUrl.startsWith("http://127.0.0.1") };
  }

  async function notConfiguredReason(provider: CrmProviderId): Promise<string | null> {
    if (provider === "hubspot") {
      if (await hubspotConfig()) return null;
      return deps.cloudUrl || deps.env.SIGHT_HUBSPOT_BROKER_URL
        ? "Sight Cloud has no HubSpot app configured, or cannot be reached right now."
        : "HubSpot connects through Sight Cloud, which this build does not know (set SIGHT_CLOUD_URL).";
    }
    return salesforceConfig()
      ? null
      : "This build has no Salesforce connected app (set SIGHT_SALESFORCE_CLIENT_ID to its consumer key).";
  }

  function redirectUri(provider: CrmProviderId): string {
    if (deps.loopbackOrigin) return `${deps.loopbackOrigin}/oauth/callback`;
    return `${deps.appScheme ?? "sight"}://oauth-callback/${provider}`;
  }

  // --- tokens and provider instances --------------------------------------------------------

  async function readTokens(provider: CrmProviderId): Promise<TokenSet | null> {
    const stored = await deps.secrets.get(CRM_TOKEN_KEYS[provider]);
    if (!stored) return null;
    try {
      return tokenSetSchema.parse(JSON.parse(stored));
    } catch {
      deps.logger.warn("crm.tokens_unreadable", { provider });
      return null;
    }
  }

  /** Stores refreshed tokens, unless the instance that refreshed them belongs to an older connection. */
  const persistTokens = (provider: CrmProviderId, generation: number) => async (tokens: TokenSet) => {
    if ((generations.get(provider) ?? 0) !== generation) {
      deps.logger.warn("crm.stale_connection_refresh_dropped", { provider });
      return;
    }
    await deps.secrets.set(CRM_TOKEN_KEYS[provider], JSON.stringify(tokens));
  };

  async function tokenEndpointFor(provider: CrmProviderId, loginUrl: string | null): Promise<TokenEndpoint> {
    if (provider === "hubspot") {
      if (deps.apps && "hubspot" in deps.apps) {
        if (!deps.apps.hubspot) throw notConfigured(provider);
        return deps.apps.hubspot.tokenEndpoint;
      }
      // Refreshing needs only the broker's address, not its app description: a connected HubSpot
      // keeps working while the Cloud is briefly unreachable.
      const brokerUrl = deps.env.SIGHT_HUBSPOT_BROKER_URL || deps.cloudUrl;
      if (!brokerUrl) throw notConfigured(provider);
      return brokeredHubspotTokenEndpoint({ cloudUrl: brokerUrl });
    }
    const app = salesforceConfig();
    if (!app) throw notConfigured(provider);
    return salesforceTokenEndpoint({ loginUrl: loginUrl ?? app.loginUrl, clientId: app.clientId });
  }

  const notConfigured = (provider: CrmProviderId) =>
    new AppError("PROVIDER_UNAVAILABLE", `${CRM_LABEL[provider]} cannot be connected from this build.`, {
      provider,
      reason: "not_configured",
    });

  async function buildProvider(
    provider: CrmProviderId,
    tokens: TokenSet,
    loginUrl: string | null,
    generation: number,
  ): Promise<Instance> {
    const tokenEndpoint = await tokenEndpointFor(provider, loginUrl);
    const common = {
      tokens,
      tokenEndpoint,
      persistTokens: persistTokens(provider, generation),
      logger: deps.logger,
      policy: deps.policy,
    };
    if (provider === "hubspot") {
      const apiBaseUrl = deps.apps?.hubspot?.apiBaseUrl ?? (deps.env.SIGHT_HUBSPOT_API_URL || "https://api.hubapi.com");
      return new HubspotProvider({ ...common, apiBaseUrl, rateLimit: deps.hubspotRateLimit });
    }
    return new SalesforceProvider(common);
  }

  const notConnected = (provider: CrmProviderId) =>
    new AppError("CONFLICT", `${CRM_LABEL[provider]} is not connected; connect it on the Integrations page.`, {
      provider,
      reason: "not_connected",
    });

  /** The connected provider (one instance per connection, so concurrent calls share one refresh). */
  async function connected(provider: CrmProviderId): Promise<Instance> {
    const existing = providers.get(provider);
    if (existing) return existing.instance;
    const generation = generations.get(provider) ?? 0;
    const entry: { generation: number; instance: Promise<Instance>; built?: Instance } = {
      generation,
      instance: Promise.resolve(null as never),
    };
    entry.instance = (async () => {
      const row = await prisma.crmConnection.findUnique({ where: { provider } });
      const tokens = row ? await readTokens(provider) : null;
      if (!row || !tokens) throw notConnected(provider);
      const built = await buildProvider(provider, tokens, row.loginUrl, generation);
      entry.built = built;
      return built;
    })();
    providers.set(provider, entry);
    entry.instance.catch(() => {
      if (providers.get(provider) === entry) providers.delete(provider);
    });
    return entry.instance;
  }

  /** Cancels every queued or running sync to a provider (before its connection is replaced or removed). */
  async function cancelSyncs(provider: CrmProviderId): Promise<number> {
    const jobId = await activeSync(provider);
    if (!jobId) return 0;
    // Syncs to one CRM run one at a time (startSync refuses a second), so there is one to stop:
    // its in-flight call is aborted and it ends after that; wait for it (bounded).
    await deps.jobs.cancel(jobId).catch(() => undefined);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    while ((await activeSync(provider)) === jobId && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 25));
    return 1;
  }

  /** Calls the CRM; a refusal of Sight's tokens is also shown on the Integrations page. */
  async function withProvider<T>(provider: CrmProviderId, call: (crm: CrmProvider) => Promise<T>): Promise<T> {
    const crm = await connected(provider);
    try {
      return await call(crm);
    } catch (error) {
      if (error instanceof AppError && (error.details as { reason?: string })?.reason === "reconnect_required")
        setProblem(provider, "reconnect_required", error.message);
      throw error;
    }
  }

  // --- mapping settings ---------------------------------------------------------------------

  function readSettings(): SettingsFile {
    try {
      return settingsFileSchema.parse(JSON.parse(fs.readFileSync(settingsFile, "utf8")));
    } catch {
      return { mappings: {} };
    }
  }

  function writeSettings(next: SettingsFile): void {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    writeFileAtomic(settingsFile, `${JSON.stringify(next, null, 2)}\n`);
  }

  function savedMapping(provider: CrmProviderId): { entries: MappingEntry[]; savedAt: string | null } {
    const saved = readSettings().mappings[provider];
    return saved ? saved : { entries: DEFAULT_MAPPING[provider], savedAt: null };
  }

  /** The CRM's fields (refreshed first when asked: the mapping screen's "Refresh CRM fields"). */
  function listFields(provider: CrmProviderId, refresh = false): Promise<CrmField[]> {
    return withProvider(provider, (crm) => {
      if (refresh) crm.invalidateFields();
      return crm.listFields();
    });
  }

  /** The fields to check a mapping against; null while the CRM is not connected (shape checks only). */
  async function fieldsIfConnected(provider: CrmProviderId): Promise<CrmField[] | null> {
    const row = await prisma.crmConnection.findUnique({ where: { provider } });
    return row ? listFields(provider) : null;
  }

  async function mappingView(provider: CrmProviderId, entries: MappingEntry[], savedAt: string | null) {
    const fields = await fieldsIfConnected(provider);
    return crmMappingSchema.parse({
      provider,
      object: PERSONA_OBJECT[provider],
      entries,
      isDefault: savedAt === null,
      fixed: SIGHT_CRM_FIELDS[provider],
      problems: checkMapping(provider, entries, fields),
      savedAt,
    });
  }

  // --- status -------------------------------------------------------------------------------

  async function providerStatus(provider: CrmProviderId): Promise<CrmProviderStatus> {
    const reason = await quickly(notConfiguredReason(provider), STATUS_WAIT_MS, CLOUD_SLOW_REASON);
    const row = await prisma.crmConnection.findUnique({ where: { provider } });
    const hasTokens = row ? await deps.secrets.has(CRM_TOKEN_KEYS[provider]) : false;
    const pending = flows.pendingUntil(provider);
    const breaker = providers.get(provider)?.built?.breakerState() ?? "closed";
    return {
      provider,
      configured: reason === null,
      notConfiguredReason: reason,
      connected: !!row && hasTokens,
      account: row && hasTokens ? connectionAccount(row) : null,
      connectedAt: row && hasTokens ? row.connectedAt.toISOString() : null,
      loginUrl: row && hasTokens ? chosenLoginUrl(provider, row.loginUrl) : null,
      pendingUntil: pending === null ? null : new Date(pending).toISOString(),
      breaker: breaker.replace("-", "_") as CrmProviderStatus["breaker"],
      problem: problems.get(provider) ?? null,
    };
  }

  /** The login host a connection was made through, unless it is the build's default (sent as none). */
  function chosenLoginUrl(provider: CrmProviderId, loginUrl: string | null): string | null {
    if (provider !== "salesforce" || !loginUrl) return null;
    const fallback = salesforceConfig()?.loginUrl.replace(/\/$/, "");
    return loginUrl === fallback || !loginUrl.startsWith("https://") ? null : loginUrl;
  }

  const status = async () => ({ providers: await Promise.all(CRM_PROVIDERS.map(providerStatus)) });

  // --- connect ------------------------------------------------------------------------------

  async function connect(input: RouteParsedInput<"crm.connect">): Promise<RouteOutput<"crm.connect">> {
    const { provider } = input;
    let uri = redirectUri(provider);
    let url: string;
    let loginUrl: string | null = null;
    if (provider === "hubspot") {
      const app = await hubspotConfig();
      if (!app) throw notConfigured(provider);
      let statePrefix = "";
      if (app.redirectUri) {
        // HubSpot sends the browser to the Cloud's page, which returns the answer to where this
        // connect started: this host's loopback callback, or the app's sight:// link.
        uri = app.redirectUri;
        if (deps.loopbackOrigin) {
          const port = /^http:\/\/(?:127\.0\.0\.1|localhost):([0-9]{1,5})$/.exec(deps.loopbackOrigin)?.[1];
          if (!port)
            throw new AppError(
              "VALIDATION_FAILED",
              `HubSpot can return only to this computer (127.0.0.1) or the Sight app, not to ${deps.loopbackOrigin}. Connect HubSpot from the desktop app or a host on 127.0.0.1.`,
              { provider, reason: "redirect_not_allowed" },
            );
          statePrefix = hubspotStatePrefix({ kind: "loopback", port: Number(port) });
        } else {
          statePrefix = hubspotStatePrefix({
            kind: "app",
            scheme: deps.appScheme === "sight-dev" ? "sight-dev" : "sight",
          });
        }
      } else if (!deps.apps && !isAllowedHubspotRedirect(uri)) {
        // The broker exchanges codes only for the app's own callbacks; say so before the consent page.
        throw new AppError(
          "VALIDATION_FAILED",
          `HubSpot can send the answer only to this computer (127.0.0.1) or the Sight app, not to ${uri}. Connect HubSpot from the desktop app or a host on 127.0.0.1.`,
          { provider, reason: "redirect_not_allowed" },
        );
      }
      const flow = flows.begin(provider, uri, statePrefix);
      url = hubspotAuthorizeUrl({
        authorizeUrl: app.authorizeUrl,
        clientId: app.clientId,
        redirectUri: uri,
        state: flow.state,
        codeChallenge: flow.codeChallenge,
        scopes: app.scopes,
      });
    } else {
      const app = salesforceConfig();
      if (!app) throw notConfigured(provider);
      loginUrl = (input.loginUrl ?? app.loginUrl).replace(/\/$/, "");
      if (!loginUrl.startsWith("https://") && !(app.allowHttpLogin && loginUrl === app.loginUrl.replace(/\/$/, "")))
        throw new AppError("VALIDATION_FAILED", "The Salesforce login host must be an https:// address.");
      const flow = flows.begin(provider, uri);
      url = salesforceAuthorizeUrl({
        loginUrl,
        clientId: app.clientId,
        redirectUri: uri,
        state: flow.state,
        codeChallenge: flow.codeChallenge,
      });
    }
    pendingLogin.set(provider, loginUrl);
    problems.delete(provider);
    changed(["CrmConnection"]);
    const opened = deps.openInBrowser ? await deps.openInBrowser(url) : false;
    deps.logger.info("crm.connect_started", { provider, redirect: uri.split("?")[0] });
    return { url, opened, expiresAt: new Date(flows.pendingUntil(provider)!).toISOString() };
  }
  const pendingLogin = new Map<CrmProviderId, string | null>();

  /**
   * The consent page's answer (deep link or loopback callback). Without a provider (the
   * loopback `/oauth/callback`), the pending flow whose state it carries decides. Answers the
   * connected account; throws OAuthFlowError (UNAUTHORIZED, details.reason) when refused.
   */
  async function completeConnect(providerHint: CrmProviderId | null, callback: OAuthCallback): Promise<CrmAccount> {
    const provider = providerHint ?? flows.providerForState(callback.state);
    if (!provider) {
      deps.logger.warn("crm.callback_refused", { reason: "no_pending_flow" });
      throw new OAuthFlowError("hubspot", "no_pending_flow", "No connection is being set up; start connecting again.");
    }
    let completed;
    try {
      completed = flows.complete(provider, callback);
    } catch (error) {
      if (error instanceof OAuthFlowError) {
        deps.logger.warn("crm.callback_refused", { provider, reason: error.reason });
        // Only an answer to the researcher's own attempt (its state matched) is shown on the page: a
        // stray, forged or replayed one proves nothing and must not put a message there.
        if (error.reason === "expired" || error.reason === "denied") setProblem(provider, error.reason, error.message);
      }
      throw error;
    }
    const loginUrl = pendingLogin.get(provider) ?? null;
    try {
      const endpoint = await tokenEndpointFor(provider, loginUrl);
      const tokens = await endpoint.exchangeCode({
        code: completed.code,
        redirectUri: completed.redirectUri,
        codeVerifier: completed.codeVerifier,
      });
      // A new connection: instances of the old one (held by a running sync) stop writing tokens.
      const previous = await prisma.crmConnection.findUnique({ where: { provider } });
      const generation = nextGeneration(provider);
      const instance = await buildProvider(provider, tokens, loginUrl, generation);
      const account = await instance.account();
      if (previous) await cancelSyncs(provider);
      await persistTokens(provider, generation)(tokens);
      const fields = {
        accountId: account.accountId,
        accountName: account.accountName,
        userEmail: account.userEmail,
        loginUrl,
        connectedAt: deps.now(),
      };
      await prisma.crmConnection.upsert({ where: { provider }, create: { provider, ...fields }, update: fields });
      providers.set(provider, { generation, instance: Promise.resolve(instance), built: instance });
      problems.delete(provider);
      changed(["CrmConnection"]);
      deps.logger.info("crm.connected", { provider, accountId: account.accountId });
      return account;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.warn("crm.connect_failed", { provider, error: message });
      setProblem(provider, "exchange_failed", `${CRM_LABEL[provider]} did not complete the connection: ${message}`);
      throw error;
    }
  }

  /**
   * The page the browser shows after the loopback `/oauth/callback` (or the outcome of a
   * `sight://oauth-callback/<provider>` link): the query is checked before anything else.
   */
  async function callbackPage(
    query: Record<string, string>,
    providerHint: CrmProviderId | null = null,
  ): Promise<{ ok: boolean; title: string; message: string }> {
    const parsed = oauthCallbackQuerySchema.safeParse(query);
    const refused = "Sight could not connect";
    if (!parsed.success)
      return {
        ok: false,
        title: refused,
        message: "This sign-in answer is malformed; start connecting again in Sight.",
      };
    try {
      const account = await completeConnect(providerHint, parsed.data);
      return {
        ok: true,
        title: `Connected to ${CRM_LABEL[account.provider]}`,
        message: `Sight is connected to ${account.accountName}. You can close this tab and go back to Sight.`,
      };
    } catch (error) {
      return { ok: false, title: refused, message: error instanceof Error ? error.message : String(error) };
    }
  }

  function cancelConnect(provider: CrmProviderId) {
    flows.cancel(provider);
    changed(["CrmConnection"]);
    return status();
  }

  async function disconnect(provider: CrmProviderId): Promise<RouteOutput<"crm.disconnect">> {
    const row = await prisma.crmConnection.findUnique({ where: { provider } });
    let revoked = false;
    let message: string | null = null;
    // Nothing may call the CRM, or store a refreshed token, once the researcher has let it go.
    await cancelSyncs(provider);
    if (row && (await deps.secrets.has(CRM_TOKEN_KEYS[provider]))) {
      try {
        const crm = await connected(provider);
        await crm.revoke();
        revoked = true;
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
        deps.logger.warn("crm.revoke_failed", { provider, error: message });
      }
    }
    // Deleted here whatever the CRM answered: Sight never keeps a token the researcher let go of.
    nextGeneration(provider);
    await deps.secrets.delete(CRM_TOKEN_KEYS[provider]);
    await prisma.crmConnection.deleteMany({ where: { provider } });
    problems.delete(provider);
    changed(["CrmConnection"]);
    deps.logger.info("crm.disconnected", { provider, revoked });
    return { revoked, message };
  }

  // --- preview and sync ---------------------------------------------------------------------

  async function requireMapping(provider: CrmProviderId) {
    const { entries } = savedMapping(provider);
    const fields = await listFields(provider);
    return { entries, fields };
  }

  async function preview(request: SyncRequest): Promise<SyncPreview> {
    const row = await prisma.crmConnection.findUnique({ where: { provider: request.provider } });
    await connected(request.provider);
    const account = connectionAccount(row!);
    if (request.kind === "insights") {
      checkTargetKind(request.provider, request.target.kind);
      const note = await buildInsightNote(deps.db, deps.focusGroupInsights, request);
      return {
        kind: "insights",
        provider: request.provider,
        account,
        counts: { create: 1, update: 0, skip: 0 },
        items: [{ key: "note", label: note.title, action: "create", reason: null, reasonCode: null, fields: null }],
        note: {
          title: note.title,
          body: note.body,
          target: request.target,
          sentBefore: await lastNoteSent(request, account.accountId),
        },
        problems: [],
      };
    }
    const { entries, fields } = await requireMapping(request.provider);
    const personas = await loadPersonasForSync(deps.db, request.projectId, request.personaIds);
    const problemsFound = checkMapping(request.provider, entries, fields, personas);
    const records = personas.map((persona) => ({
      persona,
      record: personaRecord(request.provider, persona, entries, fields),
    }));
    const links = await prisma.crmLink.findMany({
      where: { provider: request.provider, accountId: account.accountId, key: { in: personas.map((p) => p.id) } },
    });
    const byKey = new Map(links.map((link) => [link.key, link]));
    const counts = { create: 0, update: 0, skip: 0 };
    const items: SyncPreview["items"] = [];
    for (const { persona, record } of records) {
      const link = byKey.get(persona.id);
      const reasonCode = !link
        ? null
        : link.digest !== recordDigest(record)
          ? "changed"
          : request.sendUnchanged
            ? "resend"
            : "unchanged";
      const action = reasonCode === null ? "create" : reasonCode === "unchanged" ? "skip" : "update";
      counts[action] += 1;
      if (items.length < PREVIEW_ITEMS)
        items.push({
          key: persona.id,
          label: persona.name,
          action,
          reason: reasonCode === null ? null : PREVIEW_REASON_TEXT[reasonCode],
          reasonCode,
          fields: record.fields,
        });
    }
    return {
      kind: "personas",
      provider: request.provider,
      account,
      counts,
      items,
      note: null,
      problems: problemsFound,
    };
  }

  /** The newest note this study wrote on the same record in this account (a created "note" record). */
  async function lastNoteSent(request: Extract<SyncRequest, { kind: "insights" }>, accountId: string) {
    const written = await prisma.crmSyncRecord.findMany({
      where: {
        key: "note",
        outcome: "created",
        sync: {
          provider: request.provider,
          accountId,
          kind: "insights",
          studyKind: request.studyKind,
          studyId: request.studyId,
        },
      },
      select: { at: true, syncId: true, sync: { select: { target: true } } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
    });
    const same = written.find((record) => {
      const target = storedTarget(record.sync.target);
      return target?.kind === request.target.kind && target.id === request.target.id;
    });
    return same ? { at: same.at.toISOString(), syncId: same.syncId } : null;
  }

  async function startSync(request: SyncRequest): Promise<RouteOutput<"crm.sync">> {
    const row = await prisma.crmConnection.findUnique({ where: { provider: request.provider } });
    await connected(request.provider);
    const account = connectionAccount(row!);
    // One sync per CRM at a time: two over the same personas could race each other's upserts.
    const running = await activeSync(request.provider);
    if (running)
      throw new AppError(
        "CONFLICT",
        `A sync to ${CRM_LABEL[request.provider]} is already running; wait for it or cancel it.`,
        {
          provider: request.provider,
          reason: "sync_running",
          jobId: running,
        },
      );
    let subject: string;
    let projectId: string;
    let params: Omit<CrmSyncParams, "syncId">;
    if (request.kind === "insights") {
      checkTargetKind(request.provider, request.target.kind);
      const note = await buildInsightNote(deps.db, deps.focusGroupInsights, request);
      subject = note.studyName;
      projectId = note.projectId;
      // What the preview showed is what is written, even if the study is analysed again meanwhile.
      params = {
        personaIds: [],
        sendUnchanged: false,
        note: { title: note.title, body: note.body, studyUrl: note.studyUrl },
      };
    } else {
      const { entries, fields } = await requireMapping(request.provider);
      const personas = await loadPersonasForSync(deps.db, request.projectId, request.personaIds);
      if (personas.length === 0) throw new AppError("VALIDATION_FAILED", "This project has no personas to sync yet.");
      const problemsFound = checkMapping(request.provider, entries, fields, personas);
      if (hasErrors(problemsFound))
        throw new AppError("VALIDATION_FAILED", "The field mapping has errors; fix them on the Integrations page.", {
          problems: problemsFound.filter((entry) => entry.severity === "error"),
        });
      const project = await prisma.project.findUniqueOrThrow({ where: { id: request.projectId } });
      subject = `${personas.length} ${personas.length === 1 ? "persona" : "personas"} of ${project.name}`;
      projectId = request.projectId;
      // The set and the mapping are fixed now: a resumed job syncs exactly these, the same way.
      params = { personaIds: personas.map((persona) => persona.id), entries, sendUnchanged: request.sendUnchanged };
    }
    const syncId = newId(deps.now().getTime());
    // The row first, then its job: the job can start the moment it is queued.
    await prisma.crmSync.create({
      data: {
        id: syncId,
        provider: request.provider,
        accountId: account.accountId,
        accountName: account.accountName,
        kind: request.kind,
        projectId,
        subject,
        studyKind: request.kind === "insights" ? request.studyKind : null,
        studyId: request.kind === "insights" ? request.studyId : null,
        target: request.kind === "insights" ? JSON.stringify(request.target) : null,
        total: request.kind === "insights" ? 1 : params.personaIds.length,
        createdAt: deps.now(),
      },
    });
    let jobId: string;
    try {
      const job = await deps.jobs.enqueue(CRM_SYNC_JOB_KIND, crmSyncParams.parse({ syncId, ...params }), { projectId });
      jobId = job.id;
      await prisma.crmSync.update({ where: { id: syncId }, data: { jobId } });
    } catch (error) {
      await prisma.crmSync.deleteMany({ where: { id: syncId, jobId: null } });
      throw error;
    }
    changed(["CrmSync"]);
    return { jobId, syncId };
  }

  /** The id of a queued or running sync job to this provider, if any. */
  async function activeSync(provider: CrmProviderId): Promise<string | null> {
    const jobs = await prisma.job.findMany({
      where: { kind: CRM_SYNC_JOB_KIND, status: { in: ["queued", "running"] } },
      select: { id: true },
    });
    if (jobs.length === 0) return null;
    const row = await prisma.crmSync.findFirst({
      where: { provider, jobId: { in: jobs.map((job) => job.id) } },
      select: { jobId: true },
    });
    return row?.jobId ?? null;
  }

  // --- history ------------------------------------------------------------------------------

  type SyncRow = NonNullable<Awaited<ReturnType<typeof prisma.crmSync.findUnique>>>;

  async function toSyncs(rows: SyncRow[]): Promise<CrmSync[]> {
    const jobs = await prisma.job.findMany({
      where: { id: { in: rows.flatMap((row) => (row.jobId ? [row.jobId] : [])) } },
      select: { id: true, status: true, error: true, finishedAt: true },
    });
    const byId = new Map(jobs.map((job) => [job.id, job]));
    return rows.map((row) => {
      const job = row.jobId ? byId.get(row.jobId) : undefined;
      let error: string | null = null;
      try {
        error = job?.error ? ((JSON.parse(job.error) as { message?: string }).message ?? null) : null;
      } catch {
        error = null;
      }
      return {
        id: row.id,
        jobId: row.jobId ?? "",
        provider: row.provider as CrmProviderId,
        accountName: row.accountName,
        kind: row.kind as CrmSync["kind"],
        projectId: row.projectId,
        subject: row.subject,
        studyKind: row.studyKind as CrmSync["studyKind"],
        studyId: row.studyId,
        target: storedTarget(row.target),
        status: (job?.status ?? "queued") as CrmSync["status"],
        counts: {
          total: row.total,
          created: row.created,
          updated: row.updated,
          skipped: row.skipped,
          failed: row.failed,
        },
        error,
        createdAt: row.createdAt.toISOString(),
        finishedAt: job?.finishedAt?.toISOString() ?? null,
      };
    });
  }

  async function history(input: RouteParsedInput<"crm.history">): Promise<RouteOutput<"crm.history">> {
    const where = {
      ...(input.provider ? { provider: input.provider } : {}),
      ...(input.projectId ? { projectId: input.projectId } : {}),
    };
    const list = newestFirst(input.cursor, HISTORY_SORT);
    const [rows, total] = await Promise.all([
      prisma.crmSync.findMany({
        where: { ...where, ...list.where },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
      }),
      prisma.crmSync.count({ where }),
    ]);
    const { page, nextCursor } = list.page(rows, input.limit);
    return {
      items: await toSyncs(page),
      nextCursor,
      total,
    };
  }

  async function syncRecords(input: RouteParsedInput<"crm.syncRecords">): Promise<RouteOutput<"crm.syncRecords">> {
    const row = await prisma.crmSync.findUnique({ where: { id: input.id } });
    if (!row) throw new AppError("NOT_FOUND", "No such sync.", { id: input.id });
    const where = { syncId: input.id, ...(input.outcome ? { outcome: input.outcome } : {}) };
    // Keyset on the record id (ids are time-ordered, so this is the order records finished).
    const after = input.cursor ? decodeCursor(input.cursor, RECORDS_SORT) : null;
    const [rows, total] = await Promise.all([
      prisma.crmSyncRecord.findMany({
        where: { ...where, ...(after ? { id: { gt: after.id } } : {}) },
        orderBy: { id: "asc" },
        take: input.limit + 1,
      }),
      prisma.crmSyncRecord.count({ where }),
    ]);
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    const [sync] = await toSyncs([row]);
    return {
      sync: sync!,
      items: page.map((record) => ({
        key: record.key,
        label: record.label,
        outcome: record.outcome as "created",
        crmId: record.crmId,
        message: record.message,
        code: record.code,
        at: record.at.toISOString(),
      })),
      nextCursor: rows.length > input.limit && last ? encodeCursor(RECORDS_SORT, last.at.toISOString(), last.id) : null,
      total,
    };
  }

  return {
    status,
    connect,
    completeConnect,
    callbackPage,
    cancelConnect,
    /** Headless host: where the consent page sends the browser back to (known once it listens). */
    setLoopbackOrigin(origin: string) {
      deps.loopbackOrigin = origin.replace(/\/$/, "");
    },
    disconnect,
    async fields(provider: CrmProviderId, refresh: boolean) {
      return { fields: await listFields(provider, refresh) };
    },
    async mapping(provider: CrmProviderId): Promise<CrmMapping> {
      const saved = savedMapping(provider);
      return mappingView(provider, saved.entries, saved.savedAt);
    },
    async saveMapping(provider: CrmProviderId, entries: MappingEntry[]): Promise<CrmMapping> {
      const fields = await fieldsIfConnected(provider);
      const found = checkMapping(provider, entries, fields);
      if (hasErrors(found))
        throw new AppError("VALIDATION_FAILED", "The mapping has errors; nothing was saved.", {
          problems: found.filter((entry) => entry.severity === "error"),
        });
      const settings = readSettings();
      const savedAt = deps.now().toISOString();
      settings.mappings[provider] = { entries, savedAt };
      writeSettings(settings);
      return mappingView(provider, entries, savedAt);
    },
    async resetMapping(provider: CrmProviderId): Promise<CrmMapping> {
      const settings = readSettings();
      delete settings.mappings[provider];
      writeSettings(settings);
      return mappingView(provider, DEFAULT_MAPPING[provider], null);
    },
    async targets(input: RouteParsedInput<"crm.targets">) {
      checkTargetKind(input.provider, input.kind);
      return { items: await withProvider(input.provider, (crm) => crm.listTargets(input.kind, input.q)) };
    },
    preview,
    startSync,
    history,
    syncRecords,
    /** For the sync job: the connected provider and the mapping in force. */
    connected,
    withProvider,
    requireMapping,
    close() {
      for (const provider of CRM_PROVIDERS) flows.cancel(provider);
      providers.clear();
    },
  };
}
