import { useTranslation } from "react-i18next";
import type { BillingStatus } from "@shared/contract";
import type { PaidTier } from "@shared/cloud/contract";
import { useInvokeMutation } from "../../api/hooks";
import { BridgeError } from "../../bridge/bridge";
import { isWebUrl, openBlankTab } from "../../components/browser-tab";
import { useBridge } from "../../bridge/BridgeProvider";
import { useBillingUiStore } from "../../stores/billing";
import { useBillingErrorToast } from "./billing-errors";
import { billingFingerprint } from "./billing-state";

export type StripePage = { kind: "checkout"; tier: PaidTier } | { kind: "portal" };

/**
 * Opens Stripe Checkout or the billing portal and starts waiting for what the Cloud says came
 * of it. The desktop app opens the system browser itself (`opened: true`). In a browser tab the
 * page is opened here, into a tab opened synchronously in the click (a tab opened once the URL
 * arrives, after an await, is what popup blockers block), cut off from this page (`opener`).
 */
export function useStripePage() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const startWaiting = useBillingUiStore((state) => state.startWaiting);
  const errorToast = useBillingErrorToast();
  const checkout = useInvokeMutation("billing.checkout");
  const portal = useInvokeMutation("billing.portal");

  /** Call from the click handler itself, with the status the page shows. */
  const open = (page: StripePage, status: BillingStatus) => {
    const tab = bridge.transport === "socket" ? openBlankTab(t("billing.wait.tabOpening")) : null;
    const onUrl = ({ url, opened }: { url: string; opened: boolean }) => {
      if (!isWebUrl(url)) {
        tab?.close();
        errorToast(new BridgeError("INTERNAL", t("billing.errors.badUrl")));
        return;
      }
      let shown = opened;
      if (opened) tab?.close();
      else if (tab && !tab.closed) {
        tab.location.replace(url);
        shown = true;
      }
      startWaiting({
        kind: page.kind,
        tier: page.kind === "checkout" ? page.tier : null,
        url,
        opened: shown,
        startedAt: Date.now(),
        baseline: billingFingerprint(status, page.kind),
        basePlan: status.plan,
      });
    };
    const onError = (error: unknown) => {
      tab?.close();
      errorToast(error);
    };
    if (page.kind === "checkout") checkout.mutate({ tier: page.tier }, { onSuccess: onUrl, onError });
    else portal.mutate({}, { onSuccess: onUrl, onError });
  };

  return {
    open,
    /** Which page is being asked for right now (buttons say "Opening…"). */
    opening: checkout.isPending
      ? ({ kind: "checkout", tier: checkout.variables.tier } as StripePage)
      : portal.isPending
        ? ({ kind: "portal" } as StripePage)
        : null,
  };
}
