import { isEventName, type InvokeResult } from "@shared/contract";
import { BridgeError, createConnectionSource, unwrapResult, type Bridge } from "./bridge";

/** What the preload exposes on `window.sight` (and nothing more). */
export interface SightPreloadApi {
  invoke(name: string, input: unknown): Promise<InvokeResult<unknown>>;
  on(event: string, callback: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    sight?: SightPreloadApi;
  }
}

export function createIpcBridge(api: SightPreloadApi): Bridge {
  const connection = createConnectionSource({ status: "connected", reason: null, generation: 1 });
  return {
    transport: "ipc",
    connection: connection.source,
    async invoke(name, input) {
      let result: InvokeResult<unknown>;
      try {
        result = await api.invoke(name, input);
      } catch (error) {
        // The main side answers errors as values; a rejection means IPC itself failed.
        throw new BridgeError("INTERNAL", `The app could not be reached while calling ${name}.`, {
          transport: "ipc",
          cause: error instanceof Error ? error.message : String(error),
        });
      }
      return unwrapResult(result) as never;
    },
    on(event, callback) {
      if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`);
      return api.on(event, (payload) => callback(payload as never));
    },
  };
}
