// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type {
  ErrorCode,
  EventName,
  EventPayload,
  InvokeResult,
  RouteInput,
  RouteName,
  RouteOutput,
  WireError,
} from "../../shared/contract";

/**
 * The renderer's only way to reach the app. One interface, two transports (Electron IPC through
 * the preload, socket.io to the headless host), picked once at startup.
 */
export interface Bridge {
  readonly transport: "ipc" | "socket";
  invoke<N extends RouteName>(name: N, input: RouteInput<N>): Promise<RouteOutput<N>>;
  on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void;
  /** Connection to the host; IPC is always "connected". */
  connection: ConnectionSource;
}

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "disconnected";

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why the last attempt failed, when the transport said (e.g. a refused session). */
  reason: string | null;
  /** Increments on every successful (re)connection, so caches can refresh after a gap. */
  generation: number;
}

export interface ConnectionSource {
  get(): ConnectionState;
  subscribe(listener: () => void): () => void;
}

/** A typed error from the other side (or from the transport), thrown by `invoke`. */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "BridgeError";
    this.code = code;
    this.details = details;
  }
  static fromWire(error: WireError): BridgeError {
    return new BridgeError(error.code, error.message, error.details);
  }
}

export function isBridgeError(value: unknown): value is BridgeError {
  return value instanceof BridgeError;
}

/** Unwraps `{ data } | { error }`, throwing the error as a BridgeError. */
export function unwrapResult<T>(result: InvokeResult<T> | undefined | null): T {
  if (result && typeof result === "object") {
    if ("error" in result && result.error) throw BridgeError.fromWire(result.error);
    if ("data" in result) return result.data;
  }
  throw new BridgeError("INTERNAL", "The app returned a malformed response.");
}

/** A listener registry keyed by event name; both transports dispatch through it. */
export function createEventHub() {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  return {
    add(event: EventName, callback: (payload: unknown) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(callback);
      return () => {
        set.delete(callback);
      };
    },
    count(event: EventName): number {
      return listeners.get(event)?.size ?? 0;
    },
    dispatch(event: EventName, payload: unknown): void {
      for (const callback of [...(listeners.get(event) ?? [])]) {
        try {
          callback(payload);
        } catch (error) {
          // One faulty subscriber must not starve the others.
          console.error(`[bridge] listener for ${event} threw`, error);
        }
      }
    },
  };
}

export function createConnectionSource(initial: ConnectionState) {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    source: {
      get: () => state,
      subscribe(listener: () => void) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    } satisfies ConnectionSource,
    set(next: Partial<ConnectionState>) {
      state = { ...state, ...next };
      for (const listener of [...listeners]) listener();
    },
  };
}
