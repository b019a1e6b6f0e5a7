/**
 * The viewers of bench/live-fanout.bench.ts, in a process of their own (started with
 * `node --import tsx`, driven over IPC), so the host's event-loop lag is the host's alone.
 *
 * "connect" opens N socket.io viewers (websocket transport, the invite's token) on the given URLs
 * (viewer i on urls[i % urls.length]), each counted connected when its first state (live:snapshot)
 * arrives, then waits until the session is quiet (every viewer at the same last seq, nothing
 * received for SETTLE_QUIET_MS). "track" gives the keys of the events the host will publish; from
 * then on every event (in live:events packets) with one of them is recorded
 * with its receive time, `performance.timeOrigin + performance.now()` (epoch ms, sub-ms, the same
 * clock as the host's on one machine). "report" sends the receive times (one Float64Array per
 * viewer, NaN = not received), duplicates, disconnects and this process's own event-loop lag.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import { LIVE_MSG, LIVE_SOCKET_PATH, LIVE_VIEWER_NAMESPACE } from "../../src/shared/contract/live";

const SETTLE_QUIET_MS = 1_000;
const SETTLE_TIMEOUT_MS = 1_200_000;
const SETTLE_GIVE_UP_MS = 30_000;
const CONNECT_TIMEOUT_MS = 600_000;
const PROGRESS_MS = 10_000;

export interface ConnectRequest {
  type: "connect";
  urls: string[];
  token: string;
  sessionId: string;
  count: number;
  /** Handshakes in flight at once. */
  concurrency: number;
}
export type ParentMessage =
  | ConnectRequest
  | { type: "track"; keys: string[] }
  | { type: "status" }
  | { type: "report" }
  | { type: "ping"; t0: number }
  | { type: "gc" };

export type ChildMessage =
  | { type: "gc-done" }
  | { type: "connected"; ms: number; connected: number; failed: number; errors: string[] }
  | {
      type: "settled";
      ms: number;
      seq: number;
      quiet: boolean;
      minSeq: number;
      maxSeq: number;
      presenceEntries: number;
      /** While connecting and settling: viewers dropped (by reason) and reconnected. */
      disconnects: Record<string, number>;
      reconnects: number;
    }
  | { type: "status"; received: number; duplicates: number }
  | { type: "pong"; t0: number; t1: number }
  | {
      type: "report";
      /** Per viewer: base64 of a Float64Array of receive times (epoch ms) indexed like the keys; NaN = missing. */
      times: string[];
      duplicates: number;
      /** Events a viewer received with a seq it had already applied (a duplicate or late seq). */
      outOfOrder: number;
      disconnects: Record<string, number>;
      reconnects: number;
      closed: number;
      lagP99Ms: number;
      lagMaxMs: number;
      /** live:events packets received by all viewers while tracking. */
      packets: number;
    };

const now = () => performance.timeOrigin + performance.now();
const send = (message: ChildMessage) => process.send!(message);

interface Viewer {
  socket: Socket;
  /** The last seq applied in order (snapshot, then seq + 1 each): what a reconnect asks after. */
  applied: number;
  /** Seqs received ahead of a gap. */
  held: Set<number>;
  times: Float64Array | null;
}

const viewers: Viewer[] = [];
let keyIndex = new Map<string, number>();
let lastEventAt = 0;
let received = 0;
let duplicates = 0;
let outOfOrder = 0;
let disconnects = 0;
let reconnects = 0;
let closed = 0;
const disconnectReasons: Record<string, number> = {};
/** Viewer entries received while settling: the snapshots' lists, and one per presence event. */
let presenceEntries = 0;
let packets = 0;
let countPresence = true;
const lag = monitorEventLoopDelay({ resolution: 5 });

function keyOf(event: { name?: string; unitKey?: string; delta?: string; message?: { id?: string } }): string | null {
  if (event.name !== "persona_responded") return null;
  return `${event.unitKey}|${event.delta ?? `m:${event.message?.id}`}`;
}

/**
 * A viewer as the app's (src/renderer/live/live-connection.ts) behaves on the wire: socket.io
 * reconnects by itself, and a reconnect asks for the events after the last one applied. Gaps are
 * not fetched with live:sync here: a gap that stays is reported (the session never settles, or
 * events are missing).
 */
function open(url: string, request: ConnectRequest, index: number): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    let viewer: Viewer | null = null;
    const socket = io(`${url}${LIVE_VIEWER_NAMESPACE}`, {
      path: LIVE_SOCKET_PATH,
      auth: (callback) =>
        callback({
          token: request.token,
          name: `Bench viewer ${index + 1}`,
          sessionId: request.sessionId,
          ...(viewer && viewer.applied > 0 ? { afterSeq: viewer.applied } : {}),
        }),
      transports: ["websocket"],
      reconnectionDelayMax: 10_000,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
    });
    viewer = { socket, applied: 0, held: new Set(), times: null };
    const self = viewer;
    let first = true;
    const timer = setTimeout(() => reject(new Error("no snapshot in time")), CONNECT_TIMEOUT_MS);
    const drain = () => {
      while (self.held.delete(self.applied + 1)) self.applied += 1;
      for (const seq of self.held) if (seq <= self.applied) self.held.delete(seq);
    };
    socket.on(LIVE_MSG.snapshot, (snapshot: { seq: number; viewers: unknown[] }) => {
      lastEventAt = now();
      if (countPresence) presenceEntries += snapshot.viewers.length;
      if (snapshot.seq > self.applied) self.applied = snapshot.seq;
      drain();
      clearTimeout(timer);
      if (first) {
        first = false;
        resolve(self);
      }
    });
    socket.on(LIVE_MSG.events, (events: Array<{ seq: number; name: string }>) => {
      const at = now();
      if (self.times) packets += 1;
      for (const event of events) onEvent(event, at);
    });
    const onEvent = (event: { seq: number; name: string }, at: number) => {
      lastEventAt = at;
      // Before the first state: held (the socket is in the session's room before it is read).
      if (first) self.held.add(event.seq);
      else if (event.seq === self.applied + 1) {
        self.applied = event.seq;
        drain();
      } else if (event.seq > self.applied + 1) self.held.add(event.seq);
      else if (self.times) outOfOrder += 1;
      // Each presence event names one viewer (the whole list travels only in snapshots).
      if (countPresence && event.name === "presence") presenceEntries += 1;
      const times = self.times;
      if (!times) return;
      const key = keyOf(event);
      const slot = key === null ? undefined : keyIndex.get(key);
      if (slot === undefined) return;
      if (Number.isNaN(times[slot]!)) {
        times[slot] = at;
        received += 1;
      } else duplicates += 1;
    };
    socket.on(LIVE_MSG.closed, () => (closed += 1));
    socket.on("disconnect", (reason) => {
      disconnects += 1;
      disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
    });
    socket.io.on("reconnect", () => (reconnects += 1));
    socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
      if (!first) return; // socket.io tries again by itself
      clearTimeout(timer);
      socket.close();
      reject(new Error(`${error.data?.code ?? "connect_error"}: ${error.message}`));
    });
  });
}

/** One line on stderr every few seconds while connecting and settling (the bench shows them). */
function progress(started: number, phase: string) {
  const seqs = viewers.map((viewer) => viewer.applied);
  const maxSeq = seqs.length ? Math.max(...seqs) : 0;
  const atMax = seqs.filter((seq) => seq === maxSeq).length;
  process.stderr.write(
    `progress ${phase} ${((now() - started) / 1000).toFixed(0)} s: ${viewers.length} connected, seq ${seqs.length ? Math.min(...seqs) : 0}–${maxSeq} (${atMax} at ${maxSeq}), last event ${((now() - lastEventAt) / 1000).toFixed(1)} s ago, ${disconnects} disconnects ${JSON.stringify(disconnectReasons)}, ${reconnects} reconnects\n`,
  );
}

async function connect(request: ConnectRequest) {
  const started = now();
  let phase = "connecting";
  const ticker = setInterval(() => progress(started, phase), PROGRESS_MS);
  const errors: string[] = [];
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(request.concurrency, request.count) }, async () => {
      while (next < request.count) {
        const index = next++;
        try {
          viewers.push(await open(request.urls[index % request.urls.length]!, request, index));
        } catch (error) {
          failed += 1;
          if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  send({ type: "connected", ms: now() - started, connected: viewers.length, failed, errors });
  phase = "settling";
  // Quiet: every viewer at the same seq and nothing arriving for a while.
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const seqs = viewers.map((viewer) => viewer.applied);
    const minSeq = Math.min(...seqs);
    const maxSeq = Math.max(...seqs);
    const silentMs = now() - lastEventAt;
    const quiet = minSeq === maxSeq && silentMs > SETTLE_QUIET_MS;
    // Nothing arriving for long and still apart: some viewer has a gap that will not fill.
    if (quiet || silentMs > SETTLE_GIVE_UP_MS || now() - started > SETTLE_TIMEOUT_MS) {
      countPresence = false;
      clearInterval(ticker);
      send({
        type: "settled",
        ms: now() - started,
        seq: maxSeq,
        quiet,
        minSeq,
        maxSeq,
        presenceEntries,
        disconnects: { ...disconnectReasons },
        reconnects,
      });
      return;
    }
  }
}

process.on("message", (message: ParentMessage) => {
  switch (message.type) {
    case "connect":
      void connect(message);
      break;
    case "track":
      keyIndex = new Map(message.keys.map((key, index) => [key, index]));
      for (const viewer of viewers) viewer.times = new Float64Array(message.keys.length).fill(Number.NaN);
      received = duplicates = outOfOrder = disconnects = reconnects = closed = packets = 0;
      for (const reason of Object.keys(disconnectReasons)) delete disconnectReasons[reason];
      lag.reset();
      lag.enable();
      break;
    case "status":
      send({ type: "status", received, duplicates });
      break;
    case "gc":
      globalThis.gc?.();
      send({ type: "gc-done" });
      break;
    case "ping":
      send({ type: "pong", t0: message.t0, t1: now() });
      break;
    case "report":
      lag.disable();
      send({
        type: "report",
        times: viewers.map((viewer) => Buffer.from(viewer.times!.buffer).toString("base64")),
        duplicates,
        outOfOrder,
        disconnects: { ...disconnectReasons },
        reconnects,
        closed,
        lagP99Ms: lag.percentile(99) / 1e6,
        lagMaxMs: lag.max / 1e6,
        packets,
      });
      break;
  }
});
// The bench went away (or is done): close every socket and leave.
process.on("disconnect", () => {
  for (const viewer of viewers) viewer.socket.close();
  process.exit(0);
});
