// Clients of Sight Cloud's live relay for tests: a host (the researcher's app) and viewers that
// apply sequenced events the way the protocol asks (snapshot, then seq = last + 1; older ones
// dropped; a gap fetched with live:sync).
import crypto from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { io as connect, type Socket } from "socket.io-client";
import {
  LIVE_HOST_NAMESPACE,
  LIVE_MSG,
  LIVE_SOCKET_PATH,
  LIVE_VIEWER_NAMESPACE,
  RELAY_MSG,
  type LiveEvent,
  type LiveSnapshot,
  type PresenceViewer,
} from "../../src/shared/contract/live";

export const id = (prefix: string) => `${prefix}_${crypto.randomBytes(6).toString("hex")}`;

export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function signUp(cloudUrl: string): Promise<{ accessToken: string; accountId: string }> {
  const response = await fetch(`${cloudUrl}/api/v1/auth/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `${id("host")}@example.com`, password: "correct horse battery" }),
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { accessToken: string; account: { id: string } };
  return { accessToken: body.accessToken, accountId: body.account.id };
}

export interface HostKey {
  privateKey: CryptoKey;
  publicJwk: { kty: "OKP"; crv: "Ed25519"; x: string };
}

export async function hostKey(): Promise<HostKey> {
  const pair = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const jwk = await exportJWK(pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk: { kty: "OKP", crv: "Ed25519", x: String(jwk.x) } };
}

/** An invite as the desktop app signs it (src/main/services/live/invite-tokens.ts). */
export async function invite(
  key: HostKey,
  claims: {
    sessionId: string;
    inviteId?: string;
    role?: "viewer" | "co-moderator";
    expiresInS?: number;
    audience?: string;
  },
): Promise<string> {
  return new SignJWT({ sid: claims.sessionId, role: claims.role ?? "viewer" })
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
    .setJti(claims.inviteId ?? id("inv"))
    .setAudience(claims.audience ?? "sight-live")
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresInS ?? 3600))
    .sign(key.privateKey);
}

function open(url: string, namespace: string, auth: Record<string, unknown>, headers?: Record<string, string>) {
  return connect(`${url}${namespace}`, {
    path: LIVE_SOCKET_PATH,
    auth,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: headers,
  });
}

/** Resolves once connected; rejects with the connect error (its data carries the code). */
function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error: Error & { data?: unknown }) => {
      socket.close();
      reject(error);
    });
  });
}

export async function refusal(
  url: string,
  namespace: string,
  auth: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<{ code?: string; message: string }> {
  try {
    const socket = await connected(open(url, namespace, auth, headers));
    socket.close();
  } catch (error) {
    const failure = error as Error & { data?: { code?: string } };
    return { code: failure.data?.code, message: failure.message };
  }
  throw new Error("expected the connection to be refused");
}

export const snapshotBody = (text: string, extra: { hostSeq?: number } = {}) => ({
  focusGroup: {
    id: "fg_live",
    name: "Oat milk",
    status: "running" as const,
    guide: [{ question: "What do you drink in the morning?" }],
    progress: { done: extra.hostSeq ?? 0, total: 100 },
  },
  participants: [],
  messages: [],
  streaming: [{ unitKey: "u1", speakerName: "Ana", text }],
  insights: [],
  probes: [],
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
});

/** A streamed token: the discussion's text is the deltas in order ("1,2,3,"). */
export const delta = (hostSeq: number) => ({
  hostSeq,
  name: "persona_responded" as const,
  unitKey: "u1",
  speakerName: "Ana",
  delta: `${hostSeq},`,
});

export class TestHost {
  /** The host's counter and the text it has streamed so far. */
  hostSeq = 0;
  text = "";
  /** Every "who is watching" the relay told this host (relay:presence), in order. */
  presence: Array<{ viewers: PresenceViewer[] }> = [];
  probes: unknown[] = [];
  probeAnswer: (request: unknown) => unknown = (request) => ({
    probe: {
      id: id("probe"),
      text: (request as { text: string }).text,
      suggestedBy: (request as { suggestedBy: string }).suggestedBy,
      status: "queued",
      createdAt: new Date().toISOString(),
    },
  });

  private constructor(readonly socket: Socket) {
    socket.on(RELAY_MSG.presence, (message: { viewers: PresenceViewer[] }) => this.presence.push(message));
    socket.on(RELAY_MSG.probe, (request: unknown, ack: (answer: unknown) => void) => {
      this.probes.push(request);
      ack(this.probeAnswer(request));
    });
  }

  static async connect(url: string, auth: Record<string, unknown>): Promise<TestHost> {
    return new TestHost(await connected(open(url, LIVE_HOST_NAMESPACE, auth)));
  }

  /** Makes `count` new events (the host's state moves on) without sending them yet. */
  queue(count: number): ReturnType<typeof delta>[] {
    const events = [];
    for (let i = 0; i < count; i += 1) {
      this.hostSeq += 1;
      events.push(delta(this.hostSeq));
      this.text += `${this.hostSeq},`;
    }
    return events;
  }

  /** Publishes `count` new events in one batch; resolves with the relay's ack. */
  async publish(count: number): Promise<{ ok: boolean; lastHostSeq?: number; error?: { code: string } }> {
    return this.send(RELAY_MSG.publish, { events: this.queue(count) });
  }

  async snapshot(): Promise<{ ok: boolean; seq?: number; error?: { code: string } }> {
    return this.send(RELAY_MSG.snapshot, { hostSeq: this.hostSeq, snapshot: snapshotBody(this.text, this) });
  }

  send<T = { ok: boolean; lastHostSeq?: number; seq?: number; error?: { code: string; message: string } }>(
    name: string,
    payload: unknown,
  ): Promise<T> {
    return this.socket.timeout(5_000).emitWithAck(name, payload) as Promise<T>;
  }

  close() {
    this.socket.close();
  }
}

/** A viewer applying the session's events as the protocol asks. */
export class TestViewer {
  snapshots: LiveSnapshot[] = [];
  /** The seq of every event as it arrived. */
  arrived: number[] = [];
  /** The size of each live:events packet received. */
  packets: number[] = [];
  /** The events applied, in order: after a snapshot, each one's seq is the previous + 1. */
  applied: LiveEvent[] = [];
  closed: { reason: string; message: string } | null = null;
  disconnected: string | null = null;
  syncs = 0;
  /** The last seq applied (null until the first snapshot, unless resuming with afterSeq). */
  last: number | null;
  /** The discussion's text as this viewer sees it. */
  text = "";
  private held = new Map<number, LiveEvent>();
  private syncing = false;

  private constructor(
    readonly socket: Socket,
    afterSeq: number | undefined,
  ) {
    this.last = afterSeq ?? null;
    socket.on(LIVE_MSG.snapshot, (snapshot: LiveSnapshot) => this.onSnapshot(snapshot));
    socket.on(LIVE_MSG.events, (events: LiveEvent[]) => {
      this.packets.push(events.length);
      for (const event of events) {
        this.arrived.push(event.seq);
        this.onEvent(event);
      }
    });
    socket.on(LIVE_MSG.closed, (closed: { reason: string; message: string }) => (this.closed = closed));
    socket.on("disconnect", (reason) => (this.disconnected = reason));
  }

  static async connect(
    url: string,
    auth: { token: string; name?: string; afterSeq?: number; sessionId?: string },
    headers?: Record<string, string>,
  ): Promise<TestViewer> {
    const socket = open(url, LIVE_VIEWER_NAMESPACE, auth, headers);
    // Listeners before the connection completes: the snapshot follows the handshake at once.
    const viewer = new TestViewer(socket, auth.afterSeq);
    await connected(socket);
    return viewer;
  }

  get seqs(): number[] {
    return this.applied.map((event) => event.seq);
  }

  /** Who is watching, by name: the last snapshot's list with the presence changes after it. */
  watching(): string[] {
    const snapshot = this.snapshots.at(-1);
    if (!snapshot) return [];
    const list = new Map(snapshot.viewers.map((viewer) => [viewer.id, viewer.name]));
    for (const event of this.applied) {
      if (event.seq <= snapshot.seq || event.name !== "presence") continue;
      if (event.change === "left") list.delete(event.viewer.id);
      else list.set(event.viewer.id, event.viewer.name);
    }
    return [...list.values()].sort();
  }

  private onSnapshot(snapshot: LiveSnapshot) {
    this.snapshots.push(snapshot);
    if (this.last !== null && snapshot.seq <= this.last) return;
    this.last = snapshot.seq;
    this.text = snapshot.streaming.find((item) => item.unitKey === "u1")?.text ?? "";
    this.drain();
  }

  private onEvent(event: LiveEvent) {
    if (this.last === null || event.seq > this.last + 1) {
      this.held.set(event.seq, event);
      if (this.last !== null) void this.sync();
      return;
    }
    if (event.seq <= this.last) return;
    this.apply(event);
    this.drain();
  }

  private apply(event: LiveEvent) {
    this.last = event.seq;
    this.applied.push(event);
    if (event.name === "persona_responded" && event.delta) this.text += event.delta;
  }

  private drain() {
    for (const [seq, event] of [...this.held].sort((a, b) => a[0] - b[0])) {
      if (this.last === null) return;
      if (seq <= this.last) this.held.delete(seq);
      else if (seq === this.last + 1) {
        this.held.delete(seq);
        this.apply(event);
      } else break;
    }
  }

  /** Fetches what lies between the last applied event and the ones held. */
  async sync(): Promise<void> {
    if (this.syncing || this.last === null) return;
    this.syncing = true;
    this.syncs += 1;
    try {
      const result = (await this.socket.timeout(5_000).emitWithAck(LIVE_MSG.sync, { afterSeq: this.last })) as
        { events: LiveEvent[] } | { snapshot: LiveSnapshot };
      if ("events" in result) {
        for (const event of result.events) if (this.last !== null && event.seq === this.last + 1) this.apply(event);
      } else if ("snapshot" in result) this.onSnapshot(result.snapshot);
      this.drain();
    } finally {
      this.syncing = false;
    }
    if ([...this.held.keys()].some((seq) => this.last !== null && seq > this.last + 1)) void this.sync();
  }

  close() {
    this.socket.close();
  }
}
