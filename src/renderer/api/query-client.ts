import { QueryClient } from "@tanstack/react-query";
import { isBridgeError } from "../bridge/bridge";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Freshness comes from db.changed events, not from polling or focus refetches.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        // Only transport hiccups are worth a retry; NOT_FOUND or VALIDATION_FAILED will not heal.
        retry: (failureCount, error) => isBridgeError(error) && error.code === "INTERNAL" && failureCount < 2,
      },
      mutations: { retry: false },
    },
  });
}
