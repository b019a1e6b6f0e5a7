import Fastify, { type FastifyInstance } from "fastify";
import { Server as SocketServer, type Socket } from "socket.io";
import {
  LIVE_MSG,
  LIVE_SOCKET_PATH,
  LIVE_VIEWER_NAMESPACE,
  liveSyncInputSchema,
  PRESENCE_STATES,
  type LiveErrorCode,
  type LiveEvent,
} from "../../../shared/contract/live";
import { isAppError } from "../../../shared/contract";
import { createRateWindow, LIVE_HANDSHAKE_RATE, tooManyHandshakes } from "../../../shared/domain/rate-window";
import { emitEvents } from "../../../shared/live/event-packets";
import type { Logger } from "../logger";
import { LiveRefusal } from "./invite-tokens";
import type { Admission, LiveService } from "./live-service";
import { registerViewerPage, VIEWER_PAGE_CSP } from "./viewer-page";

/** The desktop app's renderer origin (src/main/electron/app-origin.ts): the app's viewer window. */
export const DESKTOP_APP_ORIGIN = "app://sight";
/** A viewer sends small messages only (a probe is at most 500 characters). */
export const VIEWER_MAX_MESSAGE_BYTES = 16 * 1024;
/** Per socket: at most this many messages per window; beyond twice that the socket is dropped. */
export const VIEWER_RATE = { count: 20, windowMs: 10_000 };
const ALLOWED = new Set<string>([LIVE_MSG.sync, LIVE_MSG.presence, LIVE_MSG.probe]);

export interface DirectServer {
  address: { address: string; port: number };
  url: string;
  close(): Promise<void>;
}

export interface DirectServerOptions {
  live: LiveService;
  sessionId: string;
  address: string;
  port: number;
  logger: Logger;
  rendererDir?: string;
}

function refusal(error: unknown): { code: LiveErrorCode; message: string } {
  if (error instanceof LiveRefusal) return { code: error.code, message: error.message };
  if (isAppError(error) && error.code === "CONFLICT") return { code: "SESSION_ENDED", message: error.message };
  return { code: "INVITE_INVALID", message: "This invite could not be checked." };
}

/**
 * Direct mode: this app serves one live session itself, on the interface the researcher chose
 * (opt-in; a LAN address for teammates nearby). It serves the viewer page and the viewer socket,
 * nothing else: no API route, no other project, no host token. Each viewer socket is admitted by
 * its invite, joins only its session, may send only sync, presence and (co-moderators) probes, and
 * is dropped when its invite expires or is revoked or the session ends.
 */
export async function startDirectServer(options: DirectServerOptions): Promise<DirectServer> {
  const { live, sessionId, logger } = options;
  // Throws (CONFLICT) when the session is not active: nothing is started.
  const feed = live.feed(sessionId);
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1024, trustProxy: false });
  let ownOrigin = "";
  app.addHook("onRequest", async (_request, reply) => {
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("X-Frame-Options", "DENY");
    reply.header("Content-Security-Policy", VIEWER_PAGE_CSP);
  });
  registerViewerPage(app, {
    ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
    accepts: (id) => id === sessionId,
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: { code: "NOT_FOUND", message: "Not found." } }),
  );

  const io = new SocketServer(app.server, {
    path: LIVE_SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: VIEWER_MAX_MESSAGE_BYTES,
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      // A browser sends its page's origin: only this server's own page (or the desktop app's viewer).
      // A client that is not a browser sends none; its invite is what admits it.
      const ok = origin === undefined || origin === ownOrigin || origin === DESKTOP_APP_ORIGIN;
      callback(ok ? null : "Origin not allowed", ok);
    },
  });
  io.of("/").use((_socket, next) => next(new Error("Connect to the viewer namespace.")));
  const viewers = io.of(LIVE_VIEWER_NAMESPACE);

  // Served on the LAN: nobody else's proxy stands in front, so the peer's address is the client's.
  const handshakes = createRateWindow(LIVE_HANDSHAKE_RATE);
  viewers.use((socket, next) => {
    const wait = handshakes.take(socket.request.socket.remoteAddress ?? "unknown");
    const admitted = wait
      ? Promise.reject(new LiveRefusal("RATE_LIMITED", tooManyHandshakes(wait)))
      : live.admit(socket.handshake.auth);
    admitted
      .then((admission) => {
        if (admission.sessionId !== sessionId)
          throw new LiveRefusal("WRONG_SESSION", "This invite is for another live session.");
        socket.data.admission = admission;
        next();
      })
      .catch((error: unknown) => {
        const { code, message } = refusal(error);
        const failure = new Error(message) as Error & { data?: unknown };
        failure.data = { code };
        next(failure);
      });
  });

  const closeSocket = (socket: Socket, reason: "ended" | "revoked" | "expired", message: string) => {
    socket.emit(LIVE_MSG.closed, { reason, message });
    socket.disconnect(true);
  };
  /** Set while every viewer is being disconnected at once (session ended, serving stopped). */
  let closingAll = false;
  const offClose = live.onClose((target, reason, message) => {
    if (target.sessionId !== sessionId) return;
    closingAll ||= target.inviteId === undefined;
    for (const socket of viewers.sockets.values()) {
      const admission = socket.data.admission as Admission;
      if (target.inviteId && admission.inviteId !== target.inviteId) continue;
      closeSocket(socket, reason, message);
    }
  });

  // Every admitted socket joins this room once it has its first state; events published in the
  // same tick travel as one packet, encoded once for the whole room.
  const room = "session";
  /** The last seq broadcast to the room; later ones are in `unsent` until the tick's end. */
  let broadcastSeq = feed.seq;
  let unsent: LiveEvent[] = [];
  const broadcast = () => {
    const batch = unsent;
    unsent = [];
    if (batch.length === 0) return;
    broadcastSeq = batch[batch.length - 1]!.seq;
    emitEvents(viewers.to(room), batch);
  };
  const offFeed = feed.subscribe((event) => {
    if (unsent.push(event) === 1) queueMicrotask(broadcast);
  });
  /** A socket's first state is out: the events up to the last broadcast, then the room's. */
  const admitToRoom = (socket: Socket, after: readonly LiveEvent[]) => {
    emitEvents(
      socket,
      after.filter((event) => event.seq <= broadcastSeq),
    );
    void socket.join(room);
  };

  viewers.on("connection", (socket) => {
    const admission = socket.data.admission as Admission & { afterSeq?: number };
    const viewerId = socket.id;
    try {
      live.feed(sessionId);
    } catch {
      closeSocket(socket, "ended", "The host ended the live session.");
      return;
    }
    const expiry = setTimeout(
      () => closeSocket(socket, "expired", "This invite has expired: ask the host for a new one."),
      Math.min(Math.max(0, admission.expiresAt.getTime() - Date.now()), 2 ** 31 - 1),
    );
    const times: number[] = [];
    const limited = () => {
      const now = Date.now();
      while (times.length && now - times[0]! > VIEWER_RATE.windowMs) times.shift();
      times.push(now);
      if (times.length > VIEWER_RATE.count * 2) socket.disconnect(true);
      return times.length > VIEWER_RATE.count;
    };
    socket.onAny((name: unknown) => {
      if (typeof name !== "string" || !ALLOWED.has(name)) socket.disconnect(true);
    });
    const error = (code: LiveErrorCode, message: string) => ({ error: { code, message } });
    const guard = (ack: unknown): ack is (value: unknown) => void => typeof ack === "function";

    socket.on(LIVE_MSG.sync, (input: unknown, ack: unknown) => {
      if (!guard(ack)) return;
      if (limited()) return ack(error("RATE_LIMITED", "Too many requests: wait a moment."));
      if (!live.stillAdmitted(admission)) return closeSocket(socket, "revoked", "This invite is no longer valid.");
      const parsed = liveSyncInputSchema.safeParse(input);
      if (!parsed.success) return ack(error("VALIDATION_FAILED", "sync takes { afterSeq }."));
      const events = feed.since(parsed.data.afterSeq);
      if (events) return ack({ events });
      live
        .snapshot(admission, viewerId)
        .then((snapshot) => ack({ snapshot }))
        .catch((failure: unknown) => ack(error(refusal(failure).code, refusal(failure).message)));
    });
    socket.on(LIVE_MSG.presence, (input: unknown) => {
      if (limited()) return;
      const state = (input as { state?: unknown } | null)?.state;
      if (typeof state === "string" && (PRESENCE_STATES as readonly string[]).includes(state))
        live.setPresence(sessionId, viewerId, state as (typeof PRESENCE_STATES)[number]);
    });
    socket.on(LIVE_MSG.probe, (input: unknown, ack: unknown) => {
      if (!guard(ack)) return;
      if (limited()) return ack(error("RATE_LIMITED", "Too many requests: wait a moment."));
      if (!live.stillAdmitted(admission)) return closeSocket(socket, "revoked", "This invite is no longer valid.");
      live
        .suggestProbe(admission, input)
        .then((probe) => ack({ probe }))
        .catch((failure: unknown) => ack(error(refusal(failure).code, refusal(failure).message)));
    });
    socket.on("disconnect", () => {
      clearTimeout(expiry);
      live.leave(sessionId, viewerId, { quiet: closingAll });
    });

    live.join(admission, viewerId);
    /** Reconnected (afterSeq): exactly the events after it; otherwise, or when they are no longer held, a snapshot. */
    const deliver = (afterSeq: number | undefined, attempts: number) => {
      const missed = afterSeq === undefined ? null : feed.since(afterSeq);
      if (missed) return admitToRoom(socket, missed);
      live
        .snapshot(admission, viewerId)
        .then((snapshot) => {
          if (!socket.connected) return;
          const after = feed.since(snapshot.seq);
          // More than FEED_CAPACITY events while the snapshot was read: read it again.
          if (!after) return attempts < 3 ? deliver(undefined, attempts + 1) : socket.disconnect(true);
          socket.emit(LIVE_MSG.snapshot, snapshot);
          admitToRoom(socket, after);
        })
        .catch((failure: unknown) => {
          logger.warn("live.snapshot.failed", { error: failure });
          closeSocket(socket, "ended", refusal(failure).message);
        });
    };
    deliver(admission.afterSeq, 0);
  });

  await app.listen({ host: options.address, port: options.port });
  const bound = app.server.address();
  const port = typeof bound === "object" && bound ? bound.port : options.port;
  const shownHost = options.address.includes(":") ? `[${options.address}]` : options.address;
  const url = `http://${shownHost}:${port}`;
  ownOrigin = url;
  logger.info("live.direct.listening", { sessionId, url });
  return {
    address: { address: options.address, port },
    url,
    async close() {
      offClose();
      offFeed();
      closingAll = true;
      for (const socket of viewers.sockets.values())
        closeSocket(socket, "ended", "The host stopped serving this session.");
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await app.close().catch(() => undefined);
    },
  };
}
