import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useBillingStatus } from "../../api/billing";
import { ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { AccountCard } from "./AccountCard";
import { BillingNotices } from "./BillingNotices";
import { CurrentPlanCard } from "./CurrentPlanCard";
import { PlanList } from "./PlanList";
import { WaitingPanel } from "./WaitingPanel";

/**
 * Plan & billing: the plan in force and where its subscription stands, the Sight Cloud account,
 * and the plans with the way to each. Everything it shows comes from billing.status; the page
 * never decides on its own that a payment went through.
 */
export function BillingPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("billing.title"));
  const status = useBillingStatus();
  const emailRef = useRef<HTMLInputElement>(null);
  const [upgradeHint, setUpgradeHint] = useState(false);

  // Upgrade needs an account: bring the sign-in form into view with a word on why.
  const askToSignIn = () => {
    setUpgradeHint(true);
    const email = emailRef.current;
    if (!email) return;
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    email.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
    email.focus({ preventScroll: true });
  };

  return (
    <>
      <PageHeader title={t("billing.title")}>
        <p className="page-header__subtitle">{t("billing.subtitle")}</p>
      </PageHeader>
      {status.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : status.isError ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : (
        <div className="billing">
          <BillingNotices status={status.data} onSignIn={askToSignIn} />
          <WaitingPanel />
          <div className="billing__top">
            <CurrentPlanCard status={status.data} />
            <AccountCard status={status.data} emailRef={emailRef} upgradeHint={upgradeHint} />
          </div>
          <PlanList status={status.data} onNeedSignIn={askToSignIn} />
        </div>
      )}
    </>
  );
}
