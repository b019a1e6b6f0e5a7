import { z } from "zod";

const count = z.number().int().nonnegative();

function label<const K extends string, P extends z.ZodRawShape>(key: K, params: P) {
  return z.strictObject({ key: z.literal(key), params: z.strictObject(params) });
}

/**
 * What a job is doing, as a key and its parameters: the app words it in the UI's language
 * (`jobProgress.<key>` in the renderer's catalogues); `progress.text` has it in English for
 * scripts and logs. Stored as JSON in the job row's `progressLabel` column.
 */
export const progressLabelSchema = z.discriminatedUnion("key", [
  label("jobs.paused", {}),
  label("jobs.interrupted", {}),
  /** `count`: the personas this attempt still has to generate. */
  label("personas.generating", { count }),
  /** `question`: 1-based, as the guide numbers it. */
  label("analysis.question", { question: z.number().int().min(1) }),
  label("analysis.summary", {}),
  /** `count`: the personas this attempt still has to ask. */
  label("surveys.asking", { count }),
  /** `count`: the open-ended questions whose answers are grouped into themes. */
  label("surveys.grouping", { count }),
  label("surveys.finishing", {}),
  label("exports.checking", {}),
  label("exports.reused", {}),
  label("exports.reading", {}),
  /** `pages`: laid out so far; 0 until the layout has any. */
  label("exports.layout", { pages: count }),
  label("exports.writing", { pages: count }),
  label("exports.done", {}),
  label("exports.personas", {}),
  label("exports.focusGroup", { name: z.string() }),
  label("exports.survey", { name: z.string() }),
  /** CRM sync: `done` of `total` personas sent (or skipped) to `provider`. */
  label("crm.personas", { provider: z.enum(["hubspot", "salesforce"]), done: count, total: count }),
  label("crm.note", { provider: z.enum(["hubspot", "salesforce"]) }),
  /** A plain-text label written by a version of Sight before labels had keys; shown as it is. */
  label("legacy", { text: z.string() }),
]);
export type ProgressLabel = z.infer<typeof progressLabelSchema>;
export type ProgressLabelKey = ProgressLabel["key"];

/** Every key a progress label can have. */
export const PROGRESS_LABEL_KEYS = progressLabelSchema.options.map((option) => option.shape.key.value);
export const progressLabelKeySchema = z.enum(PROGRESS_LABEL_KEYS);
