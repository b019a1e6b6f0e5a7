// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type { TFunction } from "i18next";
import { CRM_PROVIDERS, SIGHT_CRM_FIELDS, type CrmProviderId } from "../../../shared/contract";
import { isBridgeError } from "../../bridge/bridge";

/** Brand names: the same in every language. */
export const CRM_NAMES: Readonly<Record<CrmProviderId, string>> = { hubspot: "HubSpot", salesforce: "Salesforce" };

/** The boolean property every sync sets to true (services/crm/mapping.ts; the mapping's fixed.synthetic). */
export const SYNTHETIC_FIELDS: Readonly<Record<CrmProviderId, string>> = {
  hubspot: SIGHT_CRM_FIELDS.hubspot.synthetic,
  salesforce: SIGHT_CRM_FIELDS.salesforce.synthetic,
};

/**
 * `details.reason` of a CRM's errors (services/crm/crm-failure.ts, oauth-flow.ts) and the codes
 * of a status's `problem`, each worded in the catalogue (`crmErrors.reasons`).
 */
export const CRM_REASONS = [
  // Calls to the CRM
  "rate_limited",
  "unavailable",
  "circuit_open",
  "daily_limit",
  "reconnect_required",
  "rejected",
  // The OAuth answer, refused (fail closed)
  "no_pending_flow",
  "state_mismatch",
  "replayed",
  "expired",
  "denied",
  // The code could not be exchanged for tokens
  "exchange_failed",
  // The connection itself
  "revoked",
  "not_configured",
  "not_connected",
  // Refusals to start or go on
  "sync_running",
  "account_changed",
  "redirect_not_allowed",
] as const;
export type CrmReason = (typeof CRM_REASONS)[number];

/** The error codes a CRM failure has its own heading for ("HubSpot is unavailable"). */
const HEADED_CODES = ["PROVIDER_UNAVAILABLE", "RATE_LIMITED", "UNAUTHORIZED", "VALIDATION_FAILED"] as const;

/**
 * Why a failed sync stopped that lets it be resumed (jobs.resume continues from the first
 * unsaved batch): the CRM's limits, an outage, the paused breaker, a connection to renew.
 */
export const RESUMABLE_REASONS = [
  "rate_limited",
  "circuit_open",
  "daily_limit",
  "unavailable",
  "reconnect_required",
] as const;

/** The details.reason of an error (a BridgeError, or a job's wire error), or null. */
export function reasonOf(error: unknown): string | null {
  if (!error || typeof error !== "object") return null;
  const reason = (error as { details?: { reason?: unknown } | null }).details?.reason;
  return typeof reason === "string" ? reason : null;
}

/** Whether a job that ended this way may be resumed: interrupted, or failed for a passing reason. */
export function canResumeSync(status: string, error: unknown): boolean {
  if (status === "interrupted") return true;
  if (status !== "failed") return false;
  const reason = reasonOf(error);
  return reason !== null && (RESUMABLE_REASONS as readonly string[]).includes(reason);
}

const isCrmProvider = (value: unknown): value is CrmProviderId =>
  typeof value === "string" && (CRM_PROVIDERS as readonly string[]).includes(value);
const isCrmReason = (value: unknown): value is CrmReason =>
  typeof value === "string" && (CRM_REASONS as readonly string[]).includes(value);

/** The CRM an error came from (details.provider), or null for any other error. */
export function crmOfError(error: unknown): CrmProviderId | null {
  if (!isBridgeError(error)) return null;
  const provider = (error.details as { provider?: unknown } | null | undefined)?.provider;
  return isCrmProvider(provider) ? provider : null;
}

/** What went wrong with a CRM, in the UI's language, from a reason code; null for one Sight does not know. */
export function crmReasonText(t: TFunction, provider: CrmProviderId, reason: string): string | null {
  return isCrmReason(reason) ? t(`crmErrors.reasons.${reason}`, { crm: CRM_NAMES[provider] }) : null;
}

/**
 * A CRM's error (one with details.provider naming a CRM) as a heading and a message; null for
 * any other error, which error-text.ts words as usual. Known reasons are worded by Sight in
 * both languages; only a CRM's refusal of a record ("rejected") keeps the server's English in
 * an English UI, since it quotes what the CRM said.
 */
export function crmErrorText(
  t: TFunction,
  english: boolean,
  error: unknown,
): { heading: string; message: string } | null {
  const provider = crmOfError(error);
  if (!provider || !isBridgeError(error)) return null;
  const crm = CRM_NAMES[provider];
  const reason = (error.details as { reason?: unknown } | null | undefined)?.reason;
  // "{{crm}} refused the request" is said only when the CRM itself refused it.
  const headed =
    (HEADED_CODES as readonly string[]).includes(error.code) &&
    (error.code !== "VALIDATION_FAILED" || reason === "rejected");
  const code = headed ? error.code : "other";
  const heading = t(`crmErrors.headings.${code as (typeof HEADED_CODES)[number] | "other"}`, { crm });
  if (english && error.message && (reason === "rejected" || !isCrmReason(reason)))
    return { heading, message: error.message };
  const message = typeof reason === "string" ? crmReasonText(t, provider, reason) : null;
  return { heading, message: message ?? t("crmErrors.generic", { crm }) };
}

/**
 * A status's `problem` (the last failed sign-in or call) in the UI's language: its code worded
 * when Sight knows it, else the server's English in an English UI, else a general sentence.
 */
export function crmProblemText(
  t: TFunction,
  english: boolean,
  provider: CrmProviderId,
  problem: { code: string; message: string },
): string {
  return (
    crmReasonText(t, provider, problem.code) ??
    (english && problem.message ? problem.message : t("crmErrors.generic", { crm: CRM_NAMES[provider] }))
  );
}
