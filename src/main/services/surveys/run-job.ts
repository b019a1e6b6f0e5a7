import { z } from "zod";
import { AppError, isAppError, type Persona, questionSchema, type Question } from "../../../shared/contract";
import type { AnswerValue, OpenThemes } from "../../../shared/domain/survey-stats";
import type { Database } from "../db/open";
import { newId } from "../ids";
import type { JobContext, JobHandler } from "../jobs/runner";
import type { LlmClient } from "../llm/types";
import type { Logger } from "../logger";
import { toPersona } from "../personas/persona-row";
import { SURVEY_ANSWER_ATTEMPTS, surveyAnswerRequests } from "./answer-request";
import { storedAnswers } from "./answer-schema";
import { themesFor } from "./open-themes";
import { SURVEY_PROMPT_VERSION } from "./prompt";

type Tx = Parameters<Parameters<Database["prisma"]["$transaction"]>[0]>[0];

export const SURVEY_RUN_KIND = "surveys.run";
export { SURVEY_ANSWER_ATTEMPTS };

/**
 * Units: one per persona, then "open-themes". The previous run's responses (and its themes) are
 * deleted in the transaction that saves this run's first response, so a run that fails before
 * answering anything leaves them as they were. "reset" is the unit that deleted them up front in
 * runs started by earlier versions; such a run can still be resumed.
 */
export const RESET_UNIT = "reset";
export const THEMES_UNIT = "open-themes";
export const personaUnit = (personaId: string) => `persona/${personaId}`;

export const surveyRunParamsSchema = z.object({
  surveyId: z.string(),
  projectId: z.string(),
  personaIds: z.array(z.string()).min(1),
  /** The questionnaire as it was when the run started: a resumed run asks the same questions. */
  questions: z.array(questionSchema).min(1),
  model: z.string().optional(),
});
export type SurveyRunParams = z.infer<typeof surveyRunParamsSchema>;

export interface SurveyRunDeps {
  db: Database;
  llm: LlmClient;
  logger: Logger;
  now: () => Date;
}

export function surveyRunJob(deps: SurveyRunDeps): JobHandler<SurveyRunParams> {
  const { prisma } = deps.db;

  /** A resumed run must not overwrite a newer run, nor answer questions that were edited since. */
  const assertCurrent = async (ctx: JobContext<SurveyRunParams>) => {
    const { surveyId, projectId, questions } = ctx.params;
    const survey = await prisma.survey.findUnique({ where: { id: surveyId } });
    if (!survey) throw new AppError("NOT_FOUND", "The survey was deleted; this run cannot continue.", { surveyId });
    const newer = await prisma.job.findFirst({
      where: {
        kind: SURVEY_RUN_KIND,
        projectId,
        id: { gt: ctx.jobId },
        params: { contains: `"surveyId":"${surveyId}"` },
      },
      select: { id: true },
    });
    if (newer) {
      throw new AppError(
        "CONFLICT",
        "A newer run of this survey replaced this one; its responses are the current ones.",
        {
          surveyId,
          jobId: newer.id,
        },
      );
    }
    if (survey.questions !== JSON.stringify(questions)) {
      throw new AppError("CONFLICT", "The survey's questions changed since this run started; run the survey again.", {
        surveyId,
      });
    }
    return survey;
  };

  return {
    kind: SURVEY_RUN_KIND,
    promptVersion: SURVEY_PROMPT_VERSION,
    params: surveyRunParamsSchema,
    async run(ctx) {
      const { params } = ctx;
      const survey = await assertCurrent(ctx);
      await ctx.setTotal(params.personaIds.length + 1 + (ctx.completed.has(RESET_UNIT) ? 1 : 0));
      if (survey.jobId !== ctx.jobId) {
        await prisma.survey.update({ where: { id: params.surveyId }, data: { jobId: ctx.jobId, status: "running" } });
      }

      // Only other runs' responses go (a resumed run keeps what it already paid for), and only
      // together with a response of this run: until then the previous run's stay readable.
      let previousDeleted = false;
      const deletePrevious = (tx: Tx) =>
        tx.surveyResponse.deleteMany({ where: { surveyId: params.surveyId, runId: { not: ctx.jobId } } });

      const pending = params.personaIds.filter((id) => !ctx.completed.has(personaUnit(id)));
      const rows = await prisma.persona.findMany({ where: { id: { in: pending }, projectId: params.projectId } });
      const personas = new Map(rows.map((row) => [row.id, toPersona(row)]));
      ctx.progress({ key: "surveys.asking", params: { count: pending.length } });

      const request = surveyAnswerRequests(survey.name, params.questions, params.model);
      const ask = async (personaId: string) => {
        ctx.throwIfCancelled();
        const persona = personas.get(personaId);
        if (!persona) {
          await ctx.saveUnit(personaUnit(personaId), { skipped: "the persona was deleted" });
          return;
        }
        const result = await deps.llm
          .generateJson({
            ...request(persona),
            signal: ctx.signal,
            onUsage: (usage, call) => ctx.addUsage(usage, call),
          })
          .catch((error: unknown) => {
            throw explainFailure(error, persona);
          });
        const answers = storedAnswers(
          params.questions,
          result.value as { answers: Record<string, AnswerValue | undefined> },
        );
        const now = deps.now();
        const id = newId(now.getTime());
        const first = !previousDeleted;
        await ctx.saveUnit(personaUnit(personaId), id, {
          tables: first ? ["Survey", "SurveyResponse"] : ["SurveyResponse"],
          write: async (tx) => {
            if (first) {
              await deletePrevious(tx);
              // The previous run's themes quote the responses that just went.
              await tx.survey.update({ where: { id: params.surveyId }, data: { openThemes: "{}", updatedAt: now } });
            }
            await tx.surveyResponse.create({
              data: {
                id,
                surveyId: params.surveyId,
                personaId,
                answers: JSON.stringify(answers),
                runId: ctx.jobId,
                createdAt: now,
              },
            });
          },
        });
        previousDeleted = true;
      };

      // All personas in flight at once; the LLM client's per-provider bulkhead bounds concurrency.
      // allSettled: a persona that fails does not discard the answers others are still paying for.
      const outcomes = await Promise.allSettled(pending.map(ask));
      const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
      if (failure) throw failure.reason;

      const openQuestions = params.questions.filter((q) => q.type === "open_ended");
      if (!ctx.completed.has(THEMES_UNIT)) {
        ctx.progress(
          openQuestions.length
            ? { key: "surveys.grouping", params: { count: openQuestions.length } }
            : { key: "surveys.finishing", params: {} },
        );
        const themes = await openThemes(ctx, deps, openQuestions);
        await ctx.saveUnit(
          THEMES_UNIT,
          { questions: Object.keys(themes) },
          {
            tables: ["Survey", "SurveyResponse"],
            write: async (tx) => {
              // A run whose personas were all deleted saved no response; it still replaces the previous run.
              await deletePrevious(tx);
              await tx.survey.update({
                where: { id: params.surveyId },
                data: { openThemes: JSON.stringify(themes), status: "completed", updatedAt: deps.now() },
              });
            },
          },
        );
      }
      const responses = await prisma.surveyResponse.count({ where: { surveyId: params.surveyId, runId: ctx.jobId } });
      return { surveyId: params.surveyId, responses, openThemeQuestions: openQuestions.map((q) => q.id) };
    },
  };
}

async function openThemes(
  ctx: JobContext<SurveyRunParams>,
  deps: SurveyRunDeps,
  questions: Question[],
): Promise<OpenThemes> {
  if (questions.length === 0) return {};
  const rows = await deps.db.prisma.surveyResponse.findMany({
    where: { surveyId: ctx.params.surveyId, runId: ctx.jobId },
    select: { personaId: true, answers: true },
  });
  // In the run's persona order, not the order the answers happened to arrive in: the themes
  // prompt is then the same on every run of the same recipe.
  const place = new Map(ctx.params.personaIds.map((id, index) => [id, index]));
  rows.sort((x, y) => (place.get(x.personaId) ?? place.size) - (place.get(y.personaId) ?? place.size));
  const responses = rows.map((row) => ({
    personaId: row.personaId,
    answers: JSON.parse(row.answers) as Record<string, AnswerValue>,
  }));
  const entries = await Promise.all(
    questions.map(async (question) => {
      const answers = responses.flatMap(({ personaId, answers }) => {
        const value = answers[question.id];
        return typeof value === "string" && value.trim() ? [{ personaId, answer: value }] : [];
      });
      const themes = await themesFor(question, answers, {
        llm: deps.llm,
        model: ctx.params.model,
        signal: ctx.signal,
        onUsage: (usage, call) => ctx.addUsage(usage, call),
      });
      return [question.id, themes] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Names the persona whose answers stayed invalid, and says what was kept. */
export function explainFailure(error: unknown, persona: Persona): unknown {
  if (!isAppError(error) || error.code !== "PROVIDER_UNAVAILABLE") return error;
  const details = (error.details ?? {}) as { reason?: string; issues?: string[] };
  if (details.reason !== "invalid_output") return error;
  return new AppError(
    "PROVIDER_UNAVAILABLE",
    `The model's answers for ${persona.name} were still invalid after ${SURVEY_ANSWER_ATTEMPTS} attempts (${(details.issues ?? []).slice(0, 3).join("; ")}). ` +
      "No invalid answer was saved; the responses saved so far are kept, and resuming asks only the remaining personas.",
    { ...details, personaId: persona.id },
  );
}
