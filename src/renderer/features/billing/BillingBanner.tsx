import { useTranslation } from "react-i18next";
import { PLANS } from "@shared/domain/plans";
import { useBillingStatus } from "../../api/billing";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { pastDueNoticeOf } from "./billing-state";
import { useStripePage } from "./use-stripe-page";

/**
 * App-wide word on the plan when it is at risk: a failed payment (with the way to fix it) or a
 * licence that no longer holds (with the way to Plan & billing, unless that is where we are).
 */
export function BillingBanner({ onBillingPage }: { onBillingPage: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const stripe = useStripePage();
  const status = useBillingStatus().data;
  if (!status) return null;
  const pastDue = pastDueNoticeOf(status, new Date());

  if (pastDue) {
    const tier = PLANS[pastDue.tier].name;
    const opening = stripe.opening?.kind === "portal";
    return (
      <div className="billing-banner billing-banner--error" role="status" data-testid="payment-failed-banner">
        <span>
          {pastDue.kind === "grace"
            ? t("billing.banner.pastDue", { tier, date: format.date(pastDue.date) })
            : t("billing.banner.pastDueEnded", { tier })}
        </span>
        {status.cloudConfigured ? (
          <button
            type="button"
            className="button button--small"
            disabled={opening}
            onClick={() => stripe.open({ kind: "portal" }, status)}
          >
            {opening ? t("billing.opening") : t("billing.paymentFailed.update")}
          </button>
        ) : null}
      </div>
    );
  }

  const problem = status.problem;
  if (problem && !onBillingPage) {
    return (
      <div className="billing-banner" role="status" data-testid="licence-problem-banner">
        <span>{t(`billing.banner.${problem.code}`)}</span>
        <a href={hrefOf({ page: "billing" })}>{t("billing.banner.open")}</a>
      </div>
    );
  }
  return null;
}
