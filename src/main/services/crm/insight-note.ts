/**
 * A study's findings as the plain text of one CRM note: summary, themes with quotes,
 * recommendations (focus groups), or per-question results and open-answer themes (surveys),
 * always ending with the synthetic-data label. Built from the saved analysis; nothing is
 * generated here.
 */
import type { Insight, SurveyResults } from "../../../shared/contract";

export const SYNTHETIC_LABEL =
  "Synthetic data: these findings come from AI personas in a Sight virtual focus group, not from real customers. Treat them as hypotheses to test.";
export const SURVEY_SYNTHETIC_LABEL =
  "Synthetic data: these answers come from AI personas in a Sight survey, not from real customers. Treat them as hypotheses to test.";

const MAX_QUOTES = 2;
/** Text, before escaping; note-html keeps the HTML under HubSpot's limit, a Task's is 32,000. */
const MAX_BODY = 30_000;

export interface FocusGroupNoteInput {
  name: string;
  participants: number;
  insights: Insight[];
  /** Message id → speaker and text, for the evidence quoted under each theme. */
  quotes: Map<string, { speaker: string; text: string }>;
}

const quote = (text: string) => `“${text.length > 280 ? `${text.slice(0, 277)}…` : text}”`;

function section(title: string, lines: string[]): string[] {
  return lines.length > 0 ? [title, ...lines, ""] : [];
}

export function focusGroupNoteBody(input: FocusGroupNoteInput): string {
  const of = (kind: Insight["kind"]) => input.insights.filter((insight) => insight.kind === kind);
  const summary = of("executive_summary").map((insight) => insight.text);
  const themes = of("theme").flatMap((insight) => [
    `• ${insight.title ? `${insight.title}: ` : ""}${insight.text}`,
    ...insight.evidence
      .map((id) => input.quotes.get(id))
      .filter((found): found is { speaker: string; text: string } => !!found)
      .slice(0, MAX_QUOTES)
      .map((found) => `    ${quote(found.text)} (${found.speaker})`),
  ]);
  const bullets = (kind: Insight["kind"]) =>
    of(kind).map((insight) => `• ${insight.title ? `${insight.title}: ` : ""}${insight.text}`);
  const lines = [
    `Focus group "${input.name}" with ${input.participants} AI personas.`,
    "",
    ...section("Summary", summary),
    ...section("Themes", themes),
    ...section("Segment differences", bullets("segment_difference")),
    ...section("Recommendations", bullets("recommendation")),
    SYNTHETIC_LABEL,
  ];
  return clip(lines.join("\n"));
}

export function surveyNoteBody(name: string, results: SurveyResults): string {
  const lines = [`Survey "${name}" answered by ${results.respondents} AI personas.`, ""];
  for (const question of results.questions) {
    lines.push(`${question.text} (${question.answered} answers)`);
    if (question.rating) lines.push(`• Mean ${question.rating.mean.toFixed(2)}, median ${question.rating.median}`);
    if (question.ranking)
      for (const item of question.ranking.slice(0, 3))
        lines.push(`• ${item.item}: mean rank ${item.meanRank.toFixed(2)}`);
    else if (!question.openThemes)
      for (const row of [...question.counts].sort((a, b) => b.count - a.count).slice(0, 5))
        lines.push(`• ${row.value}: ${row.count} (${Math.round(row.percent)}%)`);
    for (const theme of question.openThemes ?? []) {
      lines.push(`• ${theme.theme} (${theme.count})`);
      for (const found of theme.quotes.slice(0, MAX_QUOTES)) lines.push(`    ${quote(found.text)}`);
    }
    lines.push("");
  }
  lines.push(SURVEY_SYNTHETIC_LABEL);
  return clip(lines.join("\n"), SURVEY_SYNTHETIC_LABEL);
}

function clip(text: string, label = SYNTHETIC_LABEL): string {
  if (text.length <= MAX_BODY) return text;
  return `${text.slice(0, MAX_BODY - label.length - 4)}…\n\n${label}`;
}
