import type { z } from "zod";
import type { Question, crosstabSchema, questionResultSchema } from "../contract/surveys";
import type { ResponseStyleSettings } from "../contract/response-style";
import { chiSquareIndependence } from "./chi-square";
import { responseStyleOfCounts } from "./response-style";

/**
 * Survey aggregation: pure functions over stored questions and responses, shared by the service
 * (results route) and anything that renders or exports results.
 */

/** An answer as stored: options chosen, a rating, free text, the full ranking, or null (skipped). */
export type AnswerValue = string[] | number | string | null;

export interface ResponseForStats {
  personaId: string;
  answers: Record<string, AnswerValue | undefined>;
}

export interface OpenTheme {
  theme: string;
  count: number;
  quotes: { personaId: string; text: string }[];
}

/** Per open-ended question id, the themes found by the last run's analysis. */
export type OpenThemes = Record<string, OpenTheme[]>;

export type QuestionResult = z.infer<typeof questionResultSchema>;
export type Crosstab = z.infer<typeof crosstabSchema>;

/** Types whose answers can form the rows of a cross-tab (open text cannot). */
export const CROSSTABBABLE_TYPES: readonly Question["type"][] = ["multiple_choice", "rating_scale", "ranking"];

const percentOf = (count: number, of: number) => (of > 0 ? (count / of) * 100 : 0);

function scalePoints(question: Question): number[] {
  const min = question.min ?? 0;
  const max = question.max ?? 0;
  return Array.from({ length: Math.max(0, max - min + 1) }, (_, i) => min + i);
}

/**
 * The answer to `question` if it is a valid one, else null. Stored answers were validated when
 * they were saved; this keeps aggregates honest even if a row was edited by hand.
 */
export function validAnswer(question: Question, value: AnswerValue | undefined): AnswerValue {
  if (value === null || value === undefined) return null;
  switch (question.type) {
    case "multiple_choice": {
      const options = question.options ?? [];
      if (!Array.isArray(value) || value.length === 0 || value.length > (question.maxSelections ?? 1)) return null;
      if (new Set(value).size !== value.length || !value.every((v) => options.includes(v))) return null;
      return value;
    }
    case "rating_scale":
      return typeof value === "number" &&
        Number.isInteger(value) &&
        value >= (question.min ?? 0) &&
        value <= (question.max ?? 0)
        ? value
        : null;
    case "open_ended":
      return typeof value === "string" && value.trim().length > 0 ? value : null;
    case "ranking": {
      const items = question.items ?? [];
      if (!Array.isArray(value) || value.length !== items.length || new Set(value).size !== value.length) return null;
      return value.every((v) => items.includes(v)) ? value : null;
    }
  }
}

function answersTo(question: Question, responses: ResponseForStats[]) {
  const answers: { personaId: string; value: NonNullable<AnswerValue> }[] = [];
  for (const response of responses) {
    const value = validAnswer(question, response.answers[question.id]);
    if (value !== null) answers.push({ personaId: response.personaId, value });
  }
  return answers;
}

export function median(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Sample standard deviation (n − 1 in the denominator): the personas are a sample standing in for
 * the target audience, so the spread estimates the audience's, not just these respondents'.
 * A single answer has no spread: 0.
 */
export function sampleStdDev(values: number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const squares = values.reduce((sum, v) => sum + (v - mean) * (v - mean), 0);
  return Math.sqrt(squares / (values.length - 1));
}

/** Counts, percentages and per-type statistics for one question, over one entry per respondent. */
export function summarizeQuestion(
  question: Question,
  responses: ResponseForStats[],
  openThemes: OpenThemes = {},
  responseStyleSettings?: ResponseStyleSettings,
): QuestionResult {
  const groups = answersTo(question, responses).map(({ value }) => ({ value, slot: undefined, count: 1 }));
  return summarizeGroups(question, groups, openThemes, responseStyleSettings);
}

export const MULTI_SELECT_CROSSTAB_NOTE =
  "Several answers per respondent: no chi-square test (counts are selections, not respondents).";

/** The row label each answer contributes to a cross-tab (several for a multi-select). */
function rowLabels(question: Question, value: NonNullable<AnswerValue>): string[] {
  switch (question.type) {
    case "multiple_choice":
      return value as string[];
    case "rating_scale":
      return [String(value)];
    case "ranking":
      return [(value as string[])[0]!];
    default:
      return [];
  }
}

/**
 * A question by a demographic dimension: rows are answer values (options, scale points, or the
 * first-ranked item), columns the dimension's categories (`categories` first, in that order, then
 * any other category a respondent has). Respondents without a category (e.g. a deleted persona)
 * are left out. Returns null for open-ended questions.
 *
 * With a multi-select question (maxSelections > 1) each selected option counts once, so one
 * respondent can add to several rows. The counts stay, but there is no chi-square test: it needs
 * each respondent in exactly one cell, and selections are not independent observations. `note`
 * says so. statistic and pValue are also null when the test is undefined (fewer than two non-empty
 * rows or columns).
 */
export function crossTabulate(
  question: Question,
  responses: ResponseForStats[],
  dimension: string,
  categories: string[],
  categoryOf: (personaId: string) => string | undefined,
): Crosstab | null {
  const groups = answersTo(question, responses).map(({ personaId, value }) => {
    const category = categoryOf(personaId);
    return { value, slot: category === undefined ? undefined : { [dimension]: category }, count: 1 };
  });
  return crossTabulateGroups(question, groups, dimension, categories);
}

/** Respondents who gave one valid answer and fill one slot (undefined: the persona no longer exists). */
export interface AnswerGroup {
  value: NonNullable<AnswerValue>;
  slot: Record<string, string> | undefined;
  count: number;
}

/**
 * Counts, percentages and per-type statistics for one question, over answers counted per value
 * (and slot): the form a database can produce for a large survey without holding one entry per
 * respondent. `summarizeQuestion` is the same over one entry per respondent. A rating question's
 * response style is judged against `responseStyleSettings` (the defaults when absent).
 */
export function summarizeGroups(
  question: Question,
  groups: AnswerGroup[],
  openThemes: OpenThemes,
  responseStyleSettings?: ResponseStyleSettings,
): QuestionResult {
  const answered = groups.reduce((sum, g) => sum + g.count, 0);
  const result: QuestionResult = {
    questionId: question.id,
    type: question.type,
    text: question.text,
    answered,
    counts: [],
    rating: null,
    responseStyle: null,
    ranking: null,
    openThemes: null,
  };
  const sumWhere = (test: (value: NonNullable<AnswerValue>) => boolean) =>
    groups.reduce((sum, g) => (test(g.value) ? sum + g.count : sum), 0);
  const countRows = (labels: string[], countOf: (label: string) => number) =>
    labels.map((value) => {
      const count = countOf(value);
      return { value, count, percent: percentOf(count, answered) };
    });
  switch (question.type) {
    case "multiple_choice":
      result.counts = countRows(question.options ?? [], (option) => sumWhere((v) => (v as string[]).includes(option)));
      break;
    case "rating_scale": {
      result.counts = countRows(scalePoints(question).map(String), (point) => sumWhere((v) => v === Number(point)));
      if (answered) {
        // Ascending values with their counts: the shared function's sorted list, run-length encoded.
        const byValue = new Map<number, number>();
        for (const g of groups) byValue.set(g.value as number, (byValue.get(g.value as number) ?? 0) + g.count);
        const runs = [...byValue].sort((a, b) => a[0] - b[0]);
        const at = (index: number) => {
          let seen = 0;
          for (const [value, count] of runs) {
            seen += count;
            if (index < seen) return value;
          }
          return runs[runs.length - 1]![0];
        };
        const mid = Math.floor(answered / 2);
        let total = 0;
        for (const [value, count] of runs) total += value * count;
        const mean = total / answered;
        let squares = 0;
        if (answered >= 2)
          for (const [value, count] of runs) for (let i = 0; i < count; i++) squares += (value - mean) * (value - mean);
        result.rating = {
          mean,
          median: answered % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2,
          stdDev: answered < 2 ? 0 : Math.sqrt(squares / (answered - 1)),
          min: runs[0]![0],
          max: runs[runs.length - 1]![0],
        };
        result.responseStyle = responseStyleOfCounts(
          { min: question.min ?? 0, max: question.max ?? 0 },
          result.counts.map((row) => row.count),
          responseStyleSettings,
        );
      }
      break;
    }
    case "ranking": {
      const items = question.items ?? [];
      const n = items.length;
      const first = (item: string) => sumWhere((v) => (v as string[])[0] === item);
      result.counts = countRows(items, first);
      if (answered) {
        result.ranking = items.map((item) => {
          const ranks = groups.reduce((sum, g) => sum + ((g.value as string[]).indexOf(item) + 1) * g.count, 0);
          return {
            item,
            meanRank: ranks / answered,
            borda: groups.reduce((sum, g) => sum + (n - ((g.value as string[]).indexOf(item) + 1)) * g.count, 0),
            firstChoiceShare: first(item) / answered,
          };
        });
      }
      break;
    }
    case "open_ended":
      result.openThemes = openThemes[question.id] ?? null;
      break;
  }
  return result;
}

/**
 * A question by a demographic dimension over counted answers (see crossTabulate for the rules);
 * categories outside `categories` come in the order first met.
 */
export function crossTabulateGroups(
  question: Question,
  groups: AnswerGroup[],
  dimension: string,
  categories: string[],
): Crosstab | null {
  if (!CROSSTABBABLE_TYPES.includes(question.type)) return null;
  const rows =
    question.type === "rating_scale"
      ? scalePoints(question).map(String)
      : question.type === "ranking"
        ? (question.items ?? [])
        : (question.options ?? []);
  const columns = [...categories];
  const cells = new Map<string, number>();
  for (const { value, slot, count } of groups) {
    const category = slot?.[dimension];
    if (category === undefined) continue;
    if (!columns.includes(category)) columns.push(category);
    for (const label of rowLabels(question, value))
      cells.set(`${label}\u0000${category}`, (cells.get(`${label}\u0000${category}`) ?? 0) + count);
  }
  const counts = rows.map((row) => columns.map((column) => cells.get(`${row}\u0000${column}`) ?? 0));
  if (question.type === "multiple_choice" && (question.maxSelections ?? 1) > 1) {
    return {
      questionId: question.id,
      dimension,
      rows,
      columns,
      counts,
      statistic: null,
      df: 0,
      pValue: null,
      minExpected: 0,
      smallExpectedWarning: false,
      note: MULTI_SELECT_CROSSTAB_NOTE,
    };
  }
  const total = counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  const test = total > 0 ? chiSquareIndependence(counts) : null;
  const testable = test !== null && test.pValue !== null;
  return {
    questionId: question.id,
    dimension,
    rows,
    columns,
    counts,
    statistic: testable ? test.statistic : null,
    df: testable ? test.df : 0,
    pValue: testable ? test.pValue : null,
    minExpected: test?.minExpected ?? 0,
    smallExpectedWarning: test !== null && test.minExpected < 5,
  };
}
