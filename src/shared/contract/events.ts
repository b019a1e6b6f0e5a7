import { z } from "zod";
import { jobSchema } from "./jobs";

/** Every event a service may push to subscribers (renderer, socket clients). */
export const events = {
  /** Tables whose rows changed, so caches invalidate exactly what changed. */
  "db.changed": z.object({ tables: z.array(z.string()).min(1) }),
  /** A job's status or progress changed. */
  "job.updated": jobSchema,
  /** The app was asked to open a sight:// link (validated by the shell). */
  "app.deepLink": z.object({
    kind: z.enum(["open-project", "join-session", "oauth-callback"]),
    params: z.record(z.string(), z.string()),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === "string" && Object.hasOwn(events, name);
}
