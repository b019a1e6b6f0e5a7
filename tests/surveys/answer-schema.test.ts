import { describe, expect, it } from "vitest";
import type { Question } from "../../src/shared/contract";
import { jsonSchemaFor } from "../../src/main/services/llm/structured-output";
import { answerSchemaFor, storedAnswers, surveyAnswerSchema } from "../../src/main/services/surveys/answer-schema";
import { answerSystemPrompt, answerUserPrompt } from "../../src/main/services/surveys/prompt";
import { normalizeQuestions } from "../../src/main/services/surveys/questions";
import { validAnswer, type AnswerValue } from "../../src/shared/domain/survey-stats";
import { createRng } from "../../fakes/deterministic";
import { findScenario, type ScenarioRequest } from "../../fakes/scenarios";

const QUESTIONS: Question[] = [
  { id: "q1", type: "multiple_choice", text: "Pick", required: true, options: ["A", "B", "C", "D"], maxSelections: 2 },
  { id: "q2", type: "rating_scale", text: "Rate", required: true, min: 0, max: 10 },
  { id: "q3", type: "open_ended", text: "Why", required: false },
  { id: "q4", type: "ranking", text: "Order", required: true, items: ["x", "y", "z"] },
  { id: "q5", type: "multiple_choice", text: "Extras", required: false, options: ["E", "F"], maxSelections: 1 },
];

describe("the answer schema sent to the model", () => {
  it("admits only valid answers by construction", () => {
    const schema = jsonSchemaFor(surveyAnswerSchema(QUESTIONS)) as any;
    const answers = schema.properties.answers;
    expect(answers.additionalProperties).toBe(false);
    expect(answers.required).toEqual(["q1", "q2", "q4"]);
    expect(answers.properties.q1).toMatchObject({
      type: "array",
      minItems: 1,
      maxItems: 2,
      uniqueItems: true,
      items: { enum: ["A", "B", "C", "D"] },
    });
    expect(answers.properties.q2).toEqual({ type: "integer", minimum: 0, maximum: 10 });
    expect(answers.properties.q3).toEqual({ type: "string", minLength: 1, maxLength: 2000 });
    expect(answers.properties.q4).toMatchObject({
      type: "array",
      minItems: 3,
      maxItems: 3,
      uniqueItems: true,
      items: { enum: ["x", "y", "z"] },
    });
    // Not required: an empty selection is allowed (and stored as skipped).
    expect(answers.properties.q5).toMatchObject({ minItems: 0, maxItems: 1 });
  });

  it.each([
    { q: "q1", value: ["A", "Z"], message: /"Z" is not one of the options/ },
    { q: "q1", value: ["A", "A"], message: /choose each option at most once \("A" repeated\)/ },
    { q: "q1", value: ["A", "B", "C"], message: /choose at most 2 options/ },
    { q: "q1", value: [], message: /choose at least one option/ },
    { q: "q2", value: 13, message: /whole number from 0 to 10/ },
    { q: "q2", value: "4/5", message: /whole number from 0 to 10/ },
    { q: "q2", value: 4.5, message: /whole number from 0 to 10/ },
    { q: "q4", value: ["x", "y"], message: /rank all 3 items.*missing: "z"/ },
    { q: "q4", value: ["x", "y", "y"], message: /"y" repeated, "z" missing/ },
    { q: "q4", value: ["x", "y", "w"], message: /"w" is not one of the items/ },
  ])("refuses $q = $value, saying what is wrong ($message)", ({ q, value, message }) => {
    const question = QUESTIONS.find((x) => x.id === q)!;
    const result = answerSchemaFor(question).safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message).join("; ")).toMatch(message);
  });

  it("stores every question id, with null for a skipped question and never a default", () => {
    const parsed = surveyAnswerSchema(QUESTIONS).parse({ answers: { q1: ["B"], q2: 0, q4: ["z", "x", "y"], q5: [] } });
    expect(storedAnswers(QUESTIONS, parsed as never)).toEqual({
      q1: ["B"],
      q2: 0,
      q3: null,
      q4: ["z", "x", "y"],
      q5: null,
    });
    expect(surveyAnswerSchema(QUESTIONS).safeParse({ answers: { q1: ["B"], q4: ["z", "x", "y"] } }).success).toBe(
      false,
    );
    expect(
      surveyAnswerSchema(QUESTIONS).safeParse({ answers: { q1: ["B"], q2: 1, q4: ["z", "x", "y"], q9: 1 } }).success,
    ).toBe(false);
  });
});

describe("question ids", () => {
  const input = (id?: string) => ({ ...(id ? { id } : {}), type: "open_ended" as const, text: "t", required: true });

  it("assigns the first free q<n> to questions without one", () => {
    expect(normalizeQuestions([input(), input(), input()], "free").map((q) => q.id)).toEqual(["q1", "q2", "q3"]);
    expect(normalizeQuestions([input("q2"), input(), input()], "free").map((q) => q.id)).toEqual(["q2", "q1", "q3"]);
  });
});

function fakeRequest(system: string, user: string, flags: Record<string, unknown> = {}): ScenarioRequest {
  return {
    api: "gemini",
    model: "fake",
    system,
    messages: [{ role: "user", text: user }],
    schema: null,
    seed: null,
    temperature: null,
    task: "survey_answer",
    rng: createRng(system.length * 7919 + user.length),
    flags,
    takeFlag: (name) => {
      const value = flags[name];
      if (typeof value === "number" && value > 0) {
        flags[name] = value - 1;
        return true;
      }
      return false;
    },
    fallback: () => undefined,
  };
}

const persona = (name: string, gender: string, age: number) =>
  ({
    name,
    age,
    gender,
    location: "Austin",
    education: "bachelor",
    income: "middle",
    occupation: "nurse",
    demographics: { gender },
    values: ["family"],
    interests: ["running"],
    concerns: ["prices"],
    bigFive: { openness: 0.5, conscientiousness: 0.5, extraversion: 0.5, agreeableness: 0.5, neuroticism: 0.5 },
    communicationStyle: "plain",
    decisionMakingStyle: "careful",
    backgroundStory: "A story. ".repeat(30),
  }) as never;

describe("the fake survey respondent", () => {
  const scenario = findScenario("survey_answer")!;
  const user = answerUserPrompt("Breakfast", QUESTIONS);

  it("answers validly, and differently by gender", () => {
    const ratings: Record<string, number[]> = { female: [], male: [] };
    for (let i = 0; i < 40; i++) {
      const gender = i % 2 ? "female" : "male";
      const value = scenario(fakeRequest(answerSystemPrompt(persona(`P${i}`, gender, 20 + i)), user)) as {
        answers: Record<string, AnswerValue>;
      };
      const parsed = surveyAnswerSchema(QUESTIONS).safeParse(value);
      expect(parsed.success).toBe(true);
      for (const q of QUESTIONS) if (q.required) expect(validAnswer(q, value.answers[q.id])).not.toBeNull();
      ratings[gender]!.push(value.answers.q2 as number);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(ratings.female!) - mean(ratings.male!)).toBeGreaterThan(3);
  });

  it("with invalidSurvey, breaks every kind of question the way models do, once per flag unit", () => {
    const flags: Record<string, unknown> = { invalidSurvey: 1 };
    const system = answerSystemPrompt(persona("Ann", "female", 30));
    const bad = scenario(fakeRequest(system, user, flags)) as { answers: Record<string, unknown> };
    expect((bad.answers.q1 as string[]).some((o) => !["A", "B", "C", "D"].includes(o))).toBe(true);
    expect(bad.answers.q2 === 13 || bad.answers.q2 === "9/10").toBe(true);
    const order = bad.answers.q4 as string[];
    expect(order.length < 3 || new Set(order).size < order.length).toBe(true);
    expect(flags.invalidSurvey).toBe(0);
    expect(surveyAnswerSchema(QUESTIONS).safeParse(scenario(fakeRequest(system, user, flags))).success).toBe(true);
  });
});
