import type { BillingStatus } from "../../../shared/contract";
import type { PlanId } from "../../../shared/domain/plans";
import type { EventBus } from "../events/bus";
import type { Logger } from "../logger";
import type { BillingFiles } from "./billing-files";
import {
  cloudLicenceProblem,
  expiredProblem,
  otherAccountLicenceProblem,
  planOf,
  storedLicenceProblem,
  toBillingStatus,
  type BillingState,
} from "./billing-status";
import { licenceExpiresAt, verifyLicence, type TrustedKey } from "./licence";

// setTimeout fires at once for delays past 2^31-1 ms (~24.8 days); longer waits are re-armed.
const MAX_TIMER_MS = 2_147_483_647;

export interface PlanStateDeps {
  files: BillingFiles;
  keys: readonly TrustedKey[];
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  initial: Pick<BillingState, "cloudConfigured" | "account">;
  /** Tests: this plan, always; the licence file is not read. */
  fixedPlan?: PlanId;
  /** The licence in force just expired: a fresh one may be a refresh away. */
  onExpired: () => void;
}

/**
 * The plan source: which licence is in force, what it grants, and when it stops. Every change
 * goes through `commit`, which announces it (billing.changed with the full status, and
 * db.changed for "Billing" so cached limits refetch), so nothing can change the plan silently.
 */
export interface PlanState {
  readonly current: BillingState;
  /** The plan in force at this moment (an expiry noticed here applies here). */
  plan(): PlanId;
  status(): BillingStatus;
  commit(next: Partial<BillingState>): BillingStatus;
  /**
   * Verifies a licence from the Cloud; a genuine, current one issued to the signed-in account
   * goes into force and onto disk. `stillWanted` is asked once verification is done: false
   * (the account changed meanwhile) discards the licence.
   */
  accept(jwt: string, stillWanted?: () => boolean): Promise<BillingStatus>;
  close(): void;
}

export async function createPlanState(deps: PlanStateDeps): Promise<PlanState> {
  const { logger, now } = deps;
  let state: BillingState = {
    ...deps.initial,
    cloudReachable: null,
    ...(deps.fixedPlan === undefined ? await loadStoredLicence() : { licence: null, problem: null }),
  };
  let expiryTimer: NodeJS.Timeout | null = null;
  let closed = false;

  /**
   * Re-verified at every start: a file edited (or swapped) since it was written grants nothing,
   * and neither does a genuine one issued to an account other than the one signed in here.
   */
  async function loadStoredLicence(): Promise<Pick<BillingState, "licence" | "problem">> {
    const jwt = deps.files.readLicence();
    if (!jwt) return { licence: null, problem: null };
    const check = await verifyLicence(jwt, deps.keys, now());
    if (check.status === "valid") {
      const account = deps.initial.account;
      if (check.claims.sub === account?.id) return { licence: { jwt, claims: check.claims }, problem: null };
      // Copied in from elsewhere, or left behind by a sign-out that was cut short: not this account's.
      logger.warn("billing.stored_licence_not_this_account", { signedIn: account !== null });
      deps.files.removeLicence();
      return { licence: null, problem: account ? otherAccountLicenceProblem() : null };
    }
    logger.warn("billing.stored_licence_refused", {
      status: check.status,
      reason: check.status === "invalid" ? check.reason : "expired",
    });
    return { licence: null, problem: storedLicenceProblem(check) };
  }

  const currentPlan = () => deps.fixedPlan ?? planOf(state);

  const commit = (next: Partial<BillingState>): BillingStatus => {
    const before = JSON.stringify(toBillingStatus(state, currentPlan()));
    state = { ...state, ...next };
    armExpiryTimer();
    const status = toBillingStatus(state, currentPlan());
    if (JSON.stringify(status) !== before) {
      logger.info("billing.changed", {
        plan: status.plan,
        problem: status.problem?.code,
        reachable: status.cloudReachable,
      });
      deps.bus.emit("billing.changed", status);
      deps.bus.emit("db.changed", { tables: ["Billing"] });
    }
    return status;
  };

  /** Drops an expired licence the moment it is noticed, whether by its timer or by a read. */
  const expireIfDue = (): boolean => {
    if (!state.licence) return false;
    const expiresAt = licenceExpiresAt(state.licence.claims);
    if (now().getTime() < expiresAt.getTime()) return false;
    logger.warn("billing.licence_expired", { expiredAt: expiresAt.toISOString() });
    commit({ licence: null, problem: expiredProblem(expiresAt) });
    deps.onExpired();
    return true;
  };

  function armExpiryTimer(): void {
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = null;
    if (!state.licence || closed) return;
    const delay = licenceExpiresAt(state.licence.claims).getTime() - now().getTime();
    expiryTimer = setTimeout(
      () => {
        expiryTimer = null;
        if (!expireIfDue()) armExpiryTimer();
      },
      Math.min(Math.max(delay, 0), MAX_TIMER_MS),
    );
    // A licence's expiry is no reason to keep the process alive.
    expiryTimer.unref();
  }

  armExpiryTimer();
  return {
    get current() {
      return state;
    },
    plan() {
      expireIfDue();
      return currentPlan();
    },
    status() {
      expireIfDue();
      return toBillingStatus(state, currentPlan());
    },
    commit,
    async accept(jwt, stillWanted = () => true) {
      const check = await verifyLicence(jwt, deps.keys, now());
      // From here on nothing is awaited, so the account checked is the one the licence lands on.
      if (!stillWanted()) {
        logger.info("billing.licence_discarded", { reason: "account_changed" });
        return toBillingStatus(state, currentPlan());
      }
      if (check.status !== "valid") {
        // Keeps a licence still in force: a bad answer from the Cloud is no reason to downgrade.
        logger.error("billing.cloud_licence_refused", {
          status: check.status,
          reason: check.status === "invalid" ? check.reason : "expired",
        });
        return commit({ problem: cloudLicenceProblem() });
      }
      if (check.claims.sub !== state.account?.id) {
        // No account, or another one: whatever plan it grants is not this workspace's.
        logger.error("billing.licence_not_this_account", { signedIn: state.account !== null });
        return toBillingStatus(state, currentPlan());
      }
      try {
        deps.files.writeLicence(jwt);
      } catch (error) {
        // In force for this run anyway (it is genuine); the next start reads the old file and refreshes.
        logger.error("billing.licence_write_failed", { error });
      }
      return commit({ licence: { jwt, claims: check.claims }, problem: null });
    },
    close() {
      closed = true;
      if (expiryTimer) clearTimeout(expiryTimer);
      expiryTimer = null;
    },
  };
}
