import type http from "node:http";
import proxyAddr from "@fastify/proxy-addr";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { decodeJwt, errors as joseErrors, jwtVerify } from "jose";
import { createClient } from "redis";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import { idSchema } from "../../shared/contract/common";
import {
  inviteClaimsSchema,
  LIVE_ERROR_CODES,
  LIVE_HOST_NAMESPACE,
  LIVE_MSG,
  LIVE_SOCKET_PATH,
  LIVE_VIEWER_NAMESPACE,
  liveHandshakeSchema,
  liveSyncInputSchema,
  PRESENCE_STATES,
  probeInputSchema,
  probeSchema,
  RELAY_MSG,
  relayHostHandshakeSchema,
  RELAY_PRESENCE_MS,
  relayPresenceSchema,
  relayProbeRequestSchema,
  relayPublishSchema,
  relayRevokeSchema,
  relaySnapshotSchema,
  type LiveErrorCode,
  type LiveRole,
  type LiveSnapshot,
  type PresenceViewer,
} from "../../shared/contract/live";
import {
  createRateWindow,
  LIVE_HANDSHAKE_RATE,
  tooManyHandshakes,
  type RateWindowRule,
} from "../../shared/domain/rate-window";
import { emitEvents } from "../../shared/live/event-packets";
import type { Logger } from "../../main/services/logger";
import type { AccountsService } from "../accounts/accounts-service";
import type { PrismaClient } from "../db/generated/client";
import { createRelaySessions, PURGE_EVERY_MS, type RelaySession, type RelaySessions } from "./relay-sessions";
import {
  createMemoryRelayStore,
  createRedisRelayStore,
  DEFAULT_STREAM_MAX_LEN,
  type RedisClient,
  type RelayStore,
} from "./relay-store";

/** The audience of every invite token (the desktop app's signer sets it). */
export const INVITE_AUDIENCE = "sight-live";
/** The desktop app's renderer origin: its viewer window. */
export const DESKTOP_APP_ORIGIN = "app://sight";
/** A viewer sends small messages only (a probe is at most 500 characters). */
export const RELAY_VIEWER_MAX_MESSAGE_BYTES = 16 * 1024;
/** The host sends snapshots (the whole discussion so far): the server-wide socket.io limit. */
export const RELAY_HOST_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/** Per viewer socket: at most this many messages per window; beyond twice that it is dropped. */
export const RELAY_VIEWER_RATE = { count: 20, windowMs: 10_000 };
/** Per co-moderator socket. */
export const RELAY_PROBE_RATE = { count: 3, windowMs: 30_000 };
const PROBE_TIMEOUT_MS = 5_000;
/** A session may not be registered for longer than this (invites live at most 7 days). */
const MAX_SESSION_MS = 31 * 24 * 60 * 60 * 1000;
const SNAPSHOT_READY = "relay:snapshot-ready";
const VIEWER_MESSAGES = new Set<string>([LIVE_MSG.sync, LIVE_MSG.presence, LIVE_MSG.probe]);
const HOST_MESSAGES = new Set<string>([RELAY_MSG.publish, RELAY_MSG.snapshot, RELAY_MSG.revoke, RELAY_MSG.end]);

const room = {
  session: (sid: string) => `s:${sid}`,
  // Scoped by session: a host can only ever reach the viewers of its own session's invites.
  invite: (sid: string, inviteId: string) => `i:${sid}:${inviteId}`,
  waiting: (sid: string) => `w:${sid}`,
  host: (sid: string) => `h:${sid}`,
};

export interface RelayTuning {
  /** Events kept per session for late joiners and reconnects (MAXLEN ~). */
  streamMaxLen?: number;
  probeRate?: { count: number; windowMs: number };
  viewerRate?: { count: number; windowMs: number };
  /** How often at most the host hears who is watching (RELAY_PRESENCE_MS). */
  hostPresenceMs?: number;
  /** Viewer handshakes per client address (LIVE_HANDSHAKE_RATE). */
  handshakeRate?: RateWindowRule;
}

export interface RelayDeps {
  server: http.Server;
  prisma: PrismaClient;
  accounts: Pick<AccountsService, "authenticate">;
  logger: Logger;
  now: () => Date;
  /** The Cloud's public URL: its origin may open viewer sockets. */
  publicUrl: string;
  /** More browser origins allowed to open viewer sockets. */
  origins?: string[];
  /** With Redis: the socket.io adapter and the sessions' streams live there, for any number of instances. */
  redisUrl?: string;
  redisPrefix?: string;
  tuning?: RelayTuning;
  /** Which proxies' X-Forwarded-For to believe for a viewer's address (the Cloud's trustProxy). */
  trustProxy?: boolean | number | string;
}

export interface Relay {
  io: Server;
  store: RelayStore;
  sessions: RelaySessions;
  /** "redis": any number of instances behind a balancer; "memory": this instance alone. */
  mode: "redis" | "memory";
  close(): Promise<void>;
}

/** What every relay instance can read of a viewer socket (fetchSockets): its presence. */
export interface ViewerData {
  sessionId: string;
  inviteId: string;
  role: LiveRole;
  name: string;
  id: string;
  joinedAt: string;
  state: (typeof PRESENCE_STATES)[number];
}

interface HostData {
  sessionId: string;
  accountId: string;
  connectedAt: string;
}

interface Admission {
  session: RelaySession;
  expiresAtMs: number;
  afterSeq?: number;
  name?: string;
  inviteId: string;
  role: LiveRole;
}

type Failure = { error: { code: LiveErrorCode; message: string } };
const fail = (code: LiveErrorCode, message: string): Failure => ({ error: { code, message } });

type HostFailure = { ok: false; error: { code: string; message: string } };
const hostFail = (code: string, message: string): HostFailure => ({ ok: false, error: { code, message } });

class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "Refusal";
  }
}

const probeAnswerSchema = z.union([
  z.object({ probe: probeSchema }),
  z.object({ error: z.object({ code: z.enum(LIVE_ERROR_CODES), message: z.string().max(1000) }) }),
]);
const presenceInputSchema = z.object({ state: z.enum(PRESENCE_STATES) });

function connectError(code: string, message: string): Error {
  const error = new Error(message) as Error & { data?: unknown };
  error.data = { code };
  return error;
}

function limiter(rule: { count: number; windowMs: number }, now: () => number) {
  const times: number[] = [];
  return {
    /** Counts one message: "ok", "limited" (refuse it) or "drop" (far over: close the socket). */
    hit(): "ok" | "limited" | "drop" {
      const at = now();
      while (times.length && at - times[0]! > rule.windowMs) times.shift();
      times.push(at);
      if (times.length > rule.count * 2) return "drop";
      return times.length > rule.count ? "limited" : "ok";
    },
  };
}

function toViewer(data: Partial<ViewerData> | undefined): PresenceViewer | null {
  if (!data?.id || !data.role || !data.joinedAt) return null;
  return {
    id: data.id,
    name: data.name ?? "",
    role: data.role,
    state: data.state ?? "active",
    joinedAt: data.joinedAt,
  };
}

function normalizeOrigin(value: string): string {
  try {
    const url = new URL(value);
    return url.origin === "null" ? value.replace(/\/+$/, "") : url.origin;
  } catch {
    return value.replace(/\/+$/, "");
  }
}

/**
 * Sight Cloud's live-session relay. The researcher's app (the host) publishes on `/host`, signed
 * in with its Cloud account, and registers the session with the public key that signs its
 * invites. Viewers join on `/viewer` with an invite, which any instance verifies with that key.
 * The relay is the session's sequencer: it numbers every event (host events deduplicated by the
 * host's own counter, presence of its own), keeps the recent ones in a stream per session and the
 * host's latest snapshot, so a late joiner gets snapshot + the events after it and a reconnecting
 * viewer exactly the events it missed. A viewer's socket can call only sync, presence and
 * (co-moderators) probe.
 */
export async function createRelay(deps: RelayDeps): Promise<Relay> {
  const { logger, now } = deps;
  const tuning = deps.tuning ?? {};
  const prefix = deps.redisPrefix ?? "sight:";
  const maxLen = tuning.streamMaxLen ?? DEFAULT_STREAM_MAX_LEN;
  const sessions = createRelaySessions(deps.prisma, now);

  let redis: RedisClient | null = null;
  if (deps.redisUrl) {
    const client = createClient({ url: deps.redisUrl });
    client.on("error", (error: unknown) =>
      logger.warn("live.relay.redis_error", { message: error instanceof Error ? error.message : String(error) }),
    );
    await client.connect();
    redis = client;
  }
  const store: RelayStore = redis
    ? createRedisRelayStore(redis, { prefix, maxLen, now })
    : createMemoryRelayStore({ maxLen, now });

  const origins = new Set<string>([
    normalizeOrigin(deps.publicUrl),
    DESKTOP_APP_ORIGIN,
    ...(deps.origins ?? []).map(normalizeOrigin),
  ]);
  let closing = false;
  const io = new Server(deps.server, {
    path: LIVE_SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: RELAY_HOST_MAX_MESSAGE_BYTES,
    cors: { origin: [...origins], credentials: false },
    allowRequest: (request, callback) => {
      if (closing) return callback("The relay is restarting", false);
      // A browser sends its page's origin; a client that is not a browser sends none, and its
      // invite (or access token) is what admits it.
      const origin = request.headers.origin;
      const ok = origin === undefined || origins.has(origin);
      callback(ok ? null : "Origin not allowed", ok);
    },
    // No connectionStateRecovery, though the adapter supports it: it replays a returning socket's
    // missed packets before the middlewares run (so an invite revoked while its viewer was away
    // would still receive them), and it turns every emit to one socket (snapshots of up to 2 MB)
    // into a broadcast through Redis to every instance. afterSeq gap-fill does its job here.
    ...(redis
      ? {
          adapter: createAdapter(redis, {
            streamName: `${prefix}socket.io`,
            channelPrefix: `${prefix}socket.io`,
            // Short blocking reads, so a closing instance lets go of Redis within a second.
            blockTimeInMs: 1_000,
            onlyPlaintext: true,
          }),
        }
      : {}),
  });

  // Connections that authenticated as a host may send big messages (snapshots); every other one,
  // viewers above all, is closed on its first message over the viewer limit.
  const hostConnections = new WeakSet<object>();
  io.engine.on(
    "connection",
    (conn: { on(event: "packet", fn: (packet: { type: string; data?: unknown }) => void): void; close(): void }) => {
      conn.on("packet", (packet) => {
        if (packet.type !== "message" || hostConnections.has(conn)) return;
        const size =
          typeof packet.data === "string"
            ? Buffer.byteLength(packet.data)
            : Buffer.isBuffer(packet.data)
              ? packet.data.length
              : 0;
        if (size > RELAY_VIEWER_MAX_MESSAGE_BYTES) {
          logger.warn("live.relay.message_too_large", { bytes: size });
          conn.close();
        }
      });
    },
  );

  io.of("/").use((_socket, next) => next(new Error(`Connect to ${LIVE_VIEWER_NAMESPACE} or ${LIVE_HOST_NAMESPACE}.`)));
  const viewers = io.of(LIVE_VIEWER_NAMESPACE);
  const hosts = io.of(LIVE_HOST_NAMESPACE);
  const clustered = redis !== null;

  const pending = new Set<Promise<unknown>>();
  const track = (work: () => Promise<unknown>) => {
    const promise: Promise<unknown> = work()
      .catch((error: unknown) => logger.warn("live.relay.failed", { error }))
      .finally(() => pending.delete(promise));
    pending.add(promise);
  };

  // Expired sessions and their revocations go, on start and hourly.
  const purge = () =>
    track(() =>
      sessions
        .purgeExpired()
        .then((count) => count > 0 && logger.info("live.relay.sessions_purged", { count }))
        .catch((error: unknown) => logger.warn("live.relay.purge_failed", { error })),
    );
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS);
  purgeTimer.unref();
  purge();
  const timers = new Set<NodeJS.Timeout>();

  // -------------------------------------------------------------------------------------------
  // Viewers
  // -------------------------------------------------------------------------------------------

  async function admit(auth: unknown): Promise<Admission> {
    const raw = (auth && typeof auth === "object" ? auth : {}) as Record<string, unknown>;
    if (raw.token === undefined || raw.token === null || raw.token === "")
      throw new Refusal("INVITE_MISSING", "This link carries no invite: open the invite link the host sent you.");
    const parsed = liveHandshakeSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      if (issue?.path[0] === "token") throw new Refusal("INVITE_INVALID", "This is not a Sight invite.");
      throw new Refusal("VALIDATION_FAILED", `The handshake is not valid (${issue?.path.join(".") || "auth"}).`);
    }
    const { token, name, afterSeq, sessionId: wanted } = parsed.data;
    let unverifiedSid: unknown;
    try {
      unverifiedSid = decodeJwt(token).sid;
    } catch {
      throw new Refusal("INVITE_INVALID", "This is not a Sight invite.");
    }
    const sid = idSchema.safeParse(unverifiedSid);
    if (!sid.success) throw new Refusal("INVITE_INVALID", "This invite names no live session.");
    if (wanted !== undefined && wanted !== sid.data)
      throw new Refusal("WRONG_SESSION", "This invite is for another live session.");
    const session = await sessions.get(sid.data);
    if (!session)
      throw new Refusal("INVITE_INVALID", "This live session is not published on Sight Cloud (or no longer is).");
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, await sessions.key(session), {
        algorithms: ["EdDSA"],
        audience: INVITE_AUDIENCE,
        currentDate: now(),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw new Refusal("INVITE_EXPIRED", "This invite has expired: ask the host for a new one.");
      throw new Refusal("INVITE_INVALID", "This invite is not valid (it was not signed by this session's host).");
    }
    const claims = inviteClaimsSchema.safeParse(payload);
    if (!claims.success) throw new Refusal("INVITE_INVALID", "This invite is not a Sight invite.");
    if (claims.data.sid !== session.id) throw new Refusal("WRONG_SESSION", "This invite is for another live session.");
    if (session.endedAt || (await store.isEnded(session.id)))
      throw new Refusal("SESSION_ENDED", "The host ended this live session.");
    if (session.expiresAt.getTime() <= now().getTime())
      throw new Refusal("SESSION_ENDED", "This live session is over.");
    if (await sessions.isRevoked(session.id, claims.data.jti))
      throw new Refusal("INVITE_REVOKED", "The host revoked this invite.");
    return {
      session,
      expiresAtMs: Math.min(claims.data.exp * 1000, session.expiresAt.getTime()),
      afterSeq,
      name,
      inviteId: claims.data.jti,
      role: claims.data.role,
    };
  }

  const admissions = new WeakMap<Socket, Admission>();
  // Per instance: a flood of handshakes from one address is refused before any invite is checked.
  const handshakes = createRateWindow(tuning.handshakeRate ?? LIVE_HANDSHAKE_RATE, () => now().getTime());
  const clientAddress = clientAddressOf(deps.trustProxy ?? false);
  viewers.use((socket, next) => {
    if (closing) return next(new Error("The relay is restarting: reconnect."));
    const wait = handshakes.take(clientAddress(socket.request));
    if (wait) return next(connectError("RATE_LIMITED", tooManyHandshakes(wait)));
    admit(socket.handshake.auth).then(
      (admission) => {
        const data: ViewerData = {
          sessionId: admission.session.id,
          inviteId: admission.inviteId,
          role: admission.role,
          name: admission.name ?? (admission.role === "co-moderator" ? "Co-moderator" : "Viewer"),
          id: socket.id,
          joinedAt: now().toISOString(),
          state: "active",
        };
        socket.data = data;
        admissions.set(socket, admission);
        next();
      },
      (error: unknown) => {
        if (error instanceof Refusal) return next(connectError(error.code, error.message));
        // Not a refusal (the database or Redis failed): no code, so the viewer may try again.
        logger.error("live.relay.admit_failed", { error });
        next(new Error("The relay could not check this invite just now: try again in a moment."));
      },
    );
  });

  /** Everyone watching the session, on every instance. */
  async function presenceList(sid: string): Promise<PresenceViewer[]> {
    let datas: Array<Partial<ViewerData>>;
    try {
      datas = (await viewers.in(room.session(sid)).fetchSockets()).map((socket) => socket.data as ViewerData);
    } catch (error) {
      // Another instance did not answer in time: what this one knows.
      logger.warn("live.relay.presence_partial", { error });
      datas = [...(viewers.adapter.rooms.get(room.session(sid)) ?? [])].map(
        (id) => viewers.sockets.get(id)?.data as ViewerData,
      );
    }
    return datas
      .map(toViewer)
      .filter((viewer): viewer is PresenceViewer => viewer !== null)
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.id.localeCompare(b.id));
  }

  async function announce(
    sid: string,
    change: "joined" | "left" | "idle" | "active",
    viewer: PresenceViewer,
    expiresAt: Date,
  ) {
    const event = await store.append(sid, { name: "presence", change, viewer }, expiresAt);
    if (!event) return;
    viewers.to(room.session(sid)).emit(LIVE_MSG.events, [event]);
    tellHost(sid);
  }

  /** Sessions whose host hears who is watching at the end of the current RELAY_PRESENCE_MS. */
  const hostPresenceDue = new Set<string>();
  /** Per session, the round whose list may still be sent: an older, slower read never overtakes it. */
  const hostPresenceLatest = new Map<string, number>();
  let hostPresenceRounds = 0;
  /** The host's "who is watching": the whole list, at most every RELAY_PRESENCE_MS per session. */
  function tellHost(sid: string, at = tuning.hostPresenceMs ?? RELAY_PRESENCE_MS) {
    if (hostPresenceDue.has(sid) || closing) return;
    hostPresenceDue.add(sid);
    const timer = setTimeout(() => {
      timers.delete(timer);
      // A change from here on schedules the next message, so none is left out of the last list.
      hostPresenceDue.delete(sid);
      const round = ++hostPresenceRounds;
      hostPresenceLatest.set(sid, round);
      track(async () => {
        const list = await presenceList(sid);
        if (hostPresenceLatest.get(sid) !== round) return;
        hostPresenceLatest.delete(sid);
        hosts
          .to(room.host(sid))
          .emit(RELAY_MSG.presence, { viewers: list } satisfies z.infer<typeof relayPresenceSchema>);
      });
    }, at);
    timers.add(timer);
  }

  function closeViewer(socket: Socket, reason: "ended" | "revoked" | "expired", message: string) {
    socket.emit(LIVE_MSG.closed, { reason, message });
    socket.disconnect(true);
  }

  /** Per local viewer socket: where its first state stands. */
  const initial = new Map<string, { state: "fetching" | "waiting" | "done"; again: boolean }>();

  /**
   * A viewer's state so far: with `afterSeq` and the stream still holding everything after it,
   * just those events; otherwise the stored snapshot and the events after it. The socket is in the
   * session's room before anything is read, and the events are the last thing read before the
   * synchronous emits, so whatever reaches the socket around them is either in them or newer.
   */
  async function deliverInitial(socket: Socket, afterSeq: number | undefined): Promise<void> {
    const data = socket.data as ViewerData;
    const sid = data.sessionId;
    const mark = initial.get(socket.id) ?? { state: "fetching" as const, again: false };
    mark.state = "fetching";
    mark.again = false;
    initial.set(socket.id, mark);
    if (afterSeq !== undefined) {
      const events = await store.eventsAfter(sid, afterSeq);
      if (events) {
        mark.state = "done";
        if (socket.connected) emitEvents(socket, events);
        return;
      }
    }
    await socket.join(room.waiting(sid));
    for (;;) {
      const list = await presenceList(sid);
      const stored = await store.getSnapshot(sid);
      if (!stored) {
        if (mark.again) {
          mark.again = false;
          continue;
        }
        // The host has not sent a snapshot yet: it is delivered when it does.
        mark.state = "waiting";
        return;
      }
      let events = await store.eventsAfter(sid, stored.seq);
      if (!events) {
        logger.warn("live.relay.snapshot_behind_stream", { seq: stored.seq });
        events = (await store.eventsAfter(sid, stored.seq, { partial: true })) ?? [];
      }
      mark.state = "done";
      if (!socket.connected) return;
      void socket.leave(room.waiting(sid));
      const snapshot: LiveSnapshot = {
        ...stored.snapshot,
        sessionId: sid,
        seq: stored.seq,
        role: data.role,
        you: data.id,
        viewers: list,
      };
      socket.emit(LIVE_MSG.snapshot, snapshot);
      emitEvents(socket, events);
      return;
    }
  }

  /** The host stored a snapshot: viewers that joined before it had one get their first state. */
  function snapshotReady(sid: string) {
    for (const id of viewers.adapter.rooms.get(room.waiting(sid)) ?? []) {
      const socket = viewers.sockets.get(id);
      const mark = initial.get(id);
      if (!socket || !mark) continue;
      if (mark.state === "fetching") mark.again = true;
      else if (mark.state === "waiting") track(() => deliverInitial(socket, undefined));
    }
  }
  const announceSnapshot = (sid: string) => {
    snapshotReady(sid);
    if (clustered) viewers.serverSideEmit(SNAPSHOT_READY, sid);
  };
  if (clustered) viewers.on(SNAPSHOT_READY, (sid: unknown) => typeof sid === "string" && snapshotReady(sid));

  viewers.on("connection", (socket) => {
    const admission = admissions.get(socket);
    admissions.delete(socket);
    if (!admission) {
      socket.disconnect(true);
      return;
    }
    const data = socket.data as ViewerData;
    const sid = data.sessionId;
    const expiresAt = admission.session.expiresAt;
    void socket.join([room.session(sid), room.invite(sid, data.inviteId)]);

    const timer = setTimeout(
      () => closeViewer(socket, "expired", "This invite has expired: ask the host for a new one."),
      Math.min(Math.max(0, admission.expiresAtMs - now().getTime()), 2 ** 31 - 1),
    );
    timers.add(timer);
    const clock = () => Date.now();
    const messages = limiter(tuning.viewerRate ?? RELAY_VIEWER_RATE, clock);
    const probes = limiter(tuning.probeRate ?? RELAY_PROBE_RATE, clock);
    /** Counts a message; true when it must be refused (the socket is dropped when far over). */
    const limited = () => {
      const verdict = messages.hit();
      if (verdict === "drop") socket.disconnect(true);
      return verdict !== "ok";
    };
    const isAck = (ack: unknown): ack is (value: unknown) => void => typeof ack === "function";

    socket.onAny((name: unknown) => {
      if (typeof name === "string" && VIEWER_MESSAGES.has(name)) return;
      logger.warn("live.relay.viewer_message_refused", { name: typeof name === "string" ? name.slice(0, 40) : "?" });
      socket.disconnect(true);
    });

    socket.on(LIVE_MSG.sync, (input: unknown, ack: unknown) => {
      if (!isAck(ack)) return;
      if (limited()) return ack(fail("RATE_LIMITED", "Too many requests: wait a moment."));
      const parsed = liveSyncInputSchema.safeParse(input);
      if (!parsed.success) return ack(fail("VALIDATION_FAILED", "sync takes { afterSeq }."));
      track(async () => {
        const events = await store.eventsAfter(sid, parsed.data.afterSeq);
        if (events) return ack({ events });
        const list = await presenceList(sid);
        const stored = await store.getSnapshot(sid);
        if (!stored) {
          await socket.join(room.waiting(sid));
          const mark = initial.get(socket.id);
          if (mark) mark.state = "waiting";
          return ack(fail("HOST_UNAVAILABLE", "The host has not shared the session yet; it arrives when they do."));
        }
        const after = (await store.eventsAfter(sid, stored.seq, { partial: true })) ?? [];
        ack({
          snapshot: {
            ...stored.snapshot,
            sessionId: sid,
            seq: stored.seq,
            role: data.role,
            you: data.id,
            viewers: list,
          } satisfies LiveSnapshot,
        });
        emitEvents(socket, after);
      });
    });

    socket.on(LIVE_MSG.presence, (input: unknown) => {
      if (limited()) return;
      const parsed = presenceInputSchema.safeParse(input);
      if (!parsed.success || parsed.data.state === data.state) return;
      data.state = parsed.data.state;
      const viewer = toViewer(data)!;
      track(() => announce(sid, parsed.data.state === "idle" ? "idle" : "active", viewer, expiresAt));
    });

    socket.on(LIVE_MSG.probe, (input: unknown, ack: unknown) => {
      if (!isAck(ack)) return;
      if (limited()) return ack(fail("RATE_LIMITED", "Too many requests: wait a moment."));
      if (data.role !== "co-moderator") return ack(fail("FORBIDDEN", "Only co-moderators can suggest probes."));
      if (probes.hit() !== "ok")
        return ack(fail("RATE_LIMITED", "You suggested several probes just now: wait a moment before the next."));
      const parsed = probeInputSchema.safeParse(input);
      if (!parsed.success) return ack(fail("VALIDATION_FAILED", "A probe is 3 to 500 characters."));
      track(async () => ack(await forwardProbe(data, parsed.data.text)));
    });

    socket.on("disconnect", () => {
      clearTimeout(timer);
      timers.delete(timer);
      initial.delete(socket.id);
      if (closing) return;
      const viewer = toViewer(data);
      if (viewer) track(() => announce(sid, "left", viewer, expiresAt));
    });

    track(async () => {
      await deliverInitial(socket, admission.afterSeq);
      if (socket.connected) await announce(sid, "joined", toViewer(data)!, expiresAt);
    });
  });

  async function forwardProbe(data: ViewerData, text: string): Promise<unknown> {
    const request = relayProbeRequestSchema.parse({ inviteId: data.inviteId, suggestedBy: data.name, text });
    let target: string | null = null;
    try {
      // One host socket answers (the newest: an older one may be a connection not yet timed out).
      const connected = await hosts.in(room.host(data.sessionId)).fetchSockets();
      target =
        connected
          .map((socket) => ({ id: socket.id, at: String((socket.data as HostData).connectedAt ?? "") }))
          .sort((a, b) => b.at.localeCompare(a.at))[0]?.id ?? null;
    } catch (error) {
      logger.warn("live.relay.host_lookup_failed", { error });
    }
    if (!target) return fail("HOST_UNAVAILABLE", "The host's app is not connected right now: try again in a moment.");
    try {
      const answers: unknown[] = await hosts.to(target).timeout(PROBE_TIMEOUT_MS).emitWithAck(RELAY_MSG.probe, request);
      const answer = probeAnswerSchema.safeParse(answers[0]);
      if (answer.success) return answer.data;
      logger.warn("live.relay.probe_bad_answer", {});
      return fail("HOST_UNAVAILABLE", "The host's app could not take the probe.");
    } catch {
      return fail("HOST_UNAVAILABLE", "The host's app did not answer in time: try again.");
    }
  }

  // -------------------------------------------------------------------------------------------
  // Hosts
  // -------------------------------------------------------------------------------------------

  const hostSessions = new WeakMap<Socket, RelaySession>();
  hosts.use((socket, next) => {
    if (closing) return next(new Error("The relay is restarting: reconnect."));
    (async () => {
      const parsed = relayHostHandshakeSchema.safeParse(socket.handshake.auth);
      if (!parsed.success) throw new Refusal("VALIDATION_FAILED", "The host handshake is not valid.");
      const { accessToken, sessionId, publicKey, expiresAt: expiresAtText } = parsed.data;
      let accountId: string;
      try {
        accountId = (await deps.accounts.authenticate(`Bearer ${accessToken}`)).id;
      } catch {
        throw new Refusal("UNAUTHORIZED", "Sign in to Sight Cloud again: the access token is invalid or expired.");
      }
      const expiresAt = new Date(expiresAtText);
      const at = now().getTime();
      if (expiresAt.getTime() <= at || expiresAt.getTime() > at + MAX_SESSION_MS)
        throw new Refusal("VALIDATION_FAILED", "The session's expiry must be in the future, within 31 days.");
      const result = await sessions.register({ sessionId, accountId, publicKey, expiresAt });
      if (!result.ok) {
        if (result.reason === "ended") throw new Refusal("SESSION_ENDED", "This live session has ended.");
        throw new Refusal("FORBIDDEN", "This live session id is registered by another account.");
      }
      return { session: result.session, accountId };
    })().then(
      ({ session, accountId }) => {
        const data: HostData = { sessionId: session.id, accountId, connectedAt: now().toISOString() };
        socket.data = data;
        hostSessions.set(socket, session);
        next();
      },
      (error: unknown) => {
        if (error instanceof Refusal) return next(connectError(error.code, error.message));
        logger.error("live.relay.host_admit_failed", { error });
        next(new Error("The relay could not register the session just now: try again in a moment."));
      },
    );
  });

  hosts.on("connection", (socket) => {
    const session = hostSessions.get(socket);
    if (!session) {
      socket.disconnect(true);
      return;
    }
    hostConnections.add(socket.conn);
    const sid = session.id;
    void socket.join(room.host(sid));
    logger.info("live.relay.host_connected", { sessionId: sid });
    tellHost(sid, 0);

    // Strictly in order: a batch is applied (and acknowledged) before the next message is read.
    let chain: Promise<unknown> = Promise.resolve();
    const handle = (name: string, fn: (input: unknown) => Promise<unknown>) => {
      socket.on(name, (input: unknown, ack: unknown) => {
        const run = chain.then(() =>
          fn(input).then(
            (result) => typeof ack === "function" && ack(result),
            (error: unknown) => {
              logger.error("live.relay.host_message_failed", { name, error });
              if (typeof ack === "function")
                ack(hostFail("INTERNAL", "The relay could not apply this; send it again."));
            },
          ),
        );
        chain = run;
        track(() => run);
      });
    };
    const invalid = (error: z.ZodError) =>
      hostFail(
        "VALIDATION_FAILED",
        `Not valid: ${error.issues[0]?.path.join(".") || "payload"} ${error.issues[0]?.message ?? ""}`.trim(),
      );

    handle(RELAY_MSG.publish, async (input) => {
      const parsed = relayPublishSchema.safeParse(input);
      if (!parsed.success) return invalid(parsed.error);
      const result = await store.publish(sid, parsed.data.events, session.expiresAt);
      if (result.ended) return hostFail("SESSION_ENDED", "This live session has ended.");
      // One packet per host batch: encoded once, and one adapter message (Redis) for all instances.
      emitEvents(viewers.to(room.session(sid)), result.appended);
      if (result.snapshotReady) announceSnapshot(sid);
      return { ok: true, lastHostSeq: result.lastHostSeq };
    });

    handle(RELAY_MSG.snapshot, async (input) => {
      const parsed = relaySnapshotSchema.safeParse(input);
      if (!parsed.success) return invalid(parsed.error);
      const result = await store.putSnapshot(sid, parsed.data.hostSeq, parsed.data.snapshot, session.expiresAt);
      if (!result.ok) {
        return result.reason === "ended"
          ? hostFail("SESSION_ENDED", "This live session has ended.")
          : hostFail(
              "VALIDATION_FAILED",
              "The relay no longer holds the events before this snapshot: send a newer one.",
            );
      }
      // Ahead of the published events (still queued at the host): it takes effect with them.
      if (result.stored === "pending") return { ok: true, pending: true };
      if (result.stored === "stale") return { ok: true, seq: result.seq, stale: true };
      announceSnapshot(sid);
      return { ok: true, seq: result.seq };
    });

    handle(RELAY_MSG.revoke, async (input) => {
      const parsed = relayRevokeSchema.safeParse(input);
      if (!parsed.success) return invalid(parsed.error);
      await sessions.revoke(sid, parsed.data.inviteId);
      const target = room.invite(sid, parsed.data.inviteId);
      viewers.to(target).emit(LIVE_MSG.closed, { reason: "revoked", message: "The host revoked this invite." });
      viewers.in(target).disconnectSockets(true);
      return { ok: true };
    });

    handle(RELAY_MSG.end, async () => {
      await sessions.end(sid);
      await store.end(sid, session.expiresAt);
      viewers
        .to(room.session(sid))
        .emit(LIVE_MSG.closed, { reason: "ended", message: "The host ended the live session." });
      viewers.in(room.session(sid)).disconnectSockets(true);
      logger.info("live.relay.session_ended", { sessionId: sid });
      return { ok: true };
    });

    socket.onAny((name: unknown, ...args: unknown[]) => {
      if (typeof name === "string" && HOST_MESSAGES.has(name)) return;
      const ack = args.at(-1);
      if (typeof ack === "function") ack(hostFail("VALIDATION_FAILED", "Unknown message."));
    });
    socket.on("disconnect", (reason) => logger.info("live.relay.host_disconnected", { sessionId: sid, reason }));
  });

  return {
    io,
    store,
    sessions,
    mode: redis ? "redis" : "memory",
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(purgeTimer);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Every connection drops as on a network failure, so clients reconnect (behind a balancer,
      // to another instance) and pick up where they were with afterSeq.
      io.engine.close();
      await Promise.allSettled([io.of("/"), viewers, hosts].map(async (nsp) => nsp.adapter.close()));
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => setTimeout(resolve, 2_000))]);
      await store.close();
      if (redis) await redis.close().catch(() => redis?.destroy());
    },
  };
}

/**
 * A request's client address, believing X-Forwarded-For exactly as far as the Cloud's HTTP
 * server does (Fastify's trustProxy): everything, listed proxies, or nothing. A hop count trusts
 * nothing, as Fastify does, since it cannot check the peer.
 */
export function clientAddressOf(trustProxy: boolean | number | string): (request: http.IncomingMessage) => string {
  const peer = (request: http.IncomingMessage) => request.socket.remoteAddress ?? "unknown";
  if (trustProxy === false || typeof trustProxy === "number") return peer;
  const trust =
    trustProxy === true ? () => true : proxyAddr.compile(trustProxy.split(",").map((value) => value.trim()));
  return (request) => (request.socket.remoteAddress ? proxyAddr(request, trust) : "unknown");
}
