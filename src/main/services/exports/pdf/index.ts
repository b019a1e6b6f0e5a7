import { throwIfAborted } from "../../llm/abort";
import type { Producer } from "../types";
import { readReportModel } from "./read-model";
import { runWorker } from "./worker-host";

/** Progress stages: read the data, lay the pages out, write the file. */
const STAGES = 3;

/**
 * PDF reports. The main thread reads the data into a plain report model; a worker thread lays it
 * out with react-pdf (the only code that loads it) and writes `target`, so the main event loop
 * stays responsive. Honours `ctx.signal` by terminating the worker.
 */
export const producePdf: Producer = async (ctx, target) => {
  throwIfAborted(ctx.signal);
  ctx.progress(0, STAGES, { key: "exports.reading", params: {} });
  const model = await readReportModel(ctx);
  throwIfAborted(ctx.signal);
  ctx.progress(1, STAGES, { key: "exports.layout", params: { pages: 0 } });
  await runWorker({ model, target }, ctx.signal, (message) => {
    if (message.stage === "layout") {
      ctx.progress(1, STAGES, { key: "exports.layout", params: { pages: message.pages } });
    } else {
      ctx.progress(2, STAGES, { key: "exports.writing", params: { pages: message.pages } });
    }
  });
  ctx.progress(STAGES, STAGES, { key: "exports.done", params: {} });
};

export { readReportModel } from "./read-model";
export type { ReportModel } from "./model";
