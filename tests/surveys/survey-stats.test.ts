import { describe, expect, it } from "vitest";
import { crosstabSchema, type Question } from "../../src/shared/contract";
import { seededRng } from "../../src/shared/domain/quotas";
import {
  crossTabulate,
  median,
  MULTI_SELECT_CROSSTAB_NOTE,
  sampleStdDev,
  summarizeQuestion,
  type AnswerValue,
  type ResponseForStats,
} from "../../src/shared/domain/survey-stats";
import { runPython } from "../support/python";

const mc: Question = {
  id: "drink",
  type: "multiple_choice",
  text: "Drink?",
  required: true,
  options: ["Coffee", "Tea", "Juice"],
  maxSelections: 1,
};
const multi: Question = { ...mc, id: "brands", maxSelections: 2 };
const rating: Question = { id: "likely", type: "rating_scale", text: "Likely?", required: true, min: 1, max: 5 };
const ranking: Question = { id: "order", type: "ranking", text: "Rank", required: true, items: ["A", "B", "C"] };
const open: Question = { id: "why", type: "open_ended", text: "Why?", required: false };

const responsesOf = (question: Question, values: AnswerValue[]): ResponseForStats[] =>
  values.map((value, i) => ({ personaId: `p${i + 1}`, answers: { [question.id]: value } }));

describe("per-question aggregates (hand-computed)", () => {
  it.each([
    {
      name: "single choice: one count per respondent, percent of those who answered",
      question: mc,
      values: [["Coffee"], ["Tea"], ["Coffee"], null] as AnswerValue[],
      answered: 3,
      counts: [
        { value: "Coffee", count: 2, percent: (2 / 3) * 100 },
        { value: "Tea", count: 1, percent: (1 / 3) * 100 },
        { value: "Juice", count: 0, percent: 0 },
      ],
    },
    {
      name: "multi-select: each selected option counts, so percentages pass 100 in total",
      question: multi,
      values: [["Coffee", "Tea"], ["Tea"], ["Juice", "Coffee"], ["Tea", "Juice"]] as AnswerValue[],
      answered: 4,
      counts: [
        { value: "Coffee", count: 2, percent: 50 },
        { value: "Tea", count: 3, percent: 75 },
        { value: "Juice", count: 2, percent: 50 },
      ],
    },
    {
      name: "answers that are not valid for the question are not counted",
      question: mc,
      values: [["Coffee"], ["Milk"], ["Coffee", "Tea"], [], "Coffee", 3] as AnswerValue[],
      answered: 1,
      counts: [
        { value: "Coffee", count: 1, percent: 100 },
        { value: "Tea", count: 0, percent: 0 },
        { value: "Juice", count: 0, percent: 0 },
      ],
    },
  ])("$name", ({ question, values, answered, counts }) => {
    const result = summarizeQuestion(question, responsesOf(question, values));
    expect(result.answered).toBe(answered);
    expect(result.counts).toHaveLength(counts.length);
    result.counts.forEach((row, i) => {
      expect(row.value).toBe(counts[i]!.value);
      expect(row.count).toBe(counts[i]!.count);
      expect(row.percent).toBeCloseTo(counts[i]!.percent, 12);
    });
    expect(result.rating).toBeNull();
    expect(result.ranking).toBeNull();
  });

  it.each([
    // mean 10/4; sorted 1 2 2 5 → median 2; Σ(x−mean)² = 2.25+0.25+0.25+6.25 = 9, /(n−1) = 3 → √3
    { values: [1, 2, 2, 5], mean: 2.5, median: 2, stdDev: Math.sqrt(3), min: 1, max: 5, distribution: [1, 2, 0, 0, 1] },
    // odd n: the middle value; Σ(x−3)² = 4+0+4 = 8, /2 = 4 → 2
    { values: [5, 1, 3], mean: 3, median: 3, stdDev: 2, min: 1, max: 5, distribution: [1, 0, 1, 0, 1] },
    // one answer has no spread
    { values: [4], mean: 4, median: 4, stdDev: 0, min: 4, max: 4, distribution: [0, 0, 0, 1, 0] },
    // out-of-range, fractional and textual ratings are ignored
    {
      values: [2, 4, 8, 0, 2.5, "4/5"],
      mean: 3,
      median: 3,
      stdDev: Math.sqrt(2),
      min: 2,
      max: 4,
      distribution: [0, 1, 0, 1, 0],
    },
  ])("rating $values: mean, median, sample standard deviation, range and distribution", (c) => {
    const result = summarizeQuestion(rating, responsesOf(rating, c.values as AnswerValue[]));
    const n = c.distribution.reduce((a, b) => a + b, 0);
    expect(result.answered).toBe(n);
    expect(result.rating!.mean).toBeCloseTo(c.mean, 12);
    expect(result.rating!.median).toBe(c.median);
    expect(result.rating!.stdDev).toBeCloseTo(c.stdDev, 12);
    expect([result.rating!.min, result.rating!.max]).toEqual([c.min, c.max]);
    expect(result.counts.map((row) => row.value)).toEqual(["1", "2", "3", "4", "5"]);
    expect(result.counts.map((row) => row.count)).toEqual(c.distribution);
    expect(result.counts.map((row) => row.percent)).toEqual(c.distribution.map((count) => (count / n) * 100));
  });

  it("rating with no answers has no statistics", () => {
    const result = summarizeQuestion(rating, responsesOf(rating, [null, null]));
    expect(result.answered).toBe(0);
    expect(result.rating).toBeNull();
    expect(result.counts.every((row) => row.count === 0 && row.percent === 0)).toBe(true);
  });

  it("ranking: mean rank, Borda (n − rank points) and first-choice share", () => {
    const values: AnswerValue[] = [
      ["A", "B", "C"],
      ["B", "A", "C"],
      ["A", "C", "B"],
      ["A", "B"],
      ["C", "C", "A"],
    ];
    const result = summarizeQuestion(ranking, responsesOf(ranking, values));
    // The last two are partial or repeat an item: not answers.
    expect(result.answered).toBe(3);
    expect(result.ranking).toEqual([
      { item: "A", meanRank: 4 / 3, borda: 2 + 1 + 2, firstChoiceShare: 2 / 3 },
      { item: "B", meanRank: 2, borda: 1 + 2 + 0, firstChoiceShare: 1 / 3 },
      { item: "C", meanRank: 8 / 3, borda: 0 + 0 + 1, firstChoiceShare: 0 },
    ]);
    expect(result.counts).toEqual([
      { value: "A", count: 2, percent: (2 / 3) * 100 },
      { value: "B", count: 1, percent: (1 / 3) * 100 },
      { value: "C", count: 0, percent: 0 },
    ]);
  });

  it("open-ended: counts non-empty answers and returns the stored themes", () => {
    const themes = { why: [{ theme: "Price", count: 2, quotes: [{ personaId: "p1", text: "too dear" }] }] };
    const result = summarizeQuestion(open, responsesOf(open, ["too dear", "  ", null, "cheap enough"]), themes);
    expect(result.answered).toBe(2);
    expect(result.counts).toEqual([]);
    expect(result.openThemes).toEqual(themes.why);
    expect(summarizeQuestion(open, []).openThemes).toBeNull();
  });

  it("median and sample standard deviation on their own", () => {
    expect(median([])).toBe(0);
    expect(median([1, 3])).toBe(2);
    expect(median([1, 2, 9])).toBe(2);
    expect(sampleStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
});

describe("cross-tabs", () => {
  const genderOf: Record<string, string> = {
    p1: "female",
    p2: "male",
    p3: "female",
    p4: "male",
    p5: "female",
    p6: "other",
  };
  const categoryOf = (id: string) => genderOf[id];

  it("counts each selected option, first-ranked items and scale points by category", () => {
    const choices = crossTabulate(
      multi,
      responsesOf(multi, [["Coffee", "Tea"], ["Tea"], ["Coffee"], ["Juice"], ["Tea", "Juice"], ["Coffee"]]),
      "gender",
      ["female", "male"],
      categoryOf,
    )!;
    // A category outside the target ("other") is appended; selections are counted, not people.
    expect(choices.columns).toEqual(["female", "male", "other"]);
    expect(choices.rows).toEqual(["Coffee", "Tea", "Juice"]);
    expect(choices.counts).toEqual([
      [2, 0, 1],
      [2, 1, 0],
      [1, 1, 0],
    ]);

    const firsts = crossTabulate(
      ranking,
      responsesOf(ranking, [
        ["A", "B", "C"],
        ["B", "A", "C"],
        ["A", "C", "B"],
        ["C", "B", "A"],
      ]),
      "gender",
      ["female", "male"],
      categoryOf,
    )!;
    expect(firsts.counts).toEqual([
      [2, 0],
      [0, 1],
      [0, 1],
    ]);

    const scale = crossTabulate(
      rating,
      responsesOf(rating, [5, 1, 4, 2, 5]),
      "gender",
      ["female", "male"],
      categoryOf,
    )!;
    expect(scale.rows).toEqual(["1", "2", "3", "4", "5"]);
    expect(scale.counts).toEqual([
      [0, 1],
      [0, 1],
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
  });

  it("runs no chi-square on a multi-select question (several answers per respondent) and says why", () => {
    // 6 respondents, 8 selections: a test of independence would count people twice.
    const table = crossTabulate(
      multi,
      responsesOf(multi, [["Coffee", "Tea"], ["Tea"], ["Coffee", "Juice"], ["Juice"], ["Tea", "Juice"], ["Coffee"]]),
      "gender",
      ["female", "male"],
      categoryOf,
    )!;
    expect(table.counts).toEqual([
      [2, 0, 1],
      [2, 1, 0],
      [2, 1, 0],
    ]);
    expect(table).toMatchObject({ statistic: null, pValue: null, df: 0, smallExpectedWarning: false });
    expect(table.note).toBe(MULTI_SELECT_CROSSTAB_NOTE);
    expect(table.note).toMatch(/^Several answers per respondent: no chi-square test/);
    expect(crosstabSchema.parse(table)).toEqual(table);
    // A single-choice question with the same data shape keeps its test and has no note.
    const single = crossTabulate(
      mc,
      responsesOf(mc, [["Coffee"], ["Tea"], ["Coffee"], ["Juice"], ["Tea"], ["Coffee"]]),
      "gender",
      ["female", "male"],
      categoryOf,
    )!;
    expect(single.pValue).not.toBeNull();
    expect(single.note).toBeUndefined();
  });

  it("leaves out respondents without a category and refuses open-ended questions", () => {
    const table = crossTabulate(
      mc,
      [...responsesOf(mc, [["Tea"], ["Coffee"]]), { personaId: "gone", answers: { drink: ["Juice"] } }],
      "gender",
      ["female", "male"],
      categoryOf,
    )!;
    expect(table.counts).toEqual([
      [0, 1],
      [1, 0],
      [0, 0],
    ]);
    expect(crossTabulate(open, responsesOf(open, ["x"]), "gender", ["female"], categoryOf)).toBeNull();
  });

  it("has no test when fewer than two rows or columns have answers, and no data means no warning", () => {
    const oneRow = crossTabulate(
      mc,
      responsesOf(mc, [["Tea"], ["Tea"], ["Tea"]]),
      "gender",
      ["female", "male"],
      categoryOf,
    )!;
    expect(oneRow).toMatchObject({ statistic: null, pValue: null, df: 0 });
    const empty = crossTabulate(mc, [], "gender", ["female", "male"], categoryOf)!;
    expect(empty).toMatchObject({ statistic: null, pValue: null, df: 0, minExpected: 0, smallExpectedWarning: false });
  });

  it("warns when an expected count is below 5, and not when all are at least 5", () => {
    const small = crossTabulate(
      mc,
      responsesOf(mc, [["Tea"], ["Coffee"], ["Tea"], ["Coffee"]]),
      "gender",
      ["female", "male"],
      categoryOf,
    )!;
    expect(small.smallExpectedWarning).toBe(true);
    expect(small.minExpected).toBeCloseTo(1, 12);

    // 40 respondents: 20 per gender, 20 per drink → every expected count is 10.
    const responses: ResponseForStats[] = [];
    const genders: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      genders[`r${i}`] = i % 2 === 0 ? "female" : "male";
      responses.push({ personaId: `r${i}`, answers: { drink: [i % 4 < 2 ? "Coffee" : "Tea"] } });
    }
    const large = crossTabulate(mc, responses, "gender", ["female", "male"], (id) => genders[id])!;
    expect(large.minExpected).toBe(10);
    expect(large.smallExpectedWarning).toBe(false);
    expect(large.statistic).toBe(0);
    expect(large.pValue).toBe(1);
  });

  it("statistic, df and p equal scipy.stats.chi2_contingency(correction=False) to 1e-9", () => {
    const rng = seededRng(314);
    const question: Question = { ...rating, min: 1, max: 4 };
    const categories = ["a", "b", "c"];
    const tables = Array.from({ length: 25 }, () => {
      const n = rng.int(20, 400);
      const byPersona: Record<string, string> = {};
      const responses: ResponseForStats[] = [];
      for (let i = 0; i < n; i++) {
        const category = categories[rng.int(0, 2)]!;
        byPersona[`p${i}`] = category;
        // Skewed by category so some p-values are tiny.
        const shift = categories.indexOf(category);
        responses.push({
          personaId: `p${i}`,
          answers: { likely: Math.min(4, rng.int(1, 3) + (rng.int(0, 2) < shift ? 1 : 0)) },
        });
      }
      return crossTabulate(question, responses, "segment", categories, (id) => byPersona[id])!;
    });
    const clean = (counts: number[][]) => {
      const rows = counts.filter((row) => row.some((v) => v > 0));
      const keep = rows[0]!.map((_, c) => rows.some((row) => row[c]! > 0));
      return rows.map((row) => row.filter((_, c) => keep[c]));
    };
    const scipy = runPython<{ statistic: number; pvalue: number; dof: number; minExpected: number }[]>(
      `import json, sys
from scipy.stats import chi2_contingency
out = []
for table in json.load(sys.stdin):
    r = chi2_contingency(table, correction=False)
    out.append({"statistic": float(r.statistic), "pvalue": float(r.pvalue), "dof": int(r.dof), "minExpected": float(r.expected_freq.min())})
print(json.dumps(out))`,
      tables.map((t) => clean(t.counts)),
    );
    const close = (actual: number, expected: number) =>
      expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    tables.forEach((table, i) => {
      close(table.statistic!, scipy[i]!.statistic);
      close(table.pValue!, scipy[i]!.pvalue);
      close(table.minExpected, scipy[i]!.minExpected);
      expect(table.df).toBe(scipy[i]!.dof);
      expect(table.smallExpectedWarning).toBe(scipy[i]!.minExpected < 5);
    });
    expect(Math.min(...scipy.map((s) => s.pvalue))).toBeLessThan(1e-6);
    expect(scipy.some((s) => s.minExpected < 5) && scipy.some((s) => s.minExpected >= 5)).toBe(true);
  });
});
