import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Job } from "../../src/shared/contract";
import { openRawClient } from "../../src/main/services/db/open";
import { data, IN_WORKERS, MIGRATIONS_DIR, REPO_ROOT, startTestApp, tempDir, type TestApp } from "../support/services";

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
async function start(options: Parameters<typeof startTestApp>[0] = {}) {
  // The job runner runs as in the app, on the database worker.
  const app = await startTestApp({ diagnosticJobs: true, ...IN_WORKERS, ...options });
  apps.push(app);
  return app;
}
const ctx = { transport: "rest" as const };
const sumOfSquares = (n: number) => ((n - 1) * n * (2 * n - 1)) / 6;

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("job runner", () => {
  it("runs a job to success, with progress events and a persisted result", async () => {
    const app = await start();
    const updates: Job[] = [];
    app.services.bus.on("job.updated", (job) => updates.push(job));
    const job = await app.services.jobs.enqueue("diagnostics.count", { units: 5 });
    expect(job.status).toBe("queued");
    await app.services.jobs.idle();
    const done = data(await app.router.invoke("jobs.get", { id: job.id }, ctx)) as Job;
    expect(done).toMatchObject({
      status: "succeeded",
      result: { sum: sumOfSquares(5) },
      progress: { done: 5, total: 5, fraction: 1 },
    });
    const statuses = updates.map((u) => u.status);
    expect(statuses[0]).toBe("queued");
    expect(statuses).toContain("running");
    expect(statuses.at(-1)).toBe("succeeded");
    const progress = updates.filter((u) => u.status === "running").map((u) => u.progress.done);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(Math.max(...progress)).toBe(5);
  });

  it("refuses unknown kinds and bad parameters before creating anything", async () => {
    const app = await start();
    await expect(app.services.jobs.enqueue("nope", {})).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(app.services.jobs.enqueue("diagnostics.count", { units: -1 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect(await app.services.db.prisma.job.count()).toBe(0);
  });

  it("cancels a running job, keeping the units it finished", async () => {
    const app = await start();
    const job = await app.services.jobs.enqueue("diagnostics.count", { units: 50, delayMs: 20 });
    await waitFor(async () => (await app.services.jobs.get(job.id)).progress.done >= 3);
    data(await app.router.invoke("jobs.cancel", { id: job.id }, ctx));
    await app.services.jobs.idle();
    const cancelled = await app.services.jobs.get(job.id);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.error?.code).toBe("CANCELLED");
    const units = await app.services.db.prisma.jobUnit.count({ where: { jobId: job.id } });
    expect(units).toBe(cancelled.progress.done);
    expect(units).toBeGreaterThanOrEqual(3);
    expect(units).toBeLessThan(50);
    expect(await app.router.invoke("jobs.cancel", { id: job.id }, ctx)).toMatchObject({ error: { code: "CONFLICT" } });
  });

  it("after a cancel, saves only units whose work is already done elsewhere (a CRM wrote them)", async () => {
    const app = await start();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let refusedCode: unknown = null;
    app.services.jobs.register({
      kind: "test.outside",
      params: z.object({}),
      async run(ctx) {
        started();
        // The outside call answered; the cancel arrives before its unit is saved.
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
        await ctx.saveUnit("written-outside", { records: 3 }, { alreadyDone: true });
        refusedCode = await ctx.saveUnit("not-started", { records: 1 }).then(
          () => "saved",
          (error: { code?: string }) => error.code,
        );
        ctx.throwIfCancelled();
      },
    });
    const job = await app.services.jobs.enqueue("test.outside", {});
    await running;
    await app.services.jobs.cancel(job.id);
    await app.services.jobs.idle();
    expect((await app.services.jobs.get(job.id)).status).toBe("cancelled");
    expect(refusedCode).toBe("CANCELLED");
    const units = await app.services.db.prisma.jobUnit.findMany({ where: { jobId: job.id } });
    expect(units.map((unit) => unit.key)).toEqual(["written-outside"]);
  });

  it("a failed job keeps its error and resumes from its last finished unit", async () => {
    const executed: number[] = [];
    const app = await start({ diagnosticJobs: (unit) => executed.push(unit) });
    const job = await app.services.jobs.enqueue("diagnostics.count", { units: 6, failAt: 3 });
    await app.services.jobs.idle();
    expect(await app.services.jobs.get(job.id)).toMatchObject({
      status: "failed",
      error: { code: "INTERNAL" },
      progress: { done: 3 },
    });
    // The failure is in the parameters, so a plain resume fails at the same place without redoing 0–2.
    await app.services.jobs.resume(job.id);
    await app.services.jobs.idle();
    expect(executed).toEqual([0, 1, 2]);
  });

  it("only interrupted or failed jobs can be resumed", async () => {
    const app = await start();
    const job = await app.services.jobs.enqueue("diagnostics.count", { units: 1 });
    await app.services.jobs.idle();
    expect(await app.router.invoke("jobs.resume", { id: job.id }, ctx)).toMatchObject({ error: { code: "CONFLICT" } });
    expect(await app.router.invoke("jobs.get", { id: "missing" }, ctx)).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("lists jobs newest first with a keyset cursor and filters", async () => {
    const app = await start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await app.services.jobs.enqueue("diagnostics.count", { units: 1 })).id);
    await app.services.jobs.idle();
    const first = data(await app.router.invoke("jobs.list", { limit: 3 }, ctx)) as {
      items: Job[];
      nextCursor: string;
      total: number;
    };
    expect(first.total).toBe(5);
    const second = data(await app.router.invoke("jobs.list", { limit: 3, cursor: first.nextCursor }, ctx)) as {
      items: Job[];
      nextCursor: null;
    };
    expect([...first.items, ...second.items].map((j) => j.id)).toEqual([...ids].reverse());
    expect(second.nextCursor).toBeNull();
    expect(data(await app.router.invoke("jobs.list", { status: "failed" }, ctx))).toMatchObject({ total: 0 });
  });

  it("a graceful shutdown leaves running jobs interrupted, and they resume", async () => {
    const dataDir = tempDir();
    const first = await startTestApp({ dataDir, diagnosticJobs: true });
    const job = await first.services.jobs.enqueue("diagnostics.count", { units: 30, delayMs: 20 });
    await waitFor(async () => (await first.services.jobs.get(job.id)).progress.done >= 2);
    await first.services.close();
    const second = await start({ dataDir });
    const interrupted = await second.services.jobs.get(job.id);
    expect(interrupted.status).toBe("interrupted");
    await second.services.jobs.resume(job.id);
    await second.services.jobs.idle();
    expect(await second.services.jobs.get(job.id)).toMatchObject({
      status: "succeeded",
      result: { sum: sumOfSquares(30) },
    });
  });

  it("after the process is killed mid-job, the job comes back interrupted and resumes without redoing finished units", async () => {
    const dataDir = tempDir();
    const log = path.join(dataDir, "units.log");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(REPO_ROOT, "tests/support/job-child.ts"), dataDir, MIGRATIONS_DIR, log],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    const jobId = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const raw = await openRawClient(path.join(dataDir, "sight.db"));
    const savedBeforeKill = await waitFor(async () => {
      const n = Number(
        (await raw.execute({ sql: `SELECT count(*) AS n FROM JobUnit WHERE jobId = ?`, args: [jobId] })).rows[0]!.n,
      );
      return n >= 4 ? n : null;
    }, 20_000);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const saved = (await raw.execute({ sql: `SELECT key FROM JobUnit WHERE jobId = ?`, args: [jobId] })).rows.map((r) =>
      Number(r.key),
    );
    raw.close();
    expect(saved.length).toBeGreaterThanOrEqual(savedBeforeKill);
    expect(saved.length).toBeLessThan(20);

    const rerun: number[] = [];
    const app = await start({ dataDir, diagnosticJobs: (unit) => rerun.push(unit) });
    const interrupted = await app.services.jobs.get(jobId);
    expect(interrupted.status).toBe("interrupted");
    expect(interrupted.progress.done).toBe(saved.length);
    await app.services.jobs.resume(jobId);
    await app.services.jobs.idle();
    const done = await app.services.jobs.get(jobId);
    expect(done).toMatchObject({
      status: "succeeded",
      result: { sum: sumOfSquares(20) },
      progress: { done: 20, total: 20 },
    });
    // Nothing already finished was done again.
    expect(rerun.filter((unit) => saved.includes(unit))).toEqual([]);
    expect([...saved, ...rerun].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const executedByChild = fs.readFileSync(log, "utf8").trim().split("\n").map(Number);
    expect(executedByChild.slice(0, saved.length).sort((a, b) => a - b)).toEqual([...saved].sort((a, b) => a - b));
  });
});
