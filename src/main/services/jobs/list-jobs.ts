import { AppError, type RouteOutput, type RouteParsedInput } from "../../../shared/contract";
import type { Prisma } from "../db/generated/client";
import type { Database } from "../db/open";
import { toJob } from "./job-row";

/** Newest first; ids are time-ordered, so the id alone is a stable keyset cursor. */
export async function listJobs(db: Database, input: RouteParsedInput<"jobs.list">): Promise<RouteOutput<"jobs.list">> {
  const where: Prisma.JobWhereInput = {};
  if (input.projectId) where.projectId = input.projectId;
  if (input.status) where.status = input.status;
  if (input.cursor !== undefined && !/^[0-9a-z]{26}$/.test(input.cursor)) {
    throw new AppError("VALIDATION_FAILED", "The cursor is not valid for this list.", {
      issues: [{ path: ["cursor"], message: "invalid cursor" }],
    });
  }
  const [rows, total] = await Promise.all([
    db.prisma.job.findMany({
      where: input.cursor ? { AND: [where, { id: { lt: input.cursor } }] } : where,
      orderBy: { id: "desc" },
      take: input.limit + 1,
    }),
    db.prisma.job.count({ where }),
  ]);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(toJob),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    total,
  };
}
