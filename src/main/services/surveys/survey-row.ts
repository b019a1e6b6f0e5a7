import type { JobStatus, Question, Survey, SURVEY_STATUSES } from "../../../shared/contract";
import type { AnswerValue, OpenThemes } from "../../../shared/domain/survey-stats";
import type { Survey as SurveyRow, SurveyResponse as SurveyResponseRow } from "../db/generated/client";

export type { SurveyRow, SurveyResponseRow };
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

const STATUS_BY_JOB: Record<JobStatus, SurveyStatus> = {
  queued: "running",
  running: "running",
  succeeded: "completed",
  failed: "failed",
  cancelled: "cancelled",
  interrupted: "interrupted",
};

export function surveyStatusFor(jobStatus: JobStatus): SurveyStatus {
  return STATUS_BY_JOB[jobStatus];
}

/**
 * The run's job row is the source of truth for a survey's status (it survives crashes, cancels
 * and resumes through the job runner); the Survey.status column follows it and is only read
 * when the survey has never run.
 */
export function toSurvey(row: SurveyRow, jobStatus: JobStatus | null, responseCount: number): Survey {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    status: jobStatus ? surveyStatusFor(jobStatus) : row.jobId ? (row.status as SurveyStatus) : "draft",
    questions: questionsOf(row),
    personaIds: JSON.parse(row.personaIds) as string[],
    jobId: row.jobId,
    responseCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function questionsOf(row: Pick<SurveyRow, "questions">): Question[] {
  return JSON.parse(row.questions) as Question[];
}

export function openThemesOf(row: Pick<SurveyRow, "openThemes">): OpenThemes {
  return JSON.parse(row.openThemes) as OpenThemes;
}

export function toSurveyResponse(row: SurveyResponseRow) {
  return {
    id: row.id,
    personaId: row.personaId,
    answers: JSON.parse(row.answers) as Record<string, AnswerValue>,
    createdAt: row.createdAt.toISOString(),
  };
}
