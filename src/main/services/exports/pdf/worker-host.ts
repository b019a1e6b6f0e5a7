import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { AppError } from "../../../../shared/contract";
import { cancelledError } from "../../llm/abort";
import type { WorkerJob, WorkerMessage } from "./model";

/** The file name of the worker entry in the main build (electron.vite.config.ts, `main` input `pdf-worker`). */
export const BUILT_WORKER_FILE = "pdf-worker.js";

type WorkerSpec = { kind: "file"; file: string } | { kind: "eval"; code: string };

/**
 * Where the layout worker is, in each setting:
 * - from TypeScript sources (vitest, tsx, the headless host under `node --import tsx`): this file
 *   ends in .ts; the worker is `worker.ts` beside it, started through tsx's ESM loader, which a
 *   worker thread does not inherit from `--import` (Node 20), hence the tiny eval bootstrap;
 * - built by electron-vite (`out/main`, the headless host or Electron, asar or not): this module is
 *   bundled into out/main/index.js (or a chunk below it) and the worker is the `pdf-worker` entry
 *   beside index.js. Electron (≥ 18) reads worker scripts and their imports from app.asar.
 */
export function locateWorker(moduleUrl: string = import.meta.url): WorkerSpec {
  const here = fileURLToPath(moduleUrl);
  if (/\.tsx?$/.test(here)) {
    const source = pathToFileURL(path.join(path.dirname(here), "worker.ts")).href;
    const loader = tsxLoaderUrl(moduleUrl);
    return {
      kind: "eval",
      code: `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`,
    };
  }
  const dir = path.dirname(here);
  for (const candidate of [path.join(dir, BUILT_WORKER_FILE), path.join(dir, "..", BUILT_WORKER_FILE)]) {
    if (fs.existsSync(candidate)) return { kind: "file", file: candidate };
  }
  throw new AppError("INTERNAL", `The PDF layout worker (${BUILT_WORKER_FILE}) is missing beside ${here}.`);
}

/** tsx's ESM `register()` API (the .mjs build: its .cjs build cannot register ESM hooks in a worker). */
function tsxLoaderUrl(moduleUrl: string): string {
  const api = createRequire(moduleUrl).resolve("tsx/esm/api");
  return pathToFileURL(api.replace(/\.c?js$/, ".mjs")).href;
}

function workerError(error: Extract<WorkerMessage, { type: "error" }>["error"]): Error {
  const e = new Error(error.message) as NodeJS.ErrnoException;
  e.name = error.name;
  // Keep the errno code (ENOSPC, EACCES…) so the export core can say what went wrong on disk.
  if (error.code) e.code = error.code;
  if (error.stack) e.stack = error.stack;
  return e;
}

/**
 * Runs one render in a fresh worker thread and settles when the file is written. On abort the
 * worker is terminated (its open file closes with it), whatever it wrote is removed, and the
 * promise rejects with CANCELLED.
 */
export function runWorker(
  job: WorkerJob,
  signal: AbortSignal,
  onProgress: (message: Extract<WorkerMessage, { type: "progress" }>) => void,
  spec: WorkerSpec = locateWorker(),
): Promise<{ pages: number; bytes: number }> {
  if (signal.aborted) return Promise.reject(cancelledError());
  // The worker creates the file exclusively; on abort only a file it made is ours to remove.
  const existedBefore = fs.existsSync(job.target);
  return new Promise((resolve, reject) => {
    // React's production build in the worker: no development checks while laying out.
    const options = { workerData: job, env: { ...process.env, NODE_ENV: "production" } };
    const worker =
      spec.kind === "file" ? new Worker(spec.file, options) : new Worker(spec.code, { ...options, eval: true });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      outcome();
    };
    function onAbort() {
      if (settled) return;
      settled = true;
      void worker
        .terminate()
        .catch(() => undefined)
        .then(() => (existedBefore ? undefined : fs.promises.rm(job.target, { force: true })))
        .catch(() => undefined)
        .then(() => reject(cancelledError()));
    }
    signal.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") {
        if (!settled) onProgress(message);
      } else if (message.type === "done") {
        settle(() => resolve({ pages: message.pages, bytes: message.bytes }));
        void worker.terminate();
      } else {
        settle(() => reject(workerError(message.error)));
        void worker.terminate();
      }
    });
    worker.on("error", (error) => settle(() => reject(error)));
    worker.on("exit", (code) =>
      settle(() =>
        reject(new AppError("INTERNAL", `The PDF layout worker stopped (exit code ${code}) before finishing.`)),
      ),
    );
  });
}
