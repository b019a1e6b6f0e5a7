import {
  AppError,
  RESPONSES_WOULD_BE_DELETED,
  RESPONSES_WOULD_BE_REPLACED,
  type JobStatus,
  type ResponseStyleSettings,
  type RouteOutput,
  type RouteParsedInput,
  type Survey,
} from "../../../shared/contract";
import type { PlanId } from "../../../shared/domain/plans";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import { newId } from "../ids";
import { createExclusive } from "../jobs/exclusive";
import type { JobRunner } from "../jobs/runner";
import type { Logger } from "../logger";
import { normalizeQuestions } from "./questions";
import { SURVEY_RUN_KIND, type SurveyRunParams } from "./run-job";
import { surveyResults, surveyResponses } from "./survey-results";
import { surveyStatusFor, toSurvey, type SurveyRow } from "./survey-row";

export interface SurveysServiceDeps {
  db: Database;
  bus: EventBus;
  jobs: JobRunner;
  /** The plan in force, read at each save: the question limit follows a plan change at once. */
  plan: () => PlanId;
  now: () => Date;
  logger: Logger;
  /** Throws PROVIDER_UNAVAILABLE (saying what to set) when no LLM provider is usable. */
  assertProviderReady: () => Promise<void>;
  /** The response-style benchmarks and thresholds in force (the defaults when absent). */
  responseStyle?: () => ResponseStyleSettings;
}

const ACTIVE: JobStatus[] = ["queued", "running"];
const ID_CURSOR = /^[0-9a-z]{26}$/;
const EXPORT_FIRST = "Export them first (CSV, JSON or PDF) to keep a copy";

const responsesText = (count: number) => (count === 1 ? "1 response" : `${count} responses`);

/** Refuses to delete responses the researcher has not agreed to lose; says how many and how to keep them. */
function responsesAtStake(count: number, change: "questions" | "run"): AppError {
  return change === "questions"
    ? new AppError(
        "CONFLICT",
        `Changing the questions would delete this survey's ${responsesText(count)}: they answered the old questions. ` +
          `${EXPORT_FIRST}, then confirm with discardResponses: true. Renaming alone keeps them.`,
        { reason: RESPONSES_WOULD_BE_DELETED, responses: count },
      )
    : new AppError(
        "CONFLICT",
        `Running this survey again replaces the ${responsesText(count)} of its last run. ` +
          `${EXPORT_FIRST}, then confirm with replaceResponses: true.`,
        { reason: RESPONSES_WOULD_BE_REPLACED, responses: count },
      );
}

function checkCursor(cursor: string | undefined) {
  if (cursor !== undefined && !ID_CURSOR.test(cursor)) {
    throw new AppError("VALIDATION_FAILED", "The cursor is not valid for this list.", {
      issues: [{ path: ["cursor"], message: "invalid cursor" }],
    });
  }
}

export function createSurveysService(deps: SurveysServiceDeps) {
  const { prisma } = deps.db;
  const changed = (...tables: string[]) => deps.bus.emit("db.changed", { tables });
  // Per survey: an "is it running?" check and the write it guards (run, edit, delete) must not
  // interleave with another of those on the same survey.
  const exclusive = createExclusive();

  const findProject = async (id: string) => {
    const project = await prisma.project.findUnique({ where: { id } });
    if (!project) throw new AppError("NOT_FOUND", `No project with id ${id}.`, { id });
    return project;
  };
  const find = async (id: string) => {
    const row = await prisma.survey.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No survey with id ${id}.`, { id });
    return row;
  };
  const jobStatuses = async (rows: SurveyRow[]) => {
    const ids = rows.flatMap((row) => (row.jobId ? [row.jobId] : []));
    if (!ids.length) return new Map<string, JobStatus>();
    const jobs = await prisma.job.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
    return new Map(jobs.map((job) => [job.id, job.status as JobStatus]));
  };
  const present = async (rows: SurveyRow[]): Promise<Survey[]> => {
    const [statuses, counts] = await Promise.all([
      jobStatuses(rows),
      prisma.surveyResponse.groupBy({
        by: ["surveyId"],
        where: { surveyId: { in: rows.map((r) => r.id) } },
        _count: { _all: true },
      }),
    ]);
    const countBy = new Map(counts.map((c) => [c.surveyId, c._count._all]));
    return rows.map((row) =>
      toSurvey(row, row.jobId ? (statuses.get(row.jobId) ?? null) : null, countBy.get(row.id) ?? 0),
    );
  };
  const presentOne = async (row: SurveyRow) => (await present([row]))[0]!;

  /** Refuses changes while the survey's run is queued or running. */
  const assertIdle = async (row: SurveyRow, doing: string) => {
    if (!row.jobId) return;
    const job = await prisma.job.findUnique({ where: { id: row.jobId }, select: { status: true } });
    if (job && ACTIVE.includes(job.status as JobStatus)) {
      throw new AppError(
        "CONFLICT",
        `The survey is running; cancel the run or wait for it to finish before you ${doing}.`,
        {
          jobId: row.jobId,
          status: job.status,
        },
      );
    }
  };

  // The Survey.status column follows the run's job (reads derive it from the job row anyway).
  deps.bus.on("job.updated", (job) => {
    if (job.kind !== SURVEY_RUN_KIND) return;
    const status = surveyStatusFor(job.status);
    prisma.survey
      .updateMany({ where: { jobId: job.id, status: { not: status } }, data: { status } })
      .then((result) => {
        if (result.count > 0) changed("Survey");
      })
      .catch((error: unknown) => deps.logger.warn("surveys.status_sync_failed", { jobId: job.id, error }));
  });

  return {
    async create(input: RouteParsedInput<"surveys.create">): Promise<RouteOutput<"surveys.create">> {
      await findProject(input.projectId);
      const questions = normalizeQuestions(input.questions, deps.plan());
      const now = deps.now();
      const row = await prisma.survey.create({
        data: {
          id: newId(now.getTime()),
          projectId: input.projectId,
          name: input.name,
          questions: JSON.stringify(questions),
          createdAt: now,
          updatedAt: now,
        },
      });
      changed("Survey");
      return presentOne(row);
    },

    async list(input: RouteParsedInput<"surveys.list">): Promise<RouteOutput<"surveys.list">> {
      await findProject(input.projectId);
      checkCursor(input.cursor);
      const where = { projectId: input.projectId };
      // Ids are time-ordered, so (id desc) alone is a keyset, newest first.
      const [rows, total] = await Promise.all([
        prisma.survey.findMany({
          where: input.cursor ? { ...where, id: { lt: input.cursor } } : where,
          orderBy: { id: "desc" },
          take: input.limit + 1,
        }),
        prisma.survey.count({ where }),
      ]);
      const page = rows.slice(0, input.limit);
      return {
        items: await present(page),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
        total,
      };
    },

    async get(id: string): Promise<Survey> {
      return presentOne(await find(id));
    },

    /**
     * Renaming keeps everything. New questions make earlier responses and themes meaningless
     * (they answered another questionnaire), so they are deleted and the survey is a draft again,
     * but only when the caller confirmed it with `discardResponses`: otherwise CONFLICT, nothing changed.
     */
    update: (input: RouteParsedInput<"surveys.update">): Promise<RouteOutput<"surveys.update">> =>
      exclusive.run(input.id, async () => {
        const row = await find(input.id);
        await assertIdle(row, "edit it");
        const questions = input.questions
          ? JSON.stringify(normalizeQuestions(input.questions, deps.plan()))
          : row.questions;
        const replaced = questions !== row.questions;
        const updated = await prisma.$transaction(async (tx) => {
          if (replaced) {
            // Counted in the transaction that deletes them: a response saved since the caller
            // looked is one more it did not agree to lose.
            const responses = await tx.surveyResponse.count({ where: { surveyId: row.id } });
            if (responses > 0 && input.discardResponses !== true) throw responsesAtStake(responses, "questions");
            await tx.surveyResponse.deleteMany({ where: { surveyId: row.id } });
          }
          return tx.survey.update({
            where: { id: row.id },
            data: {
              name: input.name ?? row.name,
              questions,
              ...(replaced ? { status: "draft", jobId: null, personaIds: "[]", openThemes: "{}" } : {}),
              updatedAt: deps.now(),
            },
          });
        });
        if (replaced) changed("Survey", "SurveyResponse");
        else changed("Survey");
        return presentOne(updated);
      }),

    remove: (id: string): Promise<{ ok: true }> =>
      exclusive.run(id, async () => {
        const row = await find(id);
        await assertIdle(row, "delete it");
        await prisma.survey.delete({ where: { id } });
        changed("Survey", "SurveyResponse");
        return { ok: true };
      }),

    run: (input: RouteParsedInput<"surveys.run">): Promise<RouteOutput<"surveys.run">> =>
      exclusive.run(input.id, async () => {
        const row = await find(input.id);
        if (row.jobId) {
          const job = await prisma.job.findUnique({ where: { id: row.jobId }, select: { status: true } });
          if (job && ACTIVE.includes(job.status as JobStatus)) {
            throw new AppError("CONFLICT", "This survey is already running; wait for that run or cancel it.", {
              jobId: row.jobId,
            });
          }
        }
        const personaIds = await selectPersonas(row.projectId, input.personaIds);
        await deps.assertProviderReady();
        // Checked last, so a confirmed retry is not refused for another reason. The run deletes
        // these only when it saves its first own response (see run-job), not up front.
        const previous = await prisma.surveyResponse.count({ where: { surveyId: row.id } });
        if (previous > 0 && input.replaceResponses !== true) throw responsesAtStake(previous, "run");
        const params: SurveyRunParams = {
          surveyId: row.id,
          projectId: row.projectId,
          personaIds,
          questions: JSON.parse(row.questions) as SurveyRunParams["questions"],
          ...(input.model ? { model: input.model } : {}),
        };
        const job = await deps.jobs.enqueue(SURVEY_RUN_KIND, params, { projectId: row.projectId });
        await prisma.survey.update({
          where: { id: row.id },
          data: { jobId: job.id, personaIds: JSON.stringify(personaIds), status: "running", updatedAt: deps.now() },
        });
        changed("Survey");
        return { jobId: job.id };
      }),

    responses: (input: RouteParsedInput<"surveys.responses">): Promise<RouteOutput<"surveys.responses">> => {
      checkCursor(input.cursor);
      return surveyResponses(deps.db, find, input);
    },

    results: async (input: RouteParsedInput<"surveys.results">): Promise<RouteOutput<"surveys.results">> =>
      surveyResults(deps.db, await find(input.id), input.crosstab, deps.responseStyle?.()),
  };

  /** The run's personas: the ones asked for (all of this project's), or the default of every persona. */
  async function selectPersonas(projectId: string, requested: string[] | undefined): Promise<string[]> {
    if (requested) {
      const ids = [...new Set(requested)];
      const found = await prisma.persona.findMany({ where: { id: { in: ids }, projectId }, select: { id: true } });
      const known = new Set(found.map((p) => p.id));
      const foreign = ids.filter((id) => !known.has(id));
      if (foreign.length) {
        throw new AppError(
          "VALIDATION_FAILED",
          `These personas are not in the survey's project: ${foreign.slice(0, 10).join(", ")}.`,
          {
            issues: [
              {
                path: ["personaIds"],
                message: `not personas of this project: ${foreign.join(", ")}`,
                code: "custom",
                reason: "not_in_project",
              },
            ],
            personaIds: foreign,
          },
        );
      }
      return ids;
    }
    const all = await prisma.persona.findMany({ where: { projectId }, select: { id: true }, orderBy: { id: "asc" } });
    if (all.length === 0) {
      throw new AppError("VALIDATION_FAILED", "This project has no personas yet: generate personas first.", {
        issues: [
          {
            path: ["personaIds"],
            message: "the project has no personas: generate personas first",
            code: "custom",
            reason: "no_personas",
          },
        ],
      });
    }
    return all.map((p) => p.id);
  }
}

export type SurveysService = ReturnType<typeof createSurveysService>;
