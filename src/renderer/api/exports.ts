import {
  EXPORT_DOWNLOAD_PATH,
  exportJobResultSchema,
  type ExportJobResult,
  type ExportRecord,
  type Job,
} from "@shared/contract";
import type { BridgeError } from "../bridge/bridge";
import { useInvokeInfiniteQuery, useInvokeQuery, useWatchedJob } from "./hooks";

/** The job kind the exports service enqueues (see exports.create). */
export const EXPORT_JOB_KIND = "export.create";

/**
 * Which host serves the app: the desktop app saves with the native dialog, a browser downloads;
 * share links are served by the headless host only.
 */
export function useHostKind(): "desktop" | "headless" | undefined {
  return useInvokeQuery("app.info", {}, { staleTime: Infinity }).data?.host;
}

/** Recent exports, newest first, all projects or one; "Load more" follows the cursor. */
export function useExportList(projectId: string | null, limit = 20) {
  return useInvokeInfiniteQuery("exports.list", projectId ? { projectId, limit } : { limit });
}

/** One export (for the dialog's "done" step); disabled until the job has named it. */
export function useExport(id: string | null) {
  return useInvokeQuery("exports.get", { id: id ?? "" }, { enabled: id !== null });
}

/** The export cache's limit and what it holds. */
export function useExportCache() {
  return useInvokeQuery("exports.cache", {});
}

/**
 * An export job, kept current by job.updated events (see LiveInvalidation), with its result
 * checked against the contract once it has succeeded.
 */
export function useExportJob(jobId: string | null): {
  job: Job | undefined;
  result: ExportJobResult | null;
  /** The job could not be read (e.g. deleted with its project): the dialog must not wait forever. */
  error: BridgeError | null;
} {
  const { job, error } = useWatchedJob(jobId);
  const parsed = job?.status === "succeeded" ? exportJobResultSchema.safeParse(job.result) : null;
  return {
    job,
    result: parsed?.success ? parsed.data : null,
    error,
  };
}

/**
 * Where a browser downloads an export: same origin, authenticated by the session cookie, named by
 * the host's Content-Disposition (the `download` attribute is the fallback name).
 */
export function exportDownloadUrl(record: Pick<ExportRecord, "id">): string {
  return EXPORT_DOWNLOAD_PATH.replace("{id}", encodeURIComponent(record.id));
}
