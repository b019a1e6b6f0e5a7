import { z } from "zod";
import { route } from "./define";
import { idSchema, intParam, isoDateSchema, okSchema, pageOf } from "./common";
import { usageSchema } from "./jobs";

export const MIN_PARTICIPANTS = 2;
/** Above this a run is allowed but the setup warns about cost and time. */
export const RECOMMENDED_MAX_PARTICIPANTS = 20;
export const MAX_PARTICIPANTS = 100;

export const guideItemSchema = z.strictObject({
  question: z.string().trim().min(1, "a question is required").max(2000),
  probes: z.array(z.string().trim().min(1).max(1000)).max(10).default([]),
});

const settingsFields = {
  discussionRounds: z.number().int().min(0).max(2),
  moderatorFollowUps: z.boolean(),
  model: z.string().trim().min(1).max(200),
  language: z.enum(["en", "pl", "de", "fr", "es", "it"]),
  temperature: z.number().min(0).max(2),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
};

export const focusGroupSettingsSchema = z.strictObject({
  discussionRounds: settingsFields.discussionRounds.default(1),
  moderatorFollowUps: settingsFields.moderatorFollowUps.default(true),
  model: settingsFields.model.optional(),
  language: settingsFields.language.default("en"),
  temperature: settingsFields.temperature.default(0.8),
  seed: settingsFields.seed.optional(),
});

/** A settings change: only the fields given change (no defaults filled in); null clears model or seed. */
export const focusGroupSettingsPatchSchema = z
  .strictObject({ ...settingsFields, model: settingsFields.model.nullable(), seed: settingsFields.seed.nullable() })
  .partial();
export type FocusGroupSettings = z.output<typeof focusGroupSettingsSchema>;

export const FOCUS_GROUP_STATUSES = [
  "draft",
  "running",
  "paused",
  "completed",
  "failed",
  "cancelled",
  "interrupted",
] as const;

export const estimateSchema = z.object({
  llmCalls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  /** Rough wall time with the provider's concurrency, in seconds. */
  seconds: z.number(),
  warnings: z.array(z.string()),
});

export const focusGroupSchema = z.object({
  id: idSchema,
  projectId: idSchema,
  name: z.string(),
  status: z.enum(FOCUS_GROUP_STATUSES),
  participantIds: z.array(idSchema),
  guide: z.array(z.object({ question: z.string(), probes: z.array(z.string()) })),
  settings: z.object({
    discussionRounds: z.number().int(),
    moderatorFollowUps: z.boolean(),
    model: z.string().optional(),
    language: z.string(),
    temperature: z.number(),
    seed: z.number().int().optional(),
  }),
  jobId: z.string().nullable(),
  analysisJobId: z.string().nullable(),
  messageCount: z.number().int(),
  estimate: estimateSchema,
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type FocusGroup = z.infer<typeof focusGroupSchema>;

export const MESSAGE_PHASES = ["question", "answer", "reaction", "followup", "followup_answer"] as const;

export const messageSchema = z.object({
  id: idSchema,
  focusGroupId: idSchema,
  seq: z.number().int(),
  questionIndex: z.number().int(),
  round: z.number().int(),
  phase: z.enum(MESSAGE_PHASES),
  speakerType: z.enum(["moderator", "persona"]),
  personaId: idSchema.optional(),
  speakerName: z.string(),
  replyToId: idSchema.optional(),
  text: z.string(),
  /** A live session's co-moderator whispered this probe; the moderator asked it. */
  suggestedBy: z.string().optional(),
  sentiment: z.number().min(-1).max(1).optional(),
  tokens: z.object({ input: z.number().int(), output: z.number().int() }),
  createdAt: isoDateSchema,
});
export type Message = z.infer<typeof messageSchema>;

export const INSIGHT_KINDS = [
  "executive_summary",
  "theme",
  "agreement",
  "disagreement",
  "segment_difference",
  "surprise",
  "recommendation",
] as const;

export const insightSchema = z.object({
  id: idSchema,
  kind: z.enum(INSIGHT_KINDS),
  title: z.string(),
  text: z.string(),
  /** Message ids that support it. */
  evidence: z.array(idSchema),
  createdAt: isoDateSchema,
});
export type Insight = z.infer<typeof insightSchema>;

export const sentimentSummarySchema = z.object({
  byQuestion: z.array(
    z.object({ questionIndex: z.number().int(), mean: z.number().nullable(), messages: z.number().int() }),
  ),
  byPersona: z.array(
    z.object({ personaId: idSchema, name: z.string(), mean: z.number().nullable(), messages: z.number().int() }),
  ),
  overall: z.number().nullable(),
});

const name = z.string().trim().min(1, "name is required").max(200);
const participants = z
  .array(idSchema)
  .min(MIN_PARTICIPANTS, `a focus group needs at least ${MIN_PARTICIPANTS} participants`)
  .max(MAX_PARTICIPANTS);
const guide = z.array(guideItemSchema).min(1, "the discussion guide needs at least one question").max(30);
const byId = z.strictObject({ id: idSchema });

export const focusGroupRoutes = {
  "focusGroups.create": route({
    summary: "Create a focus group: participants (personas of the project), a discussion guide and settings.",
    input: z.strictObject({
      projectId: idSchema,
      name,
      participantIds: participants,
      guide,
      settings: focusGroupSettingsSchema.default({
        discussionRounds: 1,
        moderatorFollowUps: true,
        language: "en",
        temperature: 0.8,
      }),
    }),
    output: focusGroupSchema,
    rest: { method: "POST", path: "/projects/{projectId}/focus-groups", status: 201 },
  }),
  "focusGroups.list": route({
    summary: "List a project's focus groups, newest first.",
    input: z.strictObject({
      projectId: idSchema,
      limit: intParam(1, 100).default(50),
      cursor: z.string().max(100).optional(),
    }),
    output: pageOf(focusGroupSchema),
    rest: { method: "GET", path: "/projects/{projectId}/focus-groups" },
  }),
  "focusGroups.get": route({
    summary: "Read one focus group with its cost and time estimate.",
    input: byId,
    output: focusGroupSchema,
    rest: { method: "GET", path: "/focus-groups/{id}" },
  }),
  "focusGroups.update": route({
    summary: "Change a focus group's setup (only before it has run).",
    input: z.strictObject({
      id: idSchema,
      name: name.optional(),
      participantIds: participants.optional(),
      guide: guide.optional(),
      settings: focusGroupSettingsPatchSchema.optional(),
    }),
    output: focusGroupSchema,
    rest: { method: "PATCH", path: "/focus-groups/{id}" },
  }),
  "focusGroups.delete": route({
    summary: "Delete a focus group with its transcript and insights.",
    input: byId,
    output: okSchema,
    rest: { method: "DELETE", path: "/focus-groups/{id}" },
  }),
  "focusGroups.run": route({
    summary: "Run the discussion as a job; messages stream as they are generated.",
    input: byId,
    output: z.object({ jobId: idSchema }),
    rest: { method: "POST", path: "/focus-groups/{id}/run", status: 202 },
  }),
  "focusGroups.pause": route({
    summary: "Pause a running discussion after the messages in flight; resume continues from there.",
    input: byId,
    output: focusGroupSchema,
    rest: { method: "POST", path: "/focus-groups/{id}/pause" },
  }),
  "focusGroups.resume": route({
    summary: "Resume a paused or interrupted discussion from its last saved message.",
    input: byId,
    output: focusGroupSchema,
    rest: { method: "POST", path: "/focus-groups/{id}/resume" },
  }),
  "focusGroups.cancel": route({
    summary: "Stop the discussion for good; saved messages are kept.",
    input: byId,
    output: focusGroupSchema,
    rest: { method: "POST", path: "/focus-groups/{id}/cancel" },
  }),
  "focusGroups.messages": route({
    summary: "The transcript in speaking order (keyset pagination by sequence number).",
    input: z.strictObject({
      id: idSchema,
      limit: intParam(1, 1000).default(500),
      cursor: z.string().regex(/^\d+$/).optional(),
    }),
    output: pageOf(messageSchema),
    rest: { method: "GET", path: "/focus-groups/{id}/messages" },
  }),
  "focusGroups.analyze": route({
    summary: "Analyse the transcript (re-runnable): summary, themes with quotes, sentiment, segments, recommendations.",
    input: byId,
    output: z.object({ jobId: idSchema }),
    rest: { method: "POST", path: "/focus-groups/{id}/analysis", status: 202 },
  }),
  "focusGroups.insights": route({
    summary: "The latest analysis: insights with their evidence, and sentiment per question and persona.",
    input: byId,
    output: z.object({
      items: z.array(insightSchema),
      sentiment: sentimentSummarySchema,
      usage: usageSchema.nullable(),
    }),
    rest: { method: "GET", path: "/focus-groups/{id}/insights" },
  }),
};
