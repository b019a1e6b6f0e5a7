import { z } from "zod";
import type { Question } from "../../../shared/contract";
import type { OpenTheme } from "../../../shared/domain/survey-stats";
import type { LlmClient, LlmUsage } from "../llm/types";
import { SURVEY_THEMES_MARKER, themesSystemPrompt, themesUserPrompt } from "./prompt";

export { SURVEY_THEMES_MARKER };

export const MAX_THEMES = 6;
const THEME_ATTEMPTS = 3;

/** 2–6 themes (as many as there are answers when fewer than 2), counts bounded by the answers. */
export function themesSchema(answerCount: number) {
  return z.object({
    themes: z
      .array(
        z.object({
          theme: z.string().trim().min(1).max(120),
          count: z.number().int().min(1).max(answerCount),
          quotes: z
            .array(z.object({ personaId: z.string().trim().min(1).max(64), text: z.string().trim().min(1).max(600) }))
            .min(1)
            .max(3),
        }),
      )
      .min(Math.min(2, answerCount))
      .max(MAX_THEMES),
  });
}

/** What the schema cannot say: quotes must come from respondents who answered, names must differ. */
export function themesProblem(themes: OpenTheme[], respondents: ReadonlySet<string>): string | null {
  const unknown = [
    ...new Set(themes.flatMap((t) => t.quotes.map((q) => q.personaId)).filter((id) => !respondents.has(id))),
  ];
  if (unknown.length) {
    return `quotes must use the personaId of a respondent from <answers>; these are not: ${unknown.slice(0, 5).join(", ")}`;
  }
  const names = themes.map((t) => t.theme.toLowerCase());
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  return repeated ? `each theme needs its own name; "${repeated}" is used twice` : null;
}

export interface ThemeRequest {
  llm: LlmClient;
  model?: string;
  signal: AbortSignal;
  onUsage: (usage: LlmUsage) => void;
}

/** One analysis call for one open-ended question; no call when nobody answered it. */
export async function themesFor(
  question: Question,
  answers: { personaId: string; answer: string }[],
  request: ThemeRequest,
): Promise<OpenTheme[]> {
  if (answers.length === 0) return [];
  const respondents = new Set(answers.map((a) => a.personaId));
  const result = await request.llm.generateJson({
    task: "analysis",
    model: request.model,
    system: themesSystemPrompt(),
    messages: [{ role: "user", text: themesUserPrompt(question, answers) }],
    schema: themesSchema(answers.length),
    schemaName: "open_answer_themes",
    temperature: 0.2,
    signal: request.signal,
    maxAttempts: THEME_ATTEMPTS,
    validate: (value) => themesProblem(value.themes, respondents),
    onUsage: request.onUsage,
  });
  return result.value.themes;
}
