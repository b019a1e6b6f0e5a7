import { useTranslation } from "react-i18next";
import type { BillingStatus } from "@shared/contract";
import { PLANS } from "@shared/domain/plans";
import { useFormat } from "../../i18n/format";
import { canManageSubscription, pastDueNoticeOf, statusLineOf } from "./billing-state";
import { PersonaUsage } from "./PersonaUsage";
import { useStripePage } from "./use-stripe-page";

/** The plan in force: its name, where the subscription stands, personas used, and the portal. */
export function CurrentPlanCard({ status }: { status: BillingStatus }) {
  const { t } = useTranslation();
  const format = useFormat();
  const stripe = useStripePage();
  const plan = PLANS[status.plan];
  const licence = status.licence;
  const pastDue = pastDueNoticeOf(status, new Date());
  const portalOpening = stripe.opening?.kind === "portal";
  const openPortal = () => stripe.open({ kind: "portal" }, status);

  return (
    <section className="card billing-current" aria-labelledby="billing-current-title">
      <h2 id="billing-current-title" className="section-title">
        {t("billing.currentPlan")}
      </h2>
      <p className="billing-current__plan">
        <strong className="billing-current__name" data-testid="current-plan">
          {plan.name}
        </strong>
        <span className="muted">{t("billing.perMonth", { price: format.usd(plan.priceUsdMonthly) })}</span>
      </p>
      <StatusLineText status={status} />
      {pastDue ? (
        <div className="notice notice--error" data-testid="billing-payment-failed">
          <p>
            {pastDue.kind === "grace"
              ? t("billing.paymentFailed.grace", { tier: PLANS[pastDue.tier].name, date: format.date(pastDue.date) })
              : t("billing.paymentFailed.ended", { tier: PLANS[pastDue.tier].name })}
          </p>
          {status.cloudConfigured ? (
            <div className="notice__actions">
              <PortalButton
                className="button button--primary button--small"
                testId="update-payment-method"
                label={t("billing.paymentFailed.update")}
                opening={portalOpening}
                onClick={openPortal}
              />
            </div>
          ) : null}
        </div>
      ) : null}
      <PersonaUsage plan={status.plan} limit={status.personaLimit} />
      {licence ? (
        <p className="muted billing-current__licence">
          {t("billing.licence.checked", {
            when: format.relative(licence.refreshedAt),
            date: format.date(licence.expiresAt),
          })}
        </p>
      ) : null}
      {status.cloudConfigured && canManageSubscription(status) ? (
        <div className="button-row">
          <PortalButton
            className="button"
            testId="manage-subscription"
            label={t("billing.manage")}
            opening={portalOpening}
            onClick={openPortal}
          />
        </div>
      ) : null}
    </section>
  );
}

/** Opens Stripe's billing portal; both the payment-failed notice and Manage subscription use it. */
function PortalButton(props: {
  className: string;
  testId: string;
  label: string;
  opening: boolean;
  onClick: () => void;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={props.className}
      data-testid={props.testId}
      disabled={props.opening}
      onClick={props.onClick}
    >
      {props.opening ? t("billing.opening") : props.label}
    </button>
  );
}

function StatusLineText({ status }: { status: BillingStatus }) {
  const { t } = useTranslation();
  const format = useFormat();
  const line = statusLineOf(status);
  const text =
    "date" in line
      ? t(`billing.status.${line.key}`, { date: format.date(line.date) })
      : t(`billing.status.${line.key}`);
  const tone =
    line.key === "pastDue" || line.key === "unpaid" || line.key === "incompleteExpired" ? " billing-status--bad" : "";
  return (
    <p className={`billing-status${tone}`} data-testid="billing-status-line">
      {text}
    </p>
  );
}
