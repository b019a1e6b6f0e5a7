import { MigrationError, readMigrations } from "../../main/services/db/migrate";
import type { Logger } from "../../main/services/logger";
import type { CloudDatabase } from "./open";

const TABLE = "_cloud_migrations";
// Any constant shared by every instance: pg_advisory_xact_lock serialises instances starting together.
const LOCK_ID = 7_264_001;

/**
 * Applies prisma/cloud/migrations/<name>/migration.sql in order, each in its own transaction,
 * recorded with its SHA-256. Refuses to start when an applied migration changed or is unknown
 * to this build (a newer Cloud migrated the database), as the desktop runner does.
 */
export async function migrateCloud(db: CloudDatabase, migrationsDir: string, logger: Logger): Promise<string[]> {
  const files = readMigrations(migrationsDir);
  await db.exec(
    `CREATE TABLE IF NOT EXISTS "${TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  const applied: string[] = [];
  for (const file of files) {
    const done = await db.transactionRaw(async (query) => {
      await query("SELECT pg_advisory_xact_lock($1)", [LOCK_ID]);
      const rows = await query<{ checksum: string }>(`SELECT checksum FROM "${TABLE}" WHERE name = $1`, [file.name]);
      if (rows[0]) {
        if (rows[0].checksum !== file.checksum) {
          throw new MigrationError(
            "CHECKSUM_MISMATCH",
            file.name,
            `Cloud migration ${file.name} changed after it was applied.`,
          );
        }
        return false;
      }
      // Migration scripts hold several statements; the pg driver runs them as one simple query.
      await query(file.sql);
      await query(`INSERT INTO "${TABLE}" (name, checksum) VALUES ($1, $2)`, [file.name, file.checksum]);
      return true;
    });
    if (done) applied.push(file.name);
  }
  const known = new Set(files.map((file) => file.name));
  const recorded = await db.query<{ name: string }>(`SELECT name FROM "${TABLE}" ORDER BY name`);
  const unknown = recorded.find((row) => !known.has(row.name));
  if (unknown) {
    throw new MigrationError(
      "UNKNOWN_MIGRATION",
      unknown.name,
      `The database has Cloud migration ${unknown.name}, which this build does not know: a newer Cloud migrated it.`,
    );
  }
  if (applied.length) logger.info("cloud.migrations_applied", { applied });
  return applied;
}
