import { z } from "zod";
import { route } from "./define";
import { idSchema, intParam, isoDateSchema, okSchema, pageOf } from "./common";
import { personaLocaleSchema } from "./personas";

export const PROJECT_STATUSES = ["active", "archived"] as const;
export const PROJECT_SORTS = ["updated", "created", "name"] as const;

/**
 * Shape only; the semantic rules (weights sum to 1, age brackets, limits) are checked by the
 * projects service so that a violation is reported as INVALID_DEMOGRAPHICS naming the culprit.
 */
export const targetDemographicsSchema = z.record(z.string(), z.record(z.string(), z.number()));

export const projectSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  researchGoal: z.string(),
  targetAudience: z.string(),
  targetDemographics: targetDemographicsSchema,
  targetSampleSize: z.number().int(),
  /**
   * The locale its personas are written in, as chosen; null follows the country its target names
   * (shared/domain/persona-locale.ts), else the language of whoever generates them.
   */
  personaLocale: personaLocaleSchema.nullable(),
  status: z.enum(PROJECT_STATUSES),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type Project = z.infer<typeof projectSchema>;

const name = z.string().trim().min(1, "name is required").max(120);
const fields = {
  description: z.string().max(5000),
  researchGoal: z.string().max(5000),
  targetAudience: z.string().max(5000),
  targetDemographics: targetDemographicsSchema,
  targetSampleSize: z.number().int().min(1).max(1000),
  personaLocale: personaLocaleSchema.nullable(),
};

export const projectCreateSchema = z.strictObject({
  name,
  description: fields.description.default(""),
  researchGoal: fields.researchGoal.default(""),
  targetAudience: fields.targetAudience.default(""),
  targetDemographics: fields.targetDemographics.default({}),
  targetSampleSize: fields.targetSampleSize.default(20),
  /** Absent or null: follow the target's country. */
  personaLocale: fields.personaLocale.optional(),
});
export type ProjectCreate = z.input<typeof projectCreateSchema>;

export const projectPatchSchema = z.strictObject({
  name: name.optional(),
  description: fields.description.optional(),
  researchGoal: fields.researchGoal.optional(),
  targetAudience: fields.targetAudience.optional(),
  targetDemographics: fields.targetDemographics.optional(),
  targetSampleSize: fields.targetSampleSize.optional(),
  personaLocale: fields.personaLocale.optional(),
});
export type ProjectPatch = z.infer<typeof projectPatchSchema>;

export const projectListInputSchema = z.strictObject({
  limit: intParam(1, 100).default(20),
  cursor: z.string().max(500).optional(),
  q: z.string().max(200).optional(),
  status: z.enum([...PROJECT_STATUSES, "all"]).default("active"),
  sort: z.enum(PROJECT_SORTS).default("updated"),
  order: z.enum(["asc", "desc"]).optional(),
});
export type ProjectListInput = z.input<typeof projectListInputSchema>;

const byId = z.strictObject({ id: idSchema });

export const projectRoutes = {
  "projects.list": route({
    summary: "List projects with keyset pagination, search, status filter and sort.",
    input: projectListInputSchema,
    output: pageOf(projectSchema),
    rest: { method: "GET", path: "/projects" },
  }),
  "projects.get": route({
    summary: "Read one project.",
    input: byId,
    output: projectSchema,
    rest: { method: "GET", path: "/projects/{id}" },
  }),
  "projects.create": route({
    summary: "Create a project.",
    input: projectCreateSchema,
    output: projectSchema,
    rest: { method: "POST", path: "/projects", status: 201 },
  }),
  "projects.update": route({
    summary: "Change a project's fields.",
    input: projectPatchSchema.extend({ id: idSchema }),
    output: projectSchema,
    rest: { method: "PATCH", path: "/projects/{id}" },
  }),
  "projects.duplicate": route({
    summary: "Copy a project's definition into a new active project.",
    input: z.strictObject({ id: idSchema, name: name.optional() }),
    output: projectSchema,
    rest: { method: "POST", path: "/projects/{id}/duplicate", status: 201 },
  }),
  "projects.archive": route({
    summary: "Archive a project (hidden from the default list, kept intact).",
    input: byId,
    output: projectSchema,
    rest: { method: "POST", path: "/projects/{id}/archive" },
  }),
  "projects.unarchive": route({
    summary: "Bring an archived project back.",
    input: byId,
    output: projectSchema,
    rest: { method: "POST", path: "/projects/{id}/unarchive" },
  }),
  "projects.delete": route({
    summary: "Delete a project and everything in it.",
    input: byId,
    output: okSchema,
    rest: { method: "DELETE", path: "/projects/{id}" },
  }),
};
