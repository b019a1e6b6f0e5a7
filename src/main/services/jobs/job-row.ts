import type { Job, JobStatus, Usage, WireError } from "../../../shared/contract";
import type { Job as JobRow } from "../db/generated/client";

export type { JobRow };

export function toJob(row: JobRow): Job {
  const total = row.progressTotal;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status as JobStatus,
    projectId: row.projectId,
    params: JSON.parse(row.params) as unknown,
    progress: {
      done: row.progressDone,
      total,
      fraction: total > 0 ? Math.min(1, row.progressDone / total) : null,
      label: row.progressLabel,
    },
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error === null ? null : (JSON.parse(row.error) as WireError),
    usage: JSON.parse(row.usage) as Usage,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** A DateTime column as SQLite holds it (Prisma writes ISO 8601 text; unix ms is read too). */
function sqlDate(value: unknown): Date {
  return new Date(typeof value === "bigint" ? Number(value) : (value as string | number));
}

/** A Job row read with plain SQL (`SELECT *` or `RETURNING *`), typed as Prisma reads it. */
export function jobRowFromSql(row: Record<string, unknown>): JobRow {
  const text = (key: string) => row[key] as string;
  const maybeText = (key: string) => (row[key] ?? null) as string | null;
  const int = (key: string) => Number(row[key]);
  return {
    id: text("id"),
    kind: text("kind"),
    status: text("status"),
    projectId: maybeText("projectId"),
    params: text("params"),
    result: maybeText("result"),
    error: maybeText("error"),
    progressDone: int("progressDone"),
    progressTotal: int("progressTotal"),
    progressLabel: text("progressLabel"),
    usage: text("usage"),
    attempts: int("attempts"),
    createdAt: sqlDate(row.createdAt),
    updatedAt: sqlDate(row.updatedAt),
    startedAt: row.startedAt === null || row.startedAt === undefined ? null : sqlDate(row.startedAt),
    finishedAt: row.finishedAt === null || row.finishedAt === undefined ? null : sqlDate(row.finishedAt),
  };
}
