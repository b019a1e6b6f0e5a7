import {
  AppError,
  STUDY_BUNDLE_FORMAT,
  STUDY_BUNDLE_VERSION,
  SYNTHETIC_DATA_LABEL,
  type BundlePersona,
  type FocusGroupSettings,
  type JobStatus,
  type Persona,
  type Project,
  type Question,
  type RunModel,
  type StudyBundle,
  type StudyKind,
} from "../../../shared/contract";
import type { Database } from "../db/open";
import { exportFileName } from "../exports/file-names";
import { statusFromJob } from "../focus-groups/rows";
import { effectiveDiscussionSeed } from "../focus-groups/seed";
import { toPersona } from "../personas/persona-row";
import { toProject } from "../projects/projects-service";
import { surveyRunParamsSchema } from "../surveys/run-job";
import { questionsOf, surveyStatusFor } from "../surveys/survey-row";
import { readRunModels } from "../jobs/job-row";
import { studyModelRecords, type ModelSettings } from "./model-records";
import { canonicalResponses, canonicalTranscript, resultsDigest } from "./results-digest";
import { focusGroupPrompts, surveyPrompts } from "./study-prompts";

export interface BuildDeps {
  db: Database;
  version: string;
  now: () => Date;
  /** The provider and per-task models in force (for the bundle's `models`). */
  modelSettings: () => Promise<ModelSettings>;
}

export interface BuiltBundle {
  fileName: string;
  bundle: StudyBundle;
}

/** A persona as the bundle holds it: the profile as stored, without this workspace's bookkeeping. */
export function toBundlePersona(persona: Persona): BundlePersona {
  return {
    id: persona.id,
    slotIndex: persona.slotIndex,
    demographics: persona.demographics,
    name: persona.name,
    age: persona.age,
    gender: persona.gender,
    location: persona.location,
    education: persona.education,
    income: persona.income,
    occupation: persona.occupation,
    bigFive: persona.bigFive,
    values: persona.values,
    interests: persona.interests,
    backgroundStory: persona.backgroundStory,
    communicationStyle: persona.communicationStyle,
    decisionMakingStyle: persona.decisionMakingStyle,
    concerns: persona.concerns,
    slotEvidence: persona.slotEvidence,
    locale: persona.locale,
    model: persona.model,
  };
}

type BundleQuestion = Extract<StudyBundle["study"], { kind: "survey" }>["questions"][number];

/** A stored question in the shape surveys.create takes (and the import checks it with). */
function toBundleQuestion(question: Question): BundleQuestion {
  const base = { id: question.id, text: question.text, required: question.required };
  switch (question.type) {
    case "multiple_choice":
      return {
        ...base,
        type: "multiple_choice",
        options: question.options ?? [],
        maxSelections: question.maxSelections ?? 1,
      };
    case "rating_scale":
      return {
        ...base,
        type: "rating_scale",
        min: question.min ?? 0,
        max: question.max ?? 0,
        ...(question.minLabel ? { minLabel: question.minLabel } : {}),
        ...(question.maxLabel ? { maxLabel: question.maxLabel } : {}),
      };
    case "ranking":
      return { ...base, type: "ranking", items: question.items ?? [] };
    case "open_ended":
      return { ...base, type: "open_ended" };
  }
}

function bundleProject(project: Project): StudyBundle["project"] {
  return {
    name: project.name,
    description: project.description,
    researchGoal: project.researchGoal,
    targetAudience: project.targetAudience,
    targetDemographics: project.targetDemographics,
    targetSampleSize: project.targetSampleSize,
    personaLocale: project.personaLocale,
  };
}

const refuseRunning = (kind: StudyKind) =>
  new AppError(
    "CONFLICT",
    `This ${kind === "focusGroup" ? "focus group" : "survey"} is still running: its recipe's results would be a moving snapshot. Wait for it to finish, or pause or cancel it.`,
  );

/** The personas named, in that order, that still exist in the project; and how many are gone. */
async function personasInOrder(db: Database, projectId: string, ids: string[]) {
  const rows = await db.prisma.persona.findMany({ where: { id: { in: ids }, projectId } });
  const byId = new Map(rows.map((row) => [row.id, toPersona(row)]));
  const found = ids.flatMap((id) => byId.get(id) ?? []);
  return { personas: found, missing: ids.length - found.length };
}

async function loadProject(db: Database, projectId: string): Promise<Project> {
  const row = await db.prisma.project.findUnique({ where: { id: projectId } });
  if (!row) throw new AppError("NOT_FOUND", `No project with id ${projectId}.`);
  return toProject(row);
}

/** Builds the bundle of one focus group or survey from what the workspace stores. */
export async function buildStudyBundle(deps: BuildDeps, kind: StudyKind, id: string): Promise<BuiltBundle> {
  const now = deps.now();
  const header = {
    format: STUDY_BUNDLE_FORMAT,
    version: STUDY_BUNDLE_VERSION,
    appVersion: deps.version,
    exportedAt: now.toISOString(),
    synthetic: true,
    syntheticDataLabel: SYNTHETIC_DATA_LABEL,
  } as const;
  const built = kind === "focusGroup" ? await focusGroupParts(deps, id) : await surveyParts(deps, id);
  const bundle: StudyBundle = {
    ...header,
    project: bundleProject(built.project),
    personas: built.personas.map(toBundlePersona),
    study: built.study,
    models: studyModelRecords(built.study, await deps.modelSettings(), built.recorded),
    prompts: built.prompts,
    results: { status: built.status, digest: built.digest },
    notes: built.notes,
  };
  return { fileName: exportFileName([built.project.name, built.study.name, "recipe"], now, "json"), bundle };
}

type Parts = {
  project: Project;
  personas: Persona[];
  study: StudyBundle["study"];
  prompts: StudyBundle["prompts"];
  /** What the study's last run recorded it used (empty: not run, or run before runs recorded it). */
  recorded: RunModel[];
  status: string;
  digest: StudyBundle["results"]["digest"];
  notes: string[];
};

async function focusGroupParts(deps: BuildDeps, id: string): Promise<Parts> {
  const { prisma } = deps.db;
  const row = await prisma.focusGroup.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", `No focus group with id ${id}.`, { id });
  const job = row.jobId ? await prisma.job.findUnique({ where: { id: row.jobId } }) : null;
  const status = statusFromJob(job);
  if (status === "running") throw refuseRunning("focusGroup");
  const project = await loadProject(deps.db, row.projectId);
  const stored = JSON.parse(row.settings) as FocusGroupSettings;
  const { personas, missing } = await personasInOrder(
    deps.db,
    row.projectId,
    JSON.parse(row.participantIds) as string[],
  );
  const notes: string[] = [];
  if (missing > 0) {
    notes.push(
      `${missing} participant(s) were deleted after the focus group was set up; the bundle holds the ${personas.length} that remain, so a rerun cannot match the original results.`,
    );
  }
  if (personas.length < 2) {
    throw new AppError("CONFLICT", "Fewer than 2 of the focus group's participants still exist: it cannot be rerun.");
  }
  const study: StudyBundle["study"] = {
    kind: "focusGroup",
    name: row.name,
    guide: (JSON.parse(row.guide) as { question: string; probes?: string[] }[]).map((item) => ({
      question: item.question,
      probes: item.probes ?? [],
    })),
    settings: {
      discussionRounds: stored.discussionRounds,
      moderatorFollowUps: stored.moderatorFollowUps,
      ...(stored.model ? { model: stored.model } : {}),
      language: stored.language,
      temperature: stored.temperature,
      seed: effectiveDiscussionSeed(row.id, stored),
    },
    seedSource: stored.seed === undefined ? "derived" : "settings",
    participants: personas.map((persona) => persona.id),
  };
  const messages = await prisma.focusGroupMessage.findMany({ where: { focusGroupId: id }, orderBy: { seq: "asc" } });
  return {
    project,
    personas,
    study,
    prompts: focusGroupPrompts(stored.language, personas),
    recorded: readRunModels(job?.models),
    status,
    digest: messages.length ? resultsDigest("focusGroup", canonicalTranscript(messages, study.participants)) : null,
    notes,
  };
}

async function surveyParts(deps: BuildDeps, id: string): Promise<Parts> {
  const { prisma } = deps.db;
  const row = await prisma.survey.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", `No survey with id ${id}.`, { id });
  const job = row.jobId ? await prisma.job.findUnique({ where: { id: row.jobId } }) : null;
  const status = job ? surveyStatusFor(job.status as JobStatus) : row.jobId ? row.status : "draft";
  if (status === "running") throw refuseRunning("survey");
  const project = await loadProject(deps.db, row.projectId);
  const params = job ? surveyRunParamsSchema.safeParse(JSON.parse(job.params)) : null;
  const model = params?.success ? params.data.model : undefined;
  // The personas the last run asked, in its order; before any run, those a run would ask (all, by id).
  const asked = JSON.parse(row.personaIds) as string[];
  const ids = asked.length
    ? asked
    : (
        await prisma.persona.findMany({
          where: { projectId: row.projectId },
          select: { id: true },
          orderBy: { id: "asc" },
        })
      ).map((persona) => persona.id);
  const { personas, missing } = await personasInOrder(deps.db, row.projectId, ids);
  const notes =
    missing > 0
      ? [
          `${missing} respondent(s) were deleted after the run; the bundle holds the ${personas.length} that remain, so a rerun cannot match the original results.`,
        ]
      : [];
  const questions = questionsOf(row);
  const { prompts, temperature } = surveyPrompts(row.name, questions, model, personas);
  const study: StudyBundle["study"] = {
    kind: "survey",
    name: row.name,
    questions: questions.map(toBundleQuestion),
    settings: { model: model ?? null, temperature, seed: null },
    respondents: personas.map((persona) => persona.id),
  };
  const responses = await prisma.surveyResponse.findMany({
    where: { surveyId: id },
    select: { personaId: true, answers: true },
  });
  const canonical = canonicalResponses(
    responses.map((response) => ({
      personaId: response.personaId,
      answers: JSON.parse(response.answers) as Record<string, unknown>,
    })),
    study.respondents,
  );
  return {
    project,
    personas,
    study,
    prompts,
    recorded: readRunModels(job?.models),
    status,
    digest: canonical.length ? resultsDigest("survey", canonical) : null,
    notes,
  };
}
