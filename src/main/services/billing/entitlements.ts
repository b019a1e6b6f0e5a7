import { AppError } from "../../../shared/contract";
import { PLANS, type PlanId } from "../../../shared/domain/plans";
import type { Database } from "../db/open";
import { createExclusive } from "../jobs/exclusive";

export const PERSONA_GENERATION_KIND = "personas.generate";

/**
 * What the plan allows. The persona limit counts per workspace (everything in this data
 * folder), not per project: a plan is bought by a researcher, and a per-project count would let
 * a Free user get unlimited personas by making projects. Personas that exist count, and so do
 * slots reserved by generation jobs that have not finished (queued, running or interrupted),
 * so two runs cannot overshoot. Deleting personas frees their places. The reservation only exists
 * once the job row does, so check and enqueue run together under `reservePersonas`.
 */
export function createEntitlements(deps: { db: Database; plan: () => PlanId }) {
  // The limit is per workspace, so one key serialises every reservation, whatever the project.
  const quotaLock = createExclusive();

  const reservedSlots = async (): Promise<number> => {
    const active = await deps.db.prisma.job.findMany({
      where: { kind: PERSONA_GENERATION_KIND, status: { in: ["queued", "running", "interrupted"] } },
      select: { params: true, progressDone: true },
    });
    return active.reduce((sum, job) => {
      const params = JSON.parse(job.params) as { count?: number };
      return sum + Math.max(0, (params.count ?? 0) - job.progressDone);
    }, 0);
  };

  const entitlements = {
    /** Read at every check: a licence that changes the plan applies to the next request. */
    async personaQuota() {
      const plan = deps.plan();
      const [used, reserved] = await Promise.all([deps.db.prisma.persona.count(), reservedSlots()]);
      const limit = PLANS[plan].personaLimit;
      return {
        plan,
        limit,
        used,
        reserved,
        remaining: limit === null ? null : Math.max(0, limit - used - reserved),
        scope: "workspace" as const,
      };
    },
    /** Refuses before any LLM call when `count` more personas would pass the plan's limit. */
    async assertCanAddPersonas(count: number) {
      const quota = await entitlements.personaQuota();
      if (quota.remaining !== null && quota.limit !== null && count > quota.remaining) {
        throw new AppError(
          "QUOTA_EXCEEDED",
          quotaMessage(PLANS[quota.plan].name, quota.limit, { ...quota, remaining: quota.remaining }, count),
          {
            plan: quota.plan,
            limit: quota.limit,
            used: quota.used,
            reserved: quota.reserved,
            remaining: quota.remaining,
            requested: count,
          },
        );
      }
    },
    /**
     * Checks that `count` more personas fit, then runs `reserve` (which must create the job row
     * holding those places) before any other reservation is checked: two concurrent requests
     * cannot both see the same free places.
     */
    reservePersonas<T>(count: number, reserve: () => Promise<T>): Promise<T> {
      return quotaLock.run("personas", async () => {
        await entitlements.assertCanAddPersonas(count);
        return reserve();
      });
    },
  };
  return entitlements;
}

/**
 * Says what to do. A downgrade can leave more personas than the new plan allows: they are all
 * kept, and the message says how many must go before new ones fit.
 */
function quotaMessage(
  planName: string,
  limit: number,
  quota: { used: number; reserved: number; remaining: number },
  count: number,
): string {
  const taken = quota.used + quota.reserved;
  if (taken > limit) {
    const inFlight = quota.reserved > 0 ? ` (${quota.reserved} of them still being generated)` : "";
    const toDelete = taken + count - limit;
    const personas = (n: number) => (n === 1 ? "1 persona" : `${n} personas`);
    return (
      `The ${planName} plan allows ${limit} personas and this workspace already has ${taken}${inFlight}. ` +
      `All ${taken} are kept; to add ${count} more, delete ${personas(toDelete)} or move to a larger plan.`
    );
  }
  if (quota.remaining === 0) return `The ${planName} plan allows ${limit} personas and none remain.`;
  return `The ${planName} plan allows ${limit} personas; ${quota.remaining} remain, so ${count} cannot be generated.`;
}

export type Entitlements = ReturnType<typeof createEntitlements>;
