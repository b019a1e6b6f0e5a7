import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Job, Survey, SurveyResults } from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import type { TestApp } from "../support/services";
import { sleep, startSurveyTest, type SurveyTest } from "./setup";

/**
 * A survey's responses are paid for: changing the questions or running again deletes them only
 * when the caller said so (discardResponses, replaceResponses); otherwise CONFLICT, nothing changed.
 */

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

const OTHER_QUESTIONS = [{ type: "open_ended", text: "Anything else?" }];

/** Everything a refused request must leave as it was: the survey as served, its stored row, its responses. */
async function snapshot(t: SurveyTest, id: string) {
  const prisma = t.app.services.db.prisma;
  return {
    survey: await t.invoke<Survey>("surveys.get", { id }),
    row: await prisma.survey.findUniqueOrThrow({ where: { id } }),
    responses: await prisma.surveyResponse.findMany({ where: { surveyId: id }, orderBy: { id: "asc" } }),
  };
}

const rowsOf = (t: SurveyTest, surveyId: string) =>
  t.app.services.db.prisma.surveyResponse.findMany({ where: { surveyId }, orderBy: { id: "asc" } });

/** A survey run to the end once: 5 responses from one run. */
async function ranOnce(t: SurveyTest) {
  const survey = await t.createSurvey();
  const first = await t.runToEnd(survey.id);
  expect(first.status).toBe("succeeded");
  expect(await rowsOf(t, survey.id)).toHaveLength(5);
  fakes.reset();
  return { survey, first };
}

describe("changing the questions of a survey that has responses", () => {
  it("is refused with CONFLICT saying how many would go and how to keep them; nothing changes, not even the name", async () => {
    const t = await startSurveyTest(fakes, apps);
    const { survey } = await ranOnce(t);
    const before = await snapshot(t, survey.id);
    expect(JSON.parse(before.row.openThemes)).toHaveProperty("q3");

    for (const discardResponses of [undefined, false]) {
      const refused = await t.call("surveys.update", {
        id: survey.id,
        name: "Mornings",
        questions: OTHER_QUESTIONS,
        ...(discardResponses === undefined ? {} : { discardResponses }),
      });
      expect(refused).toMatchObject({
        error: {
          code: "CONFLICT",
          message: expect.stringMatching(/delete this survey's 5 responses/),
          details: { reason: "responses_would_be_deleted", responses: 5 },
        },
      });
      const { message } = (refused as { error: { message: string } }).error;
      expect(message).toMatch(/Export them first \(CSV, JSON or PDF\)/);
      expect(message).toMatch(/discardResponses: true/);
      expect(await snapshot(t, survey.id)).toEqual(before);
    }
    // Editing one question's text counts as a change too.
    const edited = survey.questions.map((q, i) => (i === 0 ? { ...q, text: "Which drink, really?" } : q));
    expect(await t.call("surveys.update", { id: survey.id, questions: edited })).toMatchObject({
      error: { code: "CONFLICT", details: { reason: "responses_would_be_deleted", responses: 5 } },
    });
    expect(await snapshot(t, survey.id)).toEqual(before);
    expect(before.survey).toMatchObject({ name: "Breakfast habits", status: "completed", responseCount: 5 });
  });

  it("with discardResponses: true deletes the responses and themes, saves the questions and makes it a draft", async () => {
    const t = await startSurveyTest(fakes, apps);
    const { survey } = await ranOnce(t);
    const saved = await t.invoke<Survey>("surveys.update", {
      id: survey.id,
      name: "Mornings",
      questions: OTHER_QUESTIONS,
      discardResponses: true,
    });
    expect(saved).toMatchObject({
      name: "Mornings",
      status: "draft",
      jobId: null,
      personaIds: [],
      responseCount: 0,
      questions: [{ id: "q1", type: "open_ended", text: "Anything else?", required: true }],
    });
    expect(await rowsOf(t, survey.id)).toEqual([]);
    const row = await t.app.services.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } });
    expect(row.openThemes).toBe("{}");
  });

  it("needs no flag to rename, to save the same questions, or to change a survey without responses", async () => {
    const t = await startSurveyTest(fakes, apps);
    const { survey } = await ranOnce(t);
    const before = await rowsOf(t, survey.id);
    expect(await t.invoke<Survey>("surveys.update", { id: survey.id, name: "Mornings" })).toMatchObject({
      name: "Mornings",
      status: "completed",
      responseCount: 5,
    });
    // The stored questions sent back unchanged (what the edit form does when only the name changed).
    expect(
      await t.invoke<Survey>("surveys.update", { id: survey.id, name: "Mornings 2", questions: survey.questions }),
    ).toMatchObject({ name: "Mornings 2", status: "completed", responseCount: 5, questions: survey.questions });
    expect(await rowsOf(t, survey.id)).toEqual(before);

    const fresh = await t.createSurvey({ name: "Draft" });
    expect(await t.invoke<Survey>("surveys.update", { id: fresh.id, questions: OTHER_QUESTIONS })).toMatchObject({
      status: "draft",
      questions: [{ text: "Anything else?" }],
    });
  });
});

describe("running a survey again", () => {
  it("without replaceResponses is refused with CONFLICT before any job or model call; nothing changes", async () => {
    const t = await startSurveyTest(fakes, apps);
    const { survey, first } = await ranOnce(t);
    const before = await snapshot(t, survey.id);
    const jobsBefore = await t.app.services.db.prisma.job.count();

    for (const replaceResponses of [undefined, false]) {
      const refused = await t.call("surveys.run", {
        id: survey.id,
        personaIds: [t.personas[0]!.id],
        ...(replaceResponses === undefined ? {} : { replaceResponses }),
      });
      expect(refused).toMatchObject({
        error: {
          code: "CONFLICT",
          message: expect.stringMatching(/replaces the 5 responses of its last run/),
          details: { reason: "responses_would_be_replaced", responses: 5 },
        },
      });
      const { message } = (refused as { error: { message: string } }).error;
      expect(message).toMatch(/Export them first \(CSV, JSON or PDF\)/);
      expect(message).toMatch(/replaceResponses: true/);
    }
    expect(await t.app.services.db.prisma.job.count()).toBe(jobsBefore);
    expect(await snapshot(t, survey.id)).toEqual(before);
    expect(before.survey).toMatchObject({ jobId: first.id, status: "completed" });
    expect(fakes.requests()).toEqual([]);
  });

  it("with replaceResponses: true runs and ends with only the new run's responses", async () => {
    const t = await startSurveyTest(fakes, apps);
    const { survey, first } = await ranOnce(t);
    const old = await rowsOf(t, survey.id);
    const second = await t.runToEnd(survey.id, { replaceResponses: true });
    expect(second.status).toBe("succeeded");
    expect(second.id).not.toBe(first.id);
    const rows = await rowsOf(t, survey.id);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.runId === second.id)).toBe(true);
    expect(rows.filter((r) => old.some((o) => o.id === r.id))).toEqual([]);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toMatchObject({
      jobId: second.id,
      status: "completed",
      responseCount: 5,
    });
    expect(fakes.requests().filter((r) => r.scenario === "survey_answer")).toHaveLength(5);
  });

  it("needs no flag the first time, nor after a run that saved no response", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    fakes.control({ scenarioFlags: { invalidSurvey: 1000 } });
    const failed = await t.runToEnd(survey.id);
    expect(failed.status).toBe("failed");
    expect(await rowsOf(t, survey.id)).toEqual([]);
    fakes.reset();
    const next = await t.runToEnd(survey.id);
    expect(next.status).toBe("succeeded");
    expect(await rowsOf(t, survey.id)).toHaveLength(5);
  });

  it("a confirmed re-run that fails before its first answer keeps the previous responses; resuming replaces them", async () => {
    const t = await startSurveyTest(fakes, apps);
    const { survey, first } = await ranOnce(t);
    const old = await rowsOf(t, survey.id);
    const oldThemes = (await t.app.services.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } }))
      .openThemes;
    fakes.control({ scenarioFlags: { invalidSurvey: 1000 } });
    const failed = await t.runToEnd(survey.id, { replaceResponses: true });
    expect(failed.status).toBe("failed");
    expect(await rowsOf(t, survey.id)).toEqual(old);
    expect(old.every((r) => r.runId === first.id)).toBe(true);
    const row = await t.app.services.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } });
    expect(row.openThemes).toBe(oldThemes);
    const results = await t.invoke<SurveyResults>("surveys.results", { id: survey.id });
    expect(results.respondents).toBe(5);
    expect(results.questions.find((q) => q.questionId === "q3")!.openThemes!.length).toBeGreaterThan(0);

    // Resuming the failed run is not a new run: no flag, and its answers replace the old ones.
    fakes.reset();
    await t.invoke("jobs.resume", { id: failed.id });
    await t.app.services.jobs.idle();
    expect((await t.invoke<Job>("jobs.get", { id: failed.id })).status).toBe("succeeded");
    const rows = await rowsOf(t, survey.id);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.runId === failed.id)).toBe(true);
  });

  it("while a confirmed re-run goes, the responses are never empty and never mixed from two runs", async () => {
    const t = await startSurveyTest(fakes, apps);
    await t.invoke("llm.updateSettings", { concurrency: 2 });
    const { survey, first } = await ranOnce(t);
    fakes.control({ latencyMs: 150 });
    const { jobId } = await t.invoke<{ jobId: string }>("surveys.run", { id: survey.id, replaceResponses: true });
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const rows = await rowsOf(t, survey.id);
      const runs = [...new Set(rows.map((r) => r.runId))];
      expect(runs, `observation ${i}`).toHaveLength(1);
      seen.add(runs[0]!);
      const job = await t.invoke<Job>("jobs.get", { id: jobId });
      if (job.status !== "queued" && job.status !== "running") break;
      await sleep(10);
    }
    await t.app.services.jobs.idle();
    expect((await t.invoke<Job>("jobs.get", { id: jobId })).status).toBe("succeeded");
    // Both states were observed: the old run's responses at first, then only the new run's.
    expect([...seen]).toEqual([first.id, jobId]);
    expect(await rowsOf(t, survey.id)).toHaveLength(5);
  });
});
