import { z } from "zod";
import { idSchema, isoDateSchema } from "./common";
import { EXPORT_SCHEMA_VERSION, EXPORT_SCOPES, SYNTHETIC_DATA_LABEL } from "./exports";
import { focusGroupSchema, insightSchema, messageSchema, sentimentSummarySchema } from "./focus-groups";
import { runModelSchema, usageSchema } from "./jobs";
import { personaSchema, personaValidationSchema } from "./personas";
import { projectSchema } from "./projects";
import { stabilitySnapshotSchema } from "./stability";
import { surveyResponseSchema, surveyResultsSchema, surveySchema } from "./surveys";

/**
 * The JSON export document (`format: "json"`). Every scope writes the same shape: a project export
 * fills every part; a focus-group, survey or personas export keeps only the relevant parts (the
 * other arrays are empty, `personaValidation` is null outside the project and personas scopes).
 * Its JSON Schema (draft 2020-12) is `buildExportJsonSchema()`, committed as
 * schemas/export.schema.json and served at EXPORT_JSON_SCHEMA_PATH. Objects are closed
 * (additionalProperties: false): adding a field is a schema change, and removing or renaming one
 * bumps EXPORT_SCHEMA_VERSION.
 */

export const EXPORT_GENERATOR = "Sight";

export const exportStudyStateSchema = z.object({
  kind: z.enum(["focusGroup", "survey"]),
  id: idSchema,
  name: z.string(),
  /** The study's status when it was exported (completed, paused, interrupted, failed, cancelled, …). */
  status: z.string(),
  /** The study had not finished: what it holds is what existed at export time. */
  partial: z.boolean(),
});

export const exportMetadataSchema = z.object({
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  generator: z.object({ name: z.literal(EXPORT_GENERATOR), version: z.string() }),
  exportedAt: isoDateSchema,
  scope: z.enum(EXPORT_SCOPES),
  /** The ids the request named (the study, or the persona subset); empty for a whole project or all personas. */
  ids: z.array(idSchema),
  /** True when any included study is partial. */
  partial: z.boolean(),
  studies: z.array(exportStudyStateSchema),
  /** Every respondent in the document is an AI persona. Always true. */
  synthetic: z.literal(true),
  syntheticDataLabel: z.literal(SYNTHETIC_DATA_LABEL),
});

export const exportFocusGroupSchema = focusGroupSchema.omit({ estimate: true }).extend({
  partial: z.boolean(),
  /** The analysis the insights come from: the latest one that completed (null when none has). */
  analysis: z.object({ jobId: idSchema, usage: usageSchema }).nullable(),
  /** What the discussion's run and that analysis recorded they used (empty: not run, or not recorded). */
  models: z.object({ discussion: z.array(runModelSchema), analysis: z.array(runModelSchema) }),
  insights: z.array(insightSchema),
  /** Mean sentiment of the participants' messages, per question, per persona and overall. */
  sentiment: sentimentSummarySchema,
  /** The latest finished stability check of the analysis (null when none has finished). */
  stability: stabilitySnapshotSchema.nullable(),
  /** The transcript in speaking order. */
  messages: z.array(messageSchema),
});

export const exportSurveySchema = surveySchema.extend({
  partial: z.boolean(),
  /** Aggregates per question, and a cross-tab of every cross-tabbable question by every project dimension. */
  results: surveyResultsSchema,
  /** What the last run recorded it used (empty: not run, or not recorded). */
  models: z.array(runModelSchema),
  /** The latest finished stability check of the survey (null when none has finished). */
  stability: stabilitySnapshotSchema.nullable(),
  /** One per persona that answered, in persona order. */
  responses: z.array(surveyResponseSchema),
});

export const exportDocumentSchema = z.object({
  metadata: exportMetadataSchema,
  project: projectSchema,
  /** Chi-square goodness-of-fit of all the project's personas against its target (project and personas scopes). */
  personaValidation: personaValidationSchema.nullable(),
  /** project: all personas; personas: the subset asked for; a study: its participants or respondents. */
  personas: z.array(personaSchema),
  focusGroups: z.array(exportFocusGroupSchema),
  surveys: z.array(exportSurveySchema),
});
export type ExportDocument = z.infer<typeof exportDocumentSchema>;
export type ExportMetadata = z.infer<typeof exportMetadataSchema>;
export type ExportFocusGroup = z.infer<typeof exportFocusGroupSchema>;
export type ExportSurvey = z.infer<typeof exportSurveySchema>;

/** The JSON Schema (draft 2020-12) of the export document, with the reused parts under $defs. */
export function buildExportJsonSchema(): Record<string, unknown> {
  const registry = z.registry<{ id?: string; title?: string; description?: string }>();
  registry.add(exportMetadataSchema, { id: "Metadata" });
  registry.add(exportStudyStateSchema, { id: "StudyState" });
  registry.add(projectSchema, { id: "Project" });
  registry.add(personaSchema, { id: "Persona" });
  registry.add(personaValidationSchema, { id: "PersonaValidation" });
  registry.add(exportFocusGroupSchema, { id: "FocusGroup" });
  registry.add(messageSchema, { id: "Message" });
  registry.add(insightSchema, { id: "Insight" });
  registry.add(exportSurveySchema, { id: "Survey" });
  registry.add(surveyResponseSchema, { id: "SurveyResponse" });
  registry.add(surveyResultsSchema, { id: "SurveyResults" });
  registry.add(stabilitySnapshotSchema, { id: "StabilitySnapshot" });
  registry.add(runModelSchema, { id: "RunModel" });
  registry.add(idSchema, { id: "Id" });
  registry.add(isoDateSchema, { id: "IsoDate" });
  const schema = z.toJSONSchema(exportDocumentSchema, {
    target: "draft-2020-12",
    io: "output",
    metadata: registry,
  }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title: "Sight export",
    description: `A Sight JSON export (metadata.schemaVersion ${EXPORT_SCHEMA_VERSION}). ${SYNTHETIC_DATA_LABEL}`,
    ...rest,
  };
}
