import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { RawClient as Client } from "./open";
import type { Logger } from "../logger";

/**
 * The app's own migration runner. Prisma's CLI cannot run on users' machines, so the app ships
 * prisma/migrations/<name>/migration.sql and applies them itself:
 * - each migration in its own transaction, recorded with a SHA-256 of its (LF-normalised) text,
 *   with foreign keys off while it runs (as Prisma's SQLite migrations expect) and checked before
 *   it commits;
 * - it refuses to start when an applied migration's file changed or is missing (a newer app
 *   touched this database) rather than guess;
 * - before applying anything to a database that already has data, it copies it with VACUUM INTO.
 */

export const MIGRATIONS_TABLE = "_sight_migrations";
const NAME_PATTERN = /^\d{14}_[a-z0-9_]+$/;

/**
 * Fails the migration's transaction when `PRAGMA foreign_key_check` reports any row (a foreign
 * key pointing to no row). RAISE only exists inside triggers, hence the temporary table and
 * trigger; they live in the transaction and disappear with it.
 */
const FOREIGN_KEY_GUARD = `CREATE TEMP TABLE "_sight_fk_guard" (violations INTEGER NOT NULL);
CREATE TEMP TRIGGER "_sight_fk_guard_raise" BEFORE INSERT ON "_sight_fk_guard" WHEN NEW.violations > 0
BEGIN
  SELECT RAISE(ABORT, 'it leaves rows whose foreign key points to no row (see PRAGMA foreign_key_check)');
END;
INSERT INTO "_sight_fk_guard" (violations) SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE "_sight_fk_guard";`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
  backupFile: string | null;
}

export type MigrationProblem = "CHECKSUM_MISMATCH" | "UNKNOWN_MIGRATION" | "BAD_MIGRATION_NAME" | "FAILED";

export class MigrationError extends Error {
  readonly problem: MigrationProblem;
  readonly migration: string;
  constructor(problem: MigrationProblem, migration: string, message: string) {
    super(message);
    this.name = "MigrationError";
    this.problem = problem;
    this.migration = migration;
  }
}

export function checksumOf(sql: string): string {
  return crypto.createHash("sha256").update(sql.replace(/\r\n/g, "\n"), "utf8").digest("hex");
}

export function readMigrations(dir: string): MigrationFile[] {
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return names.map((name) => {
    if (!NAME_PATTERN.test(name)) {
      throw new MigrationError(
        "BAD_MIGRATION_NAME",
        name,
        `Migration folder "${name}" is not named <14-digit timestamp>_<name>.`,
      );
    }
    const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    return { name, sql, checksum: checksumOf(sql) };
  });
}

interface AppliedRow {
  name: string;
  checksum: string;
}

async function appliedMigrations(raw: Client): Promise<AppliedRow[]> {
  await raw.execute(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const result = await raw.execute(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`);
  return result.rows.map((row) => ({ name: String(row.name), checksum: String(row.checksum) }));
}

async function hasUserTables(raw: Client): Promise<boolean> {
  const result = await raw.execute(
    `SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '${MIGRATIONS_TABLE}'`,
  );
  return Number(result.rows[0]?.n ?? 0) > 0;
}

export interface MigrateOptions {
  migrationsDir: string;
  backupsDir: string;
  now: () => Date;
  logger: Logger;
}

export async function migrate(raw: Client, options: MigrateOptions): Promise<MigrationReport> {
  const files = readMigrations(options.migrationsDir);
  const byName = new Map(files.map((file) => [file.name, file]));
  const applied = await appliedMigrations(raw);

  for (const row of applied) {
    const file = byName.get(row.name);
    if (!file) {
      throw new MigrationError(
        "UNKNOWN_MIGRATION",
        row.name,
        `This database was upgraded by a newer version of Sight (migration "${row.name}" is unknown to this version). ` +
          `Install the newer version, or restore a backup from ${options.backupsDir}.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        "CHECKSUM_MISMATCH",
        row.name,
        `Migration "${row.name}" was changed after it was applied to this database (checksum ${row.checksum.slice(0, 12)}… ` +
          `recorded, ${file.checksum.slice(0, 12)}… on disk). Reinstall Sight so its migration files are intact; ` +
          `your data has not been touched.`,
      );
    }
  }

  const done = new Set(applied.map((row) => row.name));
  const pending = files.filter((file) => !done.has(file.name));
  const report: MigrationReport = { applied: [], alreadyApplied: [...done], backupFile: null };
  if (pending.length === 0) return report;

  if (await hasUserTables(raw)) {
    fs.mkdirSync(options.backupsDir, { recursive: true });
    const stamp = options.now().toISOString().replace(/[:.]/g, "-");
    const backupFile = path.join(options.backupsDir, `sight-${stamp}-before-${pending[0]!.name}.db`);
    // VACUUM INTO writes a consistent copy even while the WAL holds uncheckpointed pages.
    await raw.execute({ sql: "VACUUM INTO ?", args: [backupFile] });
    report.backupFile = backupFile;
    options.logger.info("db.backup", { file: backupFile });
  }

  for (const file of pending) {
    const appliedAt = options.now().toISOString();
    // name is checked against NAME_PATTERN and checksum is hex, so inlining them is safe.
    // One script, so one pooled connection runs all of it. Foreign keys go off before BEGIN:
    // inside a transaction `PRAGMA foreign_keys` is a no-op, so Prisma's table redefinitions
    // (new table, copy, DROP old, rename) would otherwise cascade-delete every child row on DROP.
    // With them off, the check before COMMIT is what keeps a migration from leaving orphans.
    const script =
      `PRAGMA foreign_keys = OFF;\nBEGIN IMMEDIATE;\n${file.sql}\n;\n` +
      `INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES ('${file.name}', '${file.checksum}', '${appliedAt}');\n` +
      `${FOREIGN_KEY_GUARD}\nCOMMIT;\nPRAGMA foreign_keys = ON;`;
    try {
      await raw.executeMultiple(script);
    } catch (error) {
      try {
        await raw.execute("ROLLBACK");
      } catch {
        // The client rolls back what a script left open when it takes the connection back; nothing is left to undo.
      }
      throw new MigrationError(
        "FAILED",
        file.name,
        `Migration "${file.name}" failed and was rolled back: ${(error as Error).message}` +
          (report.backupFile ? ` A copy of the database from before is at ${report.backupFile}.` : ""),
      );
    } finally {
      // After a failure the script stopped before its last line. The connection it used is the one
      // the client hands out next (its pool reuses the most recently returned one, and nothing else
      // uses the client while migrations run), so this turns foreign keys back on there.
      await raw.execute("PRAGMA foreign_keys = ON");
    }
    report.applied.push(file.name);
    options.logger.info("db.migrated", { migration: file.name });
  }
  return report;
}
