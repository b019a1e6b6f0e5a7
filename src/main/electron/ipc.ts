import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from "electron";
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type InvokeResult } from "../../shared/contract";
import type { Router } from "../api/router";
import type { EventBus } from "../services/events/bus";
import type { Logger } from "../services/logger";
import { originOf } from "./app-origin";
import { isTrustedSender, type FrameLike } from "./sender-check";

export interface IpcOptions {
  router: Pick<Router, "invoke">;
  bus: Pick<EventBus, "onAny">;
  logger: Pick<Logger, "warn" | "error">;
  /** The window whose main frame may call in; null while there is none. */
  getWindow: () => BrowserWindow | null;
  expectedOrigin: string;
}

const REFUSED: InvokeResult<never> = {
  error: { code: "UNAUTHORIZED", message: "This IPC call did not come from the app's own window." },
};

function senderFrameOf(event: IpcMainInvokeEvent): FrameLike | null {
  try {
    return event.senderFrame;
  } catch {
    return null;
  }
}

/**
 * The invoke handler: sender check first, router second. A refused call gets UNAUTHORIZED and
 * the router never sees it. Errors never cross as throws; the result is always plain JSON.
 */
export function createInvokeHandler(options: Omit<IpcOptions, "bus">) {
  return async (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<InvokeResult<unknown>> => {
    const window = options.getWindow();
    const mainFrame = window && !window.isDestroyed() ? window.webContents.mainFrame : null;
    if (!isTrustedSender({ senderFrame: senderFrameOf(event), mainFrame, expectedOrigin: options.expectedOrigin })) {
      options.logger.warn("ipc.refused", { route: typeof name === "string" ? name.slice(0, 80) : typeof name });
      return REFUSED;
    }
    try {
      return await options.router.invoke(name, input, { transport: "ipc" });
    } catch (error) {
      options.logger.error("ipc.unhandled", { error });
      return { error: { code: "INTERNAL", message: "Something went wrong; the log has the details." } };
    }
  };
}

/** Registers the one invoke channel and forwards every bus event on the one event channel. */
export function registerIpc(options: IpcOptions): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, createInvokeHandler(options));
  const stopEvents = options.bus.onAny((name, payload) => {
    const window = options.getWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    // Events carry user data: only to our own page, never to whatever a frame might show instead.
    if (originOf(window.webContents.getURL()) !== options.expectedOrigin) return;
    window.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    stopEvents();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
