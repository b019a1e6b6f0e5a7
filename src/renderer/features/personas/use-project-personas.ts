import { useEffect, useMemo } from "react";
import type { Persona } from "@shared/contract";
import { useInvokeInfiniteQuery } from "../../api/hooks";

/** The largest page personas.list serves. */
const PAGE_SIZE = 100;

/**
 * Every persona of a project, for pickers and for naming speakers: follows the pages to the end
 * (a project holds at most a plan's worth of personas, so this stays small).
 */
export function useProjectPersonas(projectId: string) {
  const list = useInvokeInfiniteQuery("personas.list", { projectId, limit: PAGE_SIZE });
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = list;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage]);

  const personas = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const byId = useMemo(() => new Map<string, Persona>(personas.map((persona) => [persona.id, persona])), [personas]);
  return {
    personas,
    byId,
    /** True until every page has arrived. */
    isPending: list.isPending || hasNextPage,
    isError,
    error: list.error,
    refetch: list.refetch,
  };
}
