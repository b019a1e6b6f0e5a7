/**
 * Focus-group benchmark (issues 4 and 12): a discussion of 20 personas × 5 questions × 1 round (no
 * follow-ups) against the loopback fake at 300 ms per request, concurrency 20, and a heavier one
 * of 50 personas × 10 questions × 2 rounds that shows how lag and the ratio grow with the work.
 *
 * For every run it prints the main event-loop lag (p99, max), the ratio to the critical path
 * (questions × phases × latency), the time from "run" to the first streamed token, the CPU used by
 * Sight (all threads) and by the fakes' process (same cores), and the load average. The standard
 * size is also run with the database and the provider calls on the main thread, as before issue
 * 12, for the comparison; BENCH_QUICK=1 runs the standard size only, without the baselines.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServices, type ServiceDeps } from "../src/main/services/create-services";
import { createLogger, silentLogger } from "../src/main/services/logger";
import { createMemorySecretStore } from "../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../src/main/services/settings/preferences-store";
import { loadAverage, startFakesProcess, target, withLoopLag, writeResult } from "./lib";

const LATENCY_MS = 300;
const migrationsDir = path.resolve(import.meta.dirname, "..", "prisma", "migrations");
const quick = Boolean(process.env.BENCH_QUICK);

interface Size {
  personas: number;
  questions: number;
  rounds: number;
}
const STANDARD: Size = { personas: 20, questions: 5, rounds: 1 };
const HEAVY: Size = { personas: 50, questions: 10, rounds: 2 };

type Fakes = Awaited<ReturnType<typeof startFakesProcess>>;
type Threads = Pick<ServiceDeps, "databaseThread" | "llmThread">;

async function run(fakes: Fakes, size: Size, concurrency: number, threads: Threads = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-bench-fg-"));
  const services = await createServices({
    dataDir,
    migrationsDir,
    host: "headless",
    version: "bench",
    logger: process.env.BENCH_LOG ? createLogger({ console: true, level: "debug" }) : silentLogger,
    preferences: createMemoryPreferencesStore(),
    secrets: createMemorySecretStore(),
    env: fakes.env,
    plan: "enterprise",
    ...threads,
  });
  // As in the app, which starts its provider workers with the window: not part of the measured run.
  await services.warmUp();
  services.llmSettings.update({ concurrency: Math.max(concurrency, 8) });
  const project = await services.projects.create({
    name: "Benchmark",
    description: "",
    researchGoal: "",
    targetAudience: "",
    targetSampleSize: size.personas,
    targetDemographics: { gender: { female: 0.5, male: 0.5 } },
  });
  await fakes.control({ latencyMs: 0 });
  await services.personas.generate({ projectId: project.id, count: size.personas, seed: 1 });
  await services.jobs.idle();
  const personaIds = (await services.db.prisma.persona.findMany({ select: { id: true } })).map((p) => p.id);
  services.llmSettings.update({ concurrency });
  await fakes.control({ latencyMs: LATENCY_MS });
  const fg = await services.focusGroups.create({
    projectId: project.id,
    name: "Benchmark discussion",
    participantIds: personaIds,
    guide: Array.from({ length: size.questions }, (_, i) => ({
      question: `Question ${i + 1}: what matters most to you here?`,
      probes: [],
    })),
    settings: { discussionRounds: size.rounds, moderatorFollowUps: false, language: "en", temperature: 0.8 },
  });
  let firstTokenMs: number | null = null;
  const loadBefore = loadAverage();
  const fakeCpuBefore = fakes.cpuMs();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  services.bus.on("discussion.token", () => {
    firstTokenMs ??= performance.now() - started;
  });
  const { p99Ms, maxMs } = await withLoopLag(async () => {
    await services.focusGroups.run(fg.id);
    await services.jobs.idle();
  });
  const wallMs = performance.now() - started;
  // BENCH_DUMP=<file>: the fake's request log (arrival and end of every call), to see the phases.
  if (process.env.BENCH_DUMP) {
    const log = await fetch(`${fakes.env.SIGHT_GEMINI_BASE_URL}/__requests`);
    fs.writeFileSync(process.env.BENCH_DUMP, await log.text());
  }
  const cpu = process.cpuUsage(cpuBefore);
  const fakeCpuMs = fakes.cpuMs() - fakeCpuBefore;
  const view = await services.focusGroups.get(fg.id);
  if (view.status !== "completed") {
    const job = await services.jobs.get(view.jobId!);
    throw new Error(`run ended ${view.status}: ${JSON.stringify(job.error)}`);
  }
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const criticalPathMs = size.questions * (1 + size.rounds) * LATENCY_MS;
  const result = {
    wallMs,
    p99Ms,
    maxMs,
    firstTokenMs: firstTokenMs ?? Number.NaN,
    messages: view.messageCount,
    criticalPathMs,
    ratio: wallMs / criticalPathMs,
    sightCpuMs: (cpu.user + cpu.system) / 1000,
    fakeCpuMs,
    load: `${loadBefore} → ${loadAverage()}`,
  };
  const where = threads.databaseThread === "main" ? "all on the main thread" : "database and providers in workers";
  console.log(
    `  run ${size.personas}×${size.questions}×${size.rounds} (${where}, concurrency ${concurrency}): ` +
      `wall ${Math.round(wallMs)} ms, ratio ${result.ratio.toFixed(2)}, lag p99 ${p99Ms.toFixed(1)} ms / max ${maxMs.toFixed(1)} ms, ` +
      `first token ${Math.round(result.firstTokenMs)} ms, CPU Sight ${Math.round(result.sightCpuMs)} ms / fakes ${Math.round(fakeCpuMs)} ms, load ${result.load}`,
  );
  return result;
}

const fakes = await startFakesProcess();
try {
  const standard = await run(fakes, STANDARD, STANDARD.personas);
  const inProcess = quick
    ? null
    : await run(fakes, STANDARD, STANDARD.personas, { databaseThread: "main", llmThread: "main" });
  const heavy = quick ? null : await run(fakes, HEAVY, HEAVY.personas);
  // The minute-long sequential baseline (concurrency 1) of the standard size.
  const sequential = quick ? null : await run(fakes, STANDARD, 1);
  const metrics: Record<string, number> = {
    messages: standard.messages,
    wall_ms: standard.wallMs,
    critical_path_ms: standard.criticalPathMs,
    ratio_to_critical_path: standard.ratio,
    event_loop_lag_p99_ms: standard.p99Ms,
    event_loop_lag_max_ms: standard.maxMs,
    first_token_ms: standard.firstTokenMs,
    // The fake answers after LATENCY_MS, so no implementation can show a token sooner than that.
    first_token_after_provider_ms: standard.firstTokenMs - LATENCY_MS,
    sight_cpu_ms: standard.sightCpuMs,
    fakes_cpu_ms: standard.fakeCpuMs,
  };
  if (sequential) {
    metrics.sequential_baseline_ms = sequential.wallMs;
    metrics.speedup_vs_sequential = sequential.wallMs / standard.wallMs;
  }
  if (inProcess) {
    metrics.in_process_ratio_to_critical_path = inProcess.ratio;
    metrics.in_process_event_loop_lag_p99_ms = inProcess.p99Ms;
    metrics.in_process_event_loop_lag_max_ms = inProcess.maxMs;
    metrics.in_process_first_token_ms = inProcess.firstTokenMs;
  }
  if (heavy) {
    metrics.heavy_messages = heavy.messages;
    metrics.heavy_wall_ms = heavy.wallMs;
    metrics.heavy_ratio_to_critical_path = heavy.ratio;
    metrics.heavy_event_loop_lag_p99_ms = heavy.p99Ms;
    metrics.heavy_event_loop_lag_max_ms = heavy.maxMs;
    metrics.heavy_first_token_ms = heavy.firstTokenMs;
  }
  writeResult({
    name: "focus-group-discussion",
    metrics,
    targets: {
      ratio_to_critical_path: target(standard.ratio, 1.3),
      event_loop_lag_p99_ms: target(standard.p99Ms, 20),
      event_loop_lag_max_ms: target(standard.maxMs, 50),
      first_token_after_provider_ms: target(standard.firstTokenMs - LATENCY_MS, 100),
    },
    notes: [
      `${STANDARD.personas} personas × ${STANDARD.questions} questions × ${STANDARD.rounds} round, fake latency ${LATENCY_MS} ms in its own process, concurrency ${STANDARD.personas}; baseline concurrency 1`,
      `heavy: ${HEAVY.personas} personas × ${HEAVY.questions} questions × ${HEAVY.rounds} rounds, concurrency ${HEAVY.personas}`,
      "in_process_*: the standard size with the database and the provider calls on the main thread (databaseThread/llmThread: main)",
      `first token: the fake sends its first byte ${LATENCY_MS} ms after the request, so the target is on the time Sight adds to that`,
      `load average (1/5/15 min) before → after the standard run: ${standard.load}`,
    ],
  });
} finally {
  fakes.close();
}
