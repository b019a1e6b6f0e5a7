import { z } from "zod";
import { route } from "./define";
import { idSchema, intParam, isoDateSchema, okSchema, pageOf } from "./common";
import { PLAN_IDS } from "./plan";

export const BIG_FIVE_TRAITS = [
  "openness",
  "conscientiousness",
  "extraversion",
  "agreeableness",
  "neuroticism",
] as const;
const unit = z.number().min(0).max(1);
export const bigFiveSchema = z.object({
  openness: unit,
  conscientiousness: unit,
  extraversion: unit,
  agreeableness: unit,
  neuroticism: unit,
});
export type BigFive = z.infer<typeof bigFiveSchema>;

/** Locales personas can be written for (names, places, stories). */
export const PERSONA_LOCALES = ["en-US", "en-GB", "pl-PL", "de-DE", "fr-FR", "es-ES", "it-IT"] as const;
export const personaLocaleSchema = z.enum(PERSONA_LOCALES);

/** What the model stated for a slot dimension no profile field holds, with the story's sentence that shows it. */
export const slotEvidenceSchema = z.object({
  dimension: z.string(),
  /** The slot's category, as the model stated it. */
  value: z.string(),
  /** A sentence of the persona's background story, word for word (as generated; an edit may change the story). */
  evidence: z.string(),
});
export type SlotEvidence = z.infer<typeof slotEvidenceSchema>;

export const personaSchema = z.object({
  id: idSchema,
  projectId: idSchema,
  runId: z.string().nullable(),
  slotIndex: z.number().int().nullable(),
  /** The quota slot this persona fills: one category per target dimension. */
  demographics: z.record(z.string(), z.string()),
  name: z.string(),
  age: z.number().int(),
  gender: z.string(),
  location: z.string(),
  education: z.string(),
  income: z.string(),
  occupation: z.string(),
  bigFive: bigFiveSchema,
  values: z.array(z.string()),
  interests: z.array(z.string()),
  backgroundStory: z.string(),
  communicationStyle: z.string(),
  decisionMakingStyle: z.string(),
  concerns: z.array(z.string()),
  /** For the slot's custom dimensions (and a location that is a kind of settlement): the stated value and its evidence. */
  slotEvidence: z.array(slotEvidenceSchema),
  locale: z.string(),
  model: z.string(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type Persona = z.infer<typeof personaSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);
const list = z.array(text(200)).min(1).max(12);

/** Editable fields; the demographics slot is fixed by the quota and cannot be edited. */
export const personaPatchSchema = z.strictObject({
  name: text(120).optional(),
  age: z.number().int().min(16).max(110).optional(),
  location: text(200).optional(),
  occupation: text(200).optional(),
  bigFive: bigFiveSchema.optional(),
  values: list.optional(),
  interests: list.optional(),
  backgroundStory: text(8000).optional(),
  communicationStyle: text(1000).optional(),
  decisionMakingStyle: text(1000).optional(),
  concerns: list.optional(),
});

/** REST sends `filter=gender:female&filter=age_group:25-34`; IPC sends the same strings as an array. */
const filterSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]))
  .pipe(
    z
      .array(
        z
          .string()
          .max(120)
          .regex(/^[a-z][a-z0-9_]{0,39}:.{1,60}$/, "filters read dimension:category"),
      )
      .max(12),
  );

export const validationDimensionSchema = z.object({
  dimension: z.string(),
  categories: z.array(
    z.object({
      category: z.string(),
      targetShare: z.number(),
      expectedCount: z.number(),
      actualCount: z.number().int(),
    }),
  ),
  /** Personas whose slot names a category outside today's target (e.g. after the target was edited). */
  outsideTarget: z.number().int(),
  statistic: z.number().nullable(),
  df: z.number().int(),
  pValue: z.number().nullable(),
  verdict: z.enum(["consistent", "differs", "untestable"]),
  /** True when some expected count is below 5, where the chi-square approximation is rough. */
  smallExpectedCounts: z.boolean(),
});

export const personaValidationSchema = z.object({
  projectId: idSchema,
  total: z.number().int(),
  alpha: z.number(),
  dimensions: z.array(validationDimensionSchema),
  computedAt: isoDateSchema,
});
export type PersonaValidation = z.infer<typeof personaValidationSchema>;

/**
 * Why generation refused a draft persona and asked the model again: it disagreed with its slot on
 * a dimension (`dimension` names which), answered another slot, repeated another persona's name or
 * story, or was missing from the model's answer.
 */
export const REFUSAL_REASONS = ["dimension", "slot", "duplicate_name", "duplicate_story", "missing"] as const;
export const refusalReasonSchema = z.enum(REFUSAL_REASONS);
export type RefusalReason = z.infer<typeof refusalReasonSchema>;

export const refusalCountSchema = z.object({
  reason: refusalReasonSchema,
  /** The slot dimension the drafts disagreed with (reason "dimension"), else null. */
  dimension: z.string().nullable(),
  count: z.number().int().positive(),
});

/** The drafts generation runs refused, by reason (most frequent first), beside the drafts they accepted. */
export const refusalSummarySchema = z.object({
  /** Generation runs counted. */
  runs: z.number().int().nonnegative(),
  /** Drafts accepted (saved as personas) by those runs, including personas deleted since. */
  accepted: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
  byReason: z.array(refusalCountSchema),
});
export type RefusalSummary = z.infer<typeof refusalSummarySchema>;

export const quotaSchema = z.object({
  plan: z.enum(PLAN_IDS),
  /** null = unlimited */
  limit: z.number().int().nullable(),
  used: z.number().int(),
  /** Persona slots reserved by generation jobs that have not finished. */
  reserved: z.number().int(),
  remaining: z.number().int().nullable(),
  scope: z.literal("workspace"),
});

export const personaRoutes = {
  "personas.generate": route({
    summary: "Generate personas that fill exact demographic quotas; returns the job to follow.",
    input: z.strictObject({
      projectId: idSchema,
      count: z.number().int().min(1).max(1000),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .optional(),
      model: z.string().trim().min(1).max(200).optional(),
      locale: personaLocaleSchema.optional(),
    }),
    output: z.object({ jobId: idSchema, seed: z.number().int(), slots: z.number().int() }),
    rest: { method: "POST", path: "/projects/{projectId}/personas/generate", status: 202 },
  }),
  "personas.list": route({
    summary: "List a project's personas (keyset pagination, text search, filters on any dimension).",
    input: z.strictObject({
      projectId: idSchema,
      limit: intParam(1, 100).default(24),
      cursor: z.string().max(100).optional(),
      q: z.string().max(200).optional(),
      filter: filterSchema.optional(),
      /** Only the personas one generation run saved (its job id), e.g. to follow a run as it goes. */
      runId: idSchema.optional(),
      /** Creation order; "desc" lists the newest first. */
      order: z.enum(["asc", "desc"]).default("asc"),
    }),
    output: pageOf(personaSchema),
    rest: { method: "GET", path: "/projects/{projectId}/personas" },
  }),
  "personas.get": route({
    summary: "Read one persona.",
    input: z.strictObject({ id: idSchema }),
    output: personaSchema,
    rest: { method: "GET", path: "/personas/{id}" },
  }),
  "personas.update": route({
    summary: "Edit a persona's descriptive fields (its quota slot stays fixed).",
    input: personaPatchSchema.extend({ id: idSchema }),
    output: personaSchema,
    rest: { method: "PATCH", path: "/personas/{id}" },
  }),
  "personas.delete": route({
    summary: "Delete a persona.",
    input: z.strictObject({ id: idSchema }),
    output: okSchema,
    rest: { method: "DELETE", path: "/personas/{id}" },
  }),
  "personas.validation": route({
    summary: "Chi-square goodness-of-fit of the project's generated personas against its target, per dimension.",
    input: z.strictObject({ projectId: idSchema }),
    output: personaValidationSchema,
    rest: { method: "GET", path: "/projects/{projectId}/personas/validation" },
  }),
  "personas.refusals": route({
    summary:
      "Draft personas that generation refused and regenerated, counted by reason, over the project's runs or one run.",
    input: z.strictObject({ projectId: idSchema, runId: idSchema.optional() }),
    output: refusalSummarySchema.extend({ projectId: idSchema }),
    rest: { method: "GET", path: "/projects/{projectId}/personas/refusals" },
  }),
  "personas.quota": route({
    summary: "How many personas the plan allows, has used and has left.",
    input: z.strictObject({}),
    output: quotaSchema,
    rest: { method: "GET", path: "/personas/quota" },
  }),
};
