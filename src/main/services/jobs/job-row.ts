import { z } from "zod";
import {
  runModelSchema,
  type Job,
  type JobStatus,
  type RunModel,
  type Usage,
  type WireError,
} from "../../../shared/contract";
import { progressLabelText } from "../../../shared/domain/progress-label-text";
import type { Job as JobRow } from "../db/generated/client";
import { readProgressLabel } from "./stored-label";

export type { JobRow };

const storedModels = z.array(runModelSchema);

/** The models column; a row written before it existed, or damaged, reads as "none recorded". */
export function readRunModels(stored: string | null | undefined): RunModel[] {
  if (!stored) return [];
  try {
    const parsed = storedModels.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function toJob(row: JobRow): Job {
  const total = row.progressTotal;
  const label = readProgressLabel(row.progressLabel);
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
      label,
      text: progressLabelText(label),
    },
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error === null ? null : (JSON.parse(row.error) as WireError),
    usage: JSON.parse(row.usage) as Usage,
    models: readRunModels(row.models),
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
    models: (row.models ?? "[]") as string,
    attempts: int("attempts"),
    createdAt: sqlDate(row.createdAt),
    updatedAt: sqlDate(row.updatedAt),
    startedAt: row.startedAt === null || row.startedAt === undefined ? null : sqlDate(row.startedAt),
    finishedAt: row.finishedAt === null || row.finishedAt === undefined ? null : sqlDate(row.finishedAt),
  };
}
