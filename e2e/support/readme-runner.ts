import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Runs a README command as written, in bash from the repository root, and watches what it prints. */

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Variables that would point Sight at something else than the README says (a developer's own key, say). */
const LEAKY = /^(GEMINI_API_KEY|SIGHT_.*|ELECTRON_OVERRIDE_DIST_PATH)$/;

export interface RunningCommand {
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the command ends first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Stops the command and everything in its process group, and the fakes it left running with --detach. */
  stop(): Promise<void>;
  exited(): boolean;
}

export function runReadmeCommand(
  command: string,
  options: { env?: Record<string, string>; cwd?: string } = {},
): RunningCommand {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !LEAKY.test(key)) env[key] = value;
  Object.assign(env, options.env ?? {});
  const child: ChildProcess = spawn("bash", ["-c", command], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  let ended = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => ((text += chunk), notify()));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => ((text += chunk), notify()));
  child.on("exit", () => ((ended = true), notify()));

  const kill = (pid: number, signal: NodeJS.Signals | 0) => {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone: nothing to stop.
      return false;
    }
    return true;
  };

  return {
    output: () => text,
    exited: () => ended,
    waitFor(pattern, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) return done(() => resolve(match));
          if (ended) return done(() => reject(new Error(`"${command}" ended before printing ${pattern}:\n${text}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`"${command}" did not print ${pattern} in time:\n${text}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      // The README's `--detach` leaves the fakes running on purpose; it prints their pid to stop them by.
      const detached = [...text.matchAll(/running in the background as pid (\d+)/g)].map((match) => Number(match[1]));
      if (child.pid && (!ended || kill(-child.pid, 0))) kill(-child.pid, "SIGTERM");
      for (const pid of detached) kill(pid, "SIGTERM");
      // npm itself dies at once on SIGTERM, before the host it started has closed its database and
      // port: wait for the whole process group to be gone, not only for bash, or a restart could
      // meet the old host still shutting down.
      const alive = () => !ended || (child.pid !== undefined && kill(-child.pid, 0));
      const deadline = Date.now() + 10_000;
      while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      if (alive() && child.pid) kill(-child.pid, "SIGKILL");
      // Bounded: an orphan nobody reaps stays a zombie (and answers signal 0) on some containers.
      const killed = Date.now() + 5_000;
      while (alive() && Date.now() < killed) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}

/** The address the headless host prints for the browser (with its one-time token). */
export const LOGIN_URL = /Open this address in your browser:\s+(http:\/\/\S+\?token=\S+)/;

export function temporaryDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sight-readme-${label}-`));
}
