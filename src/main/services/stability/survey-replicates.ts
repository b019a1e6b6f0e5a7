import { AppError, STABILITY_RULES, type SurveyStabilityReport } from "../../../shared/contract";
import { questionStability, replicateSeeds } from "../../../shared/domain/stability";
import type { AnswerValue, ResponseForStats } from "../../../shared/domain/survey-stats";
import type { Database } from "../db/open";
import type { JobContext } from "../jobs/runner";
import type { LlmClient } from "../llm/types";
import { toPersona } from "../personas/persona-row";
import { surveyAnswerRequests } from "../surveys/answer-request";
import { SURVEY_PROMPT_VERSION } from "../surveys/prompt";
import { storedAnswers, type SurveyAnswerOutput } from "../surveys/answer-schema";
import { explainFailure } from "../surveys/run-job";
import { surveyUnit, surveyUnitOutputSchema, type StabilityParams, type SurveyStabilityParams } from "./params";

export interface ReplicateDeps {
  db: Database;
  llm: LlmClient;
  now: () => Date;
}

/**
 * The survey's answering done again `runs` times: every persona answers every question once per
 * run, with the run's seed. Each answer is one unit whose output holds it (the survey's own
 * responses are never touched), so a resumed job asks only the (run, persona) pairs still missing.
 * All pairs are in flight at once, oldest run first; the LLM client's per-provider bulkhead bounds
 * how many calls run together, as in a survey run.
 */
export async function surveyReplicates(
  ctx: JobContext<StabilityParams>,
  params: SurveyStabilityParams,
  deps: ReplicateDeps,
): Promise<SurveyStabilityReport> {
  const { prisma } = deps.db;
  const survey = await prisma.survey.findUnique({ where: { id: params.surveyId } });
  if (!survey) throw new AppError("NOT_FOUND", "The survey was deleted; its stability check cannot continue.");
  const seeds = replicateSeeds(params.baseSeed, params.runs);
  const runs = seeds.map((seed, index) => ({ run: index + 1, seed }));
  await ctx.setTotal(params.runs * params.personaIds.length);

  const pending = runs.flatMap(({ run, seed }) =>
    params.personaIds
      .filter((id) => !ctx.completed.has(surveyUnit(run, id)))
      .map((personaId) => ({ run, seed, personaId })),
  );
  const rows = await prisma.persona.findMany({
    where: { id: { in: [...new Set(pending.map((p) => p.personaId))] }, projectId: params.projectId },
  });
  const personas = new Map(rows.map((row) => [row.id, toPersona(row)]));
  const request = surveyAnswerRequests(survey.name, params.questions, params.model);

  const ask = async ({ run, seed, personaId }: (typeof pending)[number]) => {
    ctx.throwIfCancelled();
    const persona = personas.get(personaId);
    if (!persona) {
      await ctx.saveUnit(surveyUnit(run, personaId), { skipped: "the persona was deleted" });
      return;
    }
    const result = await deps.llm
      .generateJson({
        ...request(persona),
        seed,
        signal: ctx.signal,
        onUsage: (usage, call) => ctx.addUsage(usage, { ...call, promptVersion: SURVEY_PROMPT_VERSION }),
      })
      .catch((error: unknown) => {
        throw explainFailure(error, persona);
      });
    const answers = storedAnswers(params.questions, result.value as SurveyAnswerOutput);
    await ctx.saveUnit(surveyUnit(run, personaId), { answers });
  };
  // allSettled: one persona's failure does not throw away the answers the others are paying for.
  const outcomes = await Promise.allSettled(pending.map(ask));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failure) throw failure.reason;

  const replicates = runs.map(({ run }) => replicateResponses(ctx.completed, params, run));
  const original = params.basisJobId
    ? (
        await prisma.surveyResponse.findMany({
          where: { surveyId: params.surveyId, runId: params.basisJobId },
          orderBy: { id: "asc" },
          select: { personaId: true, answers: true },
        })
      ).map((row) => ({ personaId: row.personaId, answers: JSON.parse(row.answers) as Record<string, AnswerValue> }))
    : [];
  const questions = params.questions.map((question) => questionStability(question, original, replicates));
  const assessed = questions.filter((q) => q.assessed);
  return {
    study: "survey",
    studyId: params.surveyId,
    runs: params.runs,
    baseSeed: params.baseSeed,
    seeds,
    model: params.model ?? null,
    basisJobId: params.basisJobId,
    computedAt: deps.now().toISOString(),
    rules: { ...STABILITY_RULES },
    respondentsPerRun: replicates.map((responses) => responses.length),
    questions,
    stableQuestions: assessed.filter((q) => q.stable).length,
    assessedQuestions: assessed.length,
  };
}

/** One run's responses, read back from its saved units (in the order of the job's personas). */
export function replicateResponses(
  completed: ReadonlyMap<string, unknown>,
  params: Pick<SurveyStabilityParams, "personaIds">,
  run: number,
): ResponseForStats[] {
  return params.personaIds.flatMap((personaId) => {
    const output = surveyUnitOutputSchema.safeParse(completed.get(surveyUnit(run, personaId)));
    if (!output.success) {
      throw new AppError("INTERNAL", `The saved answers of run ${run} are missing or unreadable.`, { run, personaId });
    }
    return "answers" in output.data ? [{ personaId, answers: output.data.answers }] : [];
  });
}
