import { z } from "zod";
import { route } from "./define";
import { idSchema, isoDateSchema } from "./common";
import { SYNTHETIC_DATA_LABEL } from "./exports";
import { guideItemSchema, MAX_PARTICIPANTS, MIN_PARTICIPANTS } from "./focus-groups";
import { llmProviderSchema, llmTaskSchema } from "./llm";
import { bigFiveSchema, personaLocaleSchema } from "./personas";
import { projectCreateSchema, targetDemographicsSchema } from "./projects";
import { questionInputSchema } from "./surveys";

/**
 * The reproducibility bundle ("study recipe"): everything needed to run a study again in another
 * workspace, as one JSON file. The project's definition, the personas exactly as stored, the
 * guide or questions, the settings with the seed the study actually used, the models and prompts,
 * and a digest of the original results that a rerun can be compared with. Its JSON Schema
 * (draft 2020-12) is `buildStudyBundleJsonSchema()`, committed as schemas/study-bundle.schema.json.
 * Bump STUDY_BUNDLE_VERSION on any change an older reader could not read.
 *
 * A bundle is never trusted: the import validates all of it with these schemas (strict objects,
 * bounded strings and lists, at most MAX_STUDY_BUNDLE_BYTES) and checks that every reference
 * (participants, respondents, prompts) names a persona of the bundle.
 */

export const STUDY_BUNDLE_FORMAT = "sight.study-bundle";
export const STUDY_BUNDLE_VERSION = 1;
/** A bundle larger than this is refused before it is read. Fits the headless host's 10 MB request limit. */
export const MAX_STUDY_BUNDLE_BYTES = 8 * 1024 * 1024;
/** The canonical form the results digest hashes (see services/reproducibility/results-digest.ts). */
export const RESULTS_CANONICAL_FORM = "sight.results/1";
export const STUDY_KINDS = ["focusGroup", "survey"] as const;
export const studyKindSchema = z.enum(STUDY_KINDS);
export type StudyKind = z.infer<typeof studyKindSchema>;

/**
 * `details.reason` of an import's VALIDATION_FAILED: too large, not JSON, not a study bundle, a
 * version this app cannot read, or a bundle whose content breaks its schema or references
 * (`details.issues` says where).
 */
export const BUNDLE_REFUSAL_REASONS = [
  "too_large",
  "invalid_json",
  "not_a_bundle",
  "unsupported_version",
  "invalid_bundle",
] as const;
export type BundleRefusalReason = (typeof BUNDLE_REFUSAL_REASONS)[number];

const text = (max: number) => z.string().max(max);
const phrases = z.array(text(500)).max(30);

export const bundleProjectSchema = z.strictObject({
  name: projectCreateSchema.shape.name,
  description: text(5000),
  researchGoal: text(5000),
  targetAudience: text(5000),
  targetDemographics: targetDemographicsSchema,
  targetSampleSize: z.number().int().min(1).max(1000),
  /** null: the personas' locale follows the country the target names. */
  personaLocale: personaLocaleSchema.nullable(),
});

/** A persona as stored in the original workspace; `id` is its id there, which the study refers to. */
export const bundlePersonaSchema = z.strictObject({
  id: idSchema,
  slotIndex: z.number().int().min(0).max(100_000).nullable(),
  /** The quota slot it fills: one category per target dimension. */
  demographics: z.record(text(60), text(200)),
  name: z.string().trim().min(1).max(200),
  age: z.number().int().min(0).max(150),
  gender: text(200),
  location: text(500),
  education: text(500),
  income: text(500),
  occupation: text(500),
  bigFive: bigFiveSchema.strict(),
  values: phrases,
  interests: phrases,
  backgroundStory: text(20_000),
  communicationStyle: text(2000),
  decisionMakingStyle: text(2000),
  concerns: phrases,
  slotEvidence: z.array(z.strictObject({ dimension: text(60), value: text(200), evidence: text(1000) })).max(30),
  locale: text(20),
  /** The model that wrote it. */
  model: text(200),
});
export type BundlePersona = z.infer<typeof bundlePersonaSchema>;

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

export const bundleFocusGroupSchema = z.strictObject({
  kind: z.literal("focusGroup"),
  name: z.string().trim().min(1).max(200),
  guide: z.array(guideItemSchema).min(1).max(30),
  /** The settings it ran with; `seed` is always the one it used (pinned), never absent. */
  settings: z.strictObject({
    discussionRounds: z.number().int().min(0).max(2),
    moderatorFollowUps: z.boolean(),
    model: z.string().trim().min(1).max(200).optional(),
    language: z.enum(["en", "pl", "de", "fr", "es", "it"]),
    temperature: z.number().min(0).max(2),
    seed,
  }),
  /** "settings": the researcher set the seed; "derived": none was set, and this is the one the engine derived. */
  seedSource: z.enum(["settings", "derived"]),
  /** Persona ids of the bundle, in the focus group's order (which decides who speaks to whom). */
  participants: z.array(idSchema).min(MIN_PARTICIPANTS).max(MAX_PARTICIPANTS),
});

export const bundleSurveySchema = z.strictObject({
  kind: z.literal("survey"),
  /** Part of the prompt every respondent gets: a rerun keeps it as it is. */
  name: z.string().trim().min(1).max(200),
  /** As stored: every question with its id (the prompts and answers refer to them). */
  questions: z.array(questionInputSchema).min(1).max(200),
  settings: z.strictObject({
    /** The model the run asked for (null: the workspace's model for the task). */
    model: z.string().trim().min(1).max(200).nullable(),
    temperature: z.number().min(0).max(2),
    /** Surveys send no seed: an answer depends on its prompt (and, with a real model, its sampling). */
    seed: seed.nullable(),
  }),
  /** Persona ids of the bundle, in the order the run asked them (the themes prompt lists answers in it). */
  respondents: z.array(idSchema).min(1).max(5000),
});

export const bundleStudySchema = z.discriminatedUnion("kind", [bundleFocusGroupSchema, bundleSurveySchema]);
export type BundleStudy = z.infer<typeof bundleStudySchema>;

export const MODEL_ROLES = ["participants", "moderator", "respondents", "open_themes"] as const;

/** One kind of call the study makes, and the model and sampling it used. */
export const bundleModelSchema = z.strictObject({
  task: llmTaskSchema,
  role: z.enum(MODEL_ROLES),
  provider: llmProviderSchema,
  model: text(200),
  /** The model the provider says answered (with its version suffix); null when not recorded. */
  modelVersion: text(200).nullable(),
  temperature: z.number().min(0).max(2),
  seed: seed.nullable(),
  /** The prompt template's version; null when not recorded. */
  promptVersion: text(100).nullable(),
  /** "settings": read from the study's and the workspace's settings at export; "run": recorded by the run. */
  source: z.enum(["settings", "run"]),
});
export type BundleModel = z.infer<typeof bundleModelSchema>;

const personaPrompt = z.strictObject({ personaId: idSchema, text: text(50_000) });

/**
 * The prompts as the code sends them. "rebuilt": the runs do not store their prompts, so they
 * were built again at export with the same prompt builders from the stored data.
 */
export const bundlePromptsSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("focusGroup"),
    source: z.enum(["rebuilt", "recorded"]),
    note: text(2000),
    moderatorSystem: text(50_000),
    /** Each participant's system prompt, in the focus group's order. */
    participantSystem: z.array(personaPrompt).max(MAX_PARTICIPANTS),
  }),
  z.strictObject({
    kind: z.literal("survey"),
    source: z.enum(["rebuilt", "recorded"]),
    note: text(2000),
    /** The questionnaire every respondent gets. */
    user: text(500_000),
    /** Each respondent's system prompt, in the run's order. */
    respondentSystem: z.array(personaPrompt).max(5000),
    themesSystem: text(50_000),
  }),
]);

export const resultsDigestSchema = z.strictObject({
  algorithm: z.literal("sha-256"),
  canonicalForm: z.literal(RESULTS_CANONICAL_FORM),
  /** Lowercase hex. */
  value: z.string().regex(/^[0-9a-f]{64}$/),
  /** Messages (focus group) or responses (survey) hashed. */
  units: z.number().int().min(0),
});
export type ResultsDigest = z.infer<typeof resultsDigestSchema>;

export const studyBundleSchema = z
  .strictObject({
    format: z.literal(STUDY_BUNDLE_FORMAT),
    version: z.literal(STUDY_BUNDLE_VERSION),
    appVersion: text(100),
    exportedAt: isoDateSchema,
    synthetic: z.literal(true),
    syntheticDataLabel: z.literal(SYNTHETIC_DATA_LABEL),
    project: bundleProjectSchema,
    personas: z.array(bundlePersonaSchema).min(1).max(5000),
    study: bundleStudySchema,
    models: z.array(bundleModelSchema).max(20),
    prompts: bundlePromptsSchema,
    results: z.strictObject({
      /** The study's status at export (draft, completed, failed, …). */
      status: text(40),
      /** null when it has no results (never run). */
      digest: resultsDigestSchema.nullable(),
    }),
    /** What a reader should know, e.g. participants deleted since the run. */
    notes: z.array(text(1000)).max(50),
  })
  .superRefine((bundle, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const personaIds = new Set<string>();
    bundle.personas.forEach((persona, index) => {
      if (personaIds.has(persona.id)) problem(["personas", index, "id"], `persona id "${persona.id}" is used twice`);
      personaIds.add(persona.id);
    });
    const references = (list: string[], path: string[]) => {
      const seen = new Set<string>();
      list.forEach((id, index) => {
        if (!personaIds.has(id)) problem([...path, index], `"${id}" is not a persona of this bundle`);
        if (seen.has(id)) problem([...path, index], `"${id}" is listed twice`);
        seen.add(id);
      });
    };
    const { study, prompts } = bundle;
    if (study.kind === "focusGroup") references(study.participants, ["study", "participants"]);
    else {
      references(study.respondents, ["study", "respondents"]);
      const questionIds = new Set<string>();
      study.questions.forEach((question, index) => {
        if (question.id === undefined) problem(["study", "questions", index, "id"], "every question needs its id");
        else if (questionIds.has(question.id))
          problem(["study", "questions", index, "id"], "question ids must be unique");
        else questionIds.add(question.id);
      });
    }
    if (prompts.kind !== study.kind)
      problem(["prompts", "kind"], `the prompts are a ${prompts.kind}'s, the study a ${study.kind}`);
    const prompted = prompts.kind === "focusGroup" ? prompts.participantSystem : prompts.respondentSystem;
    prompted.forEach((prompt, index) => {
      if (!personaIds.has(prompt.personaId)) {
        problem(
          ["prompts", prompts.kind === "focusGroup" ? "participantSystem" : "respondentSystem", index, "personaId"],
          `"${prompt.personaId}" is not a persona of this bundle`,
        );
      }
    });
  });
export type StudyBundle = z.infer<typeof studyBundleSchema>;

export const studyRefSchema = z.strictObject({ kind: studyKindSchema, id: idSchema });

export const bundleImportResultSchema = z.object({
  projectId: idSchema,
  study: z.object({ kind: studyKindSchema, id: idSchema }),
  personas: z.number().int(),
  /** The prompts this app builds for the imported study are the bundle's: a rerun asks the same. */
  promptsMatch: z.boolean(),
  /** The original run's digest, to compare a rerun with (null when it had none). */
  expectedDigest: resultsDigestSchema.nullable(),
});
export type BundleImportResult = z.infer<typeof bundleImportResultSchema>;

export const recipeRoutes = {
  "recipes.build": route({
    summary:
      "A study's reproducibility bundle (its recipe): project, personas, guide or questions, settings with the seed it used, models, prompts, results digest.",
    input: studyRefSchema,
    output: z.object({ fileName: z.string(), bundle: studyBundleSchema }),
    rest: { method: "GET", path: "/recipes/{kind}/{id}" },
  }),
  "recipes.saveAs": route({
    summary: "Desktop: save a study's reproducibility bundle with the native save dialog (written atomically).",
    input: studyRefSchema,
    output: z.object({ saved: z.boolean(), path: z.string().nullable() }),
    rest: { method: "POST", path: "/recipes/{kind}/{id}/save-as" },
    desktopOnly: true,
  }),
  "recipes.import": route({
    summary:
      "Create a new project with a bundle's personas and its study (not yet run, seed pinned), in one transaction. " +
      "A bundle that is not valid is refused with VALIDATION_FAILED (details.reason) and changes nothing.",
    input: z.strictObject({ text: z.string().min(1).max(MAX_STUDY_BUNDLE_BYTES) }),
    output: bundleImportResultSchema,
    rest: { method: "POST", path: "/recipes/import", status: 201 },
  }),
  "recipes.importFile": route({
    summary: "Desktop: pick a bundle file with the native open dialog and import it (as recipes.import).",
    input: z.strictObject({}),
    output: z.object({ imported: z.boolean(), result: bundleImportResultSchema.nullable() }),
    rest: { method: "POST", path: "/recipes/import-file" },
    desktopOnly: true,
  }),
};

/** The JSON Schema (draft 2020-12) of the bundle, with the reused parts under $defs. */
export function buildStudyBundleJsonSchema(): Record<string, unknown> {
  const registry = z.registry<{ id?: string }>();
  registry.add(bundleProjectSchema, { id: "Project" });
  registry.add(bundlePersonaSchema, { id: "Persona" });
  registry.add(bundleFocusGroupSchema, { id: "FocusGroupStudy" });
  registry.add(bundleSurveySchema, { id: "SurveyStudy" });
  registry.add(bundleModelSchema, { id: "Model" });
  registry.add(resultsDigestSchema, { id: "ResultsDigest" });
  registry.add(idSchema, { id: "Id" });
  const schema = z.toJSONSchema(studyBundleSchema, {
    target: "draft-2020-12",
    io: "input",
    metadata: registry,
  }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title: "Sight study bundle",
    description: `A Sight reproducibility bundle (format ${STUDY_BUNDLE_FORMAT}, version ${STUDY_BUNDLE_VERSION}). ${SYNTHETIC_DATA_LABEL}`,
    ...rest,
  };
}
