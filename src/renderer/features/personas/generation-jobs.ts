import { ACTIVE_JOB_STATUSES, type Job } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";

/** The job kind the personas service enqueues (see personas.generate). */
export const PERSONA_GENERATION_KIND = "personas.generate";

export const isActiveJob = (job: Job) => ACTIVE_JOB_STATUSES.includes(job.status);

/**
 * The project's newest persona-generation run, whatever its state: running or queued (progress),
 * interrupted (resume), failed (what went wrong) or finished. Kept current by job.updated events.
 */
export function useLatestGenerationJob(projectId: string): { job: Job | null; isPending: boolean } {
  const jobs = useInvokeQuery("jobs.list", { projectId, limit: 10 });
  const job = jobs.data?.items.find((item) => item.kind === PERSONA_GENERATION_KIND) ?? null;
  return { job, isPending: jobs.isPending };
}
