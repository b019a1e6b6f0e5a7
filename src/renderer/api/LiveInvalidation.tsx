import { useEffect, useRef } from "react";
import { useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { Job, RouteOutput } from "@shared/contract";
import { useBridge, useConnection } from "../bridge/BridgeProvider";
import { applyBillingStatus } from "./billing";
import { prefixesForTables, ROUTE_PREFIXES_BY_JOB_KIND, routeOfKey } from "./query-keys";

type JobPage = RouteOutput<"jobs.list">;

function replaceJobInPage(page: JobPage, job: Job): JobPage {
  if (!page.items.some((item) => item.id === job.id)) return page;
  return { ...page, items: page.items.map((item) => (item.id === job.id ? job : item)) };
}

export function applyJobUpdate(client: QueryClient, job: Job): void {
  const previous = client.getQueryData<Job>(["jobs.get", { id: job.id }]);
  client.setQueryData<Job>(["jobs.get", { id: job.id }], job);
  const dependents = ROUTE_PREFIXES_BY_JOB_KIND[job.kind];
  if (dependents && previous?.status !== job.status) {
    void client.invalidateQueries({
      predicate: (q) => dependents.some((prefix) => routeOfKey(q.queryKey)?.startsWith(prefix) ?? false),
    });
  }
  let known = false;
  for (const query of client.getQueryCache().findAll({ predicate: (q) => routeOfKey(q.queryKey) === "jobs.list" })) {
    const data = query.state.data as JobPage | InfiniteData<JobPage> | undefined;
    if (!data) continue;
    if ("pages" in data) {
      known ||= data.pages.some((page) => page.items.some((item) => item.id === job.id));
      client.setQueryData(query.queryKey, { ...data, pages: data.pages.map((page) => replaceJobInPage(page, job)) });
    } else {
      known ||= data.items.some((item) => item.id === job.id);
      client.setQueryData(query.queryKey, replaceJobInPage(data, job));
    }
  }
  // A job no list has seen yet (just queued): lists must refetch to include it.
  if (!known) void client.invalidateQueries({ predicate: (q) => routeOfKey(q.queryKey) === "jobs.list" });
}

/**
 * The one subscription that keeps server caches fresh: `db.changed` invalidates the routes
 * reading the changed tables, `job.updated` patches job caches in place (and refetches what
 * depends on a job's status, see ROUTE_PREFIXES_BY_JOB_KIND), `billing.changed` replaces the
 * billing status and refetches what the plan limits, and a reconnection
 * after a gap refetches everything (events may have been missed meanwhile).
 */
export function LiveInvalidation() {
  const bridge = useBridge();
  const client = useQueryClient();
  const { generation } = useConnection();
  const lastGeneration = useRef(generation);

  useEffect(() => {
    const offChanged = bridge.on("db.changed", ({ tables }) => {
      const prefixes = prefixesForTables(tables);
      void client.invalidateQueries({
        predicate: (query) => {
          if (prefixes === null) return true;
          const route = routeOfKey(query.queryKey);
          return route !== null && prefixes.some((prefix) => route.startsWith(prefix));
        },
      });
    });
    const offJob = bridge.on("job.updated", (job) => applyJobUpdate(client, job));
    // The plan changed (sign-in, licence refresh, expiry, a payment): limits apply at once.
    const offBilling = bridge.on("billing.changed", (status) =>
      applyBillingStatus(client, status, { source: "event" }),
    );
    return () => {
      offChanged();
      offJob();
      offBilling();
    };
  }, [bridge, client]);

  useEffect(() => {
    if (generation > 1 && generation !== lastGeneration.current) void client.invalidateQueries();
    lastGeneration.current = generation;
  }, [generation, client]);

  return null;
}
