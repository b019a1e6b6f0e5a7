import { STABILITY_JOB_KIND } from "../../../shared/contract/stability";
import type { RawClient as Client } from "../db/open";

/**
 * Content revisions: one counter per project, bumped by SQLite triggers on every insert, update
 * and delete of the project's content (the project row, personas and the drafts refused while
 * generating them, focus groups with messages and insights, surveys with responses). A cached
 * export names the revision it was read at; any later change, by any code path, makes it stale.
 *
 * The triggers are created at startup rather than in a migration: Prisma's table
 * redefinitions in future migrations drop a table's triggers, and recreating them on every start
 * heals that.
 */
const BUMP = (projectExpr: string) =>
  `INSERT INTO "ContentRevision" ("projectId", "revision") SELECT ${projectExpr}, 1 WHERE ${projectExpr} IS NOT NULL ` +
  `ON CONFLICT("projectId") DO UPDATE SET "revision" = "revision" + 1`;

/** Tables whose rows carry the project id themselves, and those reached through a parent. */
const SOURCES: { table: string; project: (row: "NEW" | "OLD") => string }[] = [
  { table: "Persona", project: (row) => `${row}."projectId"` },
  // The report's methodology counts the drafts generation refused.
  { table: "PersonaRefusal", project: (row) => `${row}."projectId"` },
  { table: "FocusGroup", project: (row) => `${row}."projectId"` },
  { table: "Survey", project: (row) => `${row}."projectId"` },
  {
    table: "FocusGroupMessage",
    project: (row) => `(SELECT "projectId" FROM "FocusGroup" WHERE "id" = ${row}."focusGroupId")`,
  },
  { table: "Insight", project: (row) => `(SELECT "projectId" FROM "FocusGroup" WHERE "id" = ${row}."focusGroupId")` },
  { table: "SurveyResponse", project: (row) => `(SELECT "projectId" FROM "Survey" WHERE "id" = ${row}."surveyId")` },
];

export function revisionTriggerSql(): string[] {
  const statements: string[] = [];
  for (const { table, project } of SOURCES) {
    statements.push(
      `CREATE TRIGGER "revision_${table}_insert" AFTER INSERT ON "${table}" BEGIN ${BUMP(project("NEW"))}; END`,
      `CREATE TRIGGER "revision_${table}_update" AFTER UPDATE ON "${table}" BEGIN ${BUMP(project("NEW"))}; END`,
      // A child deleted by its parent's cascade finds no parent any more; the parent's own trigger counts.
      `CREATE TRIGGER "revision_${table}_delete" AFTER DELETE ON "${table}" BEGIN ${BUMP(project("OLD"))}; END`,
    );
  }
  statements.push(
    // Exports include a study's latest stability report: a check that finishes is new content.
    `CREATE TRIGGER "revision_Job_stability" AFTER UPDATE OF "status" ON "Job" ` +
      `WHEN NEW."kind" = '${STABILITY_JOB_KIND}' AND NEW."status" = 'succeeded' BEGIN ${BUMP(`NEW."projectId"`)}; END`,
    `CREATE TRIGGER "revision_Project_update" AFTER UPDATE ON "Project" BEGIN ${BUMP(`NEW."id"`)}; END`,
    `CREATE TRIGGER "revision_Project_delete" AFTER DELETE ON "Project" BEGIN ` +
      `DELETE FROM "ContentRevision" WHERE "projectId" = OLD."id"; END`,
  );
  return statements;
}

/**
 * Recreates the triggers from this build's definitions in one transaction: dropped first, so a
 * changed trigger body reaches databases that have the old one.
 */
export async function ensureRevisionTriggers(raw: Client): Promise<void> {
  const existing = await raw.execute(
    `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'revision\\_%' ESCAPE '\\'`,
  );
  const drops = existing.rows.map((row) => `DROP TRIGGER IF EXISTS "${String(row.name).replace(/"/g, '""')}"`);
  await raw.batch([...drops, ...revisionTriggerSql()], "write");
}

export async function readRevision(raw: Client, projectId: string): Promise<number> {
  const result = await raw.execute({
    sql: `SELECT "revision" FROM "ContentRevision" WHERE "projectId" = ?`,
    args: [projectId],
  });
  return result.rows.length ? Number(result.rows[0]!.revision) : 0;
}
