import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  type InfiniteData,
  type UseMutationOptions,
  type UseQueryOptions,
} from "@tanstack/react-query";
import { ACTIVE_JOB_STATUSES, type Job, type RouteInput, type RouteName, type RouteOutput } from "@shared/contract";
import type { BridgeError } from "../bridge/bridge";
import { useBridge } from "../bridge/BridgeProvider";

export type InvokeQueryKey<N extends RouteName> = readonly [N, RouteInput<N>];

export function invokeQueryKey<N extends RouteName>(name: N, input: RouteInput<N>): InvokeQueryKey<N> {
  return [name, input] as const;
}

type QueryOptions<N extends RouteName> = Omit<
  UseQueryOptions<RouteOutput<N>, BridgeError, RouteOutput<N>, InvokeQueryKey<N>>,
  "queryKey" | "queryFn"
>;

/** Reads a route through the bridge; cached under `[name, input]`. */
export function useInvokeQuery<N extends RouteName>(name: N, input: RouteInput<N>, options?: QueryOptions<N>) {
  const bridge = useBridge();
  return useQuery({
    ...options,
    queryKey: invokeQueryKey(name, input),
    queryFn: () => bridge.invoke(name, input),
  });
}

/** Routes that return a keyset page `{ items, nextCursor, total }`. */
export type PagedRouteName = {
  [N in RouteName]: RouteOutput<N> extends { nextCursor: string | null; items: unknown[] } ? N : never;
}[RouteName];

export type PagedInput<N extends PagedRouteName> = Omit<RouteInput<N>, "cursor">;

/**
 * Follows `nextCursor` page by page ("Load more"); cached under `[name, input, "pages"]`.
 * While a new filter loads, the previous result stays on screen (isPlaceholderData).
 */
export function useInvokeInfiniteQuery<N extends PagedRouteName>(name: N, input: PagedInput<N>) {
  const bridge = useBridge();
  return useInfiniteQuery<
    RouteOutput<N>,
    BridgeError,
    InfiniteData<RouteOutput<N>, string | undefined>,
    readonly [N, PagedInput<N>, "pages"],
    string | undefined
  >({
    queryKey: [name, input, "pages"] as const,
    initialPageParam: undefined,
    queryFn: ({ pageParam }) =>
      bridge.invoke(name, { ...input, ...(pageParam === undefined ? {} : { cursor: pageParam }) } as RouteInput<N>),
    getNextPageParam: (last) => (last as { nextCursor: string | null }).nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

type MutationOptions<N extends RouteName> = Omit<
  UseMutationOptions<RouteOutput<N>, BridgeError, RouteInput<N>>,
  "mutationFn"
>;

/** Calls a route that changes something; callers add onSuccess/onError (see useNotifyingMutation). */
export function useInvokeMutation<N extends RouteName>(name: N, options?: MutationOptions<N>) {
  const bridge = useBridge();
  return useMutation<RouteOutput<N>, BridgeError, RouteInput<N>>({
    ...options,
    mutationKey: [name],
    mutationFn: (input) => bridge.invoke(name, input),
  });
}

/**
 * A job, kept current by job.updated events (see LiveInvalidation) and polled each second while
 * it is active: a short job (a cached export, a small sync) can finish before the first read
 * answers, and its last event would then be overwritten by that older answer.
 */
export function useWatchedJob(jobId: string | null): { job: Job | undefined; error: BridgeError | null } {
  const query = useInvokeQuery(
    "jobs.get",
    { id: jobId ?? "" },
    {
      enabled: jobId !== null,
      refetchInterval: (q) => {
        const status = q.state.data?.status;
        return q.state.status === "error" || (status && !ACTIVE_JOB_STATUSES.includes(status)) ? false : 1000;
      },
    },
  );
  return {
    job: jobId === null ? undefined : query.data,
    error: jobId !== null && query.isError ? (query.error as BridgeError) : null,
  };
}
