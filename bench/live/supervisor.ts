/**
 * bench/live-fanout.bench.ts runs twice over: `npm run bench` starts it as this supervisor, which
 * starts the bench proper again (BENCH_LIVE_WORKER=1: the host app, measured, and its children)
 * in a process group of its own, and cleans up after it however it ends. The bench cleans up
 * after itself too; this is for when it cannot: a host that runs out of heap while it stops a
 * direct session with 500 viewers (V8 aborts, no exit handler runs) would otherwise leave the
 * bench's PostgreSQL and Redis servers running and its temporary folders behind.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RESULTS_DIR } from "../lib";

/** The bench's own throwaway servers (scripts/test-postgres.mjs, scripts/test-redis.mjs). */
export const BENCH_PG_PORT = 55439;
export const BENCH_REDIS_PORT = 56389;

export const isWorker = () => process.env.BENCH_LIVE_WORKER === "1";

/** The folder every temporary folder of the worker goes in (removed by the supervisor). */
export const workerTempRoot = () => process.env.BENCH_LIVE_TMP ?? os.tmpdir();

/** Stops the bench's PostgreSQL and Redis if they are running. */
export async function stopBenchServers(): Promise<void> {
  process.env.SIGHT_TEST_PG_PORT = String(BENCH_PG_PORT);
  process.env.SIGHT_TEST_REDIS_PORT = String(BENCH_REDIS_PORT);
  // @ts-expect-error a plain .mjs script shared with the tests
  const postgres = await import("../../scripts/test-postgres.mjs");
  // @ts-expect-error a plain .mjs script shared with the tests
  const redis = await import("../../scripts/test-redis.mjs");
  for (const stop of [postgres.stopTestPostgres, redis.stopTestRedis] as Array<() => void>) {
    try {
      stop();
    } catch (error) {
      console.error(`clean-up: ${String(error)}`);
    }
  }
}

/** Runs `file` as the worker and exits with its status, after cleaning up behind it. */
export async function supervise(file: string): Promise<never> {
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), "sight-bench-live-"));
  const worker = spawn(process.execPath, [...process.execArgv, file], {
    env: { ...process.env, BENCH_LIVE_WORKER: "1", BENCH_LIVE_TMP: tempRoot },
    stdio: ["ignore", "inherit", "pipe"],
    detached: true,
  });
  let outOfMemory = false;
  worker.stderr!.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    if (chunk.includes("heap out of memory")) outOfMemory = true;
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => worker.kill(signal));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    worker.once("exit", (c, s) => resolve([c, s])),
  );
  if (code !== 0) {
    await stopBenchServers();
    // Whatever of the worker's is still running (its children are in its process group).
    try {
      process.kill(-worker.pid!, "SIGKILL");
    } catch {
      // none left
    }
    const why = outOfMemory
      ? "the bench process ran out of heap (V8: heap out of memory)"
      : `the bench process exited with ${code ?? signal}`;
    console.error(`\nlive-fanout: ${why}.`);
    const file = path.join(RESULTS_DIR, "live-fanout.json");
    try {
      const result = JSON.parse(fs.readFileSync(file, "utf8")) as { partial?: boolean; notes: string[] };
      if (result.partial) {
        result.notes.push(`The run ended early: ${why}.`);
        fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      }
    } catch {
      // no results written
    }
  }
  fs.rmSync(tempRoot, { recursive: true, force: true });
  process.exit(code ?? 1);
}
