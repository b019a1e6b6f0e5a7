// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import {
  LIVE_CLOSE_REASONS,
  LIVE_ERROR_CODES,
  LIVE_MSG,
  LIVE_SOCKET_PATH,
  LIVE_VIEWER_NAMESPACE,
  liveClosedSchema,
  liveEventsPacketSchema,
  liveSnapshotSchema,
  liveSyncResultSchema,
  probeSchema,
  type LiveErrorCode,
  type LiveProbe,
} from "../../shared/contract/live";
import {
  applyEvents,
  applySync,
  fromSnapshot,
  gapOf,
  withYou,
  type LiveViewState,
  type LiveViewUpdate,
} from "../../shared/live/live-view-state";

/** No pointer or key for this long (or the page hidden) and the viewer counts as idle. */
export const IDLE_AFTER_MS = 2 * 60_000;
const ACK_TIMEOUT_MS = 10_000;
/** After a refused or unanswered sync, wait this long before asking again (the server rate-limits). */
const SYNC_RETRY_MS = 2_000;
/** The server dropped the socket without saying why (a rate limit): try again this many times. */
const MAX_SILENT_DROPS = 3;

export type LiveCloseReason = (typeof LIVE_CLOSE_REASONS)[number];

export type LivePhase =
  /** Before the first snapshot; `attempts` counts failed tries and `lastError` says why. */
  | { kind: "connecting"; attempts: number; lastError: string | null }
  | { kind: "live" }
  /** Lost the connection after having state: socket.io retries on its own. */
  | { kind: "reconnecting"; lastError: string | null }
  /** The handshake was refused (bad, expired or revoked invite, session over...): no more retries. */
  | { kind: "refused"; code: LiveErrorCode; message: string }
  /** The server ended this viewer's session: the socket is closed for good. */
  | { kind: "closed"; reason: LiveCloseReason; message: string };

export interface LiveConnectionState {
  phase: LivePhase;
  /** The session as last seen (kept after a close, so what was said stays readable). */
  view: LiveViewState | null;
  /** Ids of the probes this viewer suggested from this page. */
  myProbeIds: readonly string[];
  /** What this viewer reported: idle after IDLE_AFTER_MS without input or while hidden. */
  idle: boolean;
}

export type ProbeResult =
  { ok: true; probe: LiveProbe } | { ok: false; code: LiveErrorCode | "OFFLINE" | "TIMEOUT"; message: string };

export interface LiveConnection {
  get(): LiveConnectionState;
  subscribe(listener: () => void): () => void;
  sendProbe(text: string): Promise<ProbeResult>;
  close(): void;
}

/** The page's input and visibility, injected so the connection runs outside a browser (tests). */
export interface ActivitySource {
  /** Calls back on pointer, key, wheel or touch input; returns the unsubscribe. */
  onActivity(callback: () => void): () => void;
  hidden(): boolean;
  onVisibilityChange(callback: () => void): () => void;
}

export interface LiveConnectionOptions {
  /** Where the session is served: this page's origin (browser link) or the invite's `via` (app). */
  origin: string;
  token: string;
  /** The session the link names: a relay serving many refuses an invite for another (WRONG_SESSION). */
  sessionId?: string;
  /** What others see in presence. */
  name: string;
  /** Input and visibility for idle detection (browser-activity.ts in a page); null: never idle. */
  activity: ActivitySource | null;
  /** Coalesces change notifications (in a page: one per animation frame). */
  schedule: (callback: () => void) => void;
  /** socket.io options to add (tests: transports). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

const isLiveErrorCode = (value: unknown): value is LiveErrorCode =>
  typeof value === "string" && (LIVE_ERROR_CODES as readonly string[]).includes(value);

/** `{ error: { code, message } }`, the shape every refused ack has. */
function ackError(value: unknown): { code: LiveErrorCode; message: string } | null {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!error || !isLiveErrorCode(error.code)) return null;
  return { code: error.code, message: typeof error.message === "string" ? error.message : "" };
}

/**
 * A viewer's socket to a live session: admitted by its invite, it receives a snapshot then
 * sequenced events, each validated against the contract (anything else is dropped) and folded
 * into the view by the pure reducer. Gaps are filled with `live:sync`; a reconnect asks for the
 * events after the last one applied (socket.io reconnects by itself, and `auth` is read afresh on
 * every attempt). `live:closed` and refused handshakes end it for good.
 */
export function createLiveConnection(options: LiveConnectionOptions): LiveConnection {
  const { activity, schedule } = options;
  let state: LiveConnectionState = {
    phase: { kind: "connecting", attempts: 0, lastError: null },
    view: null,
    myProbeIds: [],
    idle: false,
  };
  const listeners = new Set<() => void>();
  let notifyScheduled = false;
  let finished = false;
  let syncInFlight = false;
  let syncTimer: ReturnType<typeof setTimeout> | null = null;
  let silentDrops = 0;
  const off: (() => void)[] = [];

  const notify = () => {
    if (notifyScheduled) return;
    notifyScheduled = true;
    schedule(() => {
      notifyScheduled = false;
      for (const listener of [...listeners]) listener();
    });
  };
  const set = (next: Partial<LiveConnectionState>) => {
    state = { ...state, ...next };
    notify();
  };

  const socket: Socket = io(`${options.origin}${LIVE_VIEWER_NAMESPACE}`, {
    path: LIVE_SOCKET_PATH,
    // Its own manager: the app's bridge may hold one to the same host on another path.
    forceNew: true,
    withCredentials: false,
    transports: ["websocket", "polling"],
    reconnectionDelayMax: 10_000,
    // Read on every attempt: a reconnect asks only for the events after the last one applied.
    auth: (callback) =>
      callback({
        token: options.token,
        name: options.name,
        ...(options.sessionId ? { sessionId: options.sessionId } : {}),
        ...(state.view ? { afterSeq: state.view.lastSeq } : {}),
      }),
    ...options.socketOptions,
  });

  const finish = (phase: Extract<LivePhase, { kind: "refused" | "closed" }>) => {
    if (finished) return;
    finished = true;
    if (syncTimer) clearTimeout(syncTimer);
    for (const stop of off.splice(0)) stop();
    socket.disconnect();
    set({ phase });
  };

  const applyUpdate = (update: LiveViewUpdate) => {
    set({ view: update.state });
    if (update.gapAfter !== undefined) requestSync();
  };

  const requestSync = () => {
    if (syncInFlight || syncTimer || finished || !socket.connected || !state.view) return;
    const afterSeq = gapOf(state.view);
    if (afterSeq === undefined) return;
    syncInFlight = true;
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(LIVE_MSG.sync, { afterSeq })
      .then((answer: unknown) => {
        syncInFlight = false;
        const parsed = liveSyncResultSchema.safeParse(answer);
        if (parsed.success && state.view) {
          applyUpdate(applySync(state.view, parsed.data));
          return;
        }
        retrySync();
      })
      .catch(() => {
        syncInFlight = false;
        // No answer: on a lost connection the reconnect's afterSeq fills the gap instead.
        retrySync();
      });
  };
  const retrySync = () => {
    if (finished || syncTimer) return;
    syncTimer = setTimeout(() => {
      syncTimer = null;
      requestSync();
    }, SYNC_RETRY_MS);
  };

  socket.on("connect", () => {
    silentDrops = 0;
    const view = state.view ? withYou(state.view, socket.id ?? state.view.you) : null;
    // Reconnected with state: the server sends the missed events (or a snapshot) right away.
    set(view ? { view, phase: { kind: "live" } } : {});
    if (state.idle) socket.emit(LIVE_MSG.presence, { state: "idle" });
    if (view && gapOf(view) !== undefined) requestSync();
  });

  socket.on("connect_error", (error: Error & { data?: { code?: unknown } }) => {
    const code = error.data?.code;
    if (isLiveErrorCode(code)) {
      finish({ kind: "refused", code, message: error.message });
      return;
    }
    const lastError = error.message || null;
    if (state.phase.kind === "connecting")
      set({ phase: { kind: "connecting", attempts: state.phase.attempts + 1, lastError } });
    else if (state.phase.kind === "reconnecting" || state.phase.kind === "live")
      set({ phase: { kind: "reconnecting", lastError } });
  });

  socket.on("disconnect", (reason) => {
    if (finished) return;
    syncInFlight = false;
    if (reason === "io client disconnect") return;
    set({ phase: state.view ? { kind: "reconnecting", lastError: null } : state.phase });
    // The server dropped us without `live:closed` (too many messages): socket.io will not retry.
    if (reason === "io server disconnect" && silentDrops < MAX_SILENT_DROPS) {
      silentDrops += 1;
      setTimeout(() => {
        if (!finished) socket.connect();
      }, SYNC_RETRY_MS * silentDrops);
    }
  });

  socket.on(LIVE_MSG.snapshot, (payload: unknown) => {
    const parsed = liveSnapshotSchema.safeParse(payload);
    if (!parsed.success || finished) return;
    // A snapshot after a reconnect: the server no longer held every missed event.
    const update = state.view ? applySync(state.view, { snapshot: parsed.data }) : { state: fromSnapshot(parsed.data) };
    set({ phase: { kind: "live" } });
    applyUpdate(update);
  });

  socket.on(LIVE_MSG.events, (payload: unknown) => {
    const parsed = liveEventsPacketSchema.safeParse(payload);
    // Events before the first snapshot cannot happen; if one did, the snapshot covers it.
    if (!parsed.success || finished || !state.view) return;
    applyUpdate(applyEvents(state.view, parsed.data));
  });

  socket.on(LIVE_MSG.closed, (payload: unknown) => {
    const parsed = liveClosedSchema.safeParse(payload);
    finish(
      parsed.success
        ? { kind: "closed", reason: parsed.data.reason, message: parsed.data.message }
        : { kind: "closed", reason: "ended", message: "" },
    );
  });

  // Idle: no input for IDLE_AFTER_MS, or the page hidden. Only changes are sent.
  if (activity) {
    let idleTimer: ReturnType<typeof setTimeout> | null = null;
    let lastArm = 0;
    const report = (idle: boolean) => {
      if (idle === state.idle || finished) return;
      set({ idle });
      if (socket.connected) socket.emit(LIVE_MSG.presence, { state: idle ? "idle" : "active" });
    };
    const arm = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => report(true), IDLE_AFTER_MS);
      lastArm = Date.now();
    };
    const onInput = () => {
      if (activity.hidden()) return;
      report(false);
      // pointermove fires constantly: re-arming once a second is precise enough for 2 minutes.
      if (Date.now() - lastArm > 1000) arm();
    };
    const onVisibility = () => {
      if (activity.hidden()) {
        if (idleTimer) clearTimeout(idleTimer);
        report(true);
      } else {
        report(false);
        arm();
      }
    };
    arm();
    if (activity.hidden()) report(true);
    off.push(activity.onActivity(onInput), activity.onVisibilityChange(onVisibility), () => {
      if (idleTimer) clearTimeout(idleTimer);
    });
  }

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async sendProbe(text) {
      if (finished || !socket.connected)
        return { ok: false, code: "OFFLINE", message: "Not connected to the live session." };
      let answer: unknown;
      try {
        answer = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(LIVE_MSG.probe, { text });
      } catch {
        return { ok: false, code: "TIMEOUT", message: "The host did not answer in time." };
      }
      const probe = probeSchema.safeParse((answer as { probe?: unknown } | null)?.probe);
      if (probe.success) {
        set({ myProbeIds: [...state.myProbeIds, probe.data.id] });
        return { ok: true, probe: probe.data };
      }
      const error = ackError(answer);
      return error
        ? { ok: false, ...error }
        : { ok: false, code: "VALIDATION_FAILED", message: "The host sent an answer Sight does not understand." };
    },
    close() {
      if (finished) return;
      finished = true;
      if (syncTimer) clearTimeout(syncTimer);
      for (const stop of off.splice(0)) stop();
      socket.disconnect();
      listeners.clear();
    },
  };
}
