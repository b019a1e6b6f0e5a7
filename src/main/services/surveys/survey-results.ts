import {
  AppError,
  type ResponseStyleSettings,
  type RouteOutput,
  type RouteParsedInput,
  type SurveyResults,
} from "../../../shared/contract";
import type { TargetDemographics } from "../../../shared/domain/demographics";
import { crossTabulate, summarizeQuestion, type AnswerValue, type Crosstab } from "../../../shared/domain/survey-stats";
import type { Database } from "../db/open";
import { openThemesOf, questionsOf, toSurveyResponse, type SurveyRow } from "./survey-row";

export async function surveyResponses(
  db: Database,
  find: (id: string) => Promise<SurveyRow>,
  input: RouteParsedInput<"surveys.responses">,
): Promise<RouteOutput<"surveys.responses">> {
  const survey = await find(input.id);
  const where = { surveyId: survey.id };
  const [rows, total] = await Promise.all([
    db.prisma.surveyResponse.findMany({
      where: input.cursor ? { ...where, id: { gt: input.cursor } } : where,
      orderBy: { id: "asc" },
      take: input.limit + 1,
    }),
    db.prisma.surveyResponse.count({ where }),
  ]);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(toSurveyResponse),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    total,
  };
}

/**
 * Aggregates per question and, with a dimension, a cross-tab of every cross-tabbable question.
 * Rating questions' response style is judged against `responseStyle` (the defaults when absent).
 */
export async function surveyResults(
  db: Database,
  survey: SurveyRow,
  dimension: string | undefined,
  responseStyle?: ResponseStyleSettings,
): Promise<SurveyResults> {
  const questions = questionsOf(survey);
  let target: TargetDemographics | null = null;
  if (dimension !== undefined) {
    const project = await db.prisma.project.findUniqueOrThrow({ where: { id: survey.projectId } });
    target = JSON.parse(project.targetDemographics) as TargetDemographics;
    if (!Object.hasOwn(target, dimension)) {
      const known = Object.keys(target);
      throw new AppError(
        "VALIDATION_FAILED",
        `"${dimension}" is not a dimension of this project's target audience${known.length ? ` (${known.join(", ")})` : ""}.`,
        {
          issues: [{ path: ["crosstab"], message: `unknown dimension "${dimension}"`, code: "custom" }],
          dimension,
          dimensions: known,
        },
      );
    }
  }
  const rows = await db.prisma.surveyResponse.findMany({
    where: { surveyId: survey.id },
    orderBy: { id: "asc" },
    select: { personaId: true, answers: true },
  });
  const responses = rows.map((row) => ({
    personaId: row.personaId,
    answers: JSON.parse(row.answers) as Record<string, AnswerValue>,
  }));
  const themes = openThemesOf(survey);

  let crosstabs: Crosstab[] = [];
  if (dimension !== undefined && target) {
    const personas = await db.prisma.persona.findMany({
      where: { id: { in: responses.map((r) => r.personaId) } },
      select: { id: true, demographics: true },
    });
    const categoryById = new Map(
      personas.map((p) => [p.id, (JSON.parse(p.demographics) as Record<string, string>)[dimension]]),
    );
    const categories = Object.keys(target[dimension]!);
    crosstabs = questions.flatMap((question) => {
      const table = crossTabulate(question, responses, dimension, categories, (id) => categoryById.get(id));
      return table ? [table] : [];
    });
  }
  return {
    surveyId: survey.id,
    respondents: responses.length,
    questions: questions.map((question) => summarizeQuestion(question, responses, themes, responseStyle)),
    crosstabs,
  };
}
