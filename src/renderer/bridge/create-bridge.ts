import type { Bridge } from "./bridge";
import { createIpcBridge } from "./ipc-bridge";
import { createSocketBridge } from "./socket-bridge";

/** IPC inside the Electron app (the preload defines window.sight), socket.io in a browser. */
export function createBridge(): Bridge {
  return window.sight ? createIpcBridge(window.sight) : createSocketBridge();
}
