import type { Worker } from "node:worker_threads";
import { LLM_PROVIDERS, type LlmProviderId } from "../../../../shared/contract";
import { locateWorkerEntry, startWorker, type WorkerSpec } from "../../workers/locate";
import { ProviderFailure } from "../provider-failure";
import type { ProviderAdapter, ProviderResponse } from "./provider";
import { deserializeFailure, type NetEvent, type NetRequest } from "./net-worker-protocol";

/** The file name of the worker entry in the main build (electron.vite.config.ts, `main` input `net-worker`). */
export const BUILT_NET_WORKER_FILE = "net-worker.js";

export function locateNetWorker(moduleUrl: string = import.meta.url): WorkerSpec {
  return locateWorkerEntry(moduleUrl, {
    source: "net-worker.ts",
    built: BUILT_NET_WORKER_FILE,
    label: "The provider worker",
  });
}

interface Pending {
  onText?: (text: string) => void;
  resolve(response: ProviderResponse): void;
  reject(error: unknown): void;
}

export interface WorkerAdapters {
  adapters: Record<LlmProviderId, ProviderAdapter>;
  /** Starts the workers now (they load the SDKs, ~½ s) instead of at the first call; settles when they are ready. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One thread: on the 2-core machines we measure on, a second one parsed no faster (the fake, the
 * database worker and the main thread share the cores) and cost another ~40 MB and start-up.
 */
export const DEFAULT_NET_WORKERS = 1;

interface Slot {
  worker: Worker | null;
  /** Settles when the worker has loaded the SDKs (or died trying). */
  ready: Promise<void> | null;
  pending: Map<number, Pending>;
}

/**
 * The provider adapters, run in worker threads (net-worker.ts) that start with the first calls.
 * Each adapter here forwards a call to the least busy thread and relays its streamed text;
 * failures come back as the same ProviderFailure kinds, so the call policy (retries, breaker,
 * timeouts) on this side is unchanged. If a thread dies, its calls in flight fail as network
 * failures and the next call starts a new one.
 */
export function createWorkerAdapters(
  options: { spec?: WorkerSpec; size?: number; onCrash?: (error: Error) => void } = {},
): WorkerAdapters {
  const slots: Slot[] = Array.from({ length: options.size ?? DEFAULT_NET_WORKERS }, () => ({
    worker: null,
    ready: null,
    pending: new Map(),
  }));
  let closed = false;
  let nextId = 1;

  const settle = (slot: Slot, id: number) => {
    const call = slot.pending.get(id);
    slot.pending.delete(id);
    if (slot.pending.size === 0) slot.worker?.unref();
    return call;
  };

  const ensureWorker = (slot: Slot): Worker => {
    if (slot.worker) return slot.worker;
    const started = startWorker(options.spec ?? locateNetWorker());
    let markReady!: () => void;
    slot.ready = new Promise<void>((resolve) => (markReady = resolve));
    started.on("message", (event: NetEvent) => {
      if (event.type === "ready") {
        // Held open while it starts (so a warm-up keeps the process alive), then only while busy.
        if (slot.pending.size === 0) started.unref();
        return markReady();
      }
      if (event.type === "text") {
        const call = slot.pending.get(event.id);
        try {
          call?.onText?.(event.text);
        } catch (error) {
          // As when the adapter runs here: a failing token consumer fails its call and stops it.
          if (settle(slot, event.id)) {
            started.postMessage({ id: event.id, op: "abort" } satisfies NetRequest);
            call?.reject(error);
          }
        }
        return;
      }
      const call = settle(slot, event.id);
      if (!call) return;
      if (event.type === "done") call.resolve(event.response);
      else call.reject(deserializeFailure(event.error));
    });
    const lost = (error: Error) => {
      markReady();
      if (slot.worker !== started) return;
      slot.worker = null;
      const failure = new ProviderFailure("network", `the provider worker stopped: ${error.message}`, { cause: error });
      for (const [id, call] of slot.pending) {
        slot.pending.delete(id);
        call.reject(failure);
      }
      if (!closed) options.onCrash?.(error);
    };
    started.on("error", lost);
    started.on("exit", (code) => lost(new Error(`exit code ${code}`)));
    slot.worker = started;
    return started;
  };

  const call = (
    op: "generate" | "stream",
    provider: LlmProviderId,
    ...[config, request, signal, onText]: [
      Parameters<ProviderAdapter["generate"]>[0],
      Parameters<ProviderAdapter["generate"]>[1],
      AbortSignal,
      ((text: string) => void)?,
    ]
  ): Promise<ProviderResponse> => {
    if (closed) return Promise.reject(new ProviderFailure("network", "Sight is shutting down."));
    if (signal.aborted) return Promise.reject(signal.reason);
    const slot = slots.reduce((least, candidate) => (candidate.pending.size < least.pending.size ? candidate : least));
    const target = ensureWorker(slot);
    const id = nextId++;
    return new Promise<ProviderResponse>((resolve, reject) => {
      const onAbort = () => {
        // The caller reads the signal to say why; the worker stops the request and its answer is ignored.
        if (!settle(slot, id)) return;
        target.postMessage({ id, op: "abort" } satisfies NetRequest);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      const done = () => signal.removeEventListener("abort", onAbort);
      slot.pending.set(id, {
        onText,
        resolve: (response) => {
          done();
          resolve(response);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      if (slot.pending.size === 1) target.ref();
      target.postMessage({ id, op, provider, config, request } satisfies NetRequest);
    });
  };

  const adapter = (id: LlmProviderId): ProviderAdapter => ({
    id,
    generate: (config, request, signal) => call("generate", id, config, request, signal),
    stream: (config, request, onText, signal) => call("stream", id, config, request, signal, onText),
  });

  return {
    adapters: Object.fromEntries(LLM_PROVIDERS.map((id) => [id, adapter(id)])) as Record<
      LlmProviderId,
      ProviderAdapter
    >,
    async warm() {
      if (closed) return;
      try {
        for (const slot of slots) ensureWorker(slot);
      } catch {
        // A missing worker entry is reported by the first call, in that call's own terms.
        return;
      }
      await Promise.all(slots.map((slot) => slot.ready));
    },
    async close() {
      closed = true;
      await Promise.all(
        slots.map(async (slot) => {
          const current = slot.worker;
          slot.worker = null;
          for (const [id, pendingCall] of slot.pending) {
            slot.pending.delete(id);
            pendingCall.reject(new ProviderFailure("network", "Sight is shutting down."));
          }
          await current?.terminate();
        }),
      );
    },
  };
}
