/**
 * Wire names shared by the transports. Electron IPC uses the two channels in index.ts;
 * socket.io (headless host) uses these message names:
 *   client → server  "invoke" { name, input }  with an ack callback receiving InvokeResult
 *   server → client  "event"  { name, payload }
 */
export const SOCKET_INVOKE = "invoke";
export const SOCKET_EVENT = "event";
export const SOCKET_PATH = "/socket.io";
/** Cookie the headless host sets when the printed URL's token is opened. */
export const SESSION_COOKIE = "sight_session";
