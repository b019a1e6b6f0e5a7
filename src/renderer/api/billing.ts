import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { BillingStatus } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "./hooks";
import { routeOfKey } from "./query-keys";

export const BILLING_STATUS_KEY = invokeQueryKey("billing.status", {});

/**
 * Routes whose answers follow the plan in force: app.info names it, the persona quota counts
 * against its limit (and the survey builder reads its question limit from there).
 */
const PLAN_DEPENDENT_ROUTES: readonly string[] = ["app.info", "personas.quota"];

/** The plan, licence and account; kept current by billing.changed (see LiveInvalidation). */
export function useBillingStatus() {
  return useInvokeQuery("billing.status", {});
}

/**
 * A new status from main: store it and refetch what the plan limits. A route's answer (a refresh
 * every 5 s while a checkout is open) only does so when the plan moved; billing.changed always
 * does, since main sends it only when something changed.
 */
export function applyBillingStatus(
  client: QueryClient,
  status: BillingStatus,
  options: { source: "event" | "route" } = { source: "route" },
): void {
  const previous = client.getQueryData<BillingStatus>(BILLING_STATUS_KEY);
  client.setQueryData(BILLING_STATUS_KEY, status);
  const planMoved = previous?.plan !== status.plan || previous.personaLimit !== status.personaLimit;
  if (options.source === "route" && !planMoved) return;
  void client.invalidateQueries({
    predicate: (query) => PLAN_DEPENDENT_ROUTES.includes(routeOfKey(query.queryKey) ?? ""),
  });
}

type StatusRoute = "billing.signIn" | "billing.signUp" | "billing.signOut" | "billing.refresh";

/** A billing route that answers with the new status; callers add their own onSuccess/onError. */
export function useBillingStatusMutation<N extends StatusRoute>(
  name: N,
  options: { onSuccess?(status: BillingStatus): void; onError?(error: unknown): void } = {},
) {
  const client = useQueryClient();
  return useInvokeMutation(name, {
    onSuccess: (status) => {
      applyBillingStatus(client, status);
      options.onSuccess?.(status);
    },
    onError: options.onError,
  });
}
