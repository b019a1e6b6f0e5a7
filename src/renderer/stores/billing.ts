import { create } from "zustand";
import type { PaidTier } from "@shared/cloud/contract";
import type { PlanId } from "@shared/domain/plans";

/**
 * A Stripe page (Checkout or the billing portal) was opened and Sight waits to hear from the
 * Cloud what came of it. UI state only: the plan itself always comes from billing.status.
 */
export interface PendingBilling {
  kind: "checkout" | "portal";
  /** The plan bought (checkout); null for the portal. */
  tier: PaidTier | null;
  /** Where the page is, to open it again if the tab was blocked or closed. */
  url: string;
  /** Whether a browser got the page; false when a popup blocker stopped the tab. */
  opened: boolean;
  /** Epoch ms the page was opened; polling gives up 10 minutes later. */
  startedAt: number;
  /** What billing.status said when the page opened (see billingFingerprint), and its plan. */
  baseline: string;
  basePlan: PlanId;
  /** Polling ran its 10 minutes without a change: the refresh button stays, the timer stops. */
  timedOut: boolean;
}

interface BillingUiState {
  pending: PendingBilling | null;
  startWaiting(pending: Omit<PendingBilling, "timedOut">): void;
  markTimedOut(): void;
  /** "I've paid — refresh" after the time ran out: check for another 10 minutes. */
  restartWaiting(now: number): void;
  stopWaiting(): void;
}

export const useBillingUiStore = create<BillingUiState>()((set) => ({
  pending: null,
  startWaiting: (pending) => set({ pending: { ...pending, timedOut: false } }),
  markTimedOut: () => set((state) => (state.pending ? { pending: { ...state.pending, timedOut: true } } : state)),
  restartWaiting: (now) =>
    set((state) => (state.pending ? { pending: { ...state.pending, startedAt: now, timedOut: false } } : state)),
  stopWaiting: () => set({ pending: null }),
}));
