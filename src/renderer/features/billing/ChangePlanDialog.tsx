import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { ProrationPreview } from "@shared/cloud/contract";
import { PLANS } from "@shared/domain/plans";
import { applyBillingStatus, useBillingStatusMutation } from "../../api/billing";
import { useInvokeMutation } from "../../api/hooks";
import { Dialog } from "../../components/Dialog";
import { useFormat } from "../../i18n/format";
import { useBillingErrorText } from "./billing-errors";
import { changePlanRefusalOf } from "./billing-state";
import { usePlanToast } from "./use-plan-toast";

/**
 * The prorated amount of a change between paid plans, asked once; the change is applied with the
 * preview's prorationDate so Stripe charges exactly what was shown. A preview left open past its
 * lifetime is refused by the Cloud (stale_preview): the dialog then offers a fresh one.
 */
export function ChangePlanDialog({ preview: first, onClose }: { preview: ProrationPreview; onClose(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const errorText = useBillingErrorText();
  const planToast = usePlanToast();
  const [error, setError] = useState<unknown>(null);
  const [preview, setPreview] = useState(first);
  const plan = PLANS[preview.tier].name;
  // Best effort: the refusal is already on screen; the fresh licence shows past_due on the page.
  const refresh = useBillingStatusMutation("billing.refresh");
  const apply = useInvokeMutation("billing.changePlan", {
    onSuccess: (result) => {
      applyBillingStatus(client, result.status);
      planToast(result.status);
      onClose();
    },
    onError: (refusal) => {
      setError(refusal);
      // The Cloud knows of the overdue payment before this workspace's licence does.
      if (changePlanRefusalOf(refusal) === "past_due") refresh.mutate({});
    },
  });
  const previewAgain = useInvokeMutation("billing.changePlan", {
    onSuccess: (result) => {
      applyBillingStatus(client, result.status);
      if (result.preview) {
        setPreview(result.preview);
        setError(null);
      }
    },
    onError: setError,
  });
  const refusal = changePlanRefusalOf(error);
  const stale = refusal === "stale_preview";
  const busy = apply.isPending || previewAgain.isPending;
  const amount = format.money(Math.abs(preview.amountDue), preview.currency);
  const refused = error ? errorText(error) : null;

  return (
    <Dialog
      title={t("billing.change.title", { plan })}
      onClose={onClose}
      initialFocus={cancelRef}
      actions={
        <>
          <button ref={cancelRef} type="button" className="button" onClick={onClose}>
            {t("app.cancel")}
          </button>
          {stale ? (
            <button
              type="button"
              className="button button--primary"
              data-testid="change-plan-preview-again"
              disabled={busy}
              onClick={() => previewAgain.mutate({ tier: preview.tier, preview: true })}
            >
              {previewAgain.isPending ? t("billing.plan.previewing") : t("billing.change.previewAgain")}
            </button>
          ) : (
            <button
              type="button"
              className="button button--primary"
              data-testid="change-plan-confirm"
              disabled={busy || refusal === "past_due"}
              onClick={() => {
                setError(null);
                apply.mutate({ tier: preview.tier, preview: false, prorationDate: preview.prorationDate });
              }}
            >
              {apply.isPending ? t("billing.change.confirming") : t("billing.change.confirm", { plan })}
            </button>
          )}
        </>
      }
    >
      <p className="proration__amount" data-testid="change-plan-amount">
        {preview.amountDue > 0
          ? t("billing.change.charge", { amount })
          : preview.amountDue < 0
            ? t("billing.change.credit", { amount })
            : t("billing.change.nothing")}
      </p>
      <p>{t("billing.change.then", { plan, price: format.usd(PLANS[preview.tier].priceUsdMonthly) })}</p>
      {preview.lines.length > 0 ? (
        <table className="data-table">
          <caption className="proration__caption">{t("billing.change.linesLabel")}</caption>
          <tbody>
            {preview.lines.map((line, index) => (
              <tr key={index}>
                <td>{line.description}</td>
                <td className="data-table__number">{format.money(line.amount, preview.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {refused ? (
        <div className="notice notice--error" role="alert">
          <strong>{refused.heading}</strong>
          {refused.message ? <p>{refused.message}</p> : null}
        </div>
      ) : null}
    </Dialog>
  );
}
