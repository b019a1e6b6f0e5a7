import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import {
  type CrmMapping,
  type CrmProviderId,
  type CrmProviderStatus,
  type RecordOutcome,
  type RouteOutput,
  type TargetKind,
} from "@shared/contract";
import type { BridgeError } from "../bridge/bridge";
import { hasPendingSignIn } from "../features/integrations/crm-status";
import { invokeQueryKey, useInvokeInfiniteQuery, useInvokeMutation, useInvokeQuery } from "./hooks";

/** The job kind the CRM service enqueues for crm.sync (CrmSync.jobId names the job). */
export const CRM_SYNC_JOB_KIND = "crm.sync";

export const CRM_STATUS_KEY = invokeQueryKey("crm.status", {});

const mappingKey = (provider: CrmProviderId) => invokeQueryKey("crm.mapping", { provider });
const fieldsKey = (provider: CrmProviderId) => invokeQueryKey("crm.fields", { provider, refresh: false });

/**
 * Each CRM's state. db.changed CrmConnection refreshes it when a sign-in finishes; while a
 * consent page is open it is also polled every second, since a refusal (denied, expired) writes
 * no table and the countdown must end with the answer. While a breaker is not closed (paused
 * after failures, half-open, the daily limit) it is polled every 10 seconds: the breaker's
 * state changes in memory only, and the notice must go once calls go through again.
 */
export function useCrmStatus() {
  return useInvokeQuery(
    "crm.status",
    {},
    {
      refetchInterval: (q) => {
        const providers = q.state.data?.providers;
        if (hasPendingSignIn(providers)) return 1000;
        return providers?.some((provider) => provider.breaker !== "closed") ? 10_000 : false;
      },
    },
  );
}

/** The connected CRMs, in the contract's order (what the sync dialog offers). */
export function useConnectedCrms(): {
  providers: CrmProviderStatus[] | undefined;
  isPending: boolean;
  error: BridgeError | null;
} {
  const status = useCrmStatus();
  return {
    providers: status.data?.providers.filter((provider) => provider.connected),
    isPending: status.isPending,
    error: status.isError ? status.error : null,
  };
}

/** Starts a sign-in; the caller opens the answered URL when main could not (see use-connect.ts). */
export function useConnectCrm() {
  const client = useQueryClient();
  return useInvokeMutation("crm.connect", {
    onSuccess: () => void client.invalidateQueries({ queryKey: CRM_STATUS_KEY }),
  });
}

/** Abandons a pending sign-in; the route answers the new status, stored at once. */
export function useCancelConnect(options: { onError?(error: unknown): void } = {}) {
  const client = useQueryClient();
  return useInvokeMutation("crm.cancelConnect", {
    onSuccess: (status) => client.setQueryData(CRM_STATUS_KEY, status),
    onError: options.onError,
  });
}

/** Revokes and deletes a CRM's tokens; whatever came of the revocation, the CRM is disconnected here. */
export function useDisconnectCrm(options: {
  onSuccess?(result: RouteOutput<"crm.disconnect">, provider: CrmProviderId): void;
  onError?(error: unknown): void;
}) {
  const client = useQueryClient();
  return useInvokeMutation("crm.disconnect", {
    onSuccess: (result, { provider }) => {
      void client.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith("crm.") });
      options.onSuccess?.(result, provider);
    },
    onError: options.onError,
  });
}

/** The CRM's properties (cached five minutes by main); only asked for while it is connected. */
export function useCrmFields(provider: CrmProviderId, enabled: boolean) {
  return useInvokeQuery("crm.fields", { provider, refresh: false }, { enabled, staleTime: 60_000 });
}

/** Asks the CRM for its properties again (someone added one in HubSpot a minute ago). */
export function useRefreshCrmFields(options: { onSuccess?(): void; onError?(error: unknown): void }) {
  const client = useQueryClient();
  return useInvokeMutation("crm.fields", {
    onSuccess: (fields, { provider }) => {
      client.setQueryData(fieldsKey(provider), fields);
      // The mapping's problems are checked against the fields: they may have changed with them.
      void client.invalidateQueries({ queryKey: mappingKey(provider) });
      options.onSuccess?.();
    },
    onError: options.onError,
  });
}

export function useCrmMapping(provider: CrmProviderId, enabled = true) {
  return useInvokeQuery("crm.mapping", { provider }, { enabled });
}

/** Save or reset: both answer the mapping as it now is, stored without a refetch. */
export function useMappingMutation<N extends "crm.saveMapping" | "crm.resetMapping">(
  name: N,
  options: { onSuccess?(mapping: CrmMapping): void; onError?(error: unknown): void },
) {
  const client = useQueryClient();
  return useInvokeMutation(name, {
    onSuccess: (mapping) => {
      client.setQueryData(mappingKey(mapping.provider), mapping);
      options.onSuccess?.(mapping);
    },
    onError: options.onError,
  });
}

/** Companies, deals, accounts… matching `q`; the previous answer stays while the next one loads. */
export function useCrmTargets(provider: CrmProviderId, kind: TargetKind, q: string, enabled: boolean) {
  return useInvokeQuery(
    "crm.targets",
    { provider, kind, q },
    { enabled, placeholderData: keepPreviousData, staleTime: 30_000 },
  );
}

/** Syncs, newest first; "Load more" follows the cursor. */
export function useCrmHistory(provider: CrmProviderId | null, limit = 20) {
  return useInvokeInfiniteQuery("crm.history", provider ? { provider, limit } : { limit });
}

/** One sync's records (all, or those of one outcome), and the sync itself on every page. */
export function useCrmSyncRecords(id: string, outcome: RecordOutcome | null, limit = 100) {
  return useInvokeInfiniteQuery("crm.syncRecords", outcome ? { id, outcome, limit } : { id, limit });
}

/** The sync itself, for the dialog's last step: its counts once the job has finished. */
export function useCrmSync(id: string | null, enabled: boolean) {
  return useInvokeQuery("crm.syncRecords", { id: id ?? "", limit: 1 }, { enabled: id !== null && enabled });
}
