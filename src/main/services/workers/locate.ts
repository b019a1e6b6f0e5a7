import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { AppError } from "../../../shared/contract";

export type WorkerSpec = { kind: "file"; file: string } | { kind: "eval"; code: string };

export interface WorkerEntry {
  /** The entry's TypeScript source, beside the module that starts it (e.g. `worker.ts`). */
  source: string;
  /** The entry's file in the main build (an `input` of electron.vite.config.ts), e.g. `pdf-worker.js`. */
  built: string;
  /** What it is, for the error when it is missing ("The PDF layout worker"). */
  label: string;
}

/**
 * Where a worker thread's entry is, in each setting:
 * - from TypeScript sources (vitest, tsx, the headless host under `node --import tsx`): the module
 *   that starts it ends in .ts; the entry is its TypeScript source beside it, started through tsx's
 *   ESM loader, which a worker thread does not inherit from `--import` (Node 20), hence the tiny
 *   eval bootstrap;
 * - built by electron-vite (`out/main`, the headless host or Electron, asar or not): the starting
 *   module is bundled into out/main/index.js (or a chunk below it) and the entry is beside
 *   index.js. Electron (≥ 18) reads worker scripts and their imports from app.asar.
 */
export function locateWorkerEntry(moduleUrl: string, entry: WorkerEntry): WorkerSpec {
  const here = fileURLToPath(moduleUrl);
  if (/\.tsx?$/.test(here)) {
    const source = pathToFileURL(path.join(path.dirname(here), entry.source)).href;
    const loader = tsxLoaderUrl(moduleUrl);
    return {
      kind: "eval",
      code: `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`,
    };
  }
  const dir = path.dirname(here);
  for (const candidate of [path.join(dir, entry.built), path.join(dir, "..", entry.built)]) {
    if (fs.existsSync(candidate)) return { kind: "file", file: candidate };
  }
  throw new AppError("INTERNAL", `${entry.label} (${entry.built}) is missing beside ${here}.`);
}

/** tsx's ESM `register()` API (the .mjs build: its .cjs build cannot register ESM hooks in a worker). */
function tsxLoaderUrl(moduleUrl: string): string {
  const api = createRequire(moduleUrl).resolve("tsx/esm/api");
  return pathToFileURL(api.replace(/\.c?js$/, ".mjs")).href;
}

export function startWorker(spec: WorkerSpec, options: WorkerOptions = {}): Worker {
  return spec.kind === "file" ? new Worker(spec.file, options) : new Worker(spec.code, { ...options, eval: true });
}
