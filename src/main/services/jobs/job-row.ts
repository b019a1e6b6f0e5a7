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
