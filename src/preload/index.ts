import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
// transport.ts has no imports, so it bundles into the preload; the contract's index would pull
// in zod, which a sandboxed preload cannot require.
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from "../shared/contract/transport";

/**
 * The whole surface the renderer gets: `sight.invoke(name, input)` and `sight.on(event, cb)`.
 * No raw ipcRenderer, no IpcRendererEvent in callbacks (it carries `sender`), no other channel.
 * The main process validates everything again; this file only shapes the calls.
 */
type Listener = (payload: unknown) => void;

const listeners = new Map<string, Set<Listener>>();

// One ipcRenderer listener for all subscriptions, attached while anyone is subscribed.
const dispatch = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== "string") return;
  for (const callback of listeners.get(name) ?? []) {
    try {
      callback(payload);
    } catch (error) {
      console.error(`sight.on(${name}) listener failed`, error);
    }
  }
};

function subscriberCount(): number {
  let count = 0;
  for (const set of listeners.values()) count += set.size;
  return count;
}

const sight = {
  invoke(name: string, input?: unknown): Promise<unknown> {
    if (typeof name !== "string") return Promise.reject(new TypeError("sight.invoke: name must be a string"));
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, input);
  },
  on(event: string, callback: (payload: unknown) => void): () => void {
    if (typeof event !== "string" || typeof callback !== "function") {
      throw new TypeError("sight.on(event, callback): event must be a string and callback a function");
    }
    if (subscriberCount() === 0) ipcRenderer.on(IPC_EVENT_CHANNEL, dispatch);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    // Wrapped so the same function subscribed twice unsubscribes independently.
    const entry: Listener = (payload) => callback(payload);
    set.add(entry);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(entry);
      if (set.size === 0) listeners.delete(event);
      if (subscriberCount() === 0) ipcRenderer.removeListener(IPC_EVENT_CHANNEL, dispatch);
    };
  },
};

export type SightBridgeApi = typeof sight;

contextBridge.exposeInMainWorld("sight", sight);
