import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { routes, type Job, type ProgressLabel } from "../../src/shared/contract";
import { statusFromJob } from "../../src/main/services/focus-groups/rows";
import { newId } from "../../src/main/services/ids";
import { readProgressLabel, storedProgressLabel } from "../../src/main/services/jobs/stored-label";
import { data, startTestApp, type TestApp } from "../support/services";

/**
 * A job's progress label crosses the contract as a key and parameters (the app words it), with
 * its English text beside it for scripts; the job row keeps it as JSON in the same text column,
 * and rows older versions wrote in plain English still read.
 */

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
async function start() {
  const app = await startTestApp({ diagnosticJobs: true });
  apps.push(app);
  return app;
}
const ctx = { transport: "rest" as const };
const getJob = async (app: TestApp, id: string) => data(await app.router.invoke("jobs.get", { id }, ctx)) as Job;
const storedLabelOf = async (app: TestApp, id: string) =>
  (await app.services.db.prisma.job.findUniqueOrThrow({ where: { id }, select: { progressLabel: true } }))
    .progressLabel;

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A job row as an older version of Sight left it, with its label in plain English. */
async function olderRow(app: TestApp, fields: { status: string; progressLabel: string; kind?: string }) {
  const id = newId();
  await app.services.db.prisma.job.create({
    data: { id, kind: fields.kind ?? "personas.generate", status: fields.status, progressLabel: fields.progressLabel },
  });
  return id;
}

describe("a job's progress label across the contract", () => {
  it("reaches jobs.get as its key and parameters, with the English text beside it, and is stored as JSON", async () => {
    const app = await start();
    const updates: Job[] = [];
    app.services.bus.on("job.updated", (job) => updates.push(job));
    app.services.jobs.register({
      kind: "test.asking",
      params: z.object({}),
      async run(job) {
        await job.setTotal(2);
        job.progress({ key: "surveys.asking", params: { count: 2 } });
        await job.saveUnit("a", 1);
        await job.saveUnit("b", 2);
        return null;
      },
    });
    const { id } = await app.services.jobs.enqueue("test.asking", {});
    await app.services.jobs.idle();

    const job = await getJob(app, id);
    expect(job.status).toBe("succeeded");
    expect(job.progress).toEqual({
      done: 2,
      total: 2,
      fraction: 1,
      label: { key: "surveys.asking", params: { count: 2 } },
      text: "Asking 2 personas",
    });
    expect(JSON.parse(await storedLabelOf(app, id))).toEqual({ key: "surveys.asking", params: { count: 2 } });
    // Before the job says anything it has no label; the events then carry the key too.
    expect(updates[0]!.progress).toMatchObject({ label: null, text: "" });
    expect(updates.at(-1)!.progress.label).toEqual({ key: "surveys.asking", params: { count: 2 } });
  });

  it("keeps the last label a job reported (done of total) through its end", async () => {
    const app = await start();
    app.services.jobs.register({
      kind: "test.writing",
      params: z.object({}),
      async run(job) {
        job.report(1, 3, { key: "exports.reading", params: {} });
        job.report(3, 3, { key: "exports.writing", params: { pages: 12 } });
        return null;
      },
    });
    const { id } = await app.services.jobs.enqueue("test.writing", {});
    await app.services.jobs.idle();
    expect((await getJob(app, id)).progress).toEqual({
      done: 3,
      total: 3,
      fraction: 1,
      label: { key: "exports.writing", params: { pages: 12 } },
      text: "Writing 12 pages",
    });
  });

  it("fails a job that reports a label outside the contract rather than storing it", async () => {
    const app = await start();
    app.services.jobs.register({
      kind: "test.bad-label",
      params: z.object({}),
      async run(job) {
        job.progress({ key: "surveys.asking", params: { count: -1 } });
        return null;
      },
    });
    const { id } = await app.services.jobs.enqueue("test.bad-label", {});
    await app.services.jobs.idle();
    const job = await getJob(app, id);
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("INTERNAL");
    expect(job.progress.label).toBeNull();
    expect(await storedLabelOf(app, id)).toBe("");
  });

  it("says a paused job is paused with jobs.paused", async () => {
    const app = await start();
    const { id } = await app.services.jobs.enqueue("diagnostics.count", { units: 50, delayMs: 20 });
    await waitFor(async () => (await app.services.jobs.get(id)).progress.done >= 2);
    await app.services.jobs.pause(id);
    await app.services.jobs.idle();
    const job = await getJob(app, id);
    expect(job.status).toBe("interrupted");
    expect(job.progress).toMatchObject({ label: { key: "jobs.paused", params: {} }, text: "Paused" });
  });

  it("says a job left running by a stopped process was interrupted with jobs.interrupted", async () => {
    const app = await start();
    const id = await olderRow(app, { status: "running", progressLabel: "" });
    expect(await app.services.jobs.recover()).toBe(1);
    const job = await getJob(app, id);
    expect(job.status).toBe("interrupted");
    expect(job.progress.label).toEqual({ key: "jobs.interrupted", params: {} });
    expect(job.progress.text).toBe(
      "Interrupted: Sight stopped while this ran. Resume to continue from the last saved step.",
    );
  });

  it("refuses, as the router's output schema, a label that is a bare string", async () => {
    const app = await start();
    const id = await olderRow(app, { status: "failed", progressLabel: "" });
    const job = await getJob(app, id);
    const output = routes["jobs.get"].output;
    expect(output.safeParse(job).success).toBe(true);
    expect(output.safeParse({ ...job, progress: { ...job.progress, label: "Generating 5 personas" } }).success).toBe(
      false,
    );
    expect(
      output.safeParse({ ...job, progress: { ...job.progress, label: { key: "personas.generating", params: {} } } })
        .success,
    ).toBe(false);
  });
});

describe("job rows written by older versions", () => {
  it("read a plain English label as a legacy label, shown as it is, through jobs.get and jobs.list", async () => {
    const app = await start();
    const id = await olderRow(app, { status: "failed", progressLabel: "Generating 5 personas" });
    const job = await getJob(app, id);
    expect(job.progress.label).toEqual({ key: "legacy", params: { text: "Generating 5 personas" } });
    expect(job.progress.text).toBe("Generating 5 personas");
    const page = data(await app.router.invoke("jobs.list", {}, ctx)) as { items: Job[] };
    expect(page.items.map((item) => item.progress.label)).toEqual([
      { key: "legacy", params: { text: "Generating 5 personas" } },
    ]);
  });

  it("read an older version's Paused label as jobs.paused, so its focus group still reads as paused", async () => {
    const app = await start();
    const id = await olderRow(app, { status: "interrupted", progressLabel: "Paused", kind: "focusGroups.run" });
    expect((await getJob(app, id)).progress.label).toEqual({ key: "jobs.paused", params: {} });
    const row = await app.services.db.prisma.job.findUniqueOrThrow({ where: { id } });
    expect(statusFromJob(row)).toBe("paused");
  });

  it("read a label of a key this version does not know as no label, without failing", async () => {
    const app = await start();
    const id = await olderRow(app, {
      status: "running",
      progressLabel: JSON.stringify({ key: "surveys.weighing", params: { count: 3 } }),
    });
    expect((await getJob(app, id)).progress).toMatchObject({ label: null, text: "" });
  });
});

describe("the stored form of a label", () => {
  const cases: [string, string, ProgressLabel | null][] = [
    ["no label yet", "", null],
    [
      "a key with parameters",
      '{"key":"analysis.question","params":{"question":2}}',
      { key: "analysis.question", params: { question: 2 } },
    ],
    ["an older version's English", "Analysing question 2", { key: "legacy", params: { text: "Analysing question 2" } }],
    ["an older version's Paused", "Paused", { key: "jobs.paused", params: {} }],
    ["text that only looks like JSON", "{half", { key: "legacy", params: { text: "{half" } }],
    ["a key with wrong parameters", '{"key":"analysis.question","params":{"question":0}}', null],
    ["a name of an object's own property", "constructor", { key: "legacy", params: { text: "constructor" } }],
  ];
  it.each(cases)("reads %s", (_, stored, label) => {
    expect(readProgressLabel(stored)).toEqual(label);
  });

  it("writes every label so that it reads back the same", () => {
    const label: ProgressLabel = { key: "exports.focusGroup", params: { name: 'Śniadanie, "survey"' } };
    expect(readProgressLabel(storedProgressLabel(label))).toEqual(label);
  });
});
