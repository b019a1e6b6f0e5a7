import { AppError } from "../../shared/contract/errors";
import type { PrismaClient } from "../db/generated/client";

export interface RateRule {
  limit: number;
  windowMs: number;
}

/**
 * Fixed-window counters in PostgreSQL, so every instance behind a load balancer counts the
 * same attempts. One upsert per attempt; the window restarts when it has passed.
 */
export function createRateLimiter(prisma: PrismaClient, now: () => Date) {
  const hit = async (key: string, rule: RateRule): Promise<{ count: number; windowStart: Date }> => {
    const at = now();
    const expired = new Date(at.getTime() - rule.windowMs);
    const rows = await prisma.$queryRaw<{ count: number; windowStart: Date }[]>`
      INSERT INTO "RateLimit" (key, "windowStart", count) VALUES (${key}, ${at}, 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN "RateLimit"."windowStart" <= ${expired} THEN 1 ELSE "RateLimit".count + 1 END,
        "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${expired} THEN ${at} ELSE "RateLimit"."windowStart" END
      RETURNING count, "windowStart"`;
    return { count: Number(rows[0]?.count ?? 1), windowStart: rows[0]?.windowStart ?? at };
  };
  return {
    hit,
    /**
     * Counts this attempt first and refuses when it is over the limit: a burst of parallel
     * attempts cannot all pass a check made before any of them was counted.
     */
    async take(key: string, rule: RateRule): Promise<void> {
      const { count, windowStart } = await hit(key, rule);
      if (count > rule.limit) {
        const left = windowStart.getTime() + rule.windowMs - now().getTime();
        throw new AppError("RATE_LIMITED", "Too many attempts; try again later.", {
          retryAfterMs: Math.max(1000, left),
        });
      }
    },
    async reset(key: string): Promise<void> {
      await prisma.rateLimit.deleteMany({ where: { key } });
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
