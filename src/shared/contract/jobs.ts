import { z } from "zod";
import { route } from "./define";
import { idSchema, intParam, isoDateSchema, pageOf } from "./common";
import { wireErrorSchema } from "./errors";
import { progressLabelSchema } from "./progress-labels";

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

/**
 * One model and setting a run's LLM calls used: what a study records so its methodology names
 * the model that answered (and the prompts' version) instead of "the provider's default".
 */
export const runModelSchema = z.object({
  provider: z.enum(["gemini", "openai"]),
  /** The model id Sight asked for */
  model: z.string().min(1).max(200),
  /** The model the provider says answered (may carry a version), null when it does not say */
  modelVersion: z.string().max(200).nullable(),
  temperature: z.number().nullable(),
  seed: z.number().int().nullable(),
  /** The version of the prompt templates the job sent (e.g. "focus-groups/1"), null if unversioned */
  promptVersion: z.string().max(100).nullable(),
  calls: z.number().int().nonnegative(),
});
export type RunModel = z.infer<typeof runModelSchema>;

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
    /** What the job is doing, for the app to say in the UI's language; null before it says anything. */
    label: progressLabelSchema.nullable(),
    /** The label in English, for scripts and logs ("" while there is none). */
    text: z.string(),
  }),
  result: z.unknown().nullable(),
  error: wireErrorSchema.nullable(),
  usage: usageSchema,
  /** Every distinct model and setting the run's calls used, in the order first used. */
  models: z.array(runModelSchema),
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
