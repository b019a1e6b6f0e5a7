import fs from "node:fs";
import { AppError } from "../../../../shared/contract";
import { locateWorkerEntry, startWorker, type WorkerSpec } from "../../workers/locate";
import { cancelledError } from "../../llm/abort";
import type { WorkerJob, WorkerMessage } from "./model";

/** The file name of the worker entry in the main build (electron.vite.config.ts, `main` input `pdf-worker`). */
export const BUILT_WORKER_FILE = "pdf-worker.js";

/**
 * Where the layout worker is: `worker.ts` beside this file from sources, the `pdf-worker` entry
 * beside out/main/index.js when built (see locateWorkerEntry).
 */
export function locateWorker(moduleUrl: string = import.meta.url): WorkerSpec {
  return locateWorkerEntry(moduleUrl, {
    source: "worker.ts",
    built: BUILT_WORKER_FILE,
    label: "The PDF layout worker",
  });
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
    const worker = startWorker(spec, options);
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
