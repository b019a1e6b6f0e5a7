import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBillingStatusMutation } from "../../api/billing";
import { useBillingUiStore } from "../../stores/billing";
import { useBillingErrorToast } from "./billing-errors";
import { billingFingerprint } from "./billing-state";

/**
 * "Waiting for payment…" while Checkout or the portal is open in the browser. BillingWatcher
 * does the checking; this says what is going on and lets the user check now.
 */
export function WaitingPanel() {
  const { t } = useTranslation();
  const pending = useBillingUiStore((state) => state.pending);
  const restartWaiting = useBillingUiStore((state) => state.restartWaiting);
  const stopWaiting = useBillingUiStore((state) => state.stopWaiting);
  const errorToast = useBillingErrorToast();
  const [notYet, setNotYet] = useState(false);
  const refresh = useBillingStatusMutation("billing.refresh", {
    onSuccess: (status) => {
      const current = useBillingUiStore.getState().pending;
      // A change ends the wait (BillingWatcher says so); no change yet is worth saying here.
      if (current && billingFingerprint(status, current.kind) === current.baseline) setNotYet(true);
    },
    onError: errorToast,
  });
  if (!pending) return null;
  const checkout = pending.kind === "checkout";

  return (
    <section
      className="notice notice--info waiting"
      aria-labelledby="billing-waiting-title"
      data-testid="billing-waiting"
    >
      <h2 id="billing-waiting-title" className="waiting__title">
        {pending.timedOut ? null : <span className="spinner" aria-hidden="true" />}
        {checkout ? t("billing.wait.checkoutTitle") : t("billing.wait.portalTitle")}
      </h2>
      <div role="status">
        <p>
          {pending.timedOut
            ? t("billing.wait.timedOut")
            : checkout
              ? t("billing.wait.checkoutBody")
              : t("billing.wait.portalBody")}
        </p>
        {notYet ? <p>{t("billing.wait.notYet")}</p> : null}
      </div>
      {pending.opened ? null : (
        <p>
          {t("billing.wait.blocked")}{" "}
          <a href={pending.url} target="_blank" rel="noopener noreferrer" data-testid="billing-open-page">
            {checkout ? t("billing.wait.openCheckout") : t("billing.wait.openPortal")}
          </a>
        </p>
      )}
      <div className="notice__actions">
        <button
          type="button"
          className="button button--primary button--small"
          data-testid="billing-refresh"
          disabled={refresh.isPending}
          onClick={() => {
            setNotYet(false);
            if (pending.timedOut) restartWaiting(Date.now());
            refresh.mutate({});
          }}
        >
          {refresh.isPending
            ? t("billing.wait.refreshing")
            : checkout
              ? t("billing.wait.paid")
              : t("billing.wait.portalDone")}
        </button>
        {pending.opened ? (
          <a href={pending.url} target="_blank" rel="noopener noreferrer">
            {t("billing.wait.openAgain")}
          </a>
        ) : null}
        <button type="button" className="button button--quiet button--small" onClick={stopWaiting}>
          {t("billing.wait.stop")}
        </button>
      </div>
    </section>
  );
}
