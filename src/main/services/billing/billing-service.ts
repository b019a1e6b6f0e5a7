import crypto from "node:crypto";
import type { CloudRouteName, PaidTier, AppScheme } from "../../../shared/cloud/contract";
import { AppError, isAppError, type BillingStatus, type RouteOutput } from "../../../shared/contract";
import type { PlanId } from "../../../shared/domain/plans";
import type { EventBus } from "../events/bus";
import type { Logger } from "../logger";
import type { SecretStore } from "../secrets/secret-store";
import { createBillingFiles } from "./billing-files";
import { SESSION_ENDED, type BillingState } from "./billing-status";
import { isCloudUnreachable, type CloudInput, type CloudOutput } from "./cloud-client";
import type { CloudConfig } from "./cloud-config";
import { createCloudSession, NOT_SIGNED_IN, type CloudSessionState } from "./cloud-session";
import { createPlanState } from "./plan-state";

export const LICENCE_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface BillingServiceDeps {
  dataDir: string;
  host: "desktop" | "headless";
  secrets: SecretStore;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  cloud: CloudConfig;
  /** Tests: this plan, always, and no Cloud. */
  fixedPlan?: PlanId;
  /** Desktop: opens a URL in the system browser through the shell's URL policy. */
  openInBrowser?: (url: string) => Promise<boolean>;
  /** The scheme this build's deep links use, so Stripe's return page comes back to this app. */
  appScheme?: AppScheme;
  requestTimeoutMs?: number;
  refreshIntervalMs?: number;
}

export interface BillingService {
  /** The plan in force at this moment; read at every use so a change applies without a restart. */
  plan(): PlanId;
  status(): BillingStatus;
  signUp(input: { email: string; password: string }): Promise<BillingStatus>;
  signIn(input: { email: string; password: string }): Promise<BillingStatus>;
  signOut(): Promise<BillingStatus>;
  refresh(): Promise<BillingStatus>;
  checkout(tier: PaidTier): Promise<{ url: string; opened: boolean }>;
  portal(): Promise<{ url: string; opened: boolean }>;
  changePlan(input: {
    tier: PaidTier;
    preview: boolean;
    prorationDate?: number;
  }): Promise<RouteOutput<"billing.changePlan">>;
  /**
   * Sight Cloud's URL and a current access token of the signed-in account, for the live-session
   * relay's socket. Refused when the Cloud is not configured or nobody is signed in.
   */
  cloudAccess(): Promise<{ url: string; accessToken: string }>;
  /** Verifies a licence and, when it is genuine and current, puts it in force at once. */
  acceptLicence(jwt: string): Promise<BillingStatus>;
  /** The browser came back from Checkout or the portal (sight://billing/return): fetch the new licence. */
  onBillingReturn(): void;
  /** Background refreshes: one now (not awaited by startup), then every 24 hours. */
  start(): void;
  /** Resolves when background refreshes in flight have finished (tests, shutdown). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const NOT_CONFIGURED = "Sight Cloud is not configured in this build, so plans cannot be changed here.";
const notConfigured = () =>
  new AppError("PROVIDER_UNAVAILABLE", NOT_CONFIGURED, { service: "cloud", reason: "not_configured" });

const reasonOf = (error: AppError) => (error.details as { reason?: unknown } | undefined)?.reason;

export async function createBillingService(deps: BillingServiceDeps): Promise<BillingService> {
  const { logger, now } = deps;
  const files = createBillingFiles(deps.dataDir, logger);
  // A Cloud without a key to check its licences against could sell nothing: treat it as absent.
  const configured = deps.fixedPlan === undefined && deps.cloud.url !== null && deps.cloud.keys.length > 0;
  const session: CloudSessionState | null = configured
    ? createCloudSession({
        baseUrl: deps.cloud.url!,
        secrets: deps.secrets,
        files,
        logger,
        now,
        timeoutMs: deps.requestTimeoutMs,
      })
    : null;
  const device = deps.host === "desktop" ? `Sight desktop (${process.platform})` : "Sight in a browser (headless host)";
  let refreshTimer: NodeJS.Timeout | null = null;
  /**
   * Bumped whenever the account changes (sign-out, sign-in, a session ended): work for the account
   * before, still in flight, must not land on the account after.
   */
  let accountEpoch = 0;
  let licenceRefresh: { epoch: number; done: Promise<void> } | null = null;
  let closed = false;
  const inFlight = new Set<Promise<void>>();
  // The account file alone is no sign-in (it is not a secret, and can be copied): a stored
  // refresh token is.
  const account = session && (await session.signedIn()) ? session.account() : null;
  const plans = await createPlanState({
    files,
    keys: deps.cloud.keys,
    bus: deps.bus,
    logger,
    now,
    initial: { cloudConfigured: configured, account },
    fixedPlan: deps.fixedPlan,
    onExpired: () => background("expired"),
  });
  const commit = plans.commit;

  const requireSession = (): CloudSessionState => {
    if (!session) throw notConfigured();
    return session;
  };

  /** Any Cloud call: keeps `cloudReachable` true to what the last call met. */
  const reach = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      if (plans.current.cloudReachable !== true) commit({ cloudReachable: true });
      return result;
    } catch (error) {
      // "Sign in first" is decided here, before anything is sent: it says nothing about the Cloud.
      const local = isAppError(error) && reasonOf(error) === NOT_SIGNED_IN;
      const reachable = !isCloudUnreachable(error);
      if (!local && plans.current.cloudReachable !== reachable) commit({ cloudReachable: reachable });
      throw error;
    }
  };

  /**
   * A call as the signed-in account. The Cloud refusing our session even after a refresh means
   * it ended elsewhere (signed out everywhere, account deleted): sign out here too.
   */
  const asAccount = async <N extends CloudRouteName>(name: N, input: CloudInput<N>): Promise<CloudOutput<N>> => {
    const cloud = requireSession();
    const epoch = accountEpoch;
    try {
      return await reach(() => cloud.client.call(name, input));
    } catch (error) {
      // A refusal of the account before this one says nothing about the account signed in now.
      if (epoch !== accountEpoch) throw error;
      if (isAppError(error) && error.code === "UNAUTHORIZED" && reasonOf(error) !== NOT_SIGNED_IN) {
        logger.warn("billing.session_ended", { route: name });
        await endSession(SESSION_ENDED);
        throw new AppError("UNAUTHORIZED", SESSION_ENDED.message, { service: "cloud", reason: "session_ended" });
      }
      throw error;
    }
  };

  const endSession = async (problem: BillingState["problem"]) => {
    accountEpoch++;
    await session?.clear();
    files.removeLicence();
    commit({ account: null, licence: null, problem });
  };

  /** Puts a licence fetched for the account of `epoch` in force, unless the account changed since. */
  const acceptFor = (epoch: number, jwt: string) => plans.accept(jwt, () => epoch === accountEpoch);

  /**
   * One licence fetch at a time per account: the start, the timer, a deep link and the route
   * share it. A sign-in (a new epoch) never joins the fetch of the account before.
   */
  const fetchLicence = (): Promise<void> => {
    if (licenceRefresh?.epoch === accountEpoch) return licenceRefresh.done;
    const epoch = accountEpoch;
    const done = (async () => {
      const cloud = requireSession();
      if (!(await cloud.signedIn())) return;
      const { licence } = await asAccount("licence.get", {});
      if (epoch !== accountEpoch) return;
      // A refresh re-stores the account (its email may have changed on the Cloud).
      const current = cloud.account();
      if (current && JSON.stringify(current) !== JSON.stringify(plans.current.account)) commit({ account: current });
      await acceptFor(epoch, licence);
    })().finally(() => {
      if (licenceRefresh?.done === done) licenceRefresh = null;
    });
    licenceRefresh = { epoch, done };
    return done;
  };

  /** Work nobody awaits, still awaited by close(): a shutdown never cuts a write in half. */
  const track = (work: Promise<unknown>, event: string, fields: Record<string, unknown> = {}) => {
    const run: Promise<void> = work
      .then(() => undefined)
      .catch((error: unknown) => logger.warn(event, { ...fields, error }))
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
  };

  function background(reason: string): void {
    if (!session || closed) return;
    track(fetchLicence(), "billing.refresh_failed", { reason });
  }

  const inBrowser = async (url: string) => {
    const protocol = new URL(url).protocol;
    if (protocol !== "https:" && protocol !== "http:") {
      throw new AppError("PROVIDER_UNAVAILABLE", "Sight Cloud sent a link that is not a web page.", {
        service: "cloud",
        reason: "unexpected_response",
      });
    }
    // The headless host cannot open a browser for someone else's tab: the page opens the URL itself.
    return { url, opened: deps.openInBrowser ? await deps.openInBrowser(url) : false };
  };

  const signInWith = async (route: "auth.signUp" | "auth.signIn", input: { email: string; password: string }) => {
    const cloud = requireSession();
    const started = await reach(() => cloud.client.call(route, { ...input, device }));
    accountEpoch++;
    const previous = await cloud.refreshToken();
    await cloud.adopt(started);
    if (previous) {
      // A sign-in replaces the one before it: revoke that one rather than leave it valid on the Cloud.
      track(cloud.client.call("auth.signOut", { refreshToken: previous }), "billing.previous_sign_in_not_revoked");
    }
    // Another account's licence must not carry over to this one.
    const keep = plans.current.licence?.claims.sub === started.account.id ? plans.current.licence : null;
    if (!keep) files.removeLicence();
    commit({ account: cloud.account(), licence: keep, problem: null });
    try {
      await fetchLicence();
    } catch (error) {
      // Signed in all the same; the licence follows with the next refresh.
      logger.warn("billing.licence_after_sign_in_failed", { error });
    }
    return service.status();
  };

  const service: BillingService = {
    plan: () => plans.plan(),
    status: () => plans.status(),
    signUp: (input) => signInWith("auth.signUp", input),
    signIn: (input) => signInWith("auth.signIn", input),
    async signOut() {
      const cloud = requireSession();
      const refreshToken = await cloud.refreshToken();
      if (refreshToken) {
        try {
          await reach(() => cloud.client.call("auth.signOut", { refreshToken }));
        } catch (error) {
          // Signing out here must work offline too; the Cloud forgets the token when it expires.
          logger.warn("billing.sign_out_not_revoked", { error });
        }
      }
      await endSession(null);
      return service.status();
    },
    async refresh() {
      const cloud = requireSession();
      if (!(await cloud.signedIn())) {
        throw new AppError("UNAUTHORIZED", "Sign in to Sight Cloud first.", {
          service: "cloud",
          reason: NOT_SIGNED_IN,
        });
      }
      try {
        await fetchLicence();
      } catch (error) {
        // The session ended: that is the news, and the status carries it.
        if (!(isAppError(error) && reasonOf(error) === "session_ended")) throw error;
      }
      return service.status();
    },
    async checkout(tier) {
      const { url } = await asAccount("billing.createCheckout", {
        tier,
        requestId: crypto.randomUUID(),
        app: deps.appScheme ?? "sight",
      });
      return inBrowser(url);
    },
    async portal() {
      const { url } = await asAccount("billing.portal", { app: deps.appScheme ?? "sight" });
      return inBrowser(url);
    },
    async changePlan({ tier, preview, prorationDate }) {
      requireSession();
      if (!preview && prorationDate === undefined) {
        throw new AppError(
          "VALIDATION_FAILED",
          "Preview the change first, then apply it with the prorationDate the preview returned.",
          { issues: [{ path: ["prorationDate"], message: "required when preview is false", code: "custom" }] },
        );
      }
      const epoch = accountEpoch;
      const result = await asAccount("billing.changePlan", { tier, preview, prorationDate });
      if (result.kind === "preview") return { preview: result.preview, status: service.status() };
      return { preview: null, status: await acceptFor(epoch, result.licence) };
    },
    acceptLicence: (jwt) => plans.accept(jwt),
    onBillingReturn: () => background("billing-return"),
    start() {
      if (!session || closed) return;
      background("start");
      refreshTimer = setInterval(() => background("interval"), deps.refreshIntervalMs ?? LICENCE_REFRESH_INTERVAL_MS);
      refreshTimer.unref();
    },
    async cloudAccess() {
      const cloud = requireSession();
      if (!(await cloud.signedIn()))
        throw new AppError("UNAUTHORIZED", "Sign in to Sight Cloud (Settings → Plan) to share a session through it.", {
          service: "cloud",
          reason: NOT_SIGNED_IN,
        });
      return { url: deps.cloud.url!, accessToken: await reach(() => cloud.client.accessToken()) };
    },

    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async close() {
      closed = true;
      plans.close();
      if (refreshTimer) clearInterval(refreshTimer);
      await service.settled();
    },
  };
  return service;
}
