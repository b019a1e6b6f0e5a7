import { z } from "zod";
import type { Question } from "../../../shared/contract";
import type { OpenTheme } from "../../../shared/domain/survey-stats";
import type { LlmCallInfo, LlmClient, LlmUsage } from "../llm/types";
import { SURVEY_THEMES_MARKER, themesSystemPrompt, themesUserPrompt } from "./prompt";

export { SURVEY_THEMES_MARKER };

export const MAX_THEMES = 6;
const THEME_ATTEMPTS = 3;
export const THEMES_TEMPERATURE = 0.2;

/**
 * How the themes prompt names respondent number `index` (0-based, in the run's persona order).
 * Not the persona's id: ids differ between workspaces, so a recipe imported elsewhere would
 * otherwise send the analyst a different prompt.
 */
export function respondentHandle(index: number): string {
  return `r${index + 1}`;
}

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
  onUsage: (usage: LlmUsage, call: LlmCallInfo) => void;
}

/**
 * One analysis call for one open-ended question; no call when nobody answered it. `answers` come
 * in the run's persona order; the prompt names each respondent by its handle (respondentHandle),
 * and the quotes come back with persona ids.
 */
export async function themesFor(
  question: Question,
  answers: { personaId: string; answer: string }[],
  request: ThemeRequest,
): Promise<OpenTheme[]> {
  if (answers.length === 0) return [];
  const personaOf = new Map(answers.map((a, index) => [respondentHandle(index), a.personaId]));
  const handled = answers.map((a, index) => ({ personaId: respondentHandle(index), answer: a.answer }));
  const result = await request.llm.generateJson({
    task: "analysis",
    model: request.model,
    system: themesSystemPrompt(),
    messages: [{ role: "user", text: themesUserPrompt(question, handled) }],
    schema: themesSchema(answers.length),
    schemaName: "open_answer_themes",
    temperature: THEMES_TEMPERATURE,
    signal: request.signal,
    maxAttempts: THEME_ATTEMPTS,
    validate: (value) => themesProblem(value.themes, new Set(personaOf.keys())),
    onUsage: request.onUsage,
  });
  return result.value.themes.map((theme) => ({
    ...theme,
    quotes: theme.quotes.map((quote) => ({ ...quote, personaId: personaOf.get(quote.personaId)! })),
  }));
}
