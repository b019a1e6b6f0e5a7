/**
 * Issue 3 benchmark: 100 personas against the loopback Gemini fake at 300 ms per request.
 * The fakes run in their own process, so the event-loop lag is Sight's alone.
 * Reports the wall time, the ratio to a sequential baseline measured in the same run (one slot
 * per call, one call at a time), and the ratio to the critical path ⌈100 / concurrency⌉ × 300 ms.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServices } from "../src/main/services/create-services";
import { silentLogger } from "../src/main/services/logger";
import { createMemorySecretStore } from "../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../src/main/services/settings/preferences-store";
import { loadAverage, startFakesProcess, target, withLoopLag, writeResult } from "./lib";

const N = 100;
const LATENCY_MS = 300;
const CONCURRENCY = 8;
const migrationsDir = path.resolve(import.meta.dirname, "..", "prisma", "migrations");

async function run(fakesEnv: Record<string, string>, options: { slotsPerCall: number; concurrency: number }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-bench-personas-"));
  const services = await createServices({
    dataDir,
    migrationsDir,
    host: "headless",
    version: "bench",
    logger: silentLogger,
    preferences: createMemoryPreferencesStore(),
    secrets: createMemorySecretStore(),
    env: fakesEnv,
    plan: "enterprise",
    personaSlotsPerCall: options.slotsPerCall,
  });
  // As in the app, which starts its provider workers with the window: not part of the measured run.
  await services.warmUp();
  services.llmSettings.update({ concurrency: options.concurrency });
  const project = await services.projects.create({
    name: "Benchmark",
    description: "",
    researchGoal: "",
    targetAudience: "",
    targetSampleSize: N,
    targetDemographics: {
      gender: { female: 0.5, male: 0.5 },
      age_group: { "18-24": 0.15, "25-34": 0.25, "35-44": 0.25, "45-54": 0.2, "55+": 0.15 },
      income: { low: 0.3, middle: 0.4, high: 0.3 },
    },
  });
  const loadBefore = loadAverage();
  const started = performance.now();
  const {
    value: job,
    p99Ms,
    maxMs,
  } = await withLoopLag(async () => {
    const { jobId } = await services.personas.generate({ projectId: project.id, count: N, seed: 42 });
    await services.jobs.idle();
    return services.jobs.get(jobId);
  });
  const wallMs = performance.now() - started;
  if (job.status !== "succeeded") throw new Error(`generation ${job.status}: ${job.error?.message}`);
  const count = await services.db.prisma.persona.count();
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const load = `${loadBefore} → ${loadAverage()}`;
  console.log(
    `  run ${options.slotsPerCall} slot(s) per call, concurrency ${options.concurrency}: wall ${Math.round(wallMs)} ms, ` +
      `lag p99 ${p99Ms.toFixed(1)} ms / max ${maxMs.toFixed(1)} ms, load ${load}`,
  );
  return { wallMs, count, calls: job.usage.calls, p99Ms, maxMs, load };
}

const fakes = await startFakesProcess();
await fakes.control({ latencyMs: LATENCY_MS });
try {
  const parallel = await run(fakes.env, { slotsPerCall: 4, concurrency: CONCURRENCY });
  const sequential = await run(fakes.env, { slotsPerCall: 1, concurrency: 1 });
  const criticalPathMs = Math.ceil(N / CONCURRENCY) * LATENCY_MS;
  writeResult({
    name: "personas-generation",
    metrics: {
      personas: parallel.count,
      wall_ms: parallel.wallMs,
      llm_calls: parallel.calls,
      sequential_baseline_ms: sequential.wallMs,
      speedup_vs_sequential: sequential.wallMs / parallel.wallMs,
      critical_path_ms: criticalPathMs,
      ratio_to_critical_path: parallel.wallMs / criticalPathMs,
      event_loop_lag_p99_ms: parallel.p99Ms,
      event_loop_lag_max_ms: parallel.maxMs,
    },
    targets: {
      ratio_to_critical_path: target(parallel.wallMs / criticalPathMs, 1.5),
      event_loop_lag_p99_ms: target(parallel.p99Ms, 20),
    },
    notes: [
      `${N} personas, fake latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, 4 slots per call; baseline: 1 slot per call, concurrency 1`,
      `load average (1/5/15 min) before → after the measured run: ${parallel.load}`,
    ],
  });
} finally {
  fakes.close();
}
