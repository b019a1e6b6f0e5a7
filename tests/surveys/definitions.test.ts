import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Survey } from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import type { TestApp } from "../support/services";
import { QUESTIONS, startSurveyTest, type SurveyTest } from "./setup";

let fakes: RunningFakes;
const apps: TestApp[] = [];

beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
afterEach(async () => {
  fakes.reset();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const mc = (extra: Record<string, unknown> = {}) => ({
  type: "multiple_choice",
  text: "Pick one",
  options: ["Yes", "No"],
  ...extra,
});
const open = (extra: Record<string, unknown> = {}) => ({ type: "open_ended", text: "Why?", ...extra });

async function surveyRows(t: SurveyTest) {
  return t.app.services.db.prisma.survey.count();
}

describe("survey definitions", () => {
  it("creates a survey, assigning q1, q2… and the defaults, and says the Survey table changed", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 0 });
    const changes: string[][] = [];
    t.app.services.bus.on("db.changed", ({ tables }) => changes.push(tables));
    const survey = await t.createSurvey();
    expect(survey).toMatchObject({
      projectId: t.projectId,
      name: "Breakfast habits",
      status: "draft",
      personaIds: [],
      jobId: null,
      responseCount: 0,
    });
    expect(survey.questions.map((q) => q.id)).toEqual(["q1", "q2", "q3", "q4"]);
    expect(survey.questions[0]).toEqual({
      id: "q1",
      type: "multiple_choice",
      text: "Which drink do you have with breakfast?",
      required: true,
      options: ["Coffee", "Tea", "Juice", "Water"],
      maxSelections: 1,
    });
    expect(survey.questions[1]).toMatchObject({ min: 1, max: 5, minLabel: "Not at all", maxLabel: "Very" });
    expect(changes).toEqual([["Survey"]]);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toEqual(survey);
  });

  it.each([
    { rule: "at least 2 options", questions: [mc({ options: ["Only"] })], path: ["questions", "0", "options"] },
    {
      rule: "at most 20 options",
      questions: [mc({ options: Array.from({ length: 21 }, (_, i) => `o${i}`) })],
      path: ["questions", "0", "options"],
    },
    { rule: "unique options", questions: [mc({ options: ["Yes", "yes"] })], path: ["questions", "0", "options"] },
    {
      rule: "maxSelections within the options",
      questions: [mc({ maxSelections: 3 })],
      path: ["questions", "0", "maxSelections"],
    },
    {
      rule: "min < max",
      questions: [{ type: "rating_scale", text: "Rate", min: 5, max: 5 }],
      path: ["questions", "0", "min"],
    },
    {
      rule: "min < max (reversed)",
      questions: [open(), { type: "rating_scale", text: "Rate", min: 7, max: 1 }],
      path: ["questions", "1", "min"],
    },
    {
      rule: "at least 2 ranking items",
      questions: [{ type: "ranking", text: "Rank", items: ["a"] }],
      path: ["questions", "0", "items"],
    },
    {
      rule: "at most 10 ranking items",
      questions: [{ type: "ranking", text: "Rank", items: Array.from({ length: 11 }, (_, i) => `i${i}`) }],
      path: ["questions", "0", "items"],
    },
    {
      rule: "unique ranking items",
      questions: [{ type: "ranking", text: "Rank", items: ["a", "A"] }],
      path: ["questions", "0", "items"],
    },
    { rule: "question text", questions: [open({ text: "  " })], path: ["questions", "0", "text"] },
    { rule: "at least one question", questions: [], path: ["questions"] },
    {
      rule: "unique question ids",
      questions: [open({ id: "why" }), open({ id: "why" })],
      path: ["questions", "1", "id"],
    },
    { rule: "id format", questions: [open({ id: "Bad Id" })], path: ["questions", "0", "id"] },
  ])(
    "refuses a definition that breaks '$rule' with VALIDATION_FAILED naming the field, saving nothing",
    async ({ questions, path }) => {
      const t = await startSurveyTest(fakes, apps, { personaCount: 0 });
      const result = await t.call("surveys.create", { projectId: t.projectId, name: "Bad", questions });
      expect(result).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
      const issues = (result as { error: { details: { issues: { path: string[] }[] } } }).error.details.issues;
      expect(issues.map((issue) => issue.path)).toContainEqual(path);
      expect(await surveyRows(t)).toBe(0);
    },
  );

  it("limits questions by plan: 10 on Free, refused naming the field and the limit", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 0 });
    const eleven = Array.from({ length: 11 }, (_, i) => open({ text: `Question ${i + 1}` }));
    const refused = await t.call("surveys.create", { projectId: t.projectId, name: "Long", questions: eleven });
    expect(refused).toMatchObject({
      error: {
        code: "VALIDATION_FAILED",
        message: expect.stringMatching(/Free plan allows at most 10 questions/),
        details: { issues: [{ path: ["questions"], message: expect.stringMatching(/at most 10/) }], limit: 10 },
      },
    });
    expect(await surveyRows(t)).toBe(0);
    const ten = await t.invoke<Survey>("surveys.create", {
      projectId: t.projectId,
      name: "Ten",
      questions: eleven.slice(0, 10),
    });
    expect(ten.questions).toHaveLength(10);
    // Growing it past the limit by an edit is refused the same way, and changes nothing.
    expect(await t.call("surveys.update", { id: ten.id, questions: eleven })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    expect((await t.invoke<Survey>("surveys.get", { id: ten.id })).questions).toHaveLength(10);
  });

  it("allows longer surveys on the Professional plan", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 0, overrides: { plan: "professional" } });
    const questions = Array.from({ length: 50 }, (_, i) => open({ text: `Question ${i + 1}` }));
    expect(
      (await t.invoke<Survey>("surveys.create", { projectId: t.projectId, name: "Long", questions })).questions,
    ).toHaveLength(50);
    expect(
      await t.call("surveys.create", { projectId: t.projectId, name: "Longer", questions: [...questions, open()] }),
    ).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { limit: 50 } },
    });
  });

  it("refuses an unknown project with NOT_FOUND", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 0 });
    expect(await t.call("surveys.create", { projectId: "nope", name: "x", questions: QUESTIONS })).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
    expect(await t.call("surveys.list", { projectId: "nope" })).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect(await t.call("surveys.get", { id: "nope" })).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect(await surveyRows(t)).toBe(0);
  });

  it("lists newest first with a cursor and a total", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 0 });
    const made: Survey[] = [];
    for (let i = 0; i < 5; i++) made.push(await t.createSurvey({ name: `Survey ${i}` }));
    const first = await t.invoke<{ items: Survey[]; nextCursor: string | null; total: number }>("surveys.list", {
      projectId: t.projectId,
      limit: 3,
    });
    expect(first.total).toBe(5);
    expect(first.items.map((s) => s.name)).toEqual(["Survey 4", "Survey 3", "Survey 2"]);
    const second = await t.invoke<{ items: Survey[]; nextCursor: string | null }>("surveys.list", {
      projectId: t.projectId,
      limit: 3,
      cursor: first.nextCursor,
    });
    expect(second.items.map((s) => s.name)).toEqual(["Survey 1", "Survey 0"]);
    expect(second.nextCursor).toBeNull();
    expect(await t.call("surveys.list", { projectId: t.projectId, cursor: "not-a-cursor" })).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { issues: [{ path: ["cursor"] }] } },
    });
  });

  it("renames and replaces questions; a refused edit changes nothing", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 0 });
    const survey = await t.createSurvey();
    const renamed = await t.invoke<Survey>("surveys.update", { id: survey.id, name: "Mornings" });
    expect(renamed).toMatchObject({ name: "Mornings", questions: survey.questions });
    const refused = await t.call("surveys.update", {
      id: survey.id,
      name: "Other",
      questions: [open({ id: "a" }), open({ id: "a" })],
    });
    expect(refused).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { issues: [{ path: ["questions", "1", "id"] }] } },
    });
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toEqual(renamed);
    const replaced = await t.invoke<Survey>("surveys.update", { id: survey.id, questions: [open()] });
    expect(replaced.questions).toEqual([{ id: "q1", type: "open_ended", text: "Why?", required: true }]);
    expect(await t.call("surveys.update", { id: "nope", name: "x" })).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("deletes a survey", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 0 });
    const survey = await t.createSurvey();
    expect(await t.invoke("surveys.delete", { id: survey.id })).toEqual({ ok: true });
    expect(await t.call("surveys.get", { id: survey.id })).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect(await t.call("surveys.delete", { id: survey.id })).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});
