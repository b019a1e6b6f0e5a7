import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Job, Survey, SurveyResults } from "../../src/shared/contract";
import { answerSchemaFor } from "../../src/main/services/surveys/answer-schema";
import { startFakes, type RunningFakes, type LoggedRequest } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { runPython } from "../support/python";
import { startTestApp, type TestApp } from "../support/services";
import { sleep, startSurveyTest, type SurveyTest } from "./setup";

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

type Response = { id: string; personaId: string; answers: Record<string, unknown> };

async function responsesOf(t: SurveyTest, id: string): Promise<Response[]> {
  return (await t.invoke<{ items: Response[] }>("surveys.responses", { id, limit: 1000 })).items;
}

/** Every required question answered, every answer valid for its question. */
function expectValid(survey: Survey, responses: Response[]) {
  for (const response of responses) {
    expect(Object.keys(response.answers).sort()).toEqual(survey.questions.map((q) => q.id).sort());
    for (const question of survey.questions) {
      const value = response.answers[question.id];
      if (value === null) {
        expect(question.required).toBe(false);
        continue;
      }
      expect(answerSchemaFor(question).safeParse(value).success, `${question.id} = ${JSON.stringify(value)}`).toBe(
        true,
      );
    }
  }
}

const answerRequests = (requests: LoggedRequest[]) => requests.filter((r) => r.scenario === "survey_answer");
const nameIn = (request: LoggedRequest) => /^Name: (.+)$/m.exec(request.system)?.[1];

describe("running a survey", () => {
  it("asks each of 5 personas every question once and saves one valid response per persona", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    const job = await t.runToEnd(survey.id);
    expect(job.status).toBe("succeeded");
    // One unit per persona, then the open themes.
    expect(job.progress).toMatchObject({ done: 6, total: 6 });
    const responses = await responsesOf(t, survey.id);
    expect(responses.map((r) => r.personaId).sort()).toEqual(t.personas.map((p) => p.id).sort());
    expectValid(survey, responses);
    const after = await t.invoke<Survey>("surveys.get", { id: survey.id });
    expect(after).toMatchObject({ status: "completed", jobId: job.id, responseCount: 5 });
    expect(after.personaIds.sort()).toEqual(t.personas.map((p) => p.id).sort());

    const asked = answerRequests(fakes.requests());
    expect(asked).toHaveLength(5);
    expect(asked.map(nameIn).sort()).toEqual(t.personas.map((p) => p.name).sort());
    const persona = t.personas.find((p) => p.name === nameIn(asked[0]!))!;
    // The marker first, then the persona's profile; every question with its id and choices.
    expect(asked[0]!.system.split("\n")[0]).toBe("sight-task: survey_answer");
    expect(asked[0]!.system).toContain(`Age: ${persona.age}`);
    expect(asked[0]!.system).toContain(`Occupation: ${persona.occupation}`);
    expect(asked[0]!.system).toMatch(/Big Five \(0 to 1\): openness \d\.\d\d/);
    expect(asked[0]!.messagesText).toContain("- q4 [ranking]: Rank what matters most");
    expect(asked[0]!.messagesText).toContain('Options: "Coffee", "Tea", "Juice", "Water"');
    // 5 answers + 1 call grouping the open answers into themes.
    expect(job.usage.calls).toBe(6);
    // The Survey.status column follows the job too.
    await sleep(50);
    expect((await t.app.services.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).status).toBe(
      "completed",
    );
  });

  it("asks again with the validation error when answers are invalid, and saves only valid ones", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    fakes.control({ scenarioFlags: { invalidSurvey: 3 } });
    const job = await t.runToEnd(survey.id);
    expect(job.status).toBe("succeeded");
    const responses = await responsesOf(t, survey.id);
    expect(responses).toHaveLength(5);
    expectValid(survey, responses);

    const retried = answerRequests(fakes.requests()).filter((r) =>
      r.messagesText.includes("Your previous answer was invalid"),
    );
    expect(retried).toHaveLength(3);
    const feedback = retried.map((r) => r.messagesText).join("\n");
    expect(feedback).toMatch(/answers\.q1\.0: "Coffee \(or something else\)" is not one of the options/);
    expect(feedback).toMatch(/answers\.q2: the rating must be a whole number from 1 to 5/);
    expect(feedback).toMatch(/answers\.q4: rank (all 4 items|each item exactly once)/);
    // 5 first answers + 3 corrections + the themes call, all paid for.
    expect(job.usage.calls).toBe(9);
  });

  it("never coerces: answers that stay invalid fail the job with a typed error and save nothing invalid", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    fakes.control({ scenarioFlags: { invalidSurvey: 1000 } });
    const job = await t.runToEnd(survey.id);
    expect(job.status).toBe("failed");
    expect(job.error).toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      message: expect.stringMatching(/still invalid after 3 attempts.*No invalid answer was saved/),
      details: { reason: "invalid_output" },
    });
    expect(await responsesOf(t, survey.id)).toEqual([]);
    expect(answerRequests(fakes.requests())).toHaveLength(15);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toMatchObject({
      status: "failed",
      responseCount: 0,
    });
  });

  it("keeps the responses saved before one persona failed, and resuming asks only that persona", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    const stubborn = t.personas[2]!;
    fakes.control({ scenarioFlags: { invalidSurveyPersona: stubborn.name } });
    const failed = await t.runToEnd(survey.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", details: { personaId: stubborn.id } });
    expect(failed.error!.message).toContain(stubborn.name);
    const kept = await responsesOf(t, survey.id);
    expect(kept.map((r) => r.personaId).sort()).toEqual(
      t.personas
        .filter((p) => p !== stubborn)
        .map((p) => p.id)
        .sort(),
    );
    expectValid(survey, kept);

    fakes.reset();
    await t.invoke("jobs.resume", { id: failed.id });
    await t.app.services.jobs.idle();
    expect((await t.invoke<Job>("jobs.get", { id: failed.id })).status).toBe("succeeded");
    expect(answerRequests(fakes.requests()).map(nameIn)).toEqual([stubborn.name]);
    const all = await responsesOf(t, survey.id);
    expect(all).toHaveLength(5);
    // The responses saved before the failure are the same rows, not asked again.
    expect(all.filter((r) => kept.some((k) => k.id === r.id))).toHaveLength(4);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toMatchObject({
      status: "completed",
      responseCount: 5,
    });
  });

  it("cancel keeps the responses already saved, all valid", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 12, overrides: { plan: "professional" } });
    await t.invoke("llm.updateSettings", { concurrency: 2 });
    const survey = await t.createSurvey();
    fakes.control({ latencyMs: 150 });
    const { jobId } = await t.invoke<{ jobId: string }>("surveys.run", { id: survey.id });
    for (let i = 0; i < 200 && (await responsesOf(t, survey.id)).length < 2; i++) await sleep(20);
    await t.invoke("jobs.cancel", { id: jobId });
    await t.app.services.jobs.idle();
    const job = await t.invoke<Job>("jobs.get", { id: jobId });
    expect(job.status).toBe("cancelled");
    const responses = await responsesOf(t, survey.id);
    expect(responses.length).toBeGreaterThanOrEqual(2);
    expect(responses.length).toBeLessThan(12);
    // one unit per saved response
    expect(job.progress.done).toBe(responses.length);
    expectValid(survey, responses);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toMatchObject({
      status: "cancelled",
      responseCount: responses.length,
    });
  });

  it("an interrupted run resumes without asking the personas that already answered", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 12, overrides: { plan: "professional" } });
    await t.invoke("llm.updateSettings", { concurrency: 2 });
    const survey = await t.createSurvey();
    fakes.control({ latencyMs: 150 });
    const { jobId } = await t.invoke<{ jobId: string }>("surveys.run", { id: survey.id });
    for (let i = 0; i < 200 && (await responsesOf(t, survey.id)).length < 3; i++) await sleep(20);
    // A shutdown mid-run; the next start finds the job interrupted.
    const dataDir = t.app.dataDir;
    await t.app.services.close();
    apps.splice(apps.indexOf(t.app), 1);
    const again = await startTestApp({ dataDir, env: fakes.env, llmPolicy: FAST_POLICY, plan: "professional" });
    apps.push(again);
    const saved = await again.services.db.prisma.surveyResponse.findMany({ where: { surveyId: survey.id } });
    expect(saved.length).toBeGreaterThanOrEqual(3);
    expect((await again.services.surveys.get(survey.id)).status).toBe("interrupted");

    fakes.reset();
    await again.services.jobs.resume(jobId);
    await again.services.jobs.idle();
    expect((await again.services.jobs.get(jobId)).status).toBe("succeeded");
    const all = await again.services.db.prisma.surveyResponse.findMany({ where: { surveyId: survey.id } });
    expect(all).toHaveLength(12);
    expect(new Set(all.map((r) => r.personaId)).size).toBe(12);
    const savedNames = new Set(t.personas.filter((p) => saved.some((r) => r.personaId === p.id)).map((p) => p.name));
    const askedAfter = answerRequests(fakes.requests()).map(nameIn);
    expect(askedAfter.filter((name) => savedNames.has(name!))).toEqual([]);
    expect(askedAfter).toHaveLength(12 - saved.length);
    expect((await again.services.surveys.get(survey.id)).status).toBe("completed");
  });

  it("a new run replaces the previous run's responses; a chosen subset answers alone", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    const first = await t.runToEnd(survey.id);
    const chosen = [t.personas[0]!.id, t.personas[3]!.id];
    const second = await t.runToEnd(survey.id, { personaIds: [...chosen, chosen[0]], replaceResponses: true });
    expect(second.status).toBe("succeeded");
    const rows = await t.app.services.db.prisma.surveyResponse.findMany({ where: { surveyId: survey.id } });
    expect(rows.map((r) => r.personaId).sort()).toEqual([...chosen].sort());
    expect(rows.every((r) => r.runId === second.id)).toBe(true);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toMatchObject({
      jobId: second.id,
      personaIds: chosen,
      responseCount: 2,
    });
    // The old run cannot come back over the new one.
    await t.app.services.db.prisma.job.update({ where: { id: first.id }, data: { status: "failed" } });
    await t.invoke("jobs.resume", { id: first.id });
    await t.app.services.jobs.idle();
    expect(await t.invoke<Job>("jobs.get", { id: first.id })).toMatchObject({
      status: "failed",
      error: { code: "CONFLICT" },
    });
    expect(await t.app.services.db.prisma.surveyResponse.count({ where: { surveyId: survey.id } })).toBe(2);
  });

  it("replacing the questions after a run, confirmed, deletes the old responses and makes it a draft again", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    await t.runToEnd(survey.id);
    const renamed = await t.invoke<Survey>("surveys.update", { id: survey.id, name: "Renamed" });
    expect(renamed).toMatchObject({ status: "completed", responseCount: 5 });
    const replaced = await t.invoke<Survey>("surveys.update", {
      id: survey.id,
      questions: [{ type: "open_ended", text: "Anything else?" }],
      discardResponses: true,
    });
    expect(replaced).toMatchObject({ status: "draft", jobId: null, responseCount: 0, personaIds: [] });
  });

  it("refuses a second run, edits and deletion while it runs (CONFLICT), changing nothing", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    fakes.control({ latencyMs: 300 });
    const { jobId } = await t.invoke<{ jobId: string }>("surveys.run", { id: survey.id });
    const jobsBefore = await t.app.services.db.prisma.job.count();
    expect(await t.call("surveys.run", { id: survey.id })).toMatchObject({
      error: { code: "CONFLICT", details: { jobId } },
    });
    expect(await t.call("surveys.update", { id: survey.id, name: "x" })).toMatchObject({ error: { code: "CONFLICT" } });
    expect(await t.call("surveys.delete", { id: survey.id })).toMatchObject({ error: { code: "CONFLICT" } });
    expect(await t.app.services.db.prisma.job.count()).toBe(jobsBefore);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toMatchObject({
      name: "Breakfast habits",
      status: "running",
    });
    await t.app.services.jobs.idle();
  });

  it("starts one job when two runs of the same survey arrive at once; the other gets CONFLICT", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    fakes.control({ latencyMs: 200 });
    const results = await Promise.all([
      t.call("surveys.run", { id: survey.id }),
      t.call("surveys.run", { id: survey.id }),
    ]);
    const accepted = results.filter((r): r is { data: { jobId: string } } => "data" in (r as object));
    expect(accepted).toHaveLength(1);
    const jobId = accepted[0]!.data.jobId;
    expect(results.filter((r) => "error" in (r as object))).toMatchObject([
      { error: { code: "CONFLICT", details: { jobId } } },
    ]);
    expect(await t.app.services.db.prisma.job.count({ where: { kind: "surveys.run" } })).toBe(1);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toMatchObject({ jobId, status: "running" });
    await t.app.services.jobs.idle();
  });

  it("refuses personas of another project, a project without personas, and a missing provider, before any job", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    const other = await t.invoke<{ id: string }>("projects.create", { name: "Other" });
    const emptySurvey = await t.invoke<Survey>("surveys.create", {
      projectId: other.id,
      name: "Empty",
      questions: [{ type: "open_ended", text: "Hi?" }],
    });
    const jobsBefore = await t.app.services.db.prisma.job.count();

    const foreign = await t.call("surveys.run", { id: survey.id, personaIds: [t.personas[0]!.id, "someone-else"] });
    expect(foreign).toMatchObject({
      error: {
        code: "VALIDATION_FAILED",
        message: expect.stringContaining("someone-else"),
        details: { personaIds: ["someone-else"], issues: [{ path: ["personaIds"] }] },
      },
    });
    const none = await t.call("surveys.run", { id: emptySurvey.id });
    expect(none).toMatchObject({
      error: { code: "VALIDATION_FAILED", message: expect.stringMatching(/generate personas first/) },
    });
    expect(await t.call("surveys.run", { id: "nope" })).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect(await t.app.services.db.prisma.job.count()).toBe(jobsBefore);
    expect(await t.invoke<Survey>("surveys.get", { id: survey.id })).toMatchObject({ status: "draft", jobId: null });

    const unconfigured = await startTestApp({ env: {}, llmPolicy: FAST_POLICY });
    apps.push(unconfigured);
    const project = await unconfigured.router.invoke("projects.create", { name: "P" }, { transport: "rest" });
    const projectId = (project as { data: { id: string } }).data.id;
    await unconfigured.services.db.prisma.persona.create({ data: personaRow("p1", projectId) });
    const s = (await unconfigured.router.invoke(
      "surveys.create",
      { projectId, name: "S", questions: [{ type: "open_ended", text: "Hi?" }] },
      { transport: "rest" },
    )) as {
      data: Survey;
    };
    expect(await unconfigured.router.invoke("surveys.run", { id: s.data.id }, { transport: "rest" })).toMatchObject({
      error: { code: "PROVIDER_UNAVAILABLE" },
    });
    expect(await unconfigured.services.db.prisma.job.count()).toBe(0);
  });

  it("retries themes that quote someone who did not answer, and stores 2–6 themes quoting respondents", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    fakes.control({ scenarioFlags: { badThemeQuotes: 1 } });
    const job = await t.runToEnd(survey.id);
    expect(job.status).toBe("succeeded");
    const themeRequests = fakes.requests().filter((r) => r.scenario === "survey_open_themes");
    expect(themeRequests).toHaveLength(2);
    expect(themeRequests[0]!.system.split("\n")[0]).toBe("sight-task: survey_open_themes");
    expect(themeRequests[1]!.messagesText).toMatch(/quotes must use the personaId of a respondent.*not-a-respondent/);
    const results = await t.invoke<SurveyResults>("surveys.results", { id: survey.id });
    const themes = results.questions.find((q) => q.questionId === "q3")!.openThemes!;
    expect(themes.length).toBeGreaterThanOrEqual(2);
    expect(themes.length).toBeLessThanOrEqual(6);
    const respondents = new Set(t.personas.map((p) => p.id));
    for (const theme of themes) {
      expect(theme.count).toBeGreaterThanOrEqual(1);
      expect(theme.count).toBeLessThanOrEqual(5);
      for (const quote of theme.quotes) expect(respondents.has(quote.personaId)).toBe(true);
    }
  });
});

describe("results", () => {
  it("aggregates stored responses exactly (hand-computed) and reports the open themes", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    const answers = [
      { q1: ["Coffee"], q2: 5, q3: "Cheaper", q4: ["Taste", "Price", "Health", "Sustainability"] },
      { q1: ["Tea"], q2: 4, q3: "Better taste", q4: ["Price", "Taste", "Health", "Sustainability"] },
      { q1: ["Coffee"], q2: 2, q3: "Nothing", q4: ["Taste", "Health", "Price", "Sustainability"] },
      { q1: ["Water"], q2: 4, q3: "Greener", q4: ["Sustainability", "Health", "Taste", "Price"] },
      { q1: ["Coffee"], q2: 1, q3: "Cheaper", q4: ["Taste", "Price", "Sustainability", "Health"] },
    ];
    const themes = { q3: [{ theme: "Price", count: 2, quotes: [{ personaId: t.personas[0]!.id, text: "Cheaper" }] }] };
    const prisma = t.app.services.db.prisma;
    await prisma.survey.update({ where: { id: survey.id }, data: { openThemes: JSON.stringify(themes) } });
    for (const [i, a] of answers.entries()) {
      await prisma.surveyResponse.create({
        data: {
          id: `r${i}`,
          surveyId: survey.id,
          personaId: t.personas[i]!.id,
          answers: JSON.stringify(a),
          runId: "manual",
        },
      });
    }
    const results = await t.invoke<SurveyResults>("surveys.results", { id: survey.id });
    expect(results.respondents).toBe(5);
    const [q1, q2, q3, q4] = results.questions;
    expect(q1!.counts).toEqual([
      { value: "Coffee", count: 3, percent: 60 },
      { value: "Tea", count: 1, percent: 20 },
      { value: "Juice", count: 0, percent: 0 },
      { value: "Water", count: 1, percent: 20 },
    ]);
    // 5 4 2 4 1: mean 16/5, sorted 1 2 4 4 5 → median 4, Σ(x−3.2)² = 3.24+0.64+1.44+0.64+4.84 = 10.8, /4 → √2.7
    expect(q2!.rating!.mean).toBeCloseTo(3.2, 12);
    expect(q2!.rating!.median).toBe(4);
    expect(q2!.rating!.stdDev).toBeCloseTo(Math.sqrt(2.7), 12);
    expect(q2!.counts.map((c) => c.count)).toEqual([1, 1, 0, 2, 1]);
    expect(q3!.openThemes).toEqual(themes.q3);
    expect(q3!.answered).toBe(5);
    // Taste ranks 1,2,1,3,1 → mean 8/5, Borda Σ(4 − rank) = 3+2+3+1+3 = 12, first choice 3/5.
    expect(q4!.ranking!.find((r) => r.item === "Taste")).toEqual({
      item: "Taste",
      meanRank: 1.6,
      borda: 12,
      firstChoiceShare: 0.6,
    });
    // Price ranks 2,1,3,4,2 → mean 12/5, Borda 2+3+1+0+2 = 8.
    expect(q4!.ranking!.find((r) => r.item === "Price")).toEqual({
      item: "Price",
      meanRank: 2.4,
      borda: 8,
      firstChoiceShare: 0.2,
    });
    expect(results.crosstabs).toEqual([]);
  });

  it("cross-tabs every cross-tabbable question by a dimension, with chi-square equal to scipy's to 1e-9", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 24, overrides: { plan: "professional" } });
    const survey = await t.createSurvey();
    expect((await t.runToEnd(survey.id)).status).toBe("succeeded");
    const results = await t.invoke<SurveyResults>("surveys.results", { id: survey.id, crosstab: "gender" });
    expect(results.crosstabs.map((c) => c.questionId)).toEqual(["q1", "q2", "q4"]);

    // The same tables counted independently from the responses and the personas' genders.
    const responses = await responsesOf(t, survey.id);
    const genderOf = new Map(t.personas.map((p) => [p.id, p.demographics.gender!]));
    for (const table of results.crosstabs) {
      expect(table.columns).toEqual(["female", "male"]);
      const expected = table.rows.map((row) =>
        table.columns.map(
          (column) =>
            responses.filter((r) => {
              const value = r.answers[table.questionId];
              const label = Array.isArray(value) ? (table.questionId === "q4" ? [value[0]] : value) : [String(value)];
              return genderOf.get(r.personaId) === column && label.includes(row);
            }).length,
        ),
      );
      expect(table.counts).toEqual(expected);
    }
    // The fake leans by gender, so the tables are not flat.
    expect(results.crosstabs.find((c) => c.questionId === "q2")!.pValue!).toBeLessThan(0.05);

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
      results.crosstabs.map((c) => clean(c.counts)),
    );
    results.crosstabs.forEach((table, i) => {
      expect(Math.abs(table.statistic! - scipy[i]!.statistic)).toBeLessThanOrEqual(
        1e-9 * Math.max(1, scipy[i]!.statistic),
      );
      expect(Math.abs(table.pValue! - scipy[i]!.pvalue)).toBeLessThanOrEqual(1e-9);
      expect(table.df).toBe(scipy[i]!.dof);
      expect(table.minExpected).toBeCloseTo(scipy[i]!.minExpected, 9);
      // 24 respondents over 4–5 rows and 2 columns: some expected counts are small.
      expect(table.smallExpectedWarning).toBe(scipy[i]!.minExpected < 5);
    });
    expect(results.crosstabs.some((c) => c.smallExpectedWarning)).toBe(true);
  });

  it("refuses a dimension the project's target does not have, naming it", async () => {
    const t = await startSurveyTest(fakes, apps, { personaCount: 0 });
    const survey = await t.createSurvey();
    expect(await t.call("surveys.results", { id: survey.id, crosstab: "income" })).toMatchObject({
      error: {
        code: "VALIDATION_FAILED",
        message: expect.stringMatching(/"income" is not a dimension.*\(gender, age_group\)/),
        details: { dimension: "income", issues: [{ path: ["crosstab"] }] },
      },
    });
    expect(await t.call("surveys.results", { id: survey.id, crosstab: "Bad-Dim" })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
  });
});

function personaRow(id: string, projectId: string) {
  return {
    id,
    projectId,
    demographics: JSON.stringify({ gender: "female" }),
    name: "Ann Example",
    age: 30,
    gender: "female",
    location: "Austin",
    education: "bachelor",
    income: "middle",
    occupation: "nurse",
    bigFive: JSON.stringify({
      openness: 0.5,
      conscientiousness: 0.5,
      extraversion: 0.5,
      agreeableness: 0.5,
      neuroticism: 0.5,
    }),
    values: "[]",
    interests: "[]",
    backgroundStory: "story",
    communicationStyle: "plain",
    decisionMakingStyle: "careful",
    concerns: "[]",
    locale: "en-US",
    model: "manual",
    searchText: "ann",
  };
}
