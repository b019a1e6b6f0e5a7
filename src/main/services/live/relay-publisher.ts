import { io, type Socket } from "socket.io-client";
import {
  LIVE_HOST_NAMESPACE,
  LIVE_SOCKET_PATH,
  RELAY_MSG,
  relayProbeRequestSchema,
  relayPresenceSchema,
  type LiveEvent,
  type LiveEventBody,
  type PresenceViewer,
} from "../../../shared/contract/live";
import type { Logger } from "../logger";
import { LiveRefusal } from "./invite-tokens";
import type { LiveFeed } from "./live-feed";
import type { LiveService } from "./live-service";

/**
 * Events go at the end of the tick they were published in, one batch in flight at a time (at most
 * BATCH_MAX per batch): while the relay acknowledges one, the next collects what arrives, so
 * batches grow with the rate instead of every event waiting for a timer.
 */
export const RELAY_BATCH_MS = 0;
const BATCH_MAX = 400;
/** A fresh snapshot after a finished message, at most this often, so late joiners replay little. */
export const RELAY_SNAPSHOT_MS = 2_000;

export interface RelayPublisher {
  readonly url: string;
  connected(): boolean;
  /** Viewers connected through the relay (the relay tells the host). */
  viewers(): PresenceViewer[];
  /** Sends what is queued and tells the relay to end the session. */
  end(): Promise<void>;
  revoke(inviteId: string): void;
  close(): Promise<void>;
}

export interface RelayPublisherOptions {
  live: LiveService;
  feed: LiveFeed;
  sessionId: string;
  cloudUrl: string;
  accessToken: () => Promise<string>;
  expiresAt: Date;
  logger: Logger;
  /** Invites of this session revoked so far: told to the relay again on every connection. */
  revoked: () => Promise<string[]>;
  onChange?: () => void;
}

type Ack = { ok?: boolean; lastHostSeq?: number; error?: { code: string; message: string } };

/**
 * Relay mode: the app publishes its session to Sight Cloud, which fans it out to viewers anywhere.
 * Events go in host order, each with the host's own counter (hostSeq), and stay queued until the
 * relay acknowledges them: after a reconnect the unacknowledged ones are sent again and the relay
 * applies each once. The relay numbers them for viewers. A snapshot goes first on every connection
 * and again after finished messages, so a late joiner replays little.
 */
export async function startRelayPublisher(options: RelayPublisherOptions): Promise<RelayPublisher> {
  const { live, feed, sessionId, logger } = options;
  const publicKey = await live.signer.publicJwk();
  let hostSeq = 0;
  /** Sent or not, not yet acknowledged, in order. */
  const outbox: ({ hostSeq: number } & LiveEventBody)[] = [];
  /** Which hostSeq a feed seq had: a snapshot of feed state N is the host's state as of that hostSeq. */
  const hostSeqAt: [feedSeq: number, hostSeq: number][] = [];
  let sending = false;
  let timer: NodeJS.Timeout | null = null;
  let snapshotTimer: NodeJS.Timeout | null = null;
  let lastSnapshot = 0;
  let relayViewers: PresenceViewer[] = [];
  let closed = false;

  const socket: Socket = io(`${options.cloudUrl}${LIVE_HOST_NAMESPACE}`, {
    path: LIVE_SOCKET_PATH,
    transports: ["websocket"],
    // A fresh access token on every (re)connection.
    auth: (callback) => {
      options
        .accessToken()
        .then((accessToken) =>
          callback({ accessToken, sessionId, publicKey, expiresAt: options.expiresAt.toISOString() }),
        )
        .catch((error: unknown) => {
          logger.warn("live.relay.token_failed", { error });
          callback({});
        });
    },
    reconnectionDelayMax: 10_000,
  });

  const flushSoon = () => {
    if (!timer && !sending) timer = setTimeout(() => void flush(), RELAY_BATCH_MS);
  };
  const flush = async (): Promise<void> => {
    timer = null;
    if (sending || !socket.connected || outbox.length === 0) return;
    sending = true;
    try {
      const batch = outbox.slice(0, BATCH_MAX);
      const ack = (await socket.timeout(10_000).emitWithAck(RELAY_MSG.publish, { events: batch })) as Ack;
      if (ack.ok && typeof ack.lastHostSeq === "number") {
        while (outbox.length && outbox[0]!.hostSeq <= ack.lastHostSeq) outbox.shift();
      } else if (ack.error?.code === "SESSION_ENDED") {
        outbox.length = 0;
      } else logger.warn("live.relay.publish_refused", { error: ack.error });
    } catch (error) {
      // Timed out or disconnected: the batch stays queued and goes again.
      logger.debug("live.relay.publish_retry", { error });
    } finally {
      sending = false;
    }
    if (outbox.length) flushSoon();
  };

  const sendSnapshot = async () => {
    if (!socket.connected || closed) return;
    lastSnapshot = Date.now();
    try {
      const {
        sessionId: _s,
        seq,
        role: _r,
        you: _y,
        viewers: _v,
        ...snapshot
      } = await live.snapshot(
        {
          sessionId,
          inviteId: "relay",
          role: "viewer",
          name: "relay",
          expiresAt: options.expiresAt,
        },
        "relay",
      );
      let at = 0;
      for (const [feedSeq, mapped] of hostSeqAt) if (feedSeq <= seq) at = mapped;
      // Events before the snapshot stay queued until acknowledged; it covers them.
      const ack = (await socket.timeout(10_000).emitWithAck(RELAY_MSG.snapshot, { hostSeq: at, snapshot })) as Ack;
      if (!ack.ok) logger.warn("live.relay.snapshot_refused", { error: ack.error });
      while (hostSeqAt.length > 1 && hostSeqAt[1]![0] <= seq) hostSeqAt.shift();
    } catch (error) {
      logger.debug("live.relay.snapshot_retry", { error });
    }
  };
  const snapshotSoon = () => {
    if (snapshotTimer) return;
    const wait = Math.max(0, RELAY_SNAPSHOT_MS - (Date.now() - lastSnapshot));
    snapshotTimer = setTimeout(() => {
      snapshotTimer = null;
      void sendSnapshot();
    }, wait);
  };

  const offFeed = feed.subscribe((event: LiveEvent) => {
    // Presence on the relay is the relay's own (its viewers); the host's direct viewers stay local.
    if (event.name === "presence") return;
    const { seq, ...body } = event;
    // Only ever up for the session's whole life, across restarts of the app and of publishing:
    // the relay drops what is not above the last it applied. Gaps are fine; order is what counts.
    hostSeq = Math.max(hostSeq + 1, Date.now() * 1000);
    outbox.push({ hostSeq, ...(body as LiveEventBody) });
    hostSeqAt.push([seq, hostSeq]);
    flushSoon();
    if (event.name === "persona_responded" && event.message) snapshotSoon();
  });

  socket.on("connect", () => {
    logger.info("live.relay.connected", { sessionId });
    options.onChange?.();
    void options
      .revoked()
      .then((ids) => {
        for (const inviteId of ids) socket.emit(RELAY_MSG.revoke, { inviteId }, () => undefined);
      })
      .catch((error: unknown) => logger.warn("live.relay.revocations_failed", { error }))
      .then(() => sendSnapshot())
      .then(() => flush());
  });
  socket.on("disconnect", () => options.onChange?.());
  socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
    logger.warn("live.relay.connect_error", { message: error.message, code: error.data?.code });
  });
  socket.on(RELAY_MSG.presence, (message: unknown) => {
    const parsed = relayPresenceSchema.safeParse(message);
    if (parsed.success) {
      relayViewers = parsed.data.viewers;
      options.onChange?.();
    }
  });
  socket.on(RELAY_MSG.probe, (input: unknown, ack: unknown) => {
    if (typeof ack !== "function") return;
    const parsed = relayProbeRequestSchema.safeParse(input);
    if (!parsed.success) return ack({ error: { code: "VALIDATION_FAILED", message: "Not a probe." } });
    live
      .relayedProbe(sessionId, parsed.data)
      .then((probe) => ack({ probe }))
      .catch((error: unknown) =>
        ack({
          error:
            error instanceof LiveRefusal
              ? { code: error.code, message: error.message }
              : { code: "VALIDATION_FAILED", message: "The host could not take this probe." },
        }),
      );
  });

  const close = async () => {
    if (closed) return;
    closed = true;
    offFeed();
    if (timer) clearTimeout(timer);
    if (snapshotTimer) clearTimeout(snapshotTimer);
    socket.disconnect();
  };

  return {
    url: options.cloudUrl,
    connected: () => socket.connected,
    viewers: () => relayViewers,
    revoke(inviteId) {
      if (socket.connected) socket.emit(RELAY_MSG.revoke, { inviteId }, () => undefined);
    },
    async end() {
      await flush().catch(() => undefined);
      if (socket.connected) {
        await socket
          .timeout(5_000)
          .emitWithAck(RELAY_MSG.end, {})
          .catch((error: unknown) => logger.warn("live.relay.end_failed", { error }));
      }
      await close();
    },
    close,
  };
}
