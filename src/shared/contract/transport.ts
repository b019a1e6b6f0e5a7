/**
 * Wire names shared by the transports. This module has no imports, so the sandboxed preload can
 * bundle it (a sandboxed preload can require nothing but electron).
 * Electron IPC uses one invoke channel and one event channel;
 * socket.io (headless host) uses these message names:
 *   client → server  "invoke" { name, input }  with an ack callback receiving InvokeResult
 *   server → client  "event"  { name, payload }
 */
export const SOCKET_INVOKE = "invoke";
export const SOCKET_EVENT = "event";
export const SOCKET_PATH = "/socket.io";
/**
 * Cookie the headless host sets when the printed URL's token is opened. Browsers scope cookies by
 * host name, not port, so the name carries the port: two hosts on one machine keep their own.
 */
export const SESSION_COOKIE_PREFIX = "sight_session_";
export function sessionCookieName(port: number): string {
  return `${SESSION_COOKIE_PREFIX}${port}`;
}

/** The two Electron IPC channels; the preload and the shell share them. */
export const IPC_INVOKE_CHANNEL = "sight:invoke";
export const IPC_EVENT_CHANNEL = "sight:event";
