import { z } from "zod";
import { route } from "./define";
import { idSchema, isoDateSchema } from "./common";
import { FOCUS_GROUP_STATUSES, insightSchema, MESSAGE_PHASES, messageSchema } from "./focus-groups";

/**
 * Live sessions: teammates watch a focus group as it happens and co-moderators whisper probes.
 *
 * One wire protocol, carried two ways: directly by the researcher's app (socket.io on an interface
 * they choose) or through Sight Cloud's relay. Viewers speak only the messages below; a viewer's
 * socket can call nothing else. Every event of a session carries a sequence number, so a late
 * joiner (snapshot at seq N, then events > N) and a reconnecting viewer (events > its last seq)
 * see no gap and no duplicate.
 */

export const LIVE_ROLES = ["viewer", "co-moderator"] as const;
export type LiveRole = (typeof LIVE_ROLES)[number];

/** socket.io path of the direct server and of the relay's viewer endpoint. */
export const LIVE_SOCKET_PATH = "/live/socket.io";
/** Namespaces: viewers on one, the publishing host (relay only) on the other. */
export const LIVE_VIEWER_NAMESPACE = "/viewer";
export const LIVE_HOST_NAMESPACE = "/host";

/** Message names on a viewer's socket. */
export const LIVE_MSG = {
  /** server → viewer, once after the handshake: the session so far. */
  snapshot: "live:snapshot",
  /**
   * server → viewer: sequenced events, in seq order (an array of 1 to LIVE_EVENTS_PER_PACKET).
   * Events published together travel as one packet: the server encodes it once for every viewer.
   */
  events: "live:events",
  /** server → viewer: the session ended or the invite stopped being valid; the socket closes. */
  closed: "live:closed",
  /** viewer → server (ack): events after a seq, or a fresh snapshot when they are no longer held. */
  sync: "live:sync",
  /** viewer → server: the viewer went idle or came back. */
  presence: "live:presence",
  /** co-moderator → server (ack): suggest a probe for the moderator's next turn. */
  probe: "live:probe",
} as const;

/** A signed invite token (JWS compact, EdDSA): three base64url segments. */
export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{10,1000}\.[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{10,1000}$/;
export const inviteTokenSchema = z.string().max(4000).regex(INVITE_TOKEN_PATTERN, "not an invite token");

/** What the handshake carries (socket.io `auth`). `name` is what others see in presence. */
export const liveHandshakeSchema = z.object({
  token: inviteTokenSchema,
  name: z.string().trim().min(1).max(60).optional(),
  /**
   * Reconnecting: the last seq this viewer applied. The server then sends the events after it
   * (no snapshot), or a snapshot when it no longer holds them all.
   */
  afterSeq: z.number().int().nonnegative().optional(),
  /**
   * The session the viewer means to join (its link names it). Sight Cloud's relay serves many
   * sessions, so an invite for another one is refused with WRONG_SESSION instead of joining it.
   */
  sessionId: idSchema.optional(),
});

/** The claims of an invite token (besides iat/exp/aud/iss). */
export const inviteClaimsSchema = z.object({
  /** Invite id (the JWT `jti`), checked against revocations. */
  jti: idSchema,
  /** Live session id. */
  sid: idSchema,
  role: z.enum(LIVE_ROLES),
  exp: z.number().int(),
});
export type InviteClaims = z.infer<typeof inviteClaimsSchema>;

export const PRESENCE_STATES = ["active", "idle"] as const;
export const presenceViewerSchema = z.object({
  /** One id per connected socket. */
  id: z.string().min(1).max(64),
  name: z.string(),
  role: z.enum(LIVE_ROLES),
  state: z.enum(PRESENCE_STATES),
  joinedAt: isoDateSchema,
});
export type PresenceViewer = z.infer<typeof presenceViewerSchema>;

export const liveParticipantSchema = z.object({
  id: idSchema,
  name: z.string(),
  age: z.number().int(),
  gender: z.string(),
  location: z.string(),
  occupation: z.string(),
  education: z.string(),
  income: z.string(),
  demographics: z.record(z.string(), z.string()),
});
export type LiveParticipant = z.infer<typeof liveParticipantSchema>;

const stageSchema = z.object({
  questionIndex: z.number().int(),
  phase: z.enum(MESSAGE_PHASES),
  round: z.number().int(),
});

/** `missed`: still waiting or approved when the discussion finished its questions, so never asked. */
export const PROBE_STATUSES = ["queued", "approved", "rejected", "asked", "missed"] as const;
export const probeSchema = z.object({
  id: idSchema,
  text: z.string(),
  suggestedBy: z.string(),
  status: z.enum(PROBE_STATUSES),
  createdAt: isoDateSchema,
});
export type LiveProbe = z.infer<typeof probeSchema>;
export const probeInputSchema = z.object({ text: z.string().trim().min(3).max(500) });

/** Sequenced event bodies: the seed's names, plus presence. */
export const liveEventBodySchema = z.discriminatedUnion("name", [
  /** Streamed tokens of a message (delta) or the finished, saved message. */
  z.object({
    name: z.literal("persona_responded"),
    unitKey: z.string(),
    speakerName: z.string(),
    personaId: idSchema.optional(),
    delta: z.string().optional(),
    message: messageSchema.optional(),
  }),
  z.object({
    name: z.literal("discussion_updated"),
    status: z.enum(FOCUS_GROUP_STATUSES),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    stage: stageSchema.optional(),
    /** The question being discussed, in the guide's words. */
    question: z.string().optional(),
  }),
  z.object({ name: z.literal("new_insight"), insight: insightSchema }),
  /**
   * One viewer's change. Only the change travels: the whole list is in the snapshot, and a viewer
   * applies the changes after it in seq order (a list in every event would send O(N²) entries
   * for N joins).
   */
  z.object({
    name: z.literal("presence"),
    change: z.enum(["joined", "left", "idle", "active"]),
    viewer: presenceViewerSchema,
  }),
  /** A whispered probe changed state (queued, approved, rejected, asked). */
  z.object({
    name: z.literal("probe_updated"),
    probe: probeSchema,
  }),
]);
export type LiveEventBody = z.infer<typeof liveEventBodySchema>;

export const liveEventSchema = z.object({ seq: z.number().int().positive() }).and(liveEventBodySchema);
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** The most events one `live:events` packet carries (a long catch-up goes as several). */
export const LIVE_EVENTS_PER_PACKET = 500;
export const liveEventsPacketSchema = z.array(liveEventSchema).min(1).max(LIVE_EVENTS_PER_PACKET);

/** The session as of `seq`: everything a viewer needs to render it. */
export const liveSnapshotSchema = z.object({
  sessionId: idSchema,
  seq: z.number().int().nonnegative(),
  role: z.enum(LIVE_ROLES),
  /** This viewer's presence id. */
  you: z.string(),
  focusGroup: z.object({
    id: idSchema,
    name: z.string(),
    status: z.enum(FOCUS_GROUP_STATUSES),
    guide: z.array(z.object({ question: z.string() })),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    stage: stageSchema.optional(),
  }),
  participants: z.array(liveParticipantSchema),
  messages: z.array(messageSchema),
  /** Messages being streamed at `seq`: their text so far. */
  streaming: z.array(
    z.object({ unitKey: z.string(), speakerName: z.string(), personaId: idSchema.optional(), text: z.string() }),
  ),
  insights: z.array(insightSchema),
  viewers: z.array(presenceViewerSchema),
  probes: z.array(probeSchema),
  expiresAt: isoDateSchema,
});
export type LiveSnapshot = z.infer<typeof liveSnapshotSchema>;

export const liveSyncInputSchema = z.object({ afterSeq: z.number().int().nonnegative() });
export const liveSyncResultSchema = z.union([
  z.object({ events: z.array(liveEventSchema) }),
  z.object({ snapshot: liveSnapshotSchema }),
]);

export const LIVE_CLOSE_REASONS = ["ended", "revoked", "expired"] as const;
export const liveClosedSchema = z.object({ reason: z.enum(LIVE_CLOSE_REASONS), message: z.string() });

/** Errors a viewer's handshake or calls get (socket.io `connect_error` data / ack error). */
export const LIVE_ERROR_CODES = [
  "INVITE_MISSING",
  "INVITE_INVALID",
  "INVITE_EXPIRED",
  "INVITE_REVOKED",
  "SESSION_ENDED",
  "WRONG_SESSION",
  "FORBIDDEN",
  "RATE_LIMITED",
  "VALIDATION_FAILED",
  /** Relay: the researcher's app is not connected (or did not answer), so a probe cannot reach it. */
  "HOST_UNAVAILABLE",
  /** The discussion has asked all its questions: a probe can no longer be asked. */
  "DISCUSSION_FINISHED",
] as const;
export type LiveErrorCode = (typeof LIVE_ERROR_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Relay (Sight Cloud): the researcher's app publishes on the host namespace.
// ---------------------------------------------------------------------------------------------

/**
 * Host handshake (`auth`): the Cloud account's access token, the session, and the public key
 * (Ed25519 JWK) that signs its invites, so any relay instance can verify a viewer's token.
 */
export const relayHostHandshakeSchema = z.object({
  accessToken: z.string().min(10).max(4000),
  sessionId: idSchema,
  publicKey: z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().min(40).max(60) }),
  /** Expiry of the session (the latest an invite may live); the relay forgets it after. */
  expiresAt: isoDateSchema,
});

export const RELAY_MSG = {
  /** host → relay (ack {ok, lastHostSeq}): events in host order; the relay assigns the session's seq. */
  publish: "relay:publish",
  /** host → relay (ack): the session's state as of the host event `hostSeq` (no viewer fields). */
  snapshot: "relay:snapshot",
  /** host → relay (ack): an invite was revoked; its viewers are disconnected on every instance. */
  revoke: "relay:revoke",
  /** host → relay (ack): the session ended; every viewer is disconnected. */
  end: "relay:end",
  /** relay → host (ack {probe} | {error}): a co-moderator suggested a probe. */
  probe: "relay:probe",
  /**
   * relay → host: everyone watching through the relay, for the host's "who is watching"
   * ({ viewers }); sent when the host connects and after changes, at most every
   * RELAY_PRESENCE_MS (a burst of joins is one message).
   */
  presence: "relay:presence",
} as const;

/** The relay tells the host who is watching at most this often. */
export const RELAY_PRESENCE_MS = 250;
export const relayPresenceSchema = z.object({ viewers: z.array(presenceViewerSchema) });

/** Host events carry the host's own counter, so a batch re-sent after a reconnect is applied once. */
export const relayPublishSchema = z.object({
  events: z
    .array(z.object({ hostSeq: z.number().int().positive() }).and(liveEventBodySchema))
    .min(1)
    .max(500),
});
export const relaySnapshotSchema = z.object({
  hostSeq: z.number().int().nonnegative(),
  snapshot: liveSnapshotSchema.omit({ sessionId: true, seq: true, role: true, you: true, viewers: true }),
});
export const relayRevokeSchema = z.object({ inviteId: idSchema });
export const relayProbeRequestSchema = z.object({
  inviteId: idSchema,
  suggestedBy: z.string(),
  text: probeInputSchema.shape.text,
});

// ---------------------------------------------------------------------------------------------
// Routes (renderer ↔ main): the researcher's side.
// ---------------------------------------------------------------------------------------------

export const liveInviteSchema = z.object({
  id: idSchema,
  sessionId: idSchema,
  role: z.enum(LIVE_ROLES),
  label: z.string(),
  createdAt: isoDateSchema,
  expiresAt: isoDateSchema,
  revokedAt: isoDateSchema.nullable(),
  /** Viewers connected with it now. */
  connected: z.number().int().nonnegative(),
});
export type LiveInvite = z.infer<typeof liveInviteSchema>;

export const networkInterfaceSchema = z.object({
  name: z.string(),
  address: z.string(),
  family: z.enum(["IPv4", "IPv6"]),
  internal: z.boolean(),
});

export const liveSessionSchema = z.object({
  id: idSchema,
  focusGroupId: idSchema,
  status: z.enum(["active", "ended"]),
  createdAt: isoDateSchema,
  endedAt: isoDateSchema.nullable(),
  /** The last seq handed out. */
  seq: z.number().int().nonnegative(),
  autoApprove: z.boolean(),
  /** Direct mode: where this app serves the session (null when not serving). */
  direct: z.object({ address: z.string(), port: z.number().int(), url: z.string() }).nullable(),
  /** Relay mode: published to Sight Cloud (null when not published). */
  relay: z.object({ url: z.string(), connected: z.boolean() }).nullable(),
  viewers: z.array(presenceViewerSchema),
  invites: z.array(liveInviteSchema),
  probes: z.array(probeSchema),
});
export type LiveSession = z.infer<typeof liveSessionSchema>;

const focusGroupRef = z.strictObject({ focusGroupId: idSchema });
const sessionRef = z.strictObject({ sessionId: idSchema });

export const liveRoutes = {
  "live.status": route({
    summary: "The focus group's live session (active or last ended), with its invites, viewers and probes.",
    input: focusGroupRef,
    output: z.object({ session: liveSessionSchema.nullable() }),
    rest: { method: "GET", path: "/focus-groups/{focusGroupId}/live" },
  }),
  "live.interfaces": route({
    summary: "This machine's network interfaces, to choose where a direct live session is served.",
    input: z.strictObject({}),
    output: z.array(networkInterfaceSchema),
    rest: { method: "GET", path: "/live/interfaces" },
  }),
  "live.createInvite": route({
    summary: "Start the focus group's live session if needed and create a signed invite (viewer or co-moderator).",
    input: z.strictObject({
      focusGroupId: idSchema,
      role: z.enum(LIVE_ROLES).default("viewer"),
      label: z.string().trim().max(80).default(""),
      expiresInHours: z.number().int().min(1).max(168).default(24),
    }),
    output: z.object({
      invite: liveInviteSchema,
      /** The signed token; shown once, never stored. */
      token: z.string(),
      /** Links that work now: the browser link needs direct serving or the relay. */
      links: z.object({ browser: z.array(z.string()), app: z.array(z.string()) }),
    }),
    rest: { method: "POST", path: "/focus-groups/{focusGroupId}/live/invites", status: 201 },
  }),
  "live.revokeInvite": route({
    summary: "Revoke an invite: its viewers are disconnected at once and it can no longer join.",
    input: z.strictObject({ inviteId: idSchema }),
    output: liveInviteSchema,
    rest: { method: "POST", path: "/live/invites/{inviteId}/revoke" },
  }),
  "live.end": route({
    summary: "End the live session: every viewer is disconnected and its invites stop working.",
    input: sessionRef,
    output: liveSessionSchema,
    rest: { method: "POST", path: "/live/sessions/{sessionId}/end" },
  }),
  "live.serveDirect": route({
    summary: "Serve the live session from this app on an interface (opt-in; a LAN address for teammates nearby).",
    input: z.strictObject({
      sessionId: idSchema,
      address: z.string().min(2).max(64),
      port: z.number().int().min(0).max(65535).default(0),
    }),
    output: liveSessionSchema,
    rest: { method: "POST", path: "/live/sessions/{sessionId}/direct" },
  }),
  "live.stopDirect": route({
    summary: "Stop serving the live session directly (viewers connected that way are disconnected).",
    input: sessionRef,
    output: liveSessionSchema,
    rest: { method: "DELETE", path: "/live/sessions/{sessionId}/direct" },
  }),
  "live.publishRelay": route({
    summary:
      "Share the live session through Sight Cloud's relay, so teammates anywhere can join (needs a Cloud sign-in).",
    input: sessionRef,
    output: liveSessionSchema,
    rest: { method: "POST", path: "/live/sessions/{sessionId}/relay" },
  }),
  "live.stopRelay": route({
    summary: "Stop sharing through Sight Cloud: viewers connected that way are disconnected.",
    input: sessionRef,
    output: liveSessionSchema,
    rest: { method: "DELETE", path: "/live/sessions/{sessionId}/relay" },
  }),
  "live.decideProbe": route({
    summary: "Approve or reject a co-moderator's probe; an approved one is asked at the moderator's next turn.",
    input: z.strictObject({ probeId: idSchema, decision: z.enum(["approve", "reject"]) }),
    output: probeSchema,
    rest: { method: "POST", path: "/live/probes/{probeId}/decision" },
  }),
  "live.setAutoApprove": route({
    summary: "Approve co-moderators' probes as they arrive.",
    input: z.strictObject({ sessionId: idSchema, autoApprove: z.boolean() }),
    output: liveSessionSchema,
    rest: { method: "PUT", path: "/live/sessions/{sessionId}/auto-approve" },
  }),
};
