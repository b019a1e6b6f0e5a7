/**
 * The provider worker (a worker thread): runs the SDK adapters (Gemini, OpenAI-compatible) so
 * that request building, fetch, response streams and SSE parsing, a few milliseconds of CPU per
 * answer that arrive in bursts when twenty personas answer at once, never delay the main event
 * loop. Streamed text is sent on at most once per FLUSH_MS per call, the first piece at once.
 */
import { parentPort } from "node:worker_threads";
import type { LlmProviderId } from "../../../../shared/contract";
import { createGeminiAdapter } from "./gemini";
import { createOpenAiCompatibleAdapter } from "./openai-compatible";
import type { ProviderAdapter } from "./provider";
import { serializeFailure, type NetEvent, type NetRequest } from "./net-worker-protocol";

/** One frame at 60 Hz: the renderer draws streamed text once per frame anyway. */
export const FLUSH_MS = 16;

const port = parentPort!;
const post = (event: NetEvent) => port.postMessage(event);
const adapters: Record<LlmProviderId, ProviderAdapter> = {
  gemini: createGeminiAdapter(),
  openai: createOpenAiCompatibleAdapter(),
};
const running = new Map<number, AbortController>();

async function run(request: Extract<NetRequest, { op: "generate" | "stream" }>): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  const adapter = adapters[request.provider];
  let buffered = "";
  let timer: NodeJS.Timeout | null = null;
  let sentFirst = false;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (buffered) post({ id: request.id, type: "text", text: buffered });
    buffered = "";
  };
  const onText = (text: string) => {
    buffered += text;
    if (!sentFirst) {
      sentFirst = true;
      flush();
    } else {
      timer ??= setTimeout(flush, FLUSH_MS);
    }
  };
  try {
    const response =
      request.op === "generate"
        ? await adapter.generate(request.config, request.request, controller.signal)
        : await adapter.stream(request.config, request.request, onText, controller.signal);
    flush();
    post({ id: request.id, type: "done", response });
  } catch (error) {
    // What was streamed before the failure is still delivered: the caller decides what it means.
    flush();
    post({ id: request.id, type: "failed", error: serializeFailure(error) });
  } finally {
    running.delete(request.id);
  }
}

/**
 * Node builds a few web-stream errors once per thread, the first time a reader is released, and
 * reads their stack at once; with source maps on (tsx, the headless host) that maps every frame
 * on the stack, the SDK's large bundle included: over 100 ms, in the middle of the first answer.
 * Releasing a reader here, at start-up, pays it with a stack of two frames instead.
 */
function warmStreams() {
  const reader = new ReadableStream().getReader();
  reader.read().catch(() => undefined);
  reader.releaseLock();
}
warmStreams();

port.on("message", (request: NetRequest) => {
  if (request.op === "abort") running.get(request.id)?.abort();
  else void run(request);
});
post({ type: "ready" });
