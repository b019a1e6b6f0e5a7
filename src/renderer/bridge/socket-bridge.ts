import { io, type Socket } from "socket.io-client";
import { isEventName, SOCKET_EVENT, SOCKET_INVOKE, SOCKET_PATH, type InvokeResult } from "@shared/contract";
import { BridgeError, createConnectionSource, createEventHub, unwrapResult, type Bridge } from "./bridge";

const INVOKE_TIMEOUT_MS = 60_000;

/**
 * socket.io transport to the headless host serving this page. The browser already carries the
 * session cookie the host set, so the handshake needs no token here.
 */
export function createSocketBridge(): Bridge {
  const socket: Socket = io({ path: SOCKET_PATH, withCredentials: true, transports: ["websocket", "polling"] });
  const hub = createEventHub();
  const connection = createConnectionSource({ status: "connecting", reason: null, generation: 0 });

  socket.on("connect", () => {
    connection.set({ status: "connected", reason: null, generation: connection.source.get().generation + 1 });
  });
  socket.on("disconnect", (reason) => {
    // "io server disconnect" means the host dropped us on purpose and will not auto-reconnect.
    if (reason === "io server disconnect") connection.set({ status: "disconnected", reason });
    else connection.set({ status: "reconnecting", reason });
  });
  socket.on("connect_error", (error) => {
    const hadConnected = connection.source.get().generation > 0;
    connection.set({
      status: socket.active ? (hadConnected ? "reconnecting" : "connecting") : "disconnected",
      reason: error.message,
    });
  });
  socket.on(SOCKET_EVENT, (message: unknown) => {
    if (typeof message !== "object" || message === null) return;
    const { name, payload } = message as { name?: unknown; payload?: unknown };
    if (!isEventName(name)) return;
    hub.dispatch(name, payload);
  });

  return {
    transport: "socket",
    connection: connection.source,
    async invoke(name, input) {
      let result: InvokeResult<unknown>;
      try {
        result = await socket.timeout(INVOKE_TIMEOUT_MS).emitWithAck(SOCKET_INVOKE, { name, input });
      } catch (error) {
        const lost = !socket.connected;
        throw new BridgeError(
          "INTERNAL",
          lost
            ? `Lost the connection to the Sight host while calling ${name}; try again once it is back.`
            : `The Sight host did not answer ${name} within ${INVOKE_TIMEOUT_MS / 1000} s.`,
          { transport: "socket", cause: error instanceof Error ? error.message : String(error) },
        );
      }
      return unwrapResult(result) as never;
    },
    on(event, callback) {
      if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`);
      return hub.add(event, (payload) => callback(payload as never));
    },
  };
}
