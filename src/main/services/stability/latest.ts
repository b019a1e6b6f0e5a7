import {
  STABILITY_JOB_KIND,
  stabilityReportSchema,
  type StabilitySnapshot,
  type StabilityStudy,
} from "../../../shared/contract";
import type { Database } from "../db/open";
import { ANALYSIS_KIND } from "../focus-groups/analysis-job";
import type { JobRow } from "../jobs/job-row";
import { stabilityParamsSchema } from "./params";

type Prisma = Database["prisma"];

/** The params fragment that names the study (params are stored as the parsed object's JSON). */
const studyParam = (study: StabilityStudy, id: string) =>
  study === "survey" ? `"surveyId":${JSON.stringify(id)}` : `"focusGroupId":${JSON.stringify(id)}`;

/** The study's newest stability job, whatever its status. */
export async function latestStabilityJob(prisma: Prisma, study: StabilityStudy, id: string): Promise<JobRow | null> {
  return prisma.job.findFirst({
    where: { kind: STABILITY_JOB_KIND, params: { contains: studyParam(study, id) } },
    orderBy: { id: "desc" },
  });
}

/**
 * The study's newest finished report, and whether the study's own result changed since (see
 * stabilitySnapshotSchema), or null before any check finished.
 */
export async function latestStabilityReport(
  prisma: Prisma,
  study: StabilityStudy,
  id: string,
): Promise<StabilitySnapshot | null> {
  const row = await prisma.job.findFirst({
    where: { kind: STABILITY_JOB_KIND, status: "succeeded", params: { contains: studyParam(study, id) } },
    orderBy: { id: "desc" },
  });
  if (!row?.result) return null;
  const report = stabilityReportSchema.safeParse(JSON.parse(row.result));
  const params = stabilityParamsSchema.safeParse(JSON.parse(row.params));
  // A report this version cannot read (written by a newer one) is not shown rather than misread.
  if (!report.success || !params.success) return null;
  return { jobId: row.id, stale: await isStale(prisma, params.data, report.data.basisJobId), report: report.data };
}

async function isStale(
  prisma: Prisma,
  params: ReturnType<typeof stabilityParamsSchema.parse>,
  basisJobId: string | null,
): Promise<boolean> {
  if (params.study === "survey") {
    const survey = await prisma.survey.findUnique({
      where: { id: params.surveyId },
      select: { jobId: true, questions: true },
    });
    return !survey || survey.jobId !== basisJobId || survey.questions !== JSON.stringify(params.questions);
  }
  const current = await currentAnalysis(prisma, params.focusGroupId);
  return current?.id !== basisJobId;
}

/** The analysis the app shows: the newest one that completed (a re-run still going does not count yet). */
export async function currentAnalysis(prisma: Prisma, focusGroupId: string): Promise<JobRow | null> {
  return prisma.job.findFirst({
    where: { kind: ANALYSIS_KIND, status: "succeeded", params: { contains: JSON.stringify(focusGroupId) } },
    orderBy: { id: "desc" },
  });
}
