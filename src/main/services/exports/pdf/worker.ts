/**
 * The PDF layout worker (a worker thread): renders a report model with react-pdf and writes the
 * file. Only this entry loads react-pdf, so the main process never pays for it outside a PDF
 * export, and layout (seconds of CPU for a large report) never blocks the main event loop.
 */
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { parentPort, workerData } from "node:worker_threads";
import { renderToStream } from "@react-pdf/renderer";
import { registerFonts } from "./document/fonts";
import { ReportDocument } from "./document/report-document";
import type { WorkerJob, WorkerMessage } from "./model";

const PROGRESS_EVERY_MS = 200;

function post(message: WorkerMessage) {
  parentPort?.postMessage(message);
}

async function render(job: WorkerJob): Promise<void> {
  registerFonts();
  post({ type: "progress", stage: "layout", pages: 0 });
  let pages = 0;
  let lastPost = 0;
  const onPage = (pageNumber: number) => {
    pages = Math.max(pages, pageNumber);
    const now = Date.now();
    if (now - lastPost >= PROGRESS_EVERY_MS) {
      lastPost = now;
      post({ type: "progress", stage: "layout", pages });
    }
  };
  const output = await renderToStream(ReportDocument({ model: job.model, onPage }));
  post({ type: "progress", stage: "write", pages });
  // "wx": the target must not exist (the core hands us a fresh temporary path).
  await pipeline(output, fs.createWriteStream(job.target, { flags: "wx" }));
  const { size } = await fs.promises.stat(job.target);
  post({ type: "done", pages, bytes: size });
}

render(workerData as WorkerJob).catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as NodeJS.ErrnoException).code;
  post({
    type: "error",
    error: { name: e.name, message: e.message, ...(typeof code === "string" ? { code } : {}), stack: e.stack },
  });
});
