import { randomInt } from "node:crypto";
import {
  ACTIVE_JOB_STATUSES,
  AppError,
  STABILITY_JOB_KIND,
  type FocusGroupSettings,
  type JobStatus,
  type Question,
  type RouteOutput,
  type RouteParsedInput,
  type StabilityStudy,
} from "../../../shared/contract";
import type { Database } from "../db/open";
import { questionAnalysisRequest } from "../focus-groups/analysis-job";
import { createExclusive } from "../jobs/exclusive";
import { toJob } from "../jobs/job-row";
import type { JobRunner } from "../jobs/runner";
import type { LlmSettingsStore } from "../llm/settings-store";
import { toPersona } from "../personas/persona-row";
import { estimateAnalysisStability, estimateSurveyStability } from "./estimate";
import { currentAnalysis, latestStabilityJob, latestStabilityReport } from "./latest";
import type { FocusGroupStabilityParams, SurveyStabilityParams } from "./params";

export interface StabilityServiceDeps {
  db: Database;
  jobs: JobRunner;
  llmSettings: LlmSettingsStore;
  /** Throws PROVIDER_UNAVAILABLE (saying what to set) when no LLM provider is usable. */
  assertProviderReady: () => Promise<void>;
}

const isActive = (status: string) => ACTIVE_JOB_STATUSES.includes(status as JobStatus);

export function createStabilityService(deps: StabilityServiceDeps) {
  const { prisma } = deps.db;
  // "Is a check running? then enqueue" must not interleave: two clicks must not start two checks.
  const exclusive = createExclusive();

  const findSurvey = async (id: string) => {
    const row = await prisma.survey.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No survey with id ${id}.`, { id });
    return row;
  };
  const findFocusGroup = async (id: string) => {
    const row = await prisma.focusGroup.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No focus group with id ${id}.`, { id });
    return row;
  };
  const jobOf = (id: string | null) => (id ? prisma.job.findUnique({ where: { id } }) : Promise.resolve(null));

  /** What a survey's check reruns: its questionnaire, over the personas of its last run that still exist. */
  const surveyPlan = async (id: string) => {
    const row = await findSurvey(id);
    const run = await jobOf(row.jobId);
    const personaIds = JSON.parse(row.personaIds) as string[];
    const personas = (
      await prisma.persona.findMany({
        where: { id: { in: personaIds }, projectId: row.projectId },
        orderBy: { id: "asc" },
      })
    ).map(toPersona);
    const model = run ? (JSON.parse(run.params) as { model?: unknown }).model : undefined;
    return {
      row,
      run,
      personas,
      questions: JSON.parse(row.questions) as Question[],
      model: typeof model === "string" ? model : undefined,
    };
  };

  /** What a focus group's check reruns: the analysis of each guide question of its finished discussion. */
  const focusGroupPlan = async (id: string) => {
    const row = await findFocusGroup(id);
    const messages = await prisma.focusGroupMessage.findMany({ where: { focusGroupId: id }, orderBy: { seq: "asc" } });
    return { row, messages, discussion: await jobOf(row.jobId), analysis: await currentAnalysis(prisma, id) };
  };

  const assertNoActiveCheck = async (study: StabilityStudy, id: string) => {
    const latest = await latestStabilityJob(prisma, study, id);
    if (latest && isActive(latest.status)) {
      throw new AppError("CONFLICT", "A stability check of this study is already running.", { jobId: latest.id });
    }
  };

  const startSurvey = async (input: RouteParsedInput<"stability.start">) => {
    const plan = await surveyPlan(input.id);
    if (plan.run && isActive(plan.run.status)) {
      throw new AppError("CONFLICT", "The survey is running; wait for it to finish before checking its stability.");
    }
    if (plan.run?.status !== "succeeded") {
      throw new AppError("CONFLICT", "Run the survey to the end before checking its stability.", {
        status: plan.run?.status ?? null,
      });
    }
    if (plan.personas.length === 0) {
      throw new AppError("CONFLICT", "None of the personas who answered this survey exist any more.");
    }
    await assertNoActiveCheck("survey", input.id);
    await deps.assertProviderReady();
    const params: SurveyStabilityParams = {
      study: "survey",
      projectId: plan.row.projectId,
      runs: input.runs,
      baseSeed: input.seed ?? randomInt(0, 2 ** 31 - 1),
      surveyId: plan.row.id,
      basisJobId: plan.row.jobId,
      personaIds: plan.personas.map((p) => p.id),
      questions: plan.questions,
      ...(plan.model ? { model: plan.model } : {}),
    };
    const job = await deps.jobs.enqueue(STABILITY_JOB_KIND, params, { projectId: plan.row.projectId });
    return { jobId: job.id };
  };

  const startFocusGroup = async (input: RouteParsedInput<"stability.start">) => {
    const plan = await focusGroupPlan(input.id);
    if (plan.discussion?.status !== "succeeded" || plan.messages.length === 0) {
      throw new AppError("CONFLICT", "Finish the discussion before checking the stability of its analysis.", {
        status: plan.discussion?.status ?? null,
      });
    }
    if (!plan.analysis) {
      throw new AppError("CONFLICT", "Analyse the focus group before checking the stability of its analysis.");
    }
    await assertNoActiveCheck("focusGroup", input.id);
    await deps.assertProviderReady();
    const params: FocusGroupStabilityParams = {
      study: "focusGroup",
      projectId: plan.row.projectId,
      runs: input.runs,
      baseSeed: input.seed ?? randomInt(0, 2 ** 31 - 1),
      focusGroupId: plan.row.id,
      basisJobId: plan.analysis.id,
    };
    const job = await deps.jobs.enqueue(STABILITY_JOB_KIND, params, { projectId: plan.row.projectId });
    return { jobId: job.id };
  };

  return {
    async estimate(input: RouteParsedInput<"stability.estimate">): Promise<RouteOutput<"stability.estimate">> {
      const llm = deps.llmSettings.get();
      if (input.study === "survey") {
        const plan = await surveyPlan(input.id);
        return estimateSurveyStability(
          input.runs,
          { name: plan.row.name, questions: plan.questions, model: plan.model },
          plan.personas,
          llm,
        );
      }
      const plan = await focusGroupPlan(input.id);
      const settings = JSON.parse(plan.row.settings) as FocusGroupSettings;
      const guide = JSON.parse(plan.row.guide) as { question: string }[];
      const questions = [...new Set(plan.messages.map((m) => m.questionIndex))].sort((a, b) => a - b);
      const prompts = questions.map((q) => {
        const lines = plan.messages.filter((m) => m.questionIndex === q);
        const call = questionAnalysisRequest({
          settings,
          guide,
          questionIndex: q,
          lines,
          demographics: new Map(),
          earlierTitles: [],
        });
        return {
          input: [call.system, ...call.messages.map((m) => m.text)].join("\n"),
          participantMessages: lines.filter((m) => m.personaId).length,
        };
      });
      return estimateAnalysisStability(input.runs, prompts, settings.model ?? llm.models.analysis, llm);
    },

    start: (input: RouteParsedInput<"stability.start">): Promise<RouteOutput<"stability.start">> =>
      exclusive.run(`${input.study}:${input.id}`, () =>
        input.study === "survey" ? startSurvey(input) : startFocusGroup(input),
      ),

    async latest(input: RouteParsedInput<"stability.latest">): Promise<RouteOutput<"stability.latest">> {
      if (input.study === "survey") await findSurvey(input.id);
      else await findFocusGroup(input.id);
      const job = await latestStabilityJob(prisma, input.study, input.id);
      return {
        job: job ? toJob(job) : null,
        latest: await latestStabilityReport(prisma, input.study, input.id),
      };
    },
  };
}

export type StabilityService = ReturnType<typeof createStabilityService>;
