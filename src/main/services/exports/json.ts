/**
 * JSON producer (issue 5): the export document of src/shared/contract/export-document.ts, whose JSON
 * Schema is committed as schemas/export.schema.json.
 *
 * Streamed: the document is written in key order (metadata, project, personaValidation, personas,
 * focusGroups, surveys), each array element by element in keyset pages read with the raw client
 * (one element per line), so memory stays flat however many personas, messages or responses there
 * are; output leaves in chunks of about CHUNK_CHARS with backpressure. A survey's `results` come
 * before its `responses`: one question at a time, SQLite counts the respondents per (answer, slot)
 * and the counts are aggregated with the results route's rules (summarizeQuestion and crossTabulate,
 * whose output the tests compare against), with a cross-tab for every dimension of the target.
 *
 * Scopes: project = everything; personas = the personas asked for (all when `ids` is empty) and the
 * project's persona validation; focusGroup = that focus group and its participants; survey = that
 * survey and the personas who answered it. Parts outside the scope are empty arrays,
 * and personaValidation is null for a study scope. The insights are those of the latest analysis that
 * completed (a re-analysis that failed or is still running does not replace them). Each study carries
 * its latest finished stability check (services/stability/latest.ts), or null.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setImmediate as breathe } from "node:timers/promises";
import type { InValue } from "@libsql/client";
import {
  AppError,
  EXPORT_GENERATOR,
  EXPORT_SCHEMA_VERSION,
  SYNTHETIC_DATA_LABEL,
  type ExportFocusGroup,
  type ExportMetadata,
  type ExportSurvey,
  type FocusGroup,
  type Question,
  type RunModel,
  type Survey,
  type Usage,
} from "../../../shared/contract";
import type { TargetDemographics } from "../../../shared/domain/demographics";
import {
  crossTabulateGroups,
  summarizeGroups,
  validAnswer,
  type AnswerGroup,
  type AnswerValue,
  type Crosstab,
  type QuestionResult,
} from "../../../shared/domain/survey-stats";
import type {
  FocusGroup as FocusGroupRow,
  Persona as PersonaRow,
  Project as ProjectRow,
  Survey as SurveyRow,
} from "../db/generated/client";
import { ANALYSIS_KIND } from "../focus-groups/analysis-job";
import { readRunModels } from "../jobs/job-row";
import { toInsight, toMessage, type MessageRow } from "../focus-groups/rows";
import { toPersona } from "../personas/persona-row";
import { validatePersonas } from "../personas/validation";
import { toProject } from "../projects/projects-service";
import { latestStabilityReport } from "../stability/latest";
import { openThemesOf, questionsOf, toSurveyResponse, type SurveyResponseRow } from "../surveys/survey-row";
import { Chunker, count, isoDate, keysetPages, numOrNull, slotCounts, str, studyInfo, throttledProgress } from "./csv";
import type { ProduceContext, Producer } from "./types";

/** Elements per query. */
const PAGE = 250;
/** Respondents per aggregation query of the survey results (each query about 20 ms on 2 cores). */
const RESULTS_PAGE = 2000;

export const produceJson: Producer = async (ctx, target) => {
  // highWaterMark 1: one chunk waits while the previous one is written, no queue of them.
  await pipeline(
    Readable.from(documentChunks(ctx), { highWaterMark: 1 }),
    fs.createWriteStream(target, { flags: "wx" }),
    { signal: ctx.signal },
  );
};

const dateOf = (value: unknown) => new Date(isoDate(value));

/** `{"a":1,"b":2}` → `{"a":1,"b":2,` so that streamed keys can follow. */
const openObject = (value: object) => `${JSON.stringify(value).slice(0, -1)},`;

/** The separator before each array element: one element per line. */
function separator() {
  let first = true;
  return () => {
    const text = first ? "\n" : ",\n";
    first = false;
    return text;
  };
}

interface PersonaSelection {
  where: string;
  args: InValue[];
}

interface Plan {
  project: ProjectRow;
  personas: PersonaSelection;
  validation: boolean;
  focusGroups: FocusGroupRow[];
  surveys: SurveyRow[];
}

async function planScope(ctx: ProduceContext): Promise<Plan> {
  const { prisma } = ctx.db;
  const { scope, ids, projectId } = ctx.request;
  const project = await prisma.project.findUnique({ where: { id: projectId } });
  if (!project) throw new AppError("NOT_FOUND", `No project with id ${projectId}.`, { id: projectId });
  // `+p.projectId`: personas are paged along the primary key (id); the (projectId, createdAt, id)
  // index would make SQLite sort the project's personas again for every page.
  const inProject: PersonaSelection = { where: "+p.projectId = ?", args: [project.id] };
  switch (scope) {
    case "project":
      return {
        project,
        personas: inProject,
        validation: true,
        focusGroups: await prisma.focusGroup.findMany({ where: { projectId }, orderBy: { id: "asc" } }),
        surveys: await prisma.survey.findMany({ where: { projectId }, orderBy: { id: "asc" } }),
      };
    case "personas":
      return {
        project,
        personas: ids.length
          ? {
              where: "+p.projectId = ? AND p.id IN (SELECT value FROM json_each(?))",
              args: [project.id, JSON.stringify(ids)],
            }
          : inProject,
        validation: true,
        focusGroups: [],
        surveys: [],
      };
    case "focusGroup": {
      const fg = await prisma.focusGroup.findUnique({ where: { id: ids[0] ?? "" } });
      if (!fg || fg.projectId !== projectId)
        throw new AppError("NOT_FOUND", `No focus group ${ids[0]} in this project.`);
      return {
        project,
        personas: {
          where: "+p.projectId = ? AND p.id IN (SELECT value FROM json_each(?))",
          args: [project.id, fg.participantIds],
        },
        validation: false,
        focusGroups: [fg],
        surveys: [],
      };
    }
    case "survey": {
      const survey = await prisma.survey.findUnique({ where: { id: ids[0] ?? "" } });
      if (!survey || survey.projectId !== projectId)
        throw new AppError("NOT_FOUND", `No survey ${ids[0]} in this project.`);
      return {
        project,
        personas: {
          where:
            "+p.projectId = ? AND EXISTS (SELECT 1 FROM SurveyResponse r WHERE r.surveyId = ? AND r.personaId = p.id)",
          args: [project.id, survey.id],
        },
        validation: false,
        focusGroups: [],
        surveys: [survey],
      };
    }
  }
}

async function* documentChunks(ctx: ProduceContext): AsyncGenerator<string> {
  const plan = await planScope(ctx);
  const target = JSON.parse(plan.project.targetDemographics) as TargetDemographics;

  const personaTotal = await count(ctx, `SELECT count(*) AS n FROM Persona p WHERE ${plan.personas.where}`, [
    ...plan.personas.args,
  ]);
  const messageTotals = await Promise.all(
    plan.focusGroups.map((fg) =>
      count(ctx, "SELECT count(*) AS n FROM FocusGroupMessage WHERE focusGroupId = ?", [fg.id]),
    ),
  );
  const responseTotals = await Promise.all(
    plan.surveys.map((s) => count(ctx, "SELECT count(*) AS n FROM SurveyResponse WHERE surveyId = ?", [s.id])),
  );
  // Units: every element written, plus each survey's responses once more for the results passes.
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const total = personaTotal + sum(messageTotals) + 2 * sum(responseTotals);
  let done = 0;

  const metadata: ExportMetadata = {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    generator: { name: EXPORT_GENERATOR, version: ctx.appVersion },
    exportedAt: ctx.now.toISOString(),
    scope: ctx.request.scope,
    ids: [...ctx.request.ids],
    partial: ctx.partial,
    studies: ctx.studies.map(({ kind, id, name, status, partial }) => ({ kind, id, name, status, partial })),
    synthetic: true,
    syntheticDataLabel: SYNTHETIC_DATA_LABEL,
  };
  const validation = plan.validation ? await personaValidation(ctx, plan.project.id, target) : null;
  // Everything goes out through one chunker, in chunks of about CHUNK_CHARS (see csv.ts).
  const chunker = new Chunker();
  function* emit(text: string) {
    const chunk = chunker.add(text);
    if (chunk) yield chunk;
  }
  yield* emit(
    `{"metadata":${JSON.stringify(metadata)},\n"project":${JSON.stringify(toProject(plan.project))},\n` +
      `"personaValidation":${JSON.stringify(validation)},\n"personas":[`,
  );

  // Personas
  let progress = throttledProgress(ctx, { key: "exports.personas", params: {} });
  progress(done, total, true);
  let next = separator();
  const personaSql = `SELECT p.* FROM Persona p WHERE ${plan.personas.where} AND p.id > ? ORDER BY p.id LIMIT ?`;
  for await (const page of keysetPages(ctx, personaSql, plan.personas.args, "id", "", PAGE)) {
    for (const row of page) {
      const persona = toPersona({
        ...(row as unknown as PersonaRow),
        createdAt: dateOf(row.createdAt),
        updatedAt: dateOf(row.updatedAt),
      });
      yield* emit(next() + JSON.stringify(persona));
    }
    done += page.length;
    progress(done, total);
  }
  yield* emit('],\n"focusGroups":[');

  // Focus groups
  next = separator();
  for (const [index, fg] of plan.focusGroups.entries()) {
    progress = throttledProgress(ctx, { key: "exports.focusGroup", params: { name: fg.name } });
    progress(done, total, true);
    const head = await focusGroupHead(ctx, fg, messageTotals[index]!);
    yield* emit(`${next()}${openObject(head)}"messages":[`);
    const element = separator();
    const sql = "SELECT * FROM FocusGroupMessage WHERE focusGroupId = ? AND seq > ? ORDER BY seq LIMIT ?";
    for await (const page of keysetPages(ctx, sql, [fg.id], "seq", Number.MIN_SAFE_INTEGER, PAGE)) {
      for (const row of page) {
        const message = toMessage({ ...(row as unknown as MessageRow), createdAt: dateOf(row.createdAt) });
        yield* emit(element() + JSON.stringify(message));
      }
      done += page.length;
      progress(done, total);
    }
    yield* emit("]}");
  }
  yield* emit('],\n"surveys":[');

  // Surveys
  next = separator();
  for (const [index, survey] of plan.surveys.entries()) {
    progress = throttledProgress(ctx, { key: "exports.survey", params: { name: survey.name } });
    progress(done, total, true);
    const respondents = responseTotals[index]!;
    const head = await surveyHead(ctx, survey, respondents, target, (units) => {
      done += units;
      progress(done, total);
    });
    yield* emit(`${next()}${openObject(head)}"responses":[`);
    const element = separator();
    const sql =
      "SELECT id, surveyId, personaId, answers, runId, createdAt FROM SurveyResponse " +
      "WHERE surveyId = ? AND personaId > ? ORDER BY personaId LIMIT ?";
    for await (const page of keysetPages(ctx, sql, [survey.id], "personaId", "", PAGE)) {
      for (const row of page) {
        const response = toSurveyResponse({
          ...(row as unknown as SurveyResponseRow),
          createdAt: dateOf(row.createdAt),
        });
        yield* emit(element() + JSON.stringify(response));
      }
      done += page.length;
      progress(done, total);
    }
    yield* emit("]}");
  }
  yield* emit("]}\n");
  const rest = chunker.flush();
  if (rest) yield rest;
  progress(total, total, true);
}

/** Chi-square validation of all the project's personas, from one count per distinct slot. */
async function personaValidation(ctx: ProduceContext, projectId: string, target: TargetDemographics) {
  // validatePersonas takes one entry per persona; personas in the same slot share one object.
  const personas: { demographics: Record<string, string> }[] = [];
  for (const [slot, count] of await slotCounts(ctx, projectId)) {
    const entry = { demographics: JSON.parse(slot || "{}") as Record<string, string> };
    for (let i = count; i > 0; i--) personas.push(entry);
  }
  return validatePersonas(projectId, target, personas, ctx.now);
}

// ---------------------------------------------------------------------------------------------
// Focus groups

type FocusGroupHead = Omit<ExportFocusGroup, "messages">;

async function focusGroupHead(ctx: ProduceContext, fg: FocusGroupRow, messageCount: number): Promise<FocusGroupHead> {
  const { prisma } = ctx.db;
  const study = await studyInfo(ctx, "focusGroup", fg.id, fg.jobId);
  let analysis = fg.analysisJobId ? await prisma.job.findUnique({ where: { id: fg.analysisJobId } }) : null;
  if (analysis?.status !== "succeeded") {
    analysis = await prisma.job.findFirst({
      where: { kind: ANALYSIS_KIND, status: "succeeded", params: { contains: JSON.stringify(fg.id) } },
      orderBy: { id: "desc" },
    });
  }
  const insights = analysis
    ? (await prisma.insight.findMany({ where: { analysisId: analysis.id }, orderBy: { seq: "asc" } })).map(toInsight)
    : [];
  return {
    id: fg.id,
    projectId: fg.projectId,
    name: fg.name,
    status: study.status as FocusGroup["status"],
    participantIds: JSON.parse(fg.participantIds) as string[],
    guide: JSON.parse(fg.guide) as FocusGroup["guide"],
    settings: JSON.parse(fg.settings) as FocusGroup["settings"],
    jobId: fg.jobId,
    analysisJobId: fg.analysisJobId,
    messageCount,
    createdAt: fg.createdAt.toISOString(),
    updatedAt: fg.updatedAt.toISOString(),
    partial: study.partial,
    analysis: analysis ? { jobId: analysis.id, usage: JSON.parse(analysis.usage) as Usage } : null,
    models: { discussion: await jobModels(ctx, fg.jobId), analysis: readRunModels(analysis?.models) },
    insights,
    sentiment: await sentimentSummary(ctx, fg.id),
    stability: await latestStabilityReport(prisma, "focusGroup", fg.id),
  };
}

/** What a study's run recorded it used. */
async function jobModels(ctx: ProduceContext, jobId: string | null): Promise<RunModel[]> {
  if (!jobId) return [];
  const job = await ctx.db.prisma.job.findUnique({ where: { id: jobId }, select: { models: true } });
  return readRunModels(job?.models);
}

/** Mean sentiment of the participants' messages (as the insights route computes it), in SQL. */
async function sentimentSummary(ctx: ProduceContext, focusGroupId: string): Promise<ExportFocusGroup["sentiment"]> {
  const where = "FROM FocusGroupMessage WHERE focusGroupId = ? AND speakerType = 'persona'";
  const [byQuestion, byPersona, overall] = await Promise.all([
    ctx.db.raw.execute({
      sql: `SELECT questionIndex AS q, avg(sentiment) AS mean, count(*) AS n ${where} GROUP BY questionIndex ORDER BY questionIndex`,
      args: [focusGroupId],
    }),
    ctx.db.raw.execute({
      // The bare speakerName comes from the row of min(seq): the name the persona first spoke under.
      sql: `SELECT personaId AS id, speakerName AS name, min(seq) AS first, avg(sentiment) AS mean, count(*) AS n ${where} GROUP BY personaId ORDER BY first`,
      args: [focusGroupId],
    }),
    ctx.db.raw.execute({ sql: `SELECT avg(sentiment) AS mean ${where}`, args: [focusGroupId] }),
  ]);
  return {
    byQuestion: byQuestion.rows.map((r) => ({
      questionIndex: Number(r.q),
      mean: numOrNull(r.mean),
      messages: Number(r.n),
    })),
    byPersona: byPersona.rows.map((r) => ({
      personaId: str(r.id),
      name: str(r.name),
      mean: numOrNull(r.mean),
      messages: Number(r.n),
    })),
    overall: numOrNull(overall.rows[0]?.mean),
  };
}

// ---------------------------------------------------------------------------------------------
// Surveys

type SurveyHead = Omit<ExportSurvey, "responses">;

async function surveyHead(
  ctx: ProduceContext,
  survey: SurveyRow,
  respondents: number,
  target: TargetDemographics,
  advance: (units: number) => void,
): Promise<SurveyHead> {
  const study = await studyInfo(ctx, "survey", survey.id, survey.jobId);
  const questions = questionsOf(survey);
  const themes = openThemesOf(survey);
  const dimensions = Object.keys(target);
  const summaries: QuestionResult[] = [];
  const crosstabsByDimension: Crosstab[][] = dimensions.map(() => []);
  const perQuestion = Math.floor(respondents / Math.max(1, questions.length));
  for (const question of questions) {
    const groups = await answerGroups(ctx, survey.id, question);
    summaries.push(summarizeGroups(question, groups, themes, ctx.responseStyle));
    dimensions.forEach((dimension, d) => {
      const table = crossTabulateGroups(question, groups, dimension, Object.keys(target[dimension]!));
      if (table) crosstabsByDimension[d]!.push(table);
    });
    advance(perQuestion);
    await breathe();
  }
  advance(respondents - perQuestion * questions.length);

  return {
    id: survey.id,
    projectId: survey.projectId,
    name: survey.name,
    status: study.status as Survey["status"],
    questions,
    personaIds: JSON.parse(survey.personaIds) as string[],
    jobId: survey.jobId,
    responseCount: respondents,
    createdAt: survey.createdAt.toISOString(),
    updatedAt: survey.updatedAt.toISOString(),
    partial: study.partial,
    results: { surveyId: survey.id, respondents, questions: summaries, crosstabs: crosstabsByDimension.flat() },
    models: await jobModels(ctx, survey.jobId),
    stability: await latestStabilityReport(ctx.db.prisma, "survey", survey.id),
  };
}

// ---------------------------------------------------------------------------------------------
// Survey results over counted answers
//
// summarizeQuestion and crossTabulate (shared/domain/survey-stats) take one entry per respondent:
// for 50,000 respondents × 20 questions × (1 + dimensions) calls they allocate a few GB and hold
// the event loop 15-70 ms per call. The results only depend on how many respondents gave each
// valid answer in each slot, so the export counts (answer, slot) pairs in SQLite and aggregates
// the counts with the same rules, in the same order of floating-point operations.
// tests/exports/json.test.ts checks that both give equal results on random surveys.

/**
 * One question's valid answers, counted per (answer, slot), a page of respondents at a time.
 * Open answers are counted as answered (their text does not enter the results; the themes come
 * from the stored analysis), with the first answer standing for the others.
 */
async function answerGroups(ctx: ProduceContext, surveyId: string, question: Question): Promise<AnswerGroup[]> {
  const path = `$.${JSON.stringify(question.id)}`;
  const slots = new Map<string | null, { id: number; slot: Record<string, string> | undefined }>();
  const valid = new Map<string, NonNullable<AnswerValue> | null>();
  const groups = new Map<string, AnswerGroup>();
  const sql =
    "SELECT v, d, count(*) AS n, max(pid) AS last FROM (" +
    "SELECT r.personaId AS pid, r.answers -> ? AS v, p.demographics AS d FROM SurveyResponse r " +
    "LEFT JOIN Persona p ON p.id = r.personaId WHERE r.surveyId = ? AND r.personaId > ? " +
    "ORDER BY r.personaId LIMIT ?) GROUP BY v, d";
  let after = "";
  for (;;) {
    ctx.signal.throwIfAborted();
    const { rows } = await ctx.db.raw.execute({ sql, args: [path, surveyId, after, RESULTS_PAGE] });
    let seen = 0;
    for (const row of rows) {
      const count = Number(row.n);
      seen += count;
      if (str(row.last) > after) after = str(row.last);
      if (row.v === null) continue;
      const json = str(row.v);
      let value: NonNullable<AnswerValue> | null | undefined;
      let key: string;
      if (question.type === "open_ended") {
        value = validAnswer(question, JSON.parse(json) as AnswerValue);
        key = "answered";
      } else {
        value = valid.get(json);
        if (value === undefined) valid.set(json, (value = validAnswer(question, JSON.parse(json) as AnswerValue)));
        key = json;
      }
      if (value === null) continue;
      const slotJson = row.d === null ? null : str(row.d);
      let slot = slots.get(slotJson);
      if (!slot) {
        slot = {
          id: slots.size,
          slot: slotJson === null ? undefined : (JSON.parse(slotJson) as Record<string, string>),
        };
        slots.set(slotJson, slot);
      }
      const groupKey = `${slot.id}\u0000${key}`;
      const group = groups.get(groupKey);
      if (group) group.count += count;
      else groups.set(groupKey, { value, slot: slot.slot, count });
    }
    if (seen < RESULTS_PAGE) break;
    await breathe();
  }
  return [...groups.values()];
}
