/**
 * Child processes of bench/live-fanout.bench.ts: Cloud instances (cloud-child.ts) and the viewers
 * (viewers-child.ts). Every child is registered so the bench can kill it on any exit, and each one
 * also leaves by itself when the bench's IPC channel closes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { CloudChildConfig } from "./cloud-child";
import type { ChildMessage, ParentMessage } from "./viewers-child";

const root = path.resolve(import.meta.dirname, "..", "..");
const children = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL: for exit handlers, which cannot wait). */
export function killAllChildren(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

function spawnChild(script: string, env: Record<string, string>): ChildProcess {
  // --expose-gc: the bench collects the join's garbage everywhere before it measures the fan-out.
  const child = spawn(process.execPath, ["--import", "tsx", "--expose-gc", path.join(root, "bench", "live", script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Stops a child with SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 6_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface FakesProcess {
  env: Record<string, string>;
  child: ChildProcess;
  control(options: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

/** The LLM fakes (bench/live/fakes-child.ts); resolves with the env that points Sight at them. */
export function startFakesChild(): Promise<FakesProcess> {
  const child = spawnChild("fakes-child.ts", {});
  child.stdout!.resume();
  child.stderr!.resume();
  return new Promise((resolve, reject) => {
    child.once("message", (message: { env: Record<string, string> }) => {
      const base = message.env.SIGHT_GEMINI_BASE_URL!;
      resolve({
        env: message.env,
        child,
        async control(options) {
          const response = await fetch(`${base}/__control`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(options),
          });
          if (!response.ok) throw new Error(`fake control failed: ${response.status} ${await response.text()}`);
        },
        stop: () => stopChild(child),
      });
    });
    child.once("exit", (code, signal) => reject(new Error(`the fakes exited (${code ?? signal})`)));
  });
}

/** Runs a full garbage collection in a child started by spawnChild (it answers when done). */
export function collectGarbage(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve();
    }
    function onMessage(message: unknown) {
      if ((message as { type?: string } | null)?.type === "gc-done") done();
    }
    child.on("message", onMessage);
    child.send({ type: "gc" });
  });
}

export interface CloudProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A Cloud instance in its own process; resolves with its URL once it listens. */
export function startCloudProcess(name: string, config: CloudChildConfig): Promise<CloudProcess> {
  const child = spawnChild("cloud-child.ts", { BENCH_CLOUD: JSON.stringify(config) });
  let out = "";
  let shown = 0;
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    out = (out + chunk).slice(-4000);
    // Warnings and errors the relay logs are findings: show the first ones.
    for (const line of chunk.split("\n").filter(Boolean)) {
      if (shown++ < 20) console.error(`  [cloud ${name}] ${line.slice(0, 500)}`);
      else if (shown === 21) console.error(`  [cloud ${name}] … (more lines not shown)`);
    }
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      stdout += chunk;
      const match = /cloud-url (\S+)/.exec(stdout);
      if (match) resolve({ url: match[1]!, child, stop: () => stopChild(child) });
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`cloud ${name} exited (${code ?? signal}) before listening: ${out.slice(-2000)}`)),
    );
  });
}

type Of<T extends ChildMessage["type"]> = Extract<ChildMessage, { type: T }>;

/** The viewers' process, with a typed request/response over IPC. */
export class ViewersProcess {
  readonly child: ChildProcess;
  private readonly inbox: ChildMessage[] = [];
  private readonly waiters: Array<{ type: string; resolve(message: ChildMessage): void; reject(error: Error): void }> =
    [];
  private exitError: Error | null = null;
  private stderr = "";

  constructor() {
    this.child = spawnChild("viewers-child.ts", {});
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
      for (const line of chunk.split("\n"))
        if (line.startsWith("progress ")) console.log(`  [viewers] ${line.slice(9)}`);
    });
    this.child.stdout!.resume();
    this.child.on("message", (message: ChildMessage) => {
      const index = this.waiters.findIndex((waiter) => waiter.type === message.type);
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
      else this.inbox.push(message);
    });
    this.child.once("exit", (code, signal) => {
      this.exitError = new Error(`the viewers' process exited (${code ?? signal}): ${this.stderr.slice(-2000)}`);
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.exitError);
    });
  }

  send(message: ParentMessage): void {
    this.child.send(message);
  }

  /** The next message of this type (one already received first). */
  next<T extends ChildMessage["type"]>(type: T, timeoutMs: number): Promise<Of<T>> {
    const index = this.inbox.findIndex((message) => message.type === type);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as Of<T>);
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => {
      const waiter = {
        type,
        resolve: (message: ChildMessage) => {
          clearTimeout(timer);
          resolve(message as Of<T>);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no "${type}" from the viewers' process within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async request<T extends ChildMessage["type"]>(message: ParentMessage, type: T, timeoutMs = 30_000): Promise<Of<T>> {
    const answer = this.next(type, timeoutMs);
    this.send(message);
    return answer;
  }

  /**
   * The viewers' clock minus the host's, in ms, from the IPC round trip with the smallest delay
   * (NTP-style; the error is at most half that round trip).
   */
  async clockOffset(samples = 40): Promise<{ offsetMs: number; rttMs: number }> {
    let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < samples; i += 1) {
      const t0 = performance.timeOrigin + performance.now();
      const pong = await this.request({ type: "ping", t0 }, "pong");
      const t2 = performance.timeOrigin + performance.now();
      if (t2 - t0 < best.rttMs) best = { offsetMs: pong.t1 - (t0 + t2) / 2, rttMs: t2 - t0 };
    }
    return best;
  }

  stop(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    return stopChild(this.child);
  }
}
