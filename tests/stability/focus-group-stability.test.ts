import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type {
  FocusGroup,
  FocusGroupStabilityReport,
  Job,
  RouteOutput,
  StabilityEstimate,
} from "../../src/shared/contract";
import { replicateSeeds } from "../../src/shared/domain/stability";
import { analysisUnit } from "../../src/main/services/stability/params";
import { startFakes, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { data, startTestApp, type TestApp } from "../support/services";

let fakes: RunningFakes;
const apps: TestApp[] = [];
const ctx = { transport: "rest" as const };

beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
afterEach(async () => {
  fakes.reset();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const QUESTION_TASK = "sight-task: focus_group_analysis_question";
const SUMMARY_TASK = "sight-task: focus_group_analysis_summary";

/** A focus group of 3 personas over 2 questions, discussed and analysed once. */
async function analysedGroup() {
  const app = await startTestApp({ env: fakes.env, llmPolicy: FAST_POLICY });
  apps.push(app);
  const call = (name: string, input: unknown) => app.router.invoke(name, input, ctx);
  const invoke = async <T>(name: string, input: unknown) => data(await call(name, input)) as T;
  const project = await invoke<{ id: string }>("projects.create", {
    name: "Oat drink",
    targetDemographics: { gender: { female: 0.5, male: 0.5 } },
  });
  await invoke("personas.generate", { projectId: project.id, count: 3, seed: 5 });
  await app.services.jobs.idle();
  const personaIds = (await invoke<{ items: { id: string }[] }>("personas.list", { projectId: project.id })).items.map(
    (p) => p.id,
  );
  const group = await invoke<FocusGroup>("focusGroups.create", {
    projectId: project.id,
    name: "Switching",
    participantIds: personaIds,
    guide: [{ question: "What do you drink with breakfast?" }, { question: "What would make you switch?" }],
    settings: { discussionRounds: 0, moderatorFollowUps: false },
  });
  await invoke("focusGroups.run", { id: group.id });
  await app.services.jobs.idle();
  const { jobId: analysisId } = await invoke<{ jobId: string }>("focusGroups.analyze", { id: group.id });
  await app.services.jobs.idle();
  expect((await invoke<Job>("jobs.get", { id: analysisId })).status).toBe("succeeded");
  fakes.reset();
  return { app, call, invoke, group, analysisId };
}

describe("a focus group's stability check", () => {
  it("reruns each question's analysis N times with N seeds and counts in how many reruns each theme recurs", async () => {
    const t = await analysedGroup();
    const { prisma } = t.app.services.db;
    const before = JSON.stringify([
      await prisma.insight.findMany({ orderBy: { id: "asc" } }),
      await prisma.focusGroupMessage.findMany({ orderBy: { seq: "asc" } }),
      await prisma.focusGroup.findUniqueOrThrow({ where: { id: t.group.id } }),
    ]);

    const estimate = await t.invoke<StabilityEstimate>("stability.estimate", {
      study: "focusGroup",
      id: t.group.id,
      runs: 6,
    });
    expect(estimate).toMatchObject({ runs: 6, units: 12, calls: 12, priced: true });

    const { jobId } = await t.invoke<{ jobId: string }>("stability.start", {
      study: "focusGroup",
      id: t.group.id,
      runs: 6,
      seed: 7,
    });
    await t.app.services.jobs.idle();
    const job = await t.invoke<Job>("jobs.get", { id: jobId });
    expect(job).toMatchObject({ status: "succeeded", progress: { done: 12, total: 12 } });

    // One call per run and question, with the run's seed; no summary; nothing written to the study.
    const seeds = replicateSeeds(7, 6);
    const requests = fakes.requests();
    expect(requests.filter((r) => r.system.includes(SUMMARY_TASK))).toEqual([]);
    const perQuestion = requests.filter((r) => r.system.includes(QUESTION_TASK));
    expect(perQuestion.map((r) => r.seed).sort()).toEqual(seeds.flatMap((seed) => [seed, seed]).sort());
    // The estimate priced the model the calls went to.
    expect([...new Set(perQuestion.map((r) => r.model))]).toEqual([estimate.model]);
    expect(
      JSON.stringify([
        await prisma.insight.findMany({ orderBy: { id: "asc" } }),
        await prisma.focusGroupMessage.findMany({ orderBy: { seq: "asc" } }),
        await prisma.focusGroup.findUniqueOrThrow({ where: { id: t.group.id } }),
      ]),
    ).toBe(before);

    // Which themes each rerun found, read from its saved units.
    const units = new Map(
      (await prisma.jobUnit.findMany({ where: { jobId } })).map((unit) => [
        unit.key,
        JSON.parse(unit.output) as { themes: { title: string }[] },
      ]),
    );
    const titles = seeds.map((_, r) =>
      [0, 1].flatMap((q) => units.get(analysisUnit(r + 1, q))!.themes.map((t) => t.title)),
    );
    const runsWith = (title: string) => titles.map((list) => list.includes(title));
    // The seeds make the reruns differ (the fake varies its themes by seed).
    expect(new Set(titles.map((list) => JSON.stringify([...new Set(list)].sort()))).size).toBeGreaterThan(1);
    // Each later question is told its own run's earlier themes.
    for (const seed of seeds) {
      const second = perQuestion.find((r) => r.seed === seed && r.messagesText.includes("Question 2"))!;
      const run = seeds.indexOf(seed);
      for (const title of new Set(units.get(analysisUnit(run + 1, 0))!.themes.map((t) => t.title))) {
        expect(second.messagesText).toContain(JSON.stringify(title));
      }
    }

    const report = job.result as FocusGroupStabilityReport;
    expect(report).toMatchObject({
      study: "focusGroup",
      studyId: t.group.id,
      runs: 6,
      baseSeed: 7,
      seeds,
      basisJobId: t.analysisId,
    });
    const count = (flags: boolean[]) => flags.filter(Boolean).length;
    const convenience = runsWith("Everyday convenience");
    expect(report.themes.map((theme) => [theme.title, theme.perRun, theme.recurrences, theme.stable])).toEqual([
      ["Price versus trust", [true, true, true, true, true, true], 6, true],
      ["Everyday convenience", convenience, count(convenience), count(convenience) / 6 >= 0.8],
    ]);
    const packaging = count(runsWith("Packaging as a quality signal"));
    expect(report.emergent).toEqual(
      packaging ? [{ title: "Packaging as a quality signal", recurrences: packaging, share: packaging / 6 }] : [],
    );

    type Latest = RouteOutput<"stability.latest">;
    const latest = await t.invoke<Latest>("stability.latest", { study: "focusGroup", id: t.group.id });
    expect(latest.latest).toEqual({ jobId, stale: false, report });
    // A new analysis replaces the one the check compared with.
    await t.invoke("focusGroups.analyze", { id: t.group.id });
    await t.app.services.jobs.idle();
    expect((await t.invoke<Latest>("stability.latest", { study: "focusGroup", id: t.group.id })).latest?.stale).toBe(
      true,
    );
  });

  it("refuses a focus group that has not been analysed with CONFLICT", async () => {
    const t = await analysedGroup();
    const other = await t.invoke<FocusGroup>("focusGroups.create", {
      projectId: t.group.projectId,
      name: "Not yet",
      participantIds: t.group.participantIds,
      guide: [{ question: "Anything?" }],
    });
    expect(await t.call("stability.start", { study: "focusGroup", id: other.id, runs: 2 })).toMatchObject({
      error: { code: "CONFLICT" },
    });
    expect(await t.call("stability.start", { study: "focusGroup", id: t.group.id, runs: 11 })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await t.app.services.db.prisma.job.count({ where: { kind: "stability.run" } })).toBe(0);
  });
});
