import { useTranslation } from "react-i18next";
import { PLANS, type PlanId } from "@shared/domain/plans";
import { useInvokeQuery } from "../../api/hooks";
import { PageHeader, useDocumentTitle } from "../../components/ui";
import { useFormat } from "../../i18n/format";

/** Read-only until billing lands: the current plan (from app.info) and what each plan offers. */
export function BillingPage() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t("billing.title"));
  const info = useInvokeQuery("app.info", {}, { staleTime: Infinity });
  const current = info.data?.plan;

  return (
    <>
      <PageHeader title={t("billing.title")}>
        {current ? (
          <p className="page-header__subtitle">
            {t("billing.currentPlan")}: <strong data-testid="current-plan">{PLANS[current].name}</strong>
          </p>
        ) : null}
      </PageHeader>
      <p className="notice notice--info">{t("billing.laterRelease")}</p>
      <ul className="plans" aria-label={t("billing.plansLabel")}>
        {(Object.keys(PLANS) as PlanId[]).map((id) => {
          const plan = PLANS[id];
          const isCurrent = id === current;
          return (
            <li
              key={id}
              className={`card plan${isCurrent ? " plan--current" : ""}`}
              aria-current={isCurrent || undefined}
            >
              <div className="plan__head">
                <h2 className="plan__name">{plan.name}</h2>
                {isCurrent ? <span className="badge badge--success">{t("billing.current")}</span> : null}
              </div>
              <p className="plan__price">{t("billing.perMonth", { price: format.usd(plan.priceUsdMonthly) })}</p>
              <p className="plan__limit">
                {plan.personaLimit === null
                  ? t("billing.unlimitedPersonas")
                  : t("billing.personaLimit", { limit: format.integer(plan.personaLimit) })}
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
