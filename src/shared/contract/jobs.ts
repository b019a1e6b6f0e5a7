import { z } from "zod";
import { route } from "./define";
import { idSchema, intParam, isoDateSchema, pageOf } from "./common";
import { wireErrorSchema } from "./errors";

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ["queued", "running"];

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  calls: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof usageSchema>;

export const jobSchema = z.object({
  id: idSchema,
  kind: z.string(),
  status: jobStatusSchema,
  projectId: idSchema.nullable(),
  params: z.unknown(),
  progress: z.object({
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** 0..1, or null while the total is unknown */
    fraction: z.number().min(0).max(1).nullable(),
    label: z.string(),
  }),
  result: z.unknown().nullable(),
  error: wireErrorSchema.nullable(),
  usage: usageSchema,
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  startedAt: isoDateSchema.nullable(),
  finishedAt: isoDateSchema.nullable(),
});
export type Job = z.infer<typeof jobSchema>;

const byId = z.strictObject({ id: idSchema });

export const jobRoutes = {
  "jobs.get": route({
    summary: "Read a job: status, progress, result, error and token usage.",
    input: byId,
    output: jobSchema,
    rest: { method: "GET", path: "/jobs/{id}" },
  }),
  "jobs.list": route({
    summary: "List jobs, newest first, optionally for one project or status.",
    input: z.strictObject({
      projectId: idSchema.optional(),
      status: jobStatusSchema.optional(),
      limit: intParam(1, 100).default(20),
      cursor: z.string().max(200).optional(),
    }),
    output: pageOf(jobSchema),
    rest: { method: "GET", path: "/jobs" },
  }),
  "jobs.cancel": route({
    summary: "Cancel a queued, running or interrupted job; finished units stay saved.",
    input: byId,
    output: jobSchema,
    rest: { method: "POST", path: "/jobs/{id}/cancel" },
  }),
  "jobs.resume": route({
    summary: "Resume an interrupted job from its last finished unit.",
    input: byId,
    output: jobSchema,
    rest: { method: "POST", path: "/jobs/{id}/resume" },
  }),
};
