import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { applyBillingStatus, BILLING_STATUS_KEY, useBillingStatus } from "../../api/billing";
import { useBridge } from "../../bridge/BridgeProvider";
import { useBillingUiStore } from "../../stores/billing";
import { toast } from "../../stores/toasts";
import { billingFingerprint } from "./billing-state";
import { usePlanToast } from "./use-plan-toast";

const POLL_MS = 5_000;
const GIVE_UP_MS = 10 * 60_000;

/**
 * While a Stripe page is open (see useStripePage): asks main for a fresh licence every 5 s and
 * whenever the window comes back into view, for up to 10 minutes, and says so once the status
 * changes. Mounted once for the whole app, so the answer arrives on whatever page the user is.
 * The browser coming back proves nothing; only the status from main ends the wait.
 */
export function BillingWatcher() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const client = useQueryClient();
  const pending = useBillingUiStore((state) => state.pending);
  const markTimedOut = useBillingUiStore((state) => state.markTimedOut);
  const stopWaiting = useBillingUiStore((state) => state.stopWaiting);
  const status = useBillingStatus().data;
  const planToast = usePlanToast();

  useEffect(() => {
    if (!pending || !status) return;
    // Signed out meanwhile (here or by the Cloud): nothing left to wait for.
    if (!status.account) {
      stopWaiting();
      return;
    }
    if (billingFingerprint(status, pending.kind) === pending.baseline) return;
    stopWaiting();
    if (status.plan !== pending.basePlan) planToast(status);
    else toast.success(t("billing.toast.updated"));
  }, [pending, status, stopWaiting, planToast, t]);

  const polling = pending !== null && !pending.timedOut;
  const startedAt = pending?.startedAt;
  useEffect(() => {
    if (!polling || startedAt === undefined) return;
    let inFlight = false;
    const refresh = () => {
      if (inFlight) return;
      inFlight = true;
      bridge
        .invoke("billing.refresh", {})
        .then(
          (next) => applyBillingStatus(client, next),
          // The Cloud may be down for a moment; the next tick tries again, and the page shows
          // cloudReachable from a fresh status meanwhile.
          () => client.invalidateQueries({ queryKey: BILLING_STATUS_KEY }),
        )
        .finally(() => {
          inFlight = false;
        });
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") refresh();
    };
    const timer = window.setInterval(refresh, POLL_MS);
    const giveUp = window.setTimeout(markTimedOut, Math.max(0, startedAt + GIVE_UP_MS - Date.now()));
    window.addEventListener("focus", refresh);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      window.clearTimeout(giveUp);
      window.removeEventListener("focus", refresh);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [polling, startedAt, bridge, client, markTimedOut]);

  return null;
}
