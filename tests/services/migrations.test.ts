import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "@libsql/client";
import {
  checksumOf,
  migrate,
  MigrationError,
  MIGRATIONS_TABLE,
  readMigrations,
} from "../../src/main/services/db/migrate";
import { openRawClient } from "../../src/main/services/db/open";
import { silentLogger } from "../../src/main/services/logger";
import { createServices } from "../../src/main/services/create-services";
import { createMemorySecretStore } from "../../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../../src/main/services/settings/preferences-store";
import { describeSchema } from "../support/schema";
import { MIGRATIONS_DIR, REPO_ROOT, tempDir } from "../support/services";

const dirs: string[] = [];
const clients: { close(): void }[] = [];
afterEach(() => {
  clients.splice(0).forEach((client) => client.close());
  dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

function workspace() {
  const dir = tempDir("sight-migrate-");
  dirs.push(dir);
  const migrationsDir = path.join(dir, "migrations");
  fs.cpSync(MIGRATIONS_DIR, migrationsDir, { recursive: true });
  return { dir, migrationsDir, dbFile: path.join(dir, "sight.db"), backupsDir: path.join(dir, "backups") };
}

async function open(file: string) {
  const raw = await openRawClient(file);
  clients.push(raw);
  return raw;
}

const options = (ws: ReturnType<typeof workspace>) => ({
  migrationsDir: ws.migrationsDir,
  backupsDir: ws.backupsDir,
  now: () => new Date("2026-11-25T12:00:00Z"),
  logger: silentLogger,
});

function addMigration(migrationsDir: string, name: string, sql: string) {
  fs.mkdirSync(path.join(migrationsDir, name));
  fs.writeFileSync(path.join(migrationsDir, name, "migration.sql"), sql);
}

describe("migration runner", () => {
  it("applies every migration to an empty database and records its checksum", async () => {
    const ws = workspace();
    const raw = await open(ws.dbFile);
    const report = await migrate(raw, options(ws));
    const files = readMigrations(ws.migrationsDir);
    expect(report.applied).toEqual(files.map((f) => f.name));
    expect(report.backupFile).toBeNull();
    const rows = (await raw.execute(`SELECT name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY name`)).rows;
    expect(rows.map((r) => [r.name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(await migrate(raw, options(ws))).toMatchObject({ applied: [], backupFile: null });
  });

  it("yields exactly the schema Prisma generates from schema.prisma", async () => {
    const ws = workspace();
    const fromMigrations = await open(ws.dbFile);
    await migrate(fromMigrations, options(ws));

    // Prisma's own SQL for the current datamodel, from its CLI (schema engine as WASM, offline).
    const prismaSql = execFileSync(
      path.join(REPO_ROOT, "node_modules", ".bin", "prisma"),
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
    const fromPrisma = createClient({ url: `file:${path.join(ws.dir, "prisma.db")}` });
    clients.push(fromPrisma);
    await fromPrisma.executeMultiple(prismaSql);

    const expected = await describeSchema(fromPrisma);
    const actual = await describeSchema(fromMigrations, [MIGRATIONS_TABLE]);
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it("refuses to start when an applied migration was changed, and leaves the data alone", async () => {
    const ws = workspace();
    const raw = await open(ws.dbFile);
    await migrate(raw, options(ws));
    const [first] = readMigrations(ws.migrationsDir);
    fs.appendFileSync(path.join(ws.migrationsDir, first!.name, "migration.sql"), "\n-- edited\n");
    const error = await migrate(raw, options(ws)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ problem: "CHECKSUM_MISMATCH", migration: first!.name });
    expect((error as Error).message).toMatch(/changed after it was applied.*Reinstall/s);
  });

  it("treats CRLF line endings as the same migration", () => {
    expect(checksumOf("CREATE TABLE a (x);\r\nCREATE TABLE b (y);\r\n")).toBe(
      checksumOf("CREATE TABLE a (x);\nCREATE TABLE b (y);\n"),
    );
  });

  it("refuses to start on a migration this version does not know", async () => {
    const ws = workspace();
    const raw = await open(ws.dbFile);
    await migrate(raw, options(ws));
    await raw.execute(
      `INSERT INTO ${MIGRATIONS_TABLE} (name, checksum, applied_at) VALUES ('29991231000000_from_the_future', 'abc', 'x')`,
    );
    await expect(migrate(raw, options(ws))).rejects.toMatchObject({
      problem: "UNKNOWN_MIGRATION",
      message: expect.stringMatching(/newer version of Sight/),
    });
  });

  it("copies the database before applying new migrations to it", async () => {
    const ws = workspace();
    const raw = await open(ws.dbFile);
    await migrate(raw, options(ws));
    await raw.execute(`INSERT INTO "Project" (id, name, updatedAt) VALUES ('p1', 'Kept in the backup', '2026-01-01')`);
    addMigration(ws.migrationsDir, "29990101000000_add_notes", `ALTER TABLE "Project" ADD COLUMN "notes" TEXT;`);
    const report = await migrate(raw, options(ws));
    expect(report.applied).toEqual(["29990101000000_add_notes"]);
    expect(report.backupFile).toMatch(/backups\/sight-2026-11-25T12-00-00-000Z-before-29990101000000_add_notes\.db$/);
    const backup = await open(report.backupFile!);
    const rows = (await backup.execute(`SELECT name FROM "Project"`)).rows;
    expect(rows.map((r) => r.name)).toEqual(["Kept in the backup"]);
    const columns = (await backup.execute(`PRAGMA table_info("Project")`)).rows.map((r) => r.name);
    expect(columns).not.toContain("notes");
  });

  it("rolls a failing migration back completely and does not record it", async () => {
    const ws = workspace();
    const raw = await open(ws.dbFile);
    await migrate(raw, options(ws));
    addMigration(
      ws.migrationsDir,
      "29990101000000_broken",
      `CREATE TABLE "Half" (id TEXT);\nINSERT INTO "NoSuchTable" VALUES (1);`,
    );
    await expect(migrate(raw, options(ws))).rejects.toMatchObject({ problem: "FAILED" });
    const half = await raw.execute(`SELECT name FROM sqlite_master WHERE name = 'Half'`);
    expect(half.rows).toHaveLength(0);
    const recorded = await raw.execute(`SELECT name FROM ${MIGRATIONS_TABLE} WHERE name LIKE '2999%'`);
    expect(recorded.rows).toHaveLength(0);
  });

  it("keeps child rows when a migration redefines their parent table the way Prisma does for SQLite", async () => {
    const ws = workspace();
    const raw = await open(ws.dbFile);
    await migrate(raw, options(ws));
    await raw.executeMultiple(`
      INSERT INTO "Project" (id, name, updatedAt) VALUES ('p1', 'Oat drink', '2026-01-01');
      INSERT INTO "Job" (id, kind, projectId, updatedAt) VALUES ('j1', 'personas.generate', 'p1', '2026-01-01');
      INSERT INTO "JobUnit" (jobId, key) VALUES ('j1', 'slot-0');`);
    // What `prisma migrate dev` writes when a column change needs the table rebuilt.
    addMigration(
      ws.migrationsDir,
      "29990101000000_redefine_project",
      `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "researchGoal" TEXT NOT NULL DEFAULT '',
    "targetAudience" TEXT NOT NULL DEFAULT '',
    "targetDemographics" TEXT NOT NULL DEFAULT '{}',
    "targetSampleSize" INTEGER NOT NULL DEFAULT 30,
    "status" TEXT NOT NULL DEFAULT 'active',
    "searchText" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Project" ("createdAt", "description", "id", "name", "researchGoal", "searchText", "status", "targetAudience", "targetDemographics", "targetSampleSize", "updatedAt") SELECT "createdAt", "description", "id", "name", "researchGoal", "searchText", "status", "targetAudience", "targetDemographics", "targetSampleSize", "updatedAt" FROM "Project";
DROP TABLE "Project";
ALTER TABLE "new_Project" RENAME TO "Project";
CREATE INDEX "Project_status_updatedAt_id_idx" ON "Project"("status", "updatedAt", "id");
CREATE INDEX "Project_status_createdAt_id_idx" ON "Project"("status", "createdAt", "id");
CREATE INDEX "Project_status_name_id_idx" ON "Project"("status", "name", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );
    const report = await migrate(raw, options(ws));
    expect(report.applied).toEqual(["29990101000000_redefine_project"]);
    expect((await raw.execute(`SELECT id, projectId FROM "Job"`)).rows.map((r) => [r.id, r.projectId])).toEqual([
      ["j1", "p1"],
    ]);
    expect((await raw.execute(`SELECT key FROM "JobUnit"`)).rows.map((r) => r.key)).toEqual(["slot-0"]);
    // Foreign keys are back on afterwards, and the children still cascade from the new table.
    expect((await raw.execute("PRAGMA foreign_keys")).rows[0]?.foreign_keys).toBe(1);
    await raw.execute(`DELETE FROM "Project" WHERE id = 'p1'`);
    expect((await raw.execute(`SELECT count(*) AS n FROM "JobUnit"`)).rows[0]?.n).toBe(0);
  });

  it("rolls back a migration that leaves a foreign key pointing to no row, and turns foreign keys back on", async () => {
    const ws = workspace();
    const raw = await open(ws.dbFile);
    await migrate(raw, options(ws));
    await raw.executeMultiple(`
      INSERT INTO "Project" (id, name, updatedAt) VALUES ('p1', 'Oat drink', '2026-01-01');
      INSERT INTO "Job" (id, kind, projectId, updatedAt) VALUES ('j1', 'personas.generate', 'p1', '2026-01-01');`);
    addMigration(
      ws.migrationsDir,
      "29990101000000_orphans",
      `CREATE TABLE "Note" (id TEXT);\nUPDATE "Job" SET "projectId" = 'gone';`,
    );
    const failure = await migrate(raw, options(ws)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({
      problem: "FAILED",
      migration: "29990101000000_orphans",
      message: expect.stringMatching(/rolled back: .*foreign key points to no row/),
    });
    expect((await raw.execute(`SELECT projectId FROM "Job"`)).rows.map((r) => r.projectId)).toEqual(["p1"]);
    expect((await raw.execute(`SELECT name FROM sqlite_master WHERE name = 'Note'`)).rows).toHaveLength(0);
    expect((await raw.execute(`SELECT name FROM ${MIGRATIONS_TABLE} WHERE name LIKE '2999%'`)).rows).toHaveLength(0);
    expect((await raw.execute("PRAGMA foreign_keys")).rows[0]?.foreign_keys).toBe(1);
    await expect(raw.execute(`UPDATE "Job" SET "projectId" = 'gone'`)).rejects.toThrow(/FOREIGN KEY/);
  });

  it("createServices refuses to open a database with a changed migration", async () => {
    const ws = workspace();
    const deps = {
      dataDir: ws.dir,
      migrationsDir: ws.migrationsDir,
      host: "headless" as const,
      version: "test",
      logger: silentLogger,
      preferences: createMemoryPreferencesStore(),
      secrets: createMemorySecretStore(),
    };
    const services = await createServices(deps);
    await services.close();
    const [first] = readMigrations(ws.migrationsDir);
    fs.appendFileSync(path.join(ws.migrationsDir, first!.name, "migration.sql"), "\n-- tampered\n");
    await expect(createServices(deps)).rejects.toBeInstanceOf(MigrationError);
  });

  it("uses WAL journal mode", async () => {
    const ws = workspace();
    const raw = await open(ws.dbFile);
    const mode = await raw.execute("PRAGMA journal_mode");
    expect(mode.rows[0]?.journal_mode).toBe("wal");
  });
});
