import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

export const RESULTS_DIR = path.resolve(import.meta.dirname, "results");

export interface BenchResult {
  name: string;
  /** What was measured, with units in the key names (ms, mb, ratio). */
  metrics: Record<string, number>;
  targets: Record<string, { limit: number; met: boolean }>;
  notes?: string[];
}

/** Samples the event loop's delay while `fn` runs (p99 and max, in ms). */
export async function withLoopLag<T>(fn: () => Promise<T>): Promise<{ value: T; p99Ms: number; maxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const value = await fn();
    return { value, p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

export function target(value: number, limit: number) {
  return { limit, met: value <= limit };
}

export function writeResult(result: BenchResult): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  const payload = {
    ...result,
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? "",
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
  };
  fs.writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  console.log(`\n${result.name}`);
  for (const [key, value] of Object.entries(result.metrics))
    console.log(`  ${key.padEnd(34)} ${Number(value.toFixed(3))}`);
  for (const [key, t] of Object.entries(result.targets))
    console.log(`  target ${key} ≤ ${t.limit}: ${t.met ? "met" : "MISSED"}`);
  console.log(`  → ${path.relative(process.cwd(), file)}`);
}

function unquote(value: string): string {
  return value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1).replaceAll(`'\\''`, "'") : value;
}

/**
 * Starts the loopback fakes in their own process, so the benchmark's event-loop measurements
 * are Sight's alone. Returns the env that points Sight at them and a control function.
 */
export async function startFakesProcess(): Promise<{
  env: Record<string, string>;
  control(options: Record<string, unknown>): Promise<void>;
  /** CPU time the fakes' process has used so far (Linux; NaN elsewhere), to read before and after a run. */
  cpuMs(): number;
  close(): void;
}> {
  const { spawn } = await import("node:child_process");
  const root = path.resolve(import.meta.dirname, "..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "fakes", "cli.ts"), "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const env: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    let buffer = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffer += chunk;
      for (const line of buffer.split("\n")) {
        // `export KEY='value'` lines (fakes/env-lines.ts), single-quoted for the shell.
        const match = /^(?:export\s+)?([A-Z_]+)=(.*)$/.exec(line.trim());
        if (match) env[match[1]!] = unquote(match[2]!);
      }
      if (env.SIGHT_LLM_FAKE) resolve();
    });
    child.once("exit", (code) => reject(new Error(`fakes exited with ${code}`)));
  });
  const base = env.SIGHT_GEMINI_BASE_URL!;
  return {
    env,
    async control(options) {
      const response = await fetch(`${base}/__control`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(options),
      });
      if (!response.ok) throw new Error(`fake control failed: ${response.status} ${await response.text()}`);
    },
    cpuMs: () => processCpuMs(child.pid),
    close() {
      child.kill("SIGTERM");
    },
  };
}

/** utime + stime of a process from /proc (clock ticks are 10 ms on Linux), NaN where unreadable. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** The 1, 5 and 15 minute load averages, to read next to every timing (a busy machine skews them). */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" / ");
}
