// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type { TFunction } from "i18next";
import { ERROR_CODES, type ErrorCode } from "../../shared/contract";
import { PLANS, type PlanId } from "../../shared/domain/plans";
import { isBridgeError } from "../bridge/bridge";
import { demographicsProblemText, problemOfDetails } from "../features/demographics/problem-text";
import { crmErrorText } from "../features/integrations/crm-error-text";
import type { Format } from "../i18n/format";

export interface ErrorText {
  /** The code's meaning ("Plan limit reached"). */
  heading: string;
  message: string;
}

const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);

interface QuotaDetails {
  plan: PlanId;
  limit: number;
  remaining: number;
}

function quotaDetails(details: unknown): QuotaDetails | null {
  const value = details as Partial<QuotaDetails> | null | undefined;
  return value &&
    typeof value.plan === "string" &&
    value.plan in PLANS &&
    typeof value.limit === "number" &&
    typeof value.remaining === "number"
    ? (value as QuotaDetails)
    : null;
}

/**
 * Any failure in the UI's language. The server writes its messages in English for REST callers
 * and logs; they are shown only when the UI is English and they are written for people. Raw
 * validation texts (zod's) never are: a refusal of input says so in the app's own words, and
 * each form puts the details beside the field.
 */
export function describeError(t: TFunction, format: Format, error: unknown): ErrorText {
  const english = format.language.startsWith("en");
  if (!isBridgeError(error) || !isErrorCode(error.code)) {
    const message = english && error instanceof Error && error.message ? error.message : t("errorDetails.INTERNAL");
    return { heading: t("errors.INTERNAL"), message };
  }
  // A CRM's failure (details.provider: hubspot, salesforce) names the CRM and what to do about it.
  const crm = crmErrorText(t, english, error);
  if (crm) return crm;
  const heading = t(`errors.${error.code}`);
  if (error.code === "CONFLICT" && (error.details as { reason?: unknown } | null)?.reason === "discussion_finished")
    return { heading: t("live.refused.DISCUSSION_FINISHED.title"), message: t("live.host.tooLate") };
  if (error.code === "VALIDATION_FAILED") return { heading, message: t("errorDetails.VALIDATION_FAILED") };
  if (error.code === "INVALID_DEMOGRAPHICS") {
    const problem = problemOfDetails(error.details);
    return {
      heading,
      message: problem ? demographicsProblemText(t, format, problem) : t("errorDetails.INVALID_DEMOGRAPHICS"),
    };
  }
  if (error.code === "QUOTA_EXCEEDED") {
    const quota = quotaDetails(error.details);
    return {
      heading,
      message: quota
        ? t("errorDetails.quota", {
            count: quota.limit,
            plan: PLANS[quota.plan].name,
            limit: format.integer(quota.limit),
            remaining: format.integer(quota.remaining),
          })
        : t("errorDetails.QUOTA_EXCEEDED"),
    };
  }
  return { heading, message: english && error.message ? error.message : t(`errorDetails.${error.code}`) };
}
