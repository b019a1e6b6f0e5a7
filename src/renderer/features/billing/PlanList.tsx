import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { MAX_QUESTIONS_BY_PLAN, PLAN_IDS, type BillingStatus } from "@shared/contract";
import type { PaidTier, ProrationPreview } from "@shared/cloud/contract";
import { PLANS, type PlanId } from "@shared/domain/plans";
import { applyBillingStatus } from "../../api/billing";
import { useInvokeMutation } from "../../api/hooks";
import { BridgeError } from "../../bridge/bridge";
import { useFormat } from "../../i18n/format";
import { useBillingErrorToast } from "./billing-errors";
import { planActionOf, subscribedTierOf } from "./billing-state";
import { ChangePlanDialog } from "./ChangePlanDialog";
import { useStripePage } from "./use-stripe-page";

interface Props {
  status: BillingStatus;
  /** Upgrade while signed out: bring the user to the sign-in form. */
  onNeedSignIn(): void;
}

/** The three plans, what each allows, the current one marked, and the way to each paid one. */
export function PlanList({ status, onNeedSignIn }: Props) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const errorToast = useBillingErrorToast();
  const stripe = useStripePage();
  const [preview, setPreview] = useState<ProrationPreview | null>(null);
  const previewChange = useInvokeMutation("billing.changePlan", {
    onSuccess: (result) => {
      applyBillingStatus(client, result.status);
      if (result.preview) setPreview(result.preview);
      else errorToast(new BridgeError("INTERNAL", t("billing.errors.noPreview")));
    },
    onError: errorToast,
  });

  const upgrade = (tier: PaidTier) => {
    if (!status.account) onNeedSignIn();
    else stripe.open({ kind: "checkout", tier }, status);
  };

  return (
    <section className="billing-plans" aria-labelledby="billing-plans-title">
      <h2 id="billing-plans-title" className="section-title">
        {t("billing.plansLabel")}
      </h2>
      <ul className="plans">
        {PLAN_IDS.map((id) => (
          <PlanCard
            key={id}
            id={id}
            status={status}
            action={
              id === "free" ? null : (
                <PlanAction
                  tier={id}
                  status={status}
                  opening={stripe.opening?.kind === "checkout" && stripe.opening.tier === id}
                  previewing={previewChange.isPending && previewChange.variables.tier === id}
                  busy={stripe.opening !== null || previewChange.isPending}
                  onUpgrade={() => upgrade(id)}
                  onChange={() => previewChange.mutate({ tier: id, preview: true })}
                />
              )
            }
          />
        ))}
      </ul>
      {preview ? <ChangePlanDialog preview={preview} onClose={() => setPreview(null)} /> : null}
    </section>
  );
}

function PlanCard({ id, status, action }: { id: PlanId; status: BillingStatus; action: React.ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const plan = PLANS[id];
  const isCurrent = id === status.plan;
  const questions = MAX_QUESTIONS_BY_PLAN[id];
  const nameId = `plan-${id}-name`;
  return (
    <li
      className={`card plan${isCurrent ? " plan--current" : ""}`}
      aria-labelledby={nameId}
      aria-current={isCurrent || undefined}
      data-testid={`plan-${id}`}
    >
      <div className="plan__head">
        <h3 id={nameId} className="plan__name">
          {plan.name}
        </h3>
        {isCurrent ? <span className="badge badge--success">{t("billing.current")}</span> : null}
      </div>
      <p className="plan__price">{t("billing.perMonth", { price: format.usd(plan.priceUsdMonthly) })}</p>
      <ul className="plan__features">
        <li>
          {plan.personaLimit === null
            ? t("billing.plan.unlimitedPersonas")
            : t("billing.plan.personas", { count: plan.personaLimit, limit: format.integer(plan.personaLimit) })}
        </li>
        <li>{t("billing.plan.questions", { count: questions, max: format.integer(questions) })}</li>
        <li>{id === "free" ? t("billing.plan.pdfMarked") : t("billing.plan.pdfClean")}</li>
      </ul>
      {id === "free" && subscribedTierOf(status) !== null ? (
        <p className="muted plan__note">{t("billing.plan.backToFree")}</p>
      ) : null}
      {action}
    </li>
  );
}

interface ActionProps {
  tier: PaidTier;
  status: BillingStatus;
  opening: boolean;
  previewing: boolean;
  busy: boolean;
  onUpgrade(): void;
  onChange(): void;
}

function PlanAction({ tier, status, opening, previewing, busy, onUpgrade, onChange }: ActionProps) {
  const { t } = useTranslation();
  const action = planActionOf(status, tier);
  const plan = PLANS[tier].name;
  if (!status.cloudConfigured) return <p className="muted plan__actions">{t("billing.plan.notHere")}</p>;
  if (action === "none") return null;
  if (action === "upgrade") {
    return (
      <div className="plan__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid={`upgrade-${tier}`}
          disabled={busy}
          onClick={onUpgrade}
        >
          {opening ? (
            t("billing.plan.opening")
          ) : (
            <>
              {t("billing.plan.upgrade")}
              <span className="visually-hidden"> {t("billing.plan.upgradeHidden", { plan })}</span>
            </>
          )}
        </button>
      </div>
    );
  }
  return (
    <div className="plan__actions">
      <button
        type="button"
        className="button"
        data-testid={`change-plan-${tier}`}
        aria-haspopup="dialog"
        disabled={busy}
        onClick={onChange}
      >
        {previewing ? (
          t("billing.plan.previewing")
        ) : (
          <>
            {t("billing.plan.change")}
            <span className="visually-hidden"> {t("billing.plan.changeHidden", { plan })}</span>
          </>
        )}
      </button>
    </div>
  );
}
