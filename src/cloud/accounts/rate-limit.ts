import { AppError } from "../../shared/contract/errors";
import type { PrismaClient } from "../db/generated/client";

export interface RateRule {
  limit: number;
  windowMs: number;
}

/**
 * Fixed-window counters in PostgreSQL, so every instance behind a load balancer counts the
 * same attempts. One upsert per hit; the window restarts when it has passed.
 */
export function createRateLimiter(prisma: PrismaClient, now: () => Date) {
  return {
    /** Refuses with RATE_LIMITED when `key` already used its attempts in the current window. */
    async check(key: string, rule: RateRule): Promise<void> {
      const row = await prisma.rateLimit.findUnique({ where: { key } });
      if (!row) return;
      const resetAt = row.windowStart.getTime() + rule.windowMs;
      const left = resetAt - now().getTime();
      if (left > 0 && row.count >= rule.limit) {
        throw new AppError("RATE_LIMITED", "Too many attempts; try again later.", { retryAfterMs: left });
      }
    },
    async hit(key: string, rule: RateRule): Promise<number> {
      const at = now();
      const rows = await prisma.$queryRaw<{ count: number }[]>`
        INSERT INTO "RateLimit" (key, "windowStart", count) VALUES (${key}, ${at}, 1)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN "RateLimit"."windowStart" <= ${new Date(at.getTime() - rule.windowMs)} THEN 1 ELSE "RateLimit".count + 1 END,
          "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${new Date(at.getTime() - rule.windowMs)} THEN ${at} ELSE "RateLimit"."windowStart" END
        RETURNING count`;
      return Number(rows[0]?.count ?? 1);
    },
    async reset(key: string): Promise<void> {
      await prisma.rateLimit.deleteMany({ where: { key } });
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
