import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Server, type Socket as ServerSocket } from "socket.io";
import {
  LIVE_MSG,
  LIVE_SOCKET_PATH,
  LIVE_VIEWER_NAMESPACE,
  liveSnapshotSchema,
  type LiveEvent,
  type LiveSnapshot,
} from "../../src/shared/contract";
import {
  createLiveConnection,
  type ActivitySource,
  type LiveConnection,
  type LiveConnectionState,
} from "../../src/renderer/live/live-connection";

/**
 * The viewer's connection against a scripted socket.io server speaking the live protocol: what
 * the client asks (handshake auth, sync, presence, probes) and what it makes of the answers.
 */

const TOKEN = `${"a".repeat(20)}.${"b".repeat(20)}.${"c".repeat(20)}`;
const AT = "2026-12-03T10:00:00.000Z";

function snapshot(seq: number, you: string, overrides: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return liveSnapshotSchema.parse({
    sessionId: "session-1",
    seq,
    role: "co-moderator",
    you,
    focusGroup: {
      id: "fg-1",
      name: "Oat drink",
      status: "running",
      guide: [{ question: "What do you drink with breakfast?" }],
      progress: { done: 0, total: 4 },
    },
    participants: [],
    messages: [],
    streaming: [],
    insights: [],
    viewers: [],
    probes: [],
    expiresAt: "2026-12-04T10:00:00.000Z",
    ...overrides,
  });
}

const progress = (seq: number, done: number): LiveEvent => ({
  seq,
  name: "discussion_updated",
  status: "running",
  progress: { done, total: 4 },
});

interface Scripted {
  url: string;
  io: Server;
  handshakes: Record<string, unknown>[];
  sockets: ServerSocket[];
  presence: unknown[];
  syncs: unknown[];
  close(): Promise<void>;
}

const servers: Scripted[] = [];
const connections: LiveConnection[] = [];

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function scriptedServer(
  onConnection: (socket: ServerSocket, server: Scripted) => void,
  admit: (auth: Record<string, unknown>) => { code: string; message: string } | null = () => null,
): Promise<Scripted> {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { path: LIVE_SOCKET_PATH, serveClient: false });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  const server: Scripted = {
    url: `http://127.0.0.1:${port}`,
    io,
    handshakes: [],
    sockets: [],
    presence: [],
    syncs: [],
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
  const viewers = io.of(LIVE_VIEWER_NAMESPACE);
  viewers.use((socket, next) => {
    const auth = socket.handshake.auth as Record<string, unknown>;
    server.handshakes.push({ ...auth });
    const refusal = admit(auth);
    if (!refusal) return next();
    const error = new Error(refusal.message) as Error & { data?: unknown };
    error.data = { code: refusal.code };
    next(error);
  });
  viewers.on("connection", (socket) => {
    server.sockets.push(socket);
    socket.on(LIVE_MSG.presence, (payload: unknown) => server.presence.push(payload));
    onConnection(socket, server);
  });
  servers.push(server);
  return server;
}

function connect(url: string, options: { activity?: ActivitySource | null } = {}) {
  const connection = createLiveConnection({
    origin: url,
    token: TOKEN,
    sessionId: "session-1",
    name: "Ola",
    activity: options.activity ?? null,
    schedule: (callback) => callback(),
    socketOptions: { transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 100 },
  });
  connections.push(connection);
  return connection;
}

async function until(
  connection: LiveConnection,
  predicate: (state: LiveConnectionState) => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<LiveConnectionState> {
  const started = Date.now();
  while (!predicate(connection.get())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(connection.get().phase)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return connection.get();
}

describe("live connection", () => {
  it("joins with its invite, name and session, then shows the snapshot and the events after it", async () => {
    const server = await scriptedServer((socket) => {
      socket.emit(LIVE_MSG.snapshot, snapshot(3, socket.id));
      // One packet: seq 3 is already in the snapshot, seq 4 applies.
      socket.emit(LIVE_MSG.events, [progress(3, 9), progress(4, 1)]);
      // Not in the contract: the whole packet is dropped, and so is a bare event.
      socket.emit(LIVE_MSG.events, [progress(5, 2), { seq: 6, name: "no_such_event" }]);
      socket.emit(LIVE_MSG.events, progress(5, 3));
      socket.emit(LIVE_MSG.events, [progress(5, 4)]);
    });
    const connection = connect(server.url);
    const state = await until(connection, (s) => s.view?.lastSeq === 5, "seq 5");
    expect(state.phase).toEqual({ kind: "live" });
    // Seq 4 from the first packet; seq 5 only from the last (the dropped ones said 2 and 3).
    expect(state.view!.focusGroup.progress).toEqual({ done: 4, total: 4 });
    expect(server.handshakes[0]).toEqual({ token: TOKEN, name: "Ola", sessionId: "session-1" });
  });

  it("asks live:sync after the last applied seq when an event skips ahead, and applies the answer", async () => {
    const server = await scriptedServer((socket, srv) => {
      socket.on(LIVE_MSG.sync, (input: unknown, ack: (answer: unknown) => void) => {
        srv.syncs.push(input);
        ack({ events: [progress(2, 2), progress(3, 3)] });
      });
      socket.emit(LIVE_MSG.snapshot, snapshot(1, socket.id));
      socket.emit(LIVE_MSG.events, [progress(4, 4)]);
    });
    const connection = connect(server.url);
    const state = await until(connection, (s) => s.view?.lastSeq === 4, "the gap to fill");
    expect(server.syncs).toEqual([{ afterSeq: 1 }]);
    expect(state.view!.focusGroup.progress.done).toBe(4);
    expect(state.view!.pending).toEqual([]);
  });

  it("reconnects with afterSeq set to the last applied seq and takes the missed events", async () => {
    let connections = 0;
    const server = await scriptedServer((socket) => {
      connections += 1;
      if (connections === 1) {
        socket.emit(LIVE_MSG.snapshot, snapshot(2, socket.id));
        socket.emit(LIVE_MSG.events, [progress(3, 1)]);
        // The network drops (not a server decision): socket.io reconnects by itself.
        setTimeout(() => socket.conn.close(), 50);
      } else {
        socket.emit(LIVE_MSG.events, [progress(4, 2)]);
      }
    });
    const connection = connect(server.url);
    await until(connection, (s) => s.view?.lastSeq === 3, "seq 3");
    const state = await until(connection, (s) => s.view?.lastSeq === 4 && s.phase.kind === "live", "the reconnect");
    expect(server.handshakes.map((auth) => auth.afterSeq)).toEqual([undefined, 3]);
    // The new socket is a new presence id.
    expect(state.view!.you).toBe(server.sockets[1]!.id);
  });

  it("shows why the session closed and stops reconnecting", async () => {
    const server = await scriptedServer((socket) => {
      socket.emit(LIVE_MSG.snapshot, snapshot(0, socket.id));
      setTimeout(() => {
        socket.emit(LIVE_MSG.closed, { reason: "revoked", message: "The host revoked this invite." });
        socket.disconnect(true);
      }, 30);
    });
    const connection = connect(server.url);
    const state = await until(connection, (s) => s.phase.kind === "closed", "the close");
    expect(state.phase).toEqual({ kind: "closed", reason: "revoked", message: "The host revoked this invite." });
    // The last state stays readable.
    expect(state.view?.focusGroup.name).toBe("Oat drink");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.handshakes).toHaveLength(1);
  });

  it("reports a refused handshake by its code and does not retry", async () => {
    const server = await scriptedServer(
      () => undefined,
      () => ({ code: "INVITE_EXPIRED", message: "This invite has expired: ask the host for a new one." }),
    );
    const connection = connect(server.url);
    const state = await until(connection, (s) => s.phase.kind === "refused", "the refusal");
    expect(state.phase).toMatchObject({ kind: "refused", code: "INVITE_EXPIRED" });
    expect(state.view).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.handshakes).toHaveLength(1);
  });

  it("sends a probe with an ack and remembers it as this viewer's; a refusal comes back with its code", async () => {
    let calls = 0;
    const server = await scriptedServer((socket) => {
      socket.on(LIVE_MSG.probe, (input: { text: string }, ack: (answer: unknown) => void) => {
        calls += 1;
        if (calls === 1)
          ack({ probe: { id: "probe-1", text: input.text, suggestedBy: "Ola", status: "queued", createdAt: AT } });
        else ack({ error: { code: "RATE_LIMITED", message: "At most 3 probes every 30 s: wait a moment." } });
      });
      socket.emit(LIVE_MSG.snapshot, snapshot(0, socket.id));
    });
    const connection = connect(server.url);
    await until(connection, (s) => s.phase.kind === "live", "the snapshot");
    expect(await connection.sendProbe("What would a fair price be?")).toMatchObject({
      ok: true,
      probe: { id: "probe-1" },
    });
    expect(connection.get().myProbeIds).toEqual(["probe-1"]);
    expect(await connection.sendProbe("And the pack size?")).toEqual({
      ok: false,
      code: "RATE_LIMITED",
      message: "At most 3 probes every 30 s: wait a moment.",
    });
  });

  it("reports idle after the page is hidden and active when it is back", async () => {
    let hidden = false;
    let onVisibility: () => void = () => undefined;
    const activity: ActivitySource = {
      onActivity: () => () => undefined,
      hidden: () => hidden,
      onVisibilityChange(callback) {
        onVisibility = callback;
        return () => undefined;
      },
    };
    const server = await scriptedServer((socket) => socket.emit(LIVE_MSG.snapshot, snapshot(0, socket.id)));
    const connection = connect(server.url, { activity });
    await until(connection, (s) => s.phase.kind === "live", "the snapshot");
    hidden = true;
    onVisibility();
    expect(connection.get().idle).toBe(true);
    hidden = false;
    onVisibility();
    expect(connection.get().idle).toBe(false);
    const started = Date.now();
    while (server.presence.length < 2 && Date.now() - started < 2_000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.presence).toEqual([{ state: "idle" }, { state: "active" }]);
  });
});
