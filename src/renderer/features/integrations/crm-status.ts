// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type { CrmProviderStatus } from "../../../shared/contract";

/** What an Integrations card shows for a CRM. */
export type CrmCardState = "not_configured" | "disconnected" | "pending" | "connected";

/**
 * A consent page still open wins over "connected" (reconnecting) and over "disconnected"; once
 * its deadline has passed here the card offers Connect again, even before the status says so.
 */
export function cardStateOf(status: CrmProviderStatus, now: number): CrmCardState {
  if (!status.configured) return "not_configured";
  if (status.pendingUntil !== null && Date.parse(status.pendingUntil) > now) return "pending";
  return status.connected ? "connected" : "disconnected";
}

/** "9:05" until the consent page's answer is refused; "0:00" once it has expired. */
export function countdownOf(until: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A consent page is open somewhere: the status is polled until its answer is back. */
export const hasPendingSignIn = (providers: readonly CrmProviderStatus[] | undefined) =>
  providers?.some((provider) => provider.pendingUntil !== null) ?? false;
