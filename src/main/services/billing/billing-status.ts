import type { LicenceClaims } from "../../../shared/cloud/contract";
import type { BillingStatus, LICENCE_PROBLEMS } from "../../../shared/contract";
import { PLANS, type PlanId } from "../../../shared/domain/plans";
import type { StoredAccount } from "./billing-files";
import type { LicenceCheck } from "./licence";

/** A licence that passed verification, with the token it came in (kept on disk, never sent to the renderer). */
export interface HeldLicence {
  jwt: string;
  claims: LicenceClaims;
}

export type LicenceProblem = { code: (typeof LICENCE_PROBLEMS)[number]; message: string };

/** Everything billing knows; the status and the plan are functions of it. */
export interface BillingState {
  cloudConfigured: boolean;
  cloudReachable: boolean | null;
  account: StoredAccount | null;
  /** Only ever a licence that verified; a refused one leaves null (Free) and a problem. */
  licence: HeldLicence | null;
  problem: LicenceProblem | null;
}

/** The plan a verified licence grants: its tier (the Cloud already decided trials, grace and cancellations). */
export function planOf(state: Pick<BillingState, "licence">): PlanId {
  return state.licence?.claims.tier ?? "free";
}

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();
const forPeople = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function toBillingStatus(state: BillingState, plan: PlanId = planOf(state)): BillingStatus {
  const claims = state.licence?.claims;
  return {
    cloudConfigured: state.cloudConfigured,
    cloudReachable: state.cloudReachable,
    account: state.account ? { email: state.account.email } : null,
    plan,
    personaLimit: PLANS[plan].personaLimit,
    licence: claims
      ? {
          status: claims.status,
          subscribedTier: claims.subscribedTier,
          trialEndsAt: claims.trialEndsAt,
          graceEndsAt: claims.graceEndsAt,
          cancelAt: claims.cancelAt,
          periodEndsAt: claims.periodEndsAt,
          expiresAt: iso(claims.exp),
          refreshedAt: iso(claims.iat),
        }
      : null,
    problem: state.problem,
  };
}

/** Why a licence read from this computer's data folder was refused, for people. */
export function storedLicenceProblem(check: Exclude<LicenceCheck, { status: "valid" }>): LicenceProblem {
  if (check.status === "expired") return expiredProblem(check.expiredAt);
  return {
    code: "licence_invalid",
    message:
      "The licence saved on this computer is not valid (it was changed, or signed by someone other than Sight Cloud), " +
      "so Sight is on the Free plan. Sign in to Sight Cloud to fetch a new one.",
  };
}

/** The licence on disk is genuine but was issued to another Sight Cloud account than the one signed in. */
export function otherAccountLicenceProblem(): LicenceProblem {
  return {
    code: "licence_invalid",
    message:
      "The licence saved on this computer belongs to another Sight Cloud account, so Sight is on the Free plan " +
      "until the licence of the account signed in here arrives. Refresh the licence to fetch it.",
  };
}

/** Sight Cloud sent a licence this build cannot verify (a newer signing key, a broken build). */
export function cloudLicenceProblem(): LicenceProblem {
  return {
    code: "licence_invalid",
    message:
      "Sight Cloud sent a licence this version of Sight cannot verify, so it was not applied. Updating Sight may help.",
  };
}

export function expiredProblem(expiredAt: Date): LicenceProblem {
  return {
    code: "licence_expired",
    message:
      `Your licence expired on ${forPeople(expiredAt)} and could not be renewed, so Sight is on the Free plan ` +
      "until it reaches Sight Cloud again.",
  };
}

export const SESSION_ENDED: LicenceProblem = {
  code: "session_ended",
  message:
    "Your Sight Cloud sign-in ended (signed out on another device, or the account was deleted), so Sight is on " +
    "the Free plan. Sign in again to restore your plan.",
};
