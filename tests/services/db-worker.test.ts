import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../../src/main/services/db/migrate";
import { openDatabase, type Database } from "../../src/main/services/db/open";
import { openDatabaseInWorker } from "../../src/main/services/db/worker-client";
import { jobRowFromSql } from "../../src/main/services/jobs/job-row";
import { silentLogger } from "../../src/main/services/logger";
import { MIGRATIONS_DIR, tempDir } from "../support/services";

const opened: Database[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A migrated database, in the worker or in-process, on one file. */
async function open(where: "worker" | "main", dir = tempDir("sight-dbw-")) {
  dirs.push(dir);
  const file = path.join(dir, "sight.db");
  const db = where === "worker" ? await openDatabaseInWorker(file) : await openDatabase(file);
  opened.push(db);
  await migrate(db.raw, {
    migrationsDir: MIGRATIONS_DIR,
    backupsDir: path.join(dir, "backups"),
    now: () => new Date(),
    logger: silentLogger,
  });
  return { db, dir, file };
}

const project = (id: string, name = `Project ${id}`) => ({ id, name, createdAt: new Date("2026-11-02T10:00:00.000Z") });

describe("the database worker", () => {
  it("answers model calls as the in-process client does: rows, Dates, counts, aggregates", async () => {
    const { db } = await open("worker");
    const created = await db.prisma.project.create({ data: project("p1", "Breakfast") });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.createdAt.toISOString()).toBe("2026-11-02T10:00:00.000Z");
    await db.prisma.project.createMany({ data: [project("p2"), project("p3")] });
    expect(await db.prisma.project.count()).toBe(3);
    const found = await db.prisma.project.findMany({ where: { id: { in: ["p1", "p3"] } }, orderBy: { id: "asc" } });
    expect(found.map((p) => [p.id, p.name])).toEqual([
      ["p1", "Breakfast"],
      ["p3", "Project p3"],
    ]);
    expect(await db.prisma.project.aggregate({ _max: { targetSampleSize: true } })).toEqual({
      _max: { targetSampleSize: 20 },
    });
    expect(await db.prisma.project.findUnique({ where: { id: "nope" } })).toBeNull();
  });

  it("keeps a failed call's name, message and Prisma code, and the next call still works", async () => {
    const { db } = await open("worker");
    await db.prisma.project.create({ data: project("p1") });
    const error = await db.prisma.project.create({ data: project("p1") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "PrismaClientKnownRequestError", code: "P2002" });
    expect((error as Error).message).toMatch(/Unique constraint failed/);
    const missing = await db.prisma.project.update({ where: { id: "gone" }, data: { name: "x" } }).catch((e) => e);
    expect(missing).toMatchObject({ code: "P2025" });
    expect(await db.prisma.project.count()).toBe(1);
  });

  it("runs an interactive transaction in the worker, and rolls it back when the callback throws", async () => {
    const { db } = await open("worker");
    const kept = await db.prisma.$transaction(async (tx) => {
      await tx.project.create({ data: project("p1") });
      // The transaction sees its own write before it commits.
      return tx.project.count();
    });
    expect(kept).toBe(1);
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.project.create({ data: project("p2") });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect((await db.prisma.project.findMany()).map((p) => p.id)).toEqual(["p1"]);
  });

  it("runs $transaction([...]) as one batch: calls stay unrun until sent, and one failure undoes all", async () => {
    const { db } = await open("worker");
    const [a, b] = await db.prisma.$transaction([
      db.prisma.project.create({ data: project("p1") }),
      db.prisma.project.create({ data: project("p2") }),
    ]);
    expect([a.id, b.id]).toEqual(["p1", "p2"]);
    await expect(
      db.prisma.$transaction([
        db.prisma.project.update({ where: { id: "p1" }, data: { name: "Renamed" } }),
        db.prisma.project.create({ data: project("p2") }),
      ]),
    ).rejects.toMatchObject({ code: "P2002" });
    expect((await db.prisma.project.findUnique({ where: { id: "p1" } }))?.name).toBe("Project p1");
  });

  it("returns raw rows shaped like libsql's: named columns, values by index, bigint ids, batches", async () => {
    const { db } = await open("worker");
    const results = await db.raw.batch(
      [
        {
          sql: `INSERT INTO "Project" (id, name, updatedAt) VALUES (?, ?, ?)`,
          args: ["p1", "Zażółć", "2026-11-02T10:00:00.000+00:00"],
        },
        `SELECT id, name, targetSampleSize AS n FROM "Project"`,
      ],
      "write",
    );
    expect(results[0]!.rowsAffected).toBe(1);
    expect(typeof results[0]!.lastInsertRowid).toBe("bigint");
    const row = results[1]!.rows[0]!;
    expect(results[1]!.columns).toEqual(["id", "name", "n"]);
    expect({ ...row }).toEqual({ id: "p1", name: "Zażółć", n: 20 });
    expect([row[0], row[1], row[2], row.length]).toEqual(["p1", "Zażółć", 20, 3]);
    expect(Object.keys(row)).toEqual(["id", "name", "n"]);
    await expect(db.raw.execute("SELECT * FROM NoSuchTable")).rejects.toMatchObject({ code: "SQLITE_ERROR" });
    await db.raw.executeMultiple(`UPDATE "Project" SET name = 'A'; UPDATE "Project" SET targetSampleSize = 7;`);
    expect({ ...(await db.raw.execute(`SELECT name, targetSampleSize FROM "Project"`)).rows[0] }).toEqual({
      name: "A",
      targetSampleSize: 7,
    });
  });

  it("reads a job row with plain SQL exactly as Prisma reads it", async () => {
    const { db } = await open("worker");
    await db.prisma.job.create({
      data: { id: "j1", kind: "k", startedAt: new Date("2026-11-02T10:00:01.250Z"), usage: "{}", progressTotal: 9 },
    });
    const viaPrisma = await db.prisma.job.findUniqueOrThrow({ where: { id: "j1" } });
    const viaSql = (await db.raw.execute(`SELECT * FROM "Job" WHERE id = 'j1'`)).rows[0]!;
    expect(jobRowFromSql(viaSql as unknown as Record<string, unknown>)).toEqual(viaPrisma);
  });

  it("shares the file with an in-process client: what one writes the other reads", async () => {
    const { db, dir } = await open("worker");
    await db.prisma.project.create({ data: project("p1") });
    const other = await openDatabase(path.join(dir, "sight.db"));
    opened.push(other);
    expect((await other.prisma.project.findMany()).map((p) => p.id)).toEqual(["p1"]);
  });

  it("a raw write while a transaction is open waits its turn instead of deadlocking in SQLite's busy wait", async () => {
    const { db } = await open("worker");
    let releaseTx!: () => void;
    const holding = new Promise<void>((resolve) => (releaseTx = resolve));
    const order: string[] = [];
    const tx = db.prisma.$transaction(async (t) => {
      await t.project.create({ data: project("in-tx") });
      await holding;
      order.push("tx committed");
    });
    // Let the transaction take the write lock, then write beside it with plain SQL.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const raw = db.raw
      .batch(
        [
          {
            sql: `INSERT INTO "Project" (id, name, updatedAt) VALUES ('raw', 'Raw', '2026-11-02T10:00:00.000+00:00')`,
            args: [],
          },
        ],
        "write",
      )
      .then(() => order.push("raw written"));
    // Reads do not wait for the writer.
    expect((await db.raw.execute(`SELECT count(*) AS n FROM "Project"`)).rows[0]!.n).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    releaseTx();
    await Promise.all([tx, raw]);
    expect(order).toEqual(["tx committed", "raw written"]);
    // Well inside SQLite's 5 s busy timeout, which a deadlock would have run into.
    expect(performance.now() - started).toBeLessThan(4000);
    expect((await db.prisma.project.findMany({ orderBy: { id: "asc" } })).map((p) => p.id)).toEqual(["in-tx", "raw"]);
  });

  it("a worker that dies fails the calls in flight and later ones with INTERNAL, and close() still returns", async () => {
    const dir = tempDir("sight-dbw-dead-");
    dirs.push(dir);
    const stopped: Error[] = [];
    // A stand-in worker that opens, then dies on its first request, as a crashed one would.
    const db = await openDatabaseInWorker(path.join(dir, "sight.db"), {
      onCrash: (error) => stopped.push(error),
      spec: {
        kind: "eval",
        code: `const { parentPort } = require("node:worker_threads"); parentPort.postMessage({ type: "ready" }); parentPort.on("message", () => process.exit(9));`,
      },
    });
    await expect(db.prisma.project.count()).rejects.toMatchObject({
      code: "INTERNAL",
      message: expect.stringMatching(/database worker stopped \(exit code 9\)/),
    });
    await expect(db.raw.execute("SELECT 1")).rejects.toMatchObject({ code: "INTERNAL" });
    expect(stopped).toHaveLength(1);
    await db.close();
  });

  it("refuses calls once closed, and fails to open where the file cannot be created", async () => {
    const { db } = await open("worker");
    await db.close();
    await expect(db.prisma.project.count()).rejects.toMatchObject({ code: "INTERNAL" });
    const blocker = tempDir("sight-dbw-blocked-");
    dirs.push(blocker);
    fs.writeFileSync(path.join(blocker, "file"), "");
    await expect(openDatabaseInWorker(path.join(blocker, "file", "sight.db"))).rejects.toThrow();
  });
});
