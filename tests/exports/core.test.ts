import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Job, RouteName, RouteOutput } from "../../src/shared/contract";
import { createRouter } from "../../src/main/api/router";
import type { RunningHost } from "../../src/main/headless/host";
import { startTestHost } from "../support/test-host";
import { silentLogger } from "../../src/main/services/logger";
import { realAtomicFs, type AtomicFs } from "../../src/main/services/exports/atomic-file";
import { produceJson } from "../../src/main/services/exports/json";
import type { Producer } from "../../src/main/services/exports/types";
import { contentDisposition, exportFileName, safeFileStem } from "../../src/main/services/exports/file-names";
import { data, startTestApp, tempDir, type TestApp } from "../support/services";

const ctx = { transport: "rest" as const };

/** A typed call through the router (input validated there, like every transport). */
async function call<N extends RouteName>(
  app: Pick<TestApp, "router">,
  name: N,
  input: unknown,
): Promise<RouteOutput<N>> {
  return data(await app.router.invoke(name, input, ctx)) as RouteOutput<N>;
}
const TARGET = { gender: { female: 0.5, male: 0.5 } };
let clock = new Date("2026-11-26T10:00:00.000Z");
const now = () => new Date(clock.getTime());

async function seedProject(app: TestApp, name = "Śniadania: napoje/2026") {
  const project = await call(app, "projects.create", { name, targetDemographics: TARGET });
  const { prisma } = app.services.db;
  const personaIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const id = `persona-${project.id}-${i}`;
    personaIds.push(id);
    await prisma.persona.create({
      data: {
        id,
        projectId: project.id,
        demographics: JSON.stringify({ gender: i % 2 ? "male" : "female" }),
        name: ["Łucja Wąsowska", "Jan Kowalski", "Zofia Żak"][i]!,
        age: 30 + i,
        gender: i % 2 ? "male" : "female",
        location: "Kraków",
        education: "bachelor",
        income: "middle",
        occupation: "Analyst",
        bigFive: JSON.stringify({
          openness: 0.5,
          conscientiousness: 0.5,
          extraversion: 0.5,
          agreeableness: 0.5,
          neuroticism: 0.5,
        }),
        backgroundStory: "Lives in Kraków and likes oat milk.",
        communicationStyle: "direct",
        decisionMakingStyle: "careful",
        locale: "pl-PL",
      },
    });
  }
  const survey = await prisma.survey.create({
    data: {
      id: `survey-${project.id}`,
      projectId: project.id,
      name: "Breakfast survey",
      status: "completed",
      questions: JSON.stringify([
        {
          id: "q1",
          type: "multiple_choice",
          text: "Drink?",
          required: true,
          options: ["Tea", "Coffee"],
          maxSelections: 1,
        },
      ]),
      personaIds: JSON.stringify(personaIds),
    },
  });
  for (const [i, personaId] of personaIds.entries()) {
    await prisma.surveyResponse.create({
      data: {
        id: `resp-${survey.id}-${i}`,
        surveyId: survey.id,
        personaId,
        answers: JSON.stringify({ q1: [i % 2 ? "Tea" : "Coffee"] }),
        runId: "run-1",
      },
    });
  }
  return { projectId: project.id, personaIds, surveyId: survey.id };
}

async function finished(app: TestApp, jobId: string): Promise<Job> {
  await app.services.jobs.idle();
  return await call(app, "jobs.get", { id: jobId });
}

async function exportOnce(app: TestApp, input: Record<string, unknown>) {
  const { jobId } = await call(app, "exports.create", input);
  const job = await finished(app, jobId);
  return job;
}

function folderFiles(app: TestApp) {
  return fs.readdirSync(app.services.exports.folder).sort();
}

describe("export core: jobs, cache, atomic files", () => {
  let app: TestApp;
  let seeded: Awaited<ReturnType<typeof seedProject>>;
  let failRename: NodeJS.ErrnoException | null = null;
  let failingProducer: Producer | null = null;
  const atomicFs: AtomicFs = {
    fsync: realAtomicFs.fsync,
    async rename(from, to) {
      if (failRename) throw failRename;
      return realAtomicFs.rename(from, to);
    },
  };

  beforeAll(async () => {
    app = await startTestApp({
      now,
      exportAtomicFs: atomicFs,
      exportProducers: { csv: (context, target) => (failingProducer ?? produceJson)(context, target) },
    });
    seeded = await seedProject(app);
  });
  afterAll(async () => app.close());
  afterEach(() => {
    failRename = null;
    failingProducer = null;
  });

  it("exports JSON as a job whose result names the export; the file is listed with size and date", async () => {
    const job = await exportOnce(app, { projectId: seeded.projectId, format: "json", scope: "project" });
    expect(job.status).toBe("succeeded");
    const result = job.result as { exportId: string; cached: boolean };
    expect(result.cached).toBe(false);
    const record = await call(app, "exports.get", { id: result.exportId });
    expect(record).toMatchObject({
      subject: "Śniadania: napoje/2026",
      personaCount: null,
      format: "json",
      scope: "project",
      partial: false,
      projectName: "Śniadania: napoje/2026",
    });
    const file = path.join(app.services.exports.folder, `${record.id}.json`);
    expect(fs.statSync(file).size).toBe(record.sizeBytes);
    expect(record.sizeBytes).toBeGreaterThan(100);
    // The project's "/" never reaches the file name.
    expect(record.fileName).toBe("Sight - Śniadania napoje 2026 - report - 2026-11-26.json");
    expect(JSON.parse(fs.readFileSync(file, "utf8")).metadata.schemaVersion).toBe(1);
    expect(job.progress.done).toBe(job.progress.total);
    expect(job.progress.total).toBeGreaterThan(0);
    const list = await call(app, "exports.list", { projectId: seeded.projectId });
    expect(list.items.map((item) => item.id)).toContain(record.id);
  });

  it("reuses an identical request, and misses on other options, fresh, new data, or after an hour", async () => {
    const input = { projectId: seeded.projectId, format: "json", scope: "survey", ids: [seeded.surveyId] };
    const first = (await exportOnce(app, input)).result as { exportId: string; cached: boolean };
    expect(first.cached).toBe(false);
    const again = (await exportOnce(app, input)).result as { exportId: string; cached: boolean };
    expect(again).toEqual({ exportId: first.exportId, cached: true });

    const fresh = (await exportOnce(app, { ...input, options: { fresh: true } })).result as { exportId: string };
    expect(fresh.exportId).not.toBe(first.exportId);

    // A change anywhere in the survey's data (a response edited behind the service's back) invalidates.
    const afterFresh = (await exportOnce(app, input)).result as { exportId: string; cached: boolean };
    expect(afterFresh).toEqual({ exportId: fresh.exportId, cached: true });
    await app.services.db.raw.execute({
      sql: `UPDATE "SurveyResponse" SET "answers" = ? WHERE "surveyId" = ? AND "personaId" = ?`,
      args: [JSON.stringify({ q1: ["Tea"] }), seeded.surveyId, seeded.personaIds[0]!],
    });
    const changed = (await exportOnce(app, input)).result as { exportId: string; cached: boolean };
    expect(changed.cached).toBe(false);
    expect(changed.exportId).not.toBe(fresh.exportId);

    clock = new Date(clock.getTime() + 61 * 60 * 1000);
    const later = (await exportOnce(app, input)).result as { exportId: string; cached: boolean };
    expect(later.cached).toBe(false);
    expect(later.exportId).not.toBe(changed.exportId);
  });

  it("bumps the content revision for every kind of content change and only for its own project", async () => {
    const other = await seedProject(app, "Other project");
    const { raw } = app.services.db;
    const revision = async (projectId: string) =>
      Number(
        (await raw.execute({ sql: `SELECT revision FROM ContentRevision WHERE projectId = ?`, args: [projectId] }))
          .rows[0]?.revision ?? 0,
      );
    const before = await revision(seeded.projectId);
    const otherBefore = await revision(other.projectId);
    await raw.execute({ sql: `UPDATE Persona SET occupation = 'Baker' WHERE id = ?`, args: [seeded.personaIds[1]!] });
    expect(await revision(seeded.projectId)).toBe(before + 1);
    await raw.execute({ sql: `UPDATE Project SET description = 'x' WHERE id = ?`, args: [seeded.projectId] });
    expect(await revision(seeded.projectId)).toBe(before + 2);
    await raw.execute({
      sql: `DELETE FROM SurveyResponse WHERE surveyId = ? AND personaId = ?`,
      args: [seeded.surveyId, seeded.personaIds[2]!],
    });
    expect(await revision(seeded.projectId)).toBe(before + 3);
    expect(await revision(other.projectId)).toBe(otherBefore);
  });

  it("leaves no file and no row when the write fails half-way or the rename hits a full disk", async () => {
    const before = folderFiles(app);
    const rowsBefore = await app.services.db.prisma.export.count();
    failingProducer = async (context, target) => {
      await produceJson(context, target);
      expect(fs.existsSync(target)).toBe(true);
      throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    };
    const input = { projectId: seeded.projectId, format: "csv", scope: "personas", options: { fresh: true } };
    const half = await exportOnce(app, input);
    expect(half.status).toBe("failed");
    expect(half.error).toMatchObject({ code: "WRITE_FAILED", details: { reason: "disk_full", errno: "ENOSPC" } });
    expect(folderFiles(app)).toEqual(before);

    failingProducer = null;
    failRename = Object.assign(new Error("permission denied"), { code: "EACCES" });
    const renamed = await exportOnce(app, input);
    expect(renamed.error).toMatchObject({ code: "WRITE_FAILED", details: { reason: "permission_denied" } });
    expect(folderFiles(app)).toEqual(before);
    expect(await app.services.db.prisma.export.count()).toBe(rowsBefore);
  });

  it("never keeps a file written while the data changed: it writes again, and gives up with CONFLICT", async () => {
    const { raw } = app.services.db;
    let edits = 0;
    const editWhileWriting =
      (times: number): Producer =>
      async (context, target) => {
        if (edits < times) {
          edits++;
          await raw.execute({
            sql: `UPDATE Persona SET occupation = ? WHERE id = ?`,
            args: [`Baker ${edits}`, seeded.personaIds[0]!],
          });
        }
        await produceJson(context, target);
      };
    failingProducer = editWhileWriting(1);
    const input = { projectId: seeded.projectId, format: "csv", scope: "personas", options: { fresh: true } };
    const retried = await exportOnce(app, input);
    expect(retried.status).toBe("succeeded");
    const record = await call(app, "exports.get", { id: (retried.result as { exportId: string }).exportId });
    const written = JSON.parse(fs.readFileSync(path.join(app.services.exports.folder, `${record.id}.csv`), "utf8"));
    expect(written.personas.find((p: { id: string }) => p.id === seeded.personaIds[0]).occupation).toBe("Baker 1");

    const before = folderFiles(app);
    edits = 0;
    failingProducer = editWhileWriting(Number.POSITIVE_INFINITY);
    const restless = await exportOnce(app, input);
    expect(restless.status).toBe("failed");
    expect(restless.error).toMatchObject({ code: "CONFLICT", details: { attempts: 3 } });
    expect(folderFiles(app)).toEqual(before);
  });

  it("refuses unknown ids, a scope the format cannot hold and a running study, changing nothing", async () => {
    const rows = await app.services.db.prisma.export.count();
    const jobs = await app.services.db.prisma.job.count();
    const attempt = (input: Record<string, unknown>) => app.router.invoke("exports.create", input, ctx);
    expect(await attempt({ projectId: "nope", format: "json", scope: "project" })).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
    expect(
      await attempt({ projectId: seeded.projectId, format: "pdf", scope: "survey", ids: ["missing"] }),
    ).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
    expect(
      await attempt({
        projectId: seeded.projectId,
        format: "json",
        scope: "personas",
        ids: [seeded.personaIds[0], "ghost"],
      }),
    ).toMatchObject({ error: { code: "NOT_FOUND", details: { missing: ["ghost"] } } });
    expect(await attempt({ projectId: seeded.projectId, format: "csv", scope: "project" })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    expect(
      await attempt({
        projectId: seeded.projectId,
        format: "csv",
        scope: "survey",
        ids: [seeded.surveyId, seeded.surveyId + "x"],
      }),
    ).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    expect(await attempt({ projectId: seeded.projectId, format: "xlsx", scope: "survey" })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });

    // A survey's status is its run job's: a running job makes it running, whatever its column says.
    const { prisma } = app.services.db;
    const run = await prisma.job.create({
      data: { id: `run-${seeded.surveyId}`, kind: "survey.run", status: "running", projectId: seeded.projectId },
    });
    await prisma.survey.update({ where: { id: seeded.surveyId }, data: { jobId: run.id, status: "completed" } });
    const running = await attempt({
      projectId: seeded.projectId,
      format: "csv",
      scope: "survey",
      ids: [seeded.surveyId],
    });
    expect(running).toMatchObject({
      error: { code: "CONFLICT", details: { running: ['survey "Breakfast survey" is running'] } },
    });
    const project = await attempt({ projectId: seeded.projectId, format: "json", scope: "project" });
    expect(project).toMatchObject({ error: { code: "CONFLICT" } });
    // A focus group being analysed is refused too; its discussion job decides its own status.
    const discussion = await prisma.job.create({
      data: {
        id: `discussion-${seeded.projectId}`,
        kind: "focusGroup.discussion",
        status: "succeeded",
        projectId: seeded.projectId,
      },
    });
    const analysis = await prisma.job.create({
      data: {
        id: `analysis-${seeded.projectId}`,
        kind: "focusGroups.analyze",
        status: "queued",
        projectId: seeded.projectId,
      },
    });
    const group = await prisma.focusGroup.create({
      data: {
        id: `fg-${seeded.projectId}`,
        projectId: seeded.projectId,
        name: "Oat drinks",
        status: "running",
        participantIds: JSON.stringify(seeded.personaIds),
        guide: JSON.stringify([{ question: "Why oat?", probes: [] }]),
        settings: JSON.stringify({}),
        jobId: discussion.id,
        analysisJobId: analysis.id,
      },
    });
    expect(
      await attempt({ projectId: seeded.projectId, format: "pdf", scope: "focusGroup", ids: [group.id] }),
    ).toMatchObject({
      error: { code: "CONFLICT", details: { running: ['focus group "Oat drinks" is being analysed'] } },
    });
    await prisma.focusGroup.delete({ where: { id: group.id } });
    await prisma.job.deleteMany({ where: { id: { in: [discussion.id, analysis.id] } } });

    await prisma.job.update({ where: { id: run.id }, data: { status: "cancelled" } });
    const partial = await exportOnce(app, {
      projectId: seeded.projectId,
      format: "json",
      scope: "survey",
      ids: [seeded.surveyId],
    });
    const record = await call(app, "exports.get", { id: (partial.result as { exportId: string }).exportId });
    expect(record.partial).toBe(true);
    await prisma.job.update({ where: { id: run.id }, data: { status: "succeeded" } });

    expect(await app.services.db.prisma.export.count()).toBe(rows + 1);
    expect(await app.services.db.prisma.job.count()).toBe(jobs + 2);
  });

  it("evicts the least recently used files when the cache exceeds its limit, never the newest", async () => {
    const { prisma } = app.services.db;
    const all = await prisma.export.findMany({ orderBy: { createdAt: "asc" } });
    expect(all.length).toBeGreaterThanOrEqual(3);
    // Pretend the files are big: 40 MB each, so a 50 MB limit keeps one.
    await prisma.export.updateMany({ data: { sizeBytes: 40 * 1024 * 1024 } });
    const recent = all.at(-1)!;
    await prisma.export.update({
      where: { id: recent.id },
      data: { lastAccessedAt: new Date(clock.getTime() + 1000) },
    });
    const info = await call(app, "exports.updateCache", { limitMb: 50 });
    expect(info).toMatchObject({ limitMb: 50, files: 1, usedBytes: 40 * 1024 * 1024 });
    expect((await prisma.export.findMany()).map((row) => row.id)).toEqual([recent.id]);
    expect(folderFiles(app)).toEqual([recent.storedName]);
    expect(await app.router.invoke("exports.updateCache", { limitMb: 10 }, ctx)).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
  });

  it("refuses a share link where no web host serves it, and Save as where there is no desktop dialog", async () => {
    const list = await call(app, "exports.list", {});
    const id = list.items[0]!.id;
    expect(await app.router.invoke("exports.share", { id }, ctx)).toMatchObject({ error: { code: "CONFLICT" } });
    expect(await app.router.invoke("exports.saveAs", { id }, ctx)).toMatchObject({ error: { code: "CONFLICT" } });
  });
});

describe("sweeping the export folder", () => {
  it("drops rows whose file is gone and files whose row is gone, and a deleted project's files", async () => {
    const app = await startTestApp({ now });
    try {
      const seeded = await seedProject(app);
      const first = await exportOnce(app, { projectId: seeded.projectId, format: "json", scope: "personas" });
      const second = await exportOnce(app, { projectId: seeded.projectId, format: "json", scope: "project" });
      const ghostId = (first.result as { exportId: string }).exportId;
      const keptId = (second.result as { exportId: string }).exportId;
      fs.rmSync(path.join(app.services.exports.folder, `${ghostId}.json`));
      fs.writeFileSync(path.join(app.services.exports.folder, "stray.pdf"), "not ours");
      expect(await app.services.exports.sweep()).toEqual({ ghosts: 1, orphans: 1 });
      expect(folderFiles(app)).toEqual([`${keptId}.json`]);
      expect((await app.services.db.prisma.export.findMany()).map((row) => row.id)).toEqual([keptId]);

      await call(app, "projects.delete", { id: seeded.projectId });
      await expect.poll(() => folderFiles(app)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("desktop Save as", () => {
  it("copies atomically to the chosen path, remembers it, and reports a cancelled dialog", async () => {
    const target = path.join(tempDir("sight-save-"), "saved report.json");
    let answer: string | null = target;
    const shown: string[] = [];
    const app = await startTestApp({
      now,
      chooseSavePath: async () => answer,
      showItemInFolder: (file) => shown.push(file),
    });
    try {
      const seeded = await seedProject(app);
      const job = await exportOnce(app, { projectId: seeded.projectId, format: "json", scope: "personas" });
      const id = (job.result as { exportId: string }).exportId;
      expect(await call(app, "exports.saveAs", { id })).toEqual({ saved: true, path: target });
      expect(fs.readFileSync(target)).toEqual(fs.readFileSync(path.join(app.services.exports.folder, `${id}.json`)));
      expect(fs.readdirSync(path.dirname(target))).toEqual(["saved report.json"]);
      expect((await call(app, "exports.get", { id })).savedPath).toBe(target);
      expect(await call(app, "exports.get", { id })).toMatchObject({
        subject: "",
        personaCount: 3,
        title: "Personas (3)",
      });
      expect(await call(app, "exports.showInFolder", { id })).toEqual({ shown: true });
      expect(shown).toEqual([target]);
      answer = null;
      expect(await call(app, "exports.saveAs", { id })).toEqual({ saved: false, path: null });
    } finally {
      await app.close();
    }
  });
});

describe("file names", () => {
  it("neutralises separators, reserved names, control and bidi characters, and keeps Polish letters", () => {
    expect(safeFileStem("../../etc/passwd")).toBe("etc passwd");
    expect(safeFileStem('a\\b:c*d?e"f<g>h|i')).toBe("a b c d e f g h i");
    expect(safeFileStem("CON")).toBe("_CON");
    expect(safeFileStem("lpt1.txt")).toBe("_lpt1.txt");
    expect(safeFileStem("...")).toBe("export");
    expect(safeFileStem("report\u202Efdp.exe")).toBe("reportfdp.exe");
    expect(safeFileStem("Zażółć\u0000gęślą\njaźń. ")).toBe("Zażółć gęślą jaźń");
    expect(safeFileStem("x".repeat(300))).toHaveLength(120);
    expect(exportFileName(["NUL", "Survey: 1/2"], new Date("2026-01-02T00:00:00Z"), "csv")).toBe(
      "Sight - NUL - Survey 1 2 - 2026-01-02.csv",
    );
    expect(contentDisposition('Sight "Łódź" 100%.pdf')).toBe(
      `attachment; filename="Sight __odz_ 100_.pdf"; filename*=UTF-8''Sight%20%22%C5%81%C3%B3d%C5%BA%22%20100%25.pdf`,
    );
  });
});

describe("exports over HTTP: download, share links, schema", () => {
  const TOKEN = "exports-rest-token-0123456789";
  let host: RunningHost;
  let dataDir: string;
  let base: string;
  let seeded: Awaited<ReturnType<typeof seedProject>>;
  let exportId: string;
  let bytes: Buffer;
  let hostClock = new Date("2026-11-26T10:00:00.000Z");

  const rest = async (method: string, url: string, body?: unknown, auth = true) => {
    const response = await fetch(url.startsWith("http") ? url : `${base}/api/v1${url}`, {
      method,
      headers: {
        ...(auth ? { Authorization: `Bearer ${TOKEN}` } : {}),
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return response;
  };

  /** A GET with the path sent exactly as written (fetch would normalise dot segments away). */
  const rawGet = (pathname: string) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(base);
      const request = http.request(
        { host: url.hostname, port: url.port, path: pathname, method: "GET", headers: { Host: url.host } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end();
    });

  beforeAll(async () => {
    ({ host, dataDir } = await startTestHost({ token: TOKEN, deps: { now: () => new Date(hostClock.getTime()) } }));
    base = host.server.url;
    const router = createRouter(host.services, silentLogger);
    seeded = await seedProject({ services: host.services, router, dataDir, close: async () => undefined });
  });
  afterAll(async () => {
    await host.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("POST /projects/{id}/export gives a job whose result names a file that downloads with its name", async () => {
    const created = await rest("POST", `/projects/${seeded.projectId}/export`, { format: "json", scope: "project" });
    expect(created.status).toBe(202);
    const { jobId } = (await created.json()) as { jobId: string };
    await host.services.jobs.idle();
    const job = (await (await rest("GET", `/jobs/${jobId}`)).json()) as Job;
    expect(job.status).toBe("succeeded");
    exportId = (job.result as { exportId: string }).exportId;

    const listed = (await (await rest("GET", `/exports?projectId=${seeded.projectId}`)).json()) as {
      items: { id: string; sizeBytes: number }[];
      total: number;
    };
    expect(listed.total).toBe(1);
    const download = await rest("GET", `/exports/${exportId}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(download.headers.get("content-disposition")).toMatch(
      /^attachment; filename="Sight - .*report - 2026-11-26\.json"; filename\*=UTF-8''Sight%20-%20%C5%9Aniadania/,
    );
    bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(listed.items[0]!.sizeBytes);
    expect(crypto.createHash("sha256").update(bytes).digest("hex")).toBe(
      crypto
        .createHash("sha256")
        .update(fs.readFileSync(path.join(host.services.exports.folder, `${exportId}.json`)))
        .digest("hex"),
    );
    expect((await rest("GET", `/exports/${exportId}/download`, undefined, false)).status).toBe(401);
    expect((await rest("GET", `/exports/nope/download`)).status).toBe(404);
  });

  it("a share link downloads without the token until it expires; altered links get 403", async () => {
    const shared = await rest("POST", `/exports/${exportId}/share`, { expiresInHours: 2 });
    expect(shared.status).toBe(200);
    const { url, expiresAt } = (await shared.json()) as { url: string; expiresAt: string };
    expect(expiresAt).toBe("2026-11-26T12:00:00.000Z");
    expect(url.startsWith(`${base}/api/v1/shared/exports/${exportId}?expires=`)).toBe(true);

    const fetched = await rest("GET", url, undefined, false);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);

    const link = new URL(url);
    const tamper = (edit: (params: URLSearchParams) => void, pathname = link.pathname) => {
      const copy = new URL(url);
      copy.pathname = pathname;
      edit(copy.searchParams);
      return copy.toString();
    };
    const sig = link.searchParams.get("sig")!;
    const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    for (const bad of [
      tamper((p) => p.set("sig", flipped)),
      tamper((p) => p.set("expires", String(Number(p.get("expires")) + 3600))),
      tamper((p) => p.set("kid", "00000000")),
      tamper((p) => p.set("kid", "__proto__")),
      tamper((p) => p.set("kid", "toString")),
      tamper((p) => p.delete("sig")),
      tamper(() => undefined, link.pathname.replace(exportId, `${exportId}x`)),
    ]) {
      const response = await rest("GET", bad, undefined, false);
      expect(response.status, bad).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    }
    // Only the share route itself skips the token: a path that merely normalises to it does not.
    const sneaky = await rawGet(`/api/v1/x/../shared/exports/${exportId}${link.search}`);
    expect(sneaky).toBe(401);
    // Bound to GET: another method is no download, with or without the token.
    expect((await rest("POST", url, undefined, false)).status).toBe(401);
    expect((await rest("POST", url, undefined, true)).status).toBe(404);

    hostClock = new Date("2026-11-26T12:00:01.000Z");
    const expired = await rest("GET", url, undefined, false);
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    hostClock = new Date("2026-11-26T10:00:00.000Z");

    // Revoking every link: the old one stops working, a new one works.
    const revoked = await rest("POST", "/exports-share-links/revoke", {});
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string }).revokedAt).toBe("2026-11-26T10:00:00.000Z");
    const old = await rest("GET", url, undefined, false);
    expect(old.status).toBe(403);
    expect(((await old.json()) as { error: { message: string } }).error.message).toMatch(/no longer has/);
    const renewed = (await (await rest("POST", `/exports/${exportId}/share`, {})).json()) as { url: string };
    expect((await rest("GET", renewed.url, undefined, false)).status).toBe(200);
    expect((await rest("POST", "/exports-share-links/revoke", {}, false)).status).toBe(401);

    // Lifetimes: 24 hours by default, 7 days at most.
    const standard = (await (await rest("POST", `/exports/${exportId}/share`, {})).json()) as { expiresAt: string };
    expect(standard.expiresAt).toBe("2026-11-27T10:00:00.000Z");
    expect((await rest("POST", `/exports/${exportId}/share`, { expiresInHours: 169 })).status).toBe(400);
  });

  it("serves the export JSON Schema and documents the download paths in OpenAPI", async () => {
    const schema = (await (await rest("GET", "/schemas/export.json")).json()) as Record<string, unknown>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const openApi = (await (await rest("GET", "/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/exports/{id}/download",
        "/api/v1/shared/exports/{id}",
        "/api/v1/projects/{projectId}/export",
      ]),
    );
    expect(Object.keys(openApi.paths)).not.toContain("/api/v1/exports/{id}/save-as");
  });

  it("deletes an export and its file", async () => {
    expect((await rest("DELETE", `/exports/${exportId}`)).status).toBe(200);
    expect(fs.existsSync(path.join(host.services.exports.folder, `${exportId}.json`))).toBe(false);
    expect((await rest("GET", `/exports/${exportId}`)).status).toBe(404);
  });
});
