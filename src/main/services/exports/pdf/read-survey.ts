import {
  AppError,
  type JobStatus,
  type ResponseStyleSettings,
  type RunModel,
  type StabilitySnapshot,
} from "../../../../shared/contract";
import type { TargetDemographics } from "../../../../shared/domain/demographics";
import { crossTabulate, summarizeQuestion, type AnswerValue } from "../../../../shared/domain/survey-stats";
import type { PrismaClient } from "../../db/generated/client";
import { readRunModels } from "../../jobs/job-row";
import { latestStabilityReport } from "../../stability/latest";
import { openThemesOf, questionsOf, surveyStatusFor, type SurveyRow } from "../../surveys/survey-row";
import type { SurveyReport } from "./model";

export interface SurveyData {
  row: SurveyRow;
  status: string;
  /** The model the last run asked for (null: the provider's default). */
  model: string | null;
  /** What the last run recorded it used. */
  models: RunModel[];
  responses: { personaId: string; answers: Record<string, AnswerValue>; createdAt: string }[];
  /** The latest finished stability check of the survey. */
  stability?: StabilitySnapshot | null;
}

export async function loadSurvey(prisma: PrismaClient, projectId: string, id: string): Promise<SurveyData> {
  const row = await prisma.survey.findUnique({ where: { id } });
  if (!row || row.projectId !== projectId)
    throw new AppError("NOT_FOUND", `No survey with id ${id} in this project.`, { id });
  const job = row.jobId ? await prisma.job.findUnique({ where: { id: row.jobId } }) : null;
  const params = job ? (JSON.parse(job.params) as { model?: unknown }) : {};
  const rows = await prisma.surveyResponse.findMany({
    where: { surveyId: id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { personaId: true, answers: true, createdAt: true },
  });
  return {
    row,
    status: job ? surveyStatusFor(job.status as JobStatus) : row.jobId ? row.status : "draft",
    model: typeof params.model === "string" ? params.model : null,
    models: readRunModels(job?.models),
    responses: rows.map((r) => ({
      personaId: r.personaId,
      answers: JSON.parse(r.answers) as Record<string, AnswerValue>,
      createdAt: r.createdAt.toISOString(),
    })),
    stability: await latestStabilityReport(prisma, "survey", id),
  };
}

/**
 * Per question the same aggregates as `surveys.results` (rating questions' response style judged
 * against `responseStyle`, the defaults when absent), and a cross-tab by every dimension of the
 * target audience (the report cannot ask which one the reader wants).
 */
export function buildSurveyReport(
  data: SurveyData,
  study: SurveyReport["study"],
  target: TargetDemographics,
  demographicsOf: (personaId: string) => Record<string, string> | undefined,
  responseStyle?: ResponseStyleSettings,
): SurveyReport {
  const questions = questionsOf(data.row);
  const themes = openThemesOf(data.row);
  return {
    kind: "survey",
    study,
    model: data.model,
    models: data.models,
    respondents: data.responses.length,
    stability: data.stability ?? null,
    questions: questions.map((question, index) => ({
      number: index + 1,
      question,
      result: summarizeQuestion(question, data.responses, themes, responseStyle),
      crosstabs: Object.entries(target).flatMap(([dimension, weights]) => {
        const table = crossTabulate(
          question,
          data.responses,
          dimension,
          Object.keys(weights),
          (personaId) => demographicsOf(personaId)?.[dimension],
        );
        return table ? [table] : [];
      }),
    })),
  };
}

export function responseRange(responses: SurveyData["responses"]): { dataFrom: string | null; dataTo: string | null } {
  if (responses.length === 0) return { dataFrom: null, dataTo: null };
  const times = responses.map((r) => r.createdAt).sort();
  return { dataFrom: times[0]!, dataTo: times[times.length - 1]! };
}
