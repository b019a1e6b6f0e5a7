import {
  AppError,
  MAX_STUDY_BUNDLE_BYTES,
  STUDY_BUNDLE_FORMAT,
  STUDY_BUNDLE_VERSION,
  studyBundleSchema,
  wireIssues,
  type BundleImportResult,
  type BundlePersona,
  type BundleRefusalReason,
  type Persona,
  type StudyBundle,
  type WireIssue,
} from "../../../shared/contract";
import type { PlanId } from "../../../shared/domain/plans";
import type { Entitlements } from "../billing/entitlements";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import { newId } from "../ids";
import { personaSearchText } from "../personas/persona-row";
import { assertDemographics } from "../projects/projects-service";
import { normalizeQuestions } from "../surveys/questions";
import { foldForSearch } from "../../../shared/domain/text";
import { focusGroupPrompts, samePrompts, surveyPrompts } from "./study-prompts";

export interface ImportDeps {
  db: Database;
  bus: EventBus;
  entitlements: Entitlements;
  plan: () => PlanId;
  now: () => Date;
}

function refuse(reason: BundleRefusalReason, message: string, issues: WireIssue[], extra: object = {}): AppError {
  return new AppError("VALIDATION_FAILED", message, { reason, issues, ...extra });
}

/** The bundle in `text`, checked in full; anything else is refused with VALIDATION_FAILED and details.reason. */
export function parseStudyBundle(text: string): StudyBundle {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_STUDY_BUNDLE_BYTES) throw tooLarge(bytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw refuse("invalid_json", `The file is not valid JSON (${(error as Error).message}).`, [
      { path: [], code: "custom", message: "not valid JSON" },
    ]);
  }
  const head = (typeof raw === "object" && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  if (head.format !== STUDY_BUNDLE_FORMAT) {
    throw refuse("not_a_bundle", `This is not a Sight study bundle (its "format" is not "${STUDY_BUNDLE_FORMAT}").`, [
      { path: ["format"], code: "invalid_value", message: `expected "${STUDY_BUNDLE_FORMAT}"` },
    ]);
  }
  if (head.version !== STUDY_BUNDLE_VERSION) {
    throw refuse(
      "unsupported_version",
      `This bundle is version ${JSON.stringify(head.version)}; this version of Sight reads version ${STUDY_BUNDLE_VERSION}.`,
      [{ path: ["version"], code: "invalid_value", message: `expected ${STUDY_BUNDLE_VERSION}` }],
      { version: typeof head.version === "number" ? head.version : null, supported: [STUDY_BUNDLE_VERSION] },
    );
  }
  const parsed = studyBundleSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = wireIssues(parsed.error.issues);
    const where = issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(bundle)"}: ${issue.message}`)
      .join("; ");
    throw refuse("invalid_bundle", `The bundle is not valid: ${where}.`, issues);
  }
  return parsed.data;
}

export function tooLarge(bytes: number): AppError {
  return refuse(
    "too_large",
    `The file is ${Math.ceil(bytes / (1024 * 1024))} MB; a study bundle is at most ${MAX_STUDY_BUNDLE_BYTES / (1024 * 1024)} MB.`,
    [{ path: [], code: "too_big", message: "file too large", maximum: MAX_STUDY_BUNDLE_BYTES, origin: "file" }],
    { maximumBytes: MAX_STUDY_BUNDLE_BYTES, bytes },
  );
}

/**
 * The bundle's personas in the order the study names them (then any it does not name), each
 * with its new id. Ids are new (the bundle's may exist here already) and ascending in that
 * order, so a survey run over all of the project's personas asks them in the original order.
 * Nothing the study sends depends on the ids (prompts name personas by their place).
 */
function newIdentities(bundle: StudyBundle, now: Date): { persona: BundlePersona; id: string }[] {
  const order = bundle.study.kind === "focusGroup" ? bundle.study.participants : bundle.study.respondents;
  const byId = new Map(bundle.personas.map((persona) => [persona.id, persona]));
  const named = order.map((id) => byId.get(id)!);
  const rest = bundle.personas.filter((persona) => !order.includes(persona.id));
  return [...named, ...rest].map((persona, index) => ({ persona, id: newId(now.getTime() + index) }));
}

function asPersona(persona: BundlePersona, id: string, projectId: string, at: string): Persona {
  return { ...persona, id, projectId, runId: null, createdAt: at, updatedAt: at };
}

/**
 * Creates a new project with the bundle's personas (exactly as the bundle has them, not
 * regenerated) and its study, not yet run, with the seed pinned: all in one transaction, after
 * the plan's persona limit agreed. A refusal changes nothing.
 */
export async function importStudyBundle(deps: ImportDeps, text: string): Promise<BundleImportResult> {
  const bundle = parseStudyBundle(text);
  assertDemographics(bundle.project.targetDemographics);
  const { study } = bundle;
  const questions = study.kind === "survey" ? normalizeQuestions(study.questions, deps.plan()) : null;
  const now = deps.now();
  const at = now.toISOString();
  const projectId = newId(now.getTime());
  const identities = newIdentities(bundle, now);
  const newIdOf = new Map(identities.map(({ persona, id }) => [persona.id, id]));
  const personas = identities.map(({ persona, id }) => asPersona(persona, id, projectId, at));
  const studyPersonas = personas.slice(
    0,
    (study.kind === "focusGroup" ? study.participants : study.respondents).length,
  );
  // The prompts this app will send for the imported study, against the ones the bundle recorded.
  const rebuilt =
    study.kind === "focusGroup"
      ? focusGroupPrompts(study.settings.language, studyPersonas)
      : surveyPrompts(study.name, questions!, study.settings.model ?? undefined, studyPersonas).prompts;
  const studyId = newId(now.getTime() + personas.length);

  await deps.entitlements.reservePersonas(personas.length, () =>
    deps.db.prisma.$transaction(async (tx) => {
      await tx.project.create({
        data: {
          id: projectId,
          name: bundle.project.name,
          description: bundle.project.description,
          researchGoal: bundle.project.researchGoal,
          targetAudience: bundle.project.targetAudience,
          targetDemographics: JSON.stringify(bundle.project.targetDemographics),
          targetSampleSize: bundle.project.targetSampleSize,
          personaLocale: bundle.project.personaLocale,
          searchText: foldForSearch(`${bundle.project.name}\n${bundle.project.description}`),
          createdAt: now,
          updatedAt: now,
        },
      });
      await tx.persona.createMany({
        data: personas.map((persona) => ({
          id: persona.id,
          projectId,
          runId: null,
          slotIndex: persona.slotIndex,
          demographics: JSON.stringify(persona.demographics),
          name: persona.name,
          age: persona.age,
          gender: persona.gender,
          location: persona.location,
          education: persona.education,
          income: persona.income,
          occupation: persona.occupation,
          bigFive: JSON.stringify(persona.bigFive),
          values: JSON.stringify(persona.values),
          interests: JSON.stringify(persona.interests),
          backgroundStory: persona.backgroundStory,
          communicationStyle: persona.communicationStyle,
          decisionMakingStyle: persona.decisionMakingStyle,
          concerns: JSON.stringify(persona.concerns),
          slotEvidence: JSON.stringify(persona.slotEvidence),
          locale: persona.locale,
          model: persona.model,
          searchText: personaSearchText(persona),
          createdAt: now,
          updatedAt: now,
        })),
      });
      if (study.kind === "focusGroup") {
        await tx.focusGroup.create({
          data: {
            id: studyId,
            projectId,
            name: study.name,
            participantIds: JSON.stringify(study.participants.map((id) => newIdOf.get(id)!)),
            guide: JSON.stringify(study.guide),
            // The seed is pinned: the rerun uses the one the original used, whatever this group's id.
            settings: JSON.stringify(study.settings),
            createdAt: now,
            updatedAt: now,
          },
        });
      } else {
        await tx.survey.create({
          data: {
            id: studyId,
            projectId,
            name: study.name,
            questions: JSON.stringify(questions),
            createdAt: now,
            updatedAt: now,
          },
        });
      }
    }),
  );
  deps.bus.emit("db.changed", {
    tables: ["Project", "Persona", study.kind === "focusGroup" ? "FocusGroup" : "Survey"],
  });
  return {
    projectId,
    study: { kind: study.kind, id: studyId },
    personas: personas.length,
    promptsMatch: samePrompts(rebuilt, bundle.prompts),
    expectedDigest: bundle.results.digest,
  };
}
