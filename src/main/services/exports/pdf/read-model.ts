import { AppError, type Persona } from "../../../../shared/contract";
import type { TargetDemographics } from "../../../../shared/domain/demographics";
import { PERSONA_GENERATION_KIND } from "../../billing/entitlements";
import { toPersona } from "../../personas/persona-row";
import { summariseRefusals } from "../../personas/refusals";
import { validatePersonas } from "../../personas/validation";
import type { ProduceContext, StudyState } from "../types";
import type { GenerationRun, PersonaBrief, PersonaCard, ReportModel, Sample, StudyMeta, StudyReport } from "./model";
import { buildFocusGroupReport, loadFocusGroup, messageRange, type FocusGroupData } from "./read-focus-group";
import { buildSurveyReport, loadSurvey, responseRange, type SurveyData } from "./read-survey";
import { readRunModels } from "../../jobs/job-row";

type Loaded = { state: StudyState; focusGroup: FocusGroupData } | { state: StudyState; survey: SurveyData };

/** The studies the report holds: the one named, or for a project the ones the core included. */
function studiesToRead(ctx: ProduceContext): StudyState[] {
  const { scope, ids } = ctx.request;
  if (scope === "personas") return [];
  if (scope === "project") return ctx.studies;
  const kind = scope;
  return ids.map(
    (id) =>
      ctx.studies.find((s) => s.kind === kind && s.id === id) ?? { kind, id, name: "", status: "", partial: false },
  );
}

const brief = (p: Persona): PersonaBrief => ({
  id: p.id,
  name: p.name,
  age: p.age,
  gender: p.gender,
  location: p.location,
  occupation: p.occupation,
});

const card = (p: Persona): PersonaCard => ({
  ...brief(p),
  demographics: p.demographics,
  education: p.education,
  income: p.income,
  bigFive: p.bigFive,
  values: p.values,
  interests: p.interests,
  backgroundStory: p.backgroundStory,
  communicationStyle: p.communicationStyle,
  decisionMakingStyle: p.decisionMakingStyle,
  concerns: p.concerns,
});

/**
 * Reads everything the report shows, on the main thread (report-sized data: a few thousand rows at
 * most), into a plain model the layout worker can take by structured clone.
 */
export async function readReportModel(ctx: ProduceContext): Promise<ReportModel> {
  const { prisma } = ctx.db;
  const { request } = ctx;
  const project = await prisma.project.findUnique({ where: { id: request.projectId } });
  if (!project) throw new AppError("NOT_FOUND", `No project with id ${request.projectId}.`, { id: request.projectId });
  const target = JSON.parse(project.targetDemographics) as TargetDemographics;

  const loaded: Loaded[] = [];
  for (const state of studiesToRead(ctx)) {
    if (ctx.signal.aborted) break;
    loaded.push(
      state.kind === "focusGroup"
        ? { state, focusGroup: await loadFocusGroup(prisma, project.id, state.id) }
        : { state, survey: await loadSurvey(prisma, project.id, state.id) },
    );
  }

  // Personas: the ones the studies heard from, and for project/personas scope the project's.
  const studyPersonaIds = (l: Loaded) =>
    "focusGroup" in l
      ? [...l.focusGroup.participantIds, ...l.focusGroup.messages.flatMap((m) => (m.personaId ? [m.personaId] : []))]
      : l.survey.responses.map((r) => r.personaId);
  const heardFrom = new Set(loaded.flatMap(studyPersonaIds));
  const wholeProject = request.scope === "project" || (request.scope === "personas" && request.ids.length === 0);
  const rows = await prisma.persona.findMany({
    where: wholeProject
      ? { projectId: project.id }
      : {
          projectId: project.id,
          id: { in: request.scope === "personas" ? [...new Set(request.ids)] : [...heardFrom] },
        },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const personas = rows.map(toPersona);
  const byId = new Map(personas.map((p) => [p.id, p]));
  if (request.scope === "personas") {
    const missing = request.ids.filter((id) => !byId.has(id));
    if (missing.length) throw new AppError("NOT_FOUND", "Some personas are not in this project.", { ids: missing });
  }

  const sampleOf = (ids: string[]): Sample => {
    const members = [...new Set(ids)].map((id) => byId.get(id)).filter((p): p is Persona => p !== undefined);
    return {
      personaCount: members.length,
      validation: Object.keys(target).length ? validatePersonas(project.id, target, members, ctx.now) : null,
    };
  };

  const sections: StudyReport[] = loaded.map((l) => {
    const meta = (data: {
      row: { id: string; name: string };
      status: string;
    }): Omit<StudyMeta, "dataFrom" | "dataTo" | "sample"> => ({
      id: data.row.id,
      name: data.row.name,
      status: l.state.status || data.status,
      partial: l.state.partial,
    });
    if ("focusGroup" in l) {
      const data = l.focusGroup;
      const speakers = data.messages.flatMap((m) => (m.personaId ? [m.personaId] : []));
      return buildFocusGroupReport(
        data,
        {
          ...meta(data),
          ...messageRange(data.messages),
          sample: sampleOf(speakers.length ? speakers : data.participantIds),
        },
        request.options.includeTranscript,
      );
    }
    const data = l.survey;
    return buildSurveyReport(
      data,
      { ...meta(data), ...responseRange(data.responses), sample: sampleOf(data.responses.map((r) => r.personaId)) },
      target,
      (id) => byId.get(id)?.demographics,
      ctx.responseStyle,
    );
  });

  // The appendix and the report's sample: the selection, the project, or the studies' personas.
  const reportPersonas =
    request.scope === "personas" && request.ids.length > 0
      ? request.ids.map((id) => byId.get(id)!)
      : wholeProject
        ? personas
        : personas.filter((p) => heardFrom.has(p.id));
  const appendix = request.scope === "personas" || request.options.includePersonas ? reportPersonas.map(card) : null;

  return {
    language: request.options.language,
    scope: request.scope,
    exportedAt: ctx.now.toISOString(),
    appVersion: ctx.appVersion,
    plan: ctx.plan,
    project: {
      id: project.id,
      name: project.name,
      description: project.description,
      researchGoal: project.researchGoal,
      targetAudience: project.targetAudience,
    },
    partial: ctx.partial || sections.some((s) => s.study.partial),
    sections,
    personas: Object.fromEntries(personas.map((p) => [p.id, brief(p)])),
    appendix,
    sample: sampleOf(reportPersonas.map((p) => p.id)),
    ...(await generationRuns(ctx, reportPersonas)),
  };
}

/** Which model and seed made the report's personas, one entry per generation run, and what those runs refused. */
async function generationRuns(
  ctx: ProduceContext,
  personas: Persona[],
): Promise<Pick<ReportModel, "generation" | "refusals">> {
  const runIds = [...new Set(personas.flatMap((p) => (p.runId ? [p.runId] : [])))];
  const jobs = runIds.length
    ? await ctx.db.prisma.job.findMany({
        where: { id: { in: runIds }, kind: PERSONA_GENERATION_KIND },
        select: { id: true, params: true, models: true },
      })
    : [];
  const modelsOf = new Map(jobs.map((job) => [job.id, readRunModels(job.models)]));
  const seedOf = new Map(
    jobs.map((job) => {
      const seed = (JSON.parse(job.params) as { seed?: unknown }).seed;
      return [job.id, typeof seed === "number" ? seed : null];
    }),
  );
  const runs = new Map<string, GenerationRun>();
  for (const p of personas) {
    const seed = p.runId ? (seedOf.get(p.runId) ?? null) : null;
    const key = `${p.runId ?? ""}\u0000${p.model}`;
    const run = runs.get(key) ?? {
      model: p.model,
      models: p.runId ? (modelsOf.get(p.runId) ?? []) : [],
      seed,
      personas: 0,
    };
    run.personas++;
    runs.set(key, run);
  }
  return {
    generation: [...runs.values()],
    refusals: await summariseRefusals(ctx.db, { jobIds: jobs.map((job) => job.id) }),
  };
}
