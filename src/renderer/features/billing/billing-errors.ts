import { useTranslation } from "react-i18next";
import { isBridgeError } from "../../bridge/bridge";
import { useErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { toast } from "../../stores/toasts";
import { changePlanRefusalOf, retryMinutesOf } from "./billing-state";

/**
 * Errors of billing routes in the words of billing: PROVIDER_UNAVAILABLE here means Sight Cloud,
 * not the AI provider, so the generic toast's "Open Settings" would send the user the wrong way.
 */
export function useBillingErrorText() {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useErrorText();
  return (error: unknown): { heading: string; message?: string } => {
    const refusal = changePlanRefusalOf(error);
    if (refusal === "past_due") {
      return { heading: t("billing.errors.pastDue"), message: t("billing.errors.pastDueHint") };
    }
    if (refusal === "stale_preview") {
      return { heading: t("billing.errors.stalePreview"), message: t("billing.errors.stalePreviewHint") };
    }
    if (isBridgeError(error)) {
      if (error.code === "PROVIDER_UNAVAILABLE") return { heading: t("billing.errors.cloudUnreachable") };
      if (error.code === "UNAUTHORIZED") return { heading: t("billing.errors.signInAgain") };
      if (error.code === "RATE_LIMITED") {
        const minutes = retryMinutesOf(error.details);
        return { heading: t("billing.errors.rateLimited", { count: minutes, minutes: format.integer(minutes) }) };
      }
    }
    return errorText(error);
  };
}

/** A toast for a billing route that failed. */
export function useBillingErrorToast() {
  const text = useBillingErrorText();
  return (error: unknown) => {
    const { heading, message } = text(error);
    toast.error(heading, message);
  };
}
