import { REFUSAL_REASONS, type RefusalSummary } from "../../../shared/contract";
import { PERSONA_GENERATION_KIND } from "../billing/entitlements";
import type { Database } from "../db/open";
import { newId } from "../ids";
import type { Refusal } from "./slot-agreement";

/** A refused draft and the slot it was written for. */
export interface SlotRefusal extends Refusal {
  slotIndex: number;
}

/** Keeps one run's refused drafts (one row each), written as they are refused. */
export async function recordRefusals(
  db: Database,
  run: { projectId: string; jobId: string; now: Date },
  refusals: SlotRefusal[],
): Promise<void> {
  if (refusals.length === 0) return;
  await db.prisma.personaRefusal.createMany({
    data: refusals.map((refusal) => ({
      id: newId(run.now.getTime()),
      projectId: run.projectId,
      jobId: run.jobId,
      slotIndex: refusal.slotIndex,
      reason: refusal.reason,
      dimension: refusal.dimension,
      detail: refusal.message,
      createdAt: run.now,
    })),
  });
}

/**
 * The drafts the generation runs refused, by reason, beside the drafts they accepted (their saved
 * units, which outlive personas deleted since): over a project's runs, one run, or the runs named.
 */
export async function summariseRefusals(
  db: Database,
  of: { projectId: string } | { jobId: string } | { jobIds: string[] },
): Promise<RefusalSummary> {
  const { prisma } = db;
  const jobIds =
    "projectId" in of
      ? (
          await prisma.job.findMany({
            where: { projectId: of.projectId, kind: PERSONA_GENERATION_KIND },
            select: { id: true },
          })
        ).map((job) => job.id)
      : "jobId" in of
        ? [of.jobId]
        : [...new Set(of.jobIds)];
  if (jobIds.length === 0) return { runs: 0, accepted: 0, refused: 0, byReason: [] };
  const [accepted, groups] = await Promise.all([
    prisma.jobUnit.count({ where: { jobId: { in: jobIds } } }),
    prisma.personaRefusal.groupBy({
      by: ["reason", "dimension"],
      where: { jobId: { in: jobIds } },
      _count: { _all: true },
    }),
  ]);
  const rank = (reason: string) => REFUSAL_REASONS.indexOf(reason as (typeof REFUSAL_REASONS)[number]);
  const byReason = groups
    .filter((group) => rank(group.reason) >= 0)
    .map((group) => ({
      reason: group.reason as (typeof REFUSAL_REASONS)[number],
      dimension: group.dimension,
      count: group._count._all,
    }))
    // Most frequent first; ties in the contract's order of reasons, then by dimension.
    .sort(
      (a, b) =>
        b.count - a.count || rank(a.reason) - rank(b.reason) || (a.dimension ?? "").localeCompare(b.dimension ?? ""),
    );
  return {
    runs: jobIds.length,
    accepted,
    refused: byReason.reduce((sum, entry) => sum + entry.count, 0),
    byReason,
  };
}
