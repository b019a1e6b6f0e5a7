import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type {
  ExportDocument,
  Job,
  Question,
  RouteOutput,
  StabilityEstimate,
  Survey,
  SurveyResults,
  SurveyStabilityReport,
} from "../../src/shared/contract";
import { replicateSeeds } from "../../src/shared/domain/stability";
import { surveyUnit } from "../../src/main/services/stability/params";
import { produceJson } from "../../src/main/services/exports/json";
import { readRevision } from "../../src/main/services/exports/revision";
import { producePdf } from "../../src/main/services/exports/pdf";
import { startFakes, type LoggedRequest, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { runProducer, validateWithPython } from "../support/exports";
import { pdfText } from "../support/pdf-tools";
import { runPython } from "../support/python";
import { REPO_ROOT, startTestApp, type TestApp } from "../support/services";
import { startSurveyTest, type SurveyTest } from "../surveys/setup";

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

type Answers = Record<string, string[] | number | string | null>;
type Latest = RouteOutput<"stability.latest">;

const answerRequests = (requests: LoggedRequest[]) => requests.filter((r) => r.scenario === "survey_answer");
const nameIn = (request: LoggedRequest) => /^Name: (.+)$/m.exec(request.system)?.[1];

/** A survey that ran to the end over the test's personas. */
async function ranSurvey(t: SurveyTest): Promise<Survey> {
  const survey = await t.createSurvey();
  expect((await t.runToEnd(survey.id)).status).toBe("succeeded");
  // The Survey.status column follows the job a moment later (surveys-service): let it settle
  // before a test takes its snapshot of the row.
  const { prisma } = t.app.services.db;
  for (let i = 0; i < 200; i++) {
    if ((await prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).status === "completed") break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  fakes.reset();
  return t.invoke<Survey>("surveys.get", { id: survey.id });
}

/** Each run's answers as the job saved them, read straight from its units. */
async function storedRuns(t: SurveyTest | { app: TestApp }, job: Job, personaIds: string[], runs: number) {
  const units = await t.app.services.db.prisma.jobUnit.findMany({ where: { jobId: job.id } });
  const byKey = new Map(units.map((unit) => [unit.key, JSON.parse(unit.output) as { answers?: Answers }]));
  return Array.from({ length: runs }, (_, r) =>
    personaIds.flatMap((id) => {
      const answers = byKey.get(surveyUnit(r + 1, id))?.answers;
      return answers ? [answers] : [];
    }),
  );
}

/** The survey's responses and survey row as they are, to prove a check leaves them alone. */
async function studyState(t: SurveyTest, surveyId: string) {
  const { prisma } = t.app.services.db;
  return JSON.stringify([
    await prisma.survey.findUniqueOrThrow({ where: { id: surveyId } }),
    await prisma.surveyResponse.findMany({ where: { surveyId }, orderBy: { id: "asc" } }),
  ]);
}

/**
 * Per question and statistic, the per-run values computed from the stored answers and the 95 %
 * t-interval over them, by numpy and scipy: the independent computation the report must equal.
 */
function expectedFromAnswers(questions: Question[], runs: Answers[][]) {
  return runPython<
    Record<string, Record<string, { perRun: (number | null)[]; low: number | null; high: number | null }>>
  >(
    `import json, sys
import numpy as np
from scipy import stats
data = json.load(sys.stdin)
def interval(values):
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return None, None
    a = np.array(values, dtype=float)
    if a.std(ddof=1) == 0:
        return float(a.mean()), float(a.mean())
    low, high = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    return float(low), float(high)
out = {}
for q in data["questions"]:
    qid = q["id"]
    found = {}
    def answered(run):
        return [a[qid] for a in run if a.get(qid) not in (None, [], "")]
    if q["type"] == "multiple_choice":
        for o in q["options"]:
            found["share:" + o] = [100.0 * sum(o in v for v in answered(run)) / len(answered(run)) if answered(run) else None for run in data["runs"]]
    elif q["type"] == "rating_scale":
        for p in range(q["min"], q["max"] + 1):
            found["share:" + str(p)] = [100.0 * sum(v == p for v in answered(run)) / len(answered(run)) if answered(run) else None for run in data["runs"]]
        found["rating"] = [float(np.mean(answered(run))) if answered(run) else None for run in data["runs"]]
    elif q["type"] == "ranking":
        for item in q["items"]:
            found["rank:" + item] = [float(np.mean([v.index(item) + 1 for v in answered(run)])) if answered(run) else None for run in data["runs"]]
    out[qid] = {}
    for key, per_run in found.items():
        low, high = interval(per_run)
        out[qid][key] = {"perRun": per_run, "low": low, "high": high}
print(json.dumps(out))`,
    { questions, runs },
  );
}

const close = (actual: number, expected: number, scale = 1) =>
  // 1e-8 of the scale: Debian's scipy inverts the t distribution to about 1e-10 (see tests/domain/stability.test.ts).
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(expected), Math.abs(scale)));

function expectReportMatches(report: SurveyStabilityReport, questions: Question[], runs: Answers[][]) {
  const expected = expectedFromAnswers(questions, runs);
  for (const question of report.questions) {
    const want = expected[question.questionId]!;
    const stats = [
      ...question.shares.map((share) => [`share:${share.value}`, share] as const),
      ...(question.rating ? [["rating", question.rating] as const] : []),
      ...(question.ranks ?? []).map((rank) => [`rank:${rank.item}`, rank] as const),
    ];
    expect(stats.map(([key]) => key).sort()).toEqual(Object.keys(want).sort());
    for (const [key, stat] of stats) {
      const { perRun, low, high } = want[key]!;
      expect(
        stat.perRun.map((v) => v === null),
        `${question.questionId} ${key}`,
      ).toEqual(perRun.map((v) => v === null));
      stat.perRun.forEach((value, i) => value !== null && close(value, perRun[i]!));
      expect(stat.interval === null, `${question.questionId} ${key}`).toBe(low === null);
      if (stat.interval) {
        close(stat.interval.low, low!, stat.interval.mean);
        close(stat.interval.high, high!, stat.interval.mean);
      }
    }
  }
}

describe("a survey's stability check", () => {
  it("reruns every persona N times with N seeds, leaves the survey alone, and reports what the stored runs give", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await ranSurvey(t);
    const before = await studyState(t, survey.id);
    const personaIds = [...survey.personaIds].sort();

    const estimate = await t.invoke<StabilityEstimate>("stability.estimate", {
      study: "survey",
      id: survey.id,
      runs: 3,
    });
    expect(estimate).toMatchObject({ runs: 3, units: 15, calls: 15, priced: true });
    expect(estimate.costUsd).toBeGreaterThan(0);
    // Three runs cost three times one run.
    const one = await t.invoke<StabilityEstimate>("stability.estimate", { study: "survey", id: survey.id, runs: 2 });
    expect(estimate.inputTokens).toBe((one.inputTokens / 2) * 3);

    const revision = await readRevision(t.app.services.db.raw, t.projectId);
    const { jobId } = await t.invoke<{ jobId: string }>("stability.start", {
      study: "survey",
      id: survey.id,
      runs: 3,
      seed: 42,
    });
    await t.app.services.jobs.idle();
    // A finished check is new content for exports: cached ones of this project are stale.
    expect(await readRevision(t.app.services.db.raw, t.projectId)).toBeGreaterThan(revision);
    const job = await t.invoke<Job>("jobs.get", { id: jobId });
    expect(job).toMatchObject({ kind: "stability.run", status: "succeeded", progress: { done: 15, total: 15 } });
    expect(job.usage.calls).toBe(estimate.calls);

    // Each persona once per run, each run with its own seed derived from the base seed.
    const seeds = replicateSeeds(42, 3);
    const asked = answerRequests(fakes.requests());
    expect(asked).toHaveLength(15);
    expect(asked.map((r) => r.seed).sort()).toEqual(seeds.flatMap((seed) => Array<number>(5).fill(seed)).sort());
    for (const seed of seeds) {
      expect(
        asked
          .filter((r) => r.seed === seed)
          .map(nameIn)
          .sort(),
      ).toEqual(t.personas.map((p) => p.name).sort());
    }
    expect(await studyState(t, survey.id)).toBe(before);

    const report = job.result as SurveyStabilityReport;
    expect(report).toMatchObject({ study: "survey", studyId: survey.id, runs: 3, baseSeed: 42, seeds });
    expect(report.respondentsPerRun).toEqual([5, 5, 5]);
    const runs = await storedRuns(t, job, personaIds, 3);
    // The seeds change the answers: the runs are not copies of each other.
    expect(new Set(runs.map((run) => JSON.stringify(run))).size).toBe(3);
    expectReportMatches(report, survey.questions, runs);

    // The study's own values are its results.
    const results = await t.invoke<SurveyResults>("surveys.results", { id: survey.id });
    for (const question of report.questions.filter((q) => q.type !== "open_ended")) {
      const own = results.questions.find((r) => r.questionId === question.questionId)!;
      if (question.type !== "ranking") {
        expect(question.shares.map((s) => [s.value, s.original])).toEqual(own.counts.map((c) => [c.value, c.percent]));
      } else {
        expect(question.ranks!.map((r) => [r.item, r.original])).toEqual(own.ranking!.map((r) => [r.item, r.meanRank]));
      }
      if (question.type === "rating_scale") expect(question.rating!.original).toBe(own.rating!.mean);
    }
    // The open question is reported as not assessed; the others are judged.
    expect(report.questions.map((q) => [q.type, q.assessed])).toEqual([
      ["multiple_choice", true],
      ["rating_scale", true],
      ["open_ended", false],
      ["ranking", true],
    ]);
    expect(report.assessedQuestions).toBe(3);
    expect(report.stableQuestions).toBe(report.questions.filter((q) => q.assessed && q.stable).length);

    const latest = await t.invoke<Latest>("stability.latest", { study: "survey", id: survey.id });
    expect(latest.job).toMatchObject({ id: jobId, status: "succeeded" });
    expect(latest.latest).toEqual({ jobId, stale: false, report });

    // Exports carry it: the JSON document (valid against the committed schema) and a PDF page.
    const json = await runProducer(produceJson, t.app.services, t.projectId, "survey", {
      format: "json",
      ids: [survey.id],
    });
    expect(validateWithPython(path.join(REPO_ROOT, "schemas", "export.schema.json"), json.file)).toEqual([]);
    const doc = JSON.parse(json.text) as ExportDocument;
    expect(doc.surveys[0]!.stability).toEqual({ jobId, stale: false, report });
    const pdf = await runProducer(producePdf, t.app.services, t.projectId, "survey", {
      format: "pdf",
      ids: [survey.id],
    });
    const text = pdfText(pdf.file).replace(/\s+/g, " ");
    expect(text).toContain("Every persona answered every question again in 3 runs");
    expect(text).toContain(`(derived from base seed 42)`);
    expect(text).toContain(`${report.stableQuestions} of 3 questions stable.`);
    expect(text).toContain("Open-ended question: not assessed.");
    fs.rmSync(path.dirname(json.file), { recursive: true, force: true });
    fs.rmSync(path.dirname(pdf.file), { recursive: true, force: true });

    // Running the survey again makes the report compare with results that are gone.
    await t.runToEnd(survey.id, { replaceResponses: true });
    expect((await t.invoke<Latest>("stability.latest", { study: "survey", id: survey.id })).latest).toMatchObject({
      jobId,
      stale: true,
    });
  });

  it("resumes after it stopped without asking again for the answers it had saved, also after a restart", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await ranSurvey(t);
    const cursed = t.personas[2]!;
    // Every answer of one persona stays invalid: its three units fail, the other twelve are saved.
    fakes.control({ scenarioFlags: { invalidSurveyPersona: cursed.name } });
    const { jobId } = await t.invoke<{ jobId: string }>("stability.start", { study: "survey", id: survey.id, runs: 3 });
    await t.app.services.jobs.idle();
    const failed = await t.invoke<Job>("jobs.get", { id: jobId });
    expect(failed).toMatchObject({ status: "failed", error: { code: "PROVIDER_UNAVAILABLE" } });
    const saved = await t.app.services.db.prisma.jobUnit.findMany({ where: { jobId }, orderBy: { key: "asc" } });
    expect(saved.map((unit) => unit.key).sort()).toEqual(
      [1, 2, 3].flatMap((run) => t.personas.filter((p) => p !== cursed).map((p) => surveyUnit(run, p.id))).sort(),
    );

    // Sight restarts; the check resumes from its saved units.
    const dataDir = t.app.dataDir;
    await t.app.services.close();
    apps.splice(apps.indexOf(t.app), 1);
    const again = await startTestApp({ dataDir, env: fakes.env, llmPolicy: FAST_POLICY });
    apps.push(again);
    fakes.reset();
    await again.services.jobs.resume(jobId);
    await again.services.jobs.idle();
    const job = await again.services.jobs.get(jobId);
    expect(job.status).toBe("succeeded");
    // Only the missing (run, persona) pairs were asked: the cursed persona once per run.
    const asked = answerRequests(fakes.requests());
    expect(asked.map(nameIn)).toEqual([cursed.name, cursed.name, cursed.name]);
    expect(asked.map((r) => r.seed).sort()).toEqual([...(job.result as SurveyStabilityReport).seeds].sort());
    // The units saved before are the same rows, untouched.
    const after = await again.services.db.prisma.jobUnit.findMany({ where: { jobId }, orderBy: { key: "asc" } });
    expect(after).toHaveLength(15);
    for (const unit of saved) expect(after.find((u) => u.key === unit.key)).toEqual(unit);

    const report = job.result as SurveyStabilityReport;
    expect(report.respondentsPerRun).toEqual([5, 5, 5]);
    expectReportMatches(
      report,
      survey.questions,
      await storedRuns({ app: again }, job, [...survey.personaIds].sort(), 3),
    );
  });

  it("refuses N outside 2–10 with VALIDATION_FAILED and changes nothing", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await ranSurvey(t);
    const { prisma } = t.app.services.db;
    const fingerprint = async () =>
      JSON.stringify([
        await prisma.job.findMany({ orderBy: { id: "asc" } }),
        await prisma.jobUnit.count(),
        await studyState(t, survey.id),
      ]);
    const before = await fingerprint();
    for (const runs of [1, 11, 0, -3, 2.5, "5", null, undefined]) {
      const start = await t.call("stability.start", { study: "survey", id: survey.id, runs });
      expect(start, `stability.start runs=${String(runs)}`).toMatchObject({
        error: { code: "VALIDATION_FAILED", details: { issues: [expect.objectContaining({ path: ["runs"] })] } },
      });
    }
    for (const runs of [1, 11, "twelve"]) {
      const estimate = await t.call("stability.estimate", { study: "survey", id: survey.id, runs });
      expect(estimate, `stability.estimate runs=${String(runs)}`).toMatchObject({
        error: { code: "VALIDATION_FAILED" },
      });
    }
    // The job itself refuses such parameters too, whoever enqueues it.
    await expect(
      t.app.services.jobs.enqueue("stability.run", {
        study: "survey",
        projectId: t.projectId,
        runs: 11,
        baseSeed: 1,
        surveyId: survey.id,
        basisJobId: survey.jobId,
        personaIds: survey.personaIds,
        questions: survey.questions,
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await fingerprint()).toBe(before);
    expect(fakes.requests()).toEqual([]);
  });

  it("refuses a survey that has not run to the end with CONFLICT", async () => {
    const t = await startSurveyTest(fakes, apps);
    const survey = await t.createSurvey();
    expect(await t.call("stability.start", { study: "survey", id: survey.id, runs: 3 })).toMatchObject({
      error: { code: "CONFLICT" },
    });
    expect(await t.call("stability.start", { study: "survey", id: "no-such-survey", runs: 3 })).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
    expect(await t.invoke<Latest>("stability.latest", { study: "survey", id: survey.id })).toEqual({
      job: null,
      latest: null,
    });
  });
});
