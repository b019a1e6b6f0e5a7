/** What a sync sends, read from the database: personas with their project, and a study's insights note. */
import { AppError, type Insight, type SyncRequest } from "../../../shared/contract";
import type { Database } from "../db/open";
import { surveyResults } from "../surveys/survey-results";
import { focusGroupNoteBody, surveyNoteBody } from "./insight-note";
import type { PersonaForSync } from "./mapping";
import { toPersona } from "../personas/persona-row";

const list = (stored: string): string[] => {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
};

/** A project's personas (or the given ones of it), ordered by id: the order a sync's batches follow. */
export async function loadPersonasForSync(
  db: Database,
  projectId: string,
  personaIds?: string[],
  /** The sync job: these of them that still exist, without refusing the missing ones. */
  existingOf?: string[],
): Promise<PersonaForSync[]> {
  const project = await db.prisma.project.findUnique({ where: { id: projectId }, select: { name: true } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.", { projectId });
  const only = personaIds ?? existingOf;
  const rows = await db.prisma.persona.findMany({
    where: { projectId, ...(only ? { id: { in: only } } : {}) },
    orderBy: { id: "asc" },
  });
  if (personaIds && rows.length !== new Set(personaIds).size)
    throw new AppError("NOT_FOUND", "Some of these personas are not in this project.", { projectId });
  // The persona as the app reads it everywhere (persona-row.ts), plus its project's name.
  return rows.map((row) => ({ ...toPersona(row), projectName: project.name }));
}

export interface BuiltNote {
  title: string;
  body: string;
  studyName: string;
  projectId: string;
  /** sight://open-project/<project>?focusGroup=<id> (or survey=): opens the study in the app. */
  studyUrl: string;
}

type InsightsRequest = Extract<SyncRequest, { kind: "insights" }>;

/** The note for a study's latest analysis; refused while the study has none. */
export async function buildInsightNote(
  db: Database,
  focusGroupInsights: (focusGroupId: string) => Promise<Insight[]>,
  request: Pick<InsightsRequest, "studyKind" | "studyId">,
  scheme = "sight",
): Promise<BuiltNote> {
  const { prisma } = db;
  if (request.studyKind === "focusGroup") {
    const group = await prisma.focusGroup.findUnique({ where: { id: request.studyId } });
    if (!group) throw new AppError("NOT_FOUND", "No such focus group.", { id: request.studyId });
    // The analysis the app shows for this focus group (focusGroups.insights picks it).
    const insights = await focusGroupInsights(group.id);
    if (insights.length === 0)
      throw new AppError("CONFLICT", "This focus group has no analysis yet: analyse it first.", {
        reason: "no_analysis",
      });
    const evidence = [...new Set(insights.flatMap((insight) => insight.evidence))];
    const messages = await prisma.focusGroupMessage.findMany({
      where: { focusGroupId: group.id, id: { in: evidence } },
      select: { id: true, speakerName: true, text: true },
    });
    const body = focusGroupNoteBody({
      name: group.name,
      participants: list(group.participantIds).length,
      insights,
      quotes: new Map(messages.map((message) => [message.id, { speaker: message.speakerName, text: message.text }])),
    });
    return {
      title: `Sight focus group: ${group.name}`,
      body,
      studyName: group.name,
      projectId: group.projectId,
      studyUrl: `${scheme}://open-project/${group.projectId}?focusGroup=${group.id}`,
    };
  }
  const survey = await prisma.survey.findUnique({ where: { id: request.studyId } });
  if (!survey) throw new AppError("NOT_FOUND", "No such survey.", { id: request.studyId });
  const answered = await prisma.surveyResponse.count({ where: { surveyId: survey.id } });
  if (answered === 0)
    throw new AppError("CONFLICT", "This survey has no answers yet: run it first.", { reason: "no_results" });
  const results = await surveyResults(db, survey, undefined);
  return {
    title: `Sight survey: ${survey.name}`,
    body: surveyNoteBody(survey.name, results),
    studyName: survey.name,
    projectId: survey.projectId,
    studyUrl: `${scheme}://open-project/${survey.projectId}?survey=${survey.id}`,
  };
}
