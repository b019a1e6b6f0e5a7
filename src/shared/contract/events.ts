import { z } from "zod";
import { jobSchema } from "./jobs";
import { FOCUS_GROUP_STATUSES, insightSchema, MESSAGE_PHASES, messageSchema } from "./focus-groups";
import { billingStatusSchema } from "./billing";

/** Every event a service may push to subscribers (renderer, socket clients). */
export const events = {
  /** Tables whose rows changed, so caches invalidate exactly what changed. */
  "db.changed": z.object({ tables: z.array(z.string()).min(1) }),
  /** A job's status or progress changed. */
  "job.updated": jobSchema,
  /** A focus-group participant or the moderator finished a message (saved). */
  /** `unitKey` is the same as in the discussion.token events that streamed this message. */
  persona_responded: z.object({ focusGroupId: z.string(), unitKey: z.string(), message: messageSchema }),
  /** Tokens of a message being generated, in order; the full message follows as persona_responded. */
  "discussion.token": z.object({
    focusGroupId: z.string(),
    unitKey: z.string(),
    personaId: z.string().optional(),
    speakerName: z.string(),
    questionIndex: z.number().int(),
    round: z.number().int(),
    delta: z.string(),
  }),
  /** A focus group's status or progress changed. */
  discussion_updated: z.object({
    focusGroupId: z.string(),
    status: z.enum(FOCUS_GROUP_STATUSES),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    /** In English, for scripts and logs. */
    label: z.string(),
    /** Where the discussion is (question, phase, round), for the app to say in the UI's language. */
    stage: z
      .object({ questionIndex: z.number().int(), phase: z.enum(MESSAGE_PHASES), round: z.number().int() })
      .optional(),
  }),
  /** The analysis produced an insight (saved). */
  new_insight: z.object({ focusGroupId: z.string(), analysisId: z.string(), insight: insightSchema }),
  /** The plan, licence or Cloud account changed (sign-in, licence refresh, expiry): limits apply at once. */
  "billing.changed": billingStatusSchema,
  /** The app was asked to open a sight:// link (validated by the shell). */
  "app.deepLink": z.object({
    kind: z.enum(["open-project", "join-session", "oauth-callback", "billing-return"]),
    params: z.record(z.string(), z.string()),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === "string" && Object.hasOwn(events, name);
}
