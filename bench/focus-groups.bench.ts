/**
 * Issue 4 benchmark: a focus group of 20 personas × 5 questions × 1 discussion round (no
 * follow-ups) against the loopback fake at 300 ms per request, concurrency 20. Reports the wall
 * time, the ratio to a sequential baseline from the same run (concurrency 1), the ratio to the
 * critical path (questions × phases × latency), the main event-loop lag p99 during the run, and
 * the time from "run" to the first streamed token reaching a subscriber.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServices } from "../src/main/services/create-services";
import { createLogger, silentLogger } from "../src/main/services/logger";
import { createMemorySecretStore } from "../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../src/main/services/settings/preferences-store";
import { startFakesProcess, target, withLoopLag, writeResult } from "./lib";

const PERSONAS = 20;
const QUESTIONS = 5;
const ROUNDS = 1;
const LATENCY_MS = 300;
const migrationsDir = path.resolve(import.meta.dirname, "..", "prisma", "migrations");

async function run(
  env: Record<string, string>,
  concurrency: number,
  control: (o: Record<string, unknown>) => Promise<void>,
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-bench-fg-"));
  const services = await createServices({
    dataDir,
    migrationsDir,
    host: "headless",
    version: "bench",
    logger: process.env.BENCH_LOG ? createLogger({ console: true, level: "debug" }) : silentLogger,
    preferences: createMemoryPreferencesStore(),
    secrets: createMemorySecretStore(),
    env,
    plan: "enterprise",
  });
  services.llmSettings.update({ concurrency: Math.max(concurrency, 8) });
  const project = await services.projects.create({
    name: "Benchmark",
    description: "",
    researchGoal: "",
    targetAudience: "",
    targetSampleSize: PERSONAS,
    targetDemographics: { gender: { female: 0.5, male: 0.5 } },
  });
  await control({ latencyMs: 0 });
  await services.personas.generate({ projectId: project.id, count: PERSONAS, seed: 1 });
  await services.jobs.idle();
  const personaIds = (await services.db.prisma.persona.findMany({ select: { id: true } })).map((p) => p.id);
  services.llmSettings.update({ concurrency });
  await control({ latencyMs: LATENCY_MS });
  const fg = await services.focusGroups.create({
    projectId: project.id,
    name: "Benchmark discussion",
    participantIds: personaIds,
    guide: Array.from({ length: QUESTIONS }, (_, i) => ({
      question: `Question ${i + 1}: what matters most to you here?`,
      probes: [],
    })),
    settings: { discussionRounds: ROUNDS, moderatorFollowUps: false, language: "en", temperature: 0.8 },
  });
  let firstTokenMs: number | null = null;
  const started = performance.now();
  services.bus.on("discussion.token", () => {
    firstTokenMs ??= performance.now() - started;
  });
  const { p99Ms, maxMs } = await withLoopLag(async () => {
    await services.focusGroups.run(fg.id);
    await services.jobs.idle();
  });
  const wallMs = performance.now() - started;
  const view = await services.focusGroups.get(fg.id);
  if (view.status !== "completed") {
    const job = await services.jobs.get(view.jobId!);
    throw new Error(`run ended ${view.status}: ${JSON.stringify(job.error)}`);
  }
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { wallMs, p99Ms, maxMs, firstTokenMs: firstTokenMs ?? Number.NaN, messages: view.messageCount };
}

const fakes = await startFakesProcess();
try {
  const parallel = await run(fakes.env, PERSONAS, fakes.control);
  // BENCH_QUICK skips the minute-long sequential baseline (for profiling the parallel run).
  const sequential = process.env.BENCH_QUICK ? { wallMs: Number.NaN } : await run(fakes.env, 1, fakes.control);
  const phases = 1 + ROUNDS;
  const criticalPathMs = QUESTIONS * phases * LATENCY_MS;
  writeResult({
    name: "focus-group-discussion",
    metrics: {
      messages: parallel.messages,
      wall_ms: parallel.wallMs,
      sequential_baseline_ms: sequential.wallMs,
      speedup_vs_sequential: sequential.wallMs / parallel.wallMs,
      critical_path_ms: criticalPathMs,
      ratio_to_critical_path: parallel.wallMs / criticalPathMs,
      event_loop_lag_p99_ms: parallel.p99Ms,
      event_loop_lag_max_ms: parallel.maxMs,
      first_token_ms: parallel.firstTokenMs,
    },
    targets: {
      ratio_to_critical_path: target(parallel.wallMs / criticalPathMs, 1.5),
      event_loop_lag_p99_ms: target(parallel.p99Ms, 50),
      first_token_ms: target(parallel.firstTokenMs, 500),
    },
    notes: [
      `${PERSONAS} personas × ${QUESTIONS} questions × ${ROUNDS} round, fake latency ${LATENCY_MS} ms in its own process, concurrency ${PERSONAS}; baseline concurrency 1`,
    ],
  });
} finally {
  fakes.close();
}
