import { z } from "zod";
import type { JobHandler } from "./runner";

/**
 * A diagnostic job that counts through `units` steps, each taking `delayMs`, and records every
 * execution of a unit in `onUnit` so tests can prove that a resumed job does not redo finished
 * units. Registered only when the services are built with `diagnosticJobs: true`.
 */
export const demoCountParams = z.object({
  units: z.number().int().min(1).max(10_000),
  delayMs: z.number().int().min(0).max(60_000).default(0),
  failAt: z.number().int().optional(),
});

export function demoCountJob(onUnit?: (index: number) => void): JobHandler<z.infer<typeof demoCountParams>> {
  return {
    kind: "diagnostics.count",
    params: demoCountParams,
    async run(ctx) {
      await ctx.setTotal(ctx.params.units);
      let sum = 0;
      for (let index = 0; index < ctx.params.units; index++) {
        const key = String(index);
        if (ctx.completed.has(key)) {
          sum += ctx.completed.get(key) as number;
          continue;
        }
        ctx.throwIfCancelled();
        await sleep(ctx.params.delayMs, ctx.signal);
        if (ctx.params.failAt === index) throw new Error(`diagnostic failure at unit ${index}`);
        onUnit?.(index);
        const value = index * index;
        await ctx.saveUnit(key, value);
        sum += value;
      }
      return { sum };
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
