import os from "node:os";
import { AppError, type RouteOutput, type RouteParsedInput } from "../../../shared/contract";
import {
  liveHandshakeSchema,
  probeInputSchema,
  type LiveProbe,
  type LiveRole,
  type LiveSession,
  type LiveSnapshot,
  type PresenceViewer,
} from "../../../shared/contract/live";
import type { Database } from "../db/open";
import type { LiveInvite as InviteRow, LiveProbe as ProbeRow, LiveSession as SessionRow } from "../db/generated/client";
import type { EventBus } from "../events/bus";
import type { FocusGroupsService } from "../focus-groups/focus-groups-service";
import { toMessage } from "../focus-groups/rows";
import { newId } from "../ids";
import type { Logger } from "../logger";
import { toPersona } from "../personas/persona-row";
import type { SecretStore } from "../secrets/secret-store";
import { startDirectServer, type DirectServer } from "./direct-server";
import { createInviteSigner, LiveRefusal, type InviteSigner } from "./invite-tokens";
import { inviteLinksFor, type AppLinkScheme } from "../../../shared/live/invite-links";
import { LiveFeed } from "./live-feed";
import { startRelayPublisher, type RelayPublisher } from "./relay-publisher";

/** How long the relay keeps a session it was given (longer than the longest invite, 7 days). */
const RELAY_SESSION_DAYS = 8;

/** A co-moderator may suggest this many probes per window. */
export const PROBE_RATE = { count: 3, windowMs: 30_000 };
/** The tables whose changes the host's panel follows (db.changed). */
export const LIVE_TABLES = ["LiveSession", "LiveInvite", "LiveProbe"];

export interface LiveServiceDeps {
  db: Database;
  bus: EventBus;
  secrets: SecretStore;
  logger: Logger;
  now: () => Date;
  focusGroups: Pick<FocusGroupsService, "get" | "insights">;
  /** The built renderer, served to browsers by the direct server (viewer mode). */
  rendererDir?: string;
  /** The deep-link scheme of this build (sight or sight-dev). */
  appScheme?: AppLinkScheme;
  /** Sight Cloud's URL and an access token of the signed-in account (relay mode). */
  cloudAccess?: () => Promise<{ url: string; accessToken: string }>;
}

/** A viewer the handshake admitted. */
export interface Admission {
  sessionId: string;
  inviteId: string;
  role: LiveRole;
  name: string;
  expiresAt: Date;
}

export type CloseTarget = { sessionId: string; inviteId?: string; viewerId?: string };
export type CloseReason = "ended" | "revoked" | "expired";

interface ActiveSession {
  row: SessionRow;
  feed: LiveFeed;
  guide: string[];
  viewers: Map<string, PresenceViewer & { inviteId: string }>;
  direct: DirectServer | null;
  relay: RelayPublisher | null;
  probeTimes: Map<string, number[]>;
  /** Probes already announced as asked. */
  askedProbes: Set<string>;
}

export interface LiveService {
  status(input: RouteParsedInput<"live.status">): Promise<RouteOutput<"live.status">>;
  interfaces(): RouteOutput<"live.interfaces">;
  createInvite(input: RouteParsedInput<"live.createInvite">): Promise<RouteOutput<"live.createInvite">>;
  revokeInvite(input: RouteParsedInput<"live.revokeInvite">): Promise<RouteOutput<"live.revokeInvite">>;
  end(input: RouteParsedInput<"live.end">): Promise<LiveSession>;
  serveDirect(input: RouteParsedInput<"live.serveDirect">): Promise<LiveSession>;
  publishRelay(input: RouteParsedInput<"live.publishRelay">): Promise<LiveSession>;
  stopRelay(input: RouteParsedInput<"live.stopRelay">): Promise<LiveSession>;
  stopDirect(input: RouteParsedInput<"live.stopDirect">): Promise<LiveSession>;
  decideProbe(input: RouteParsedInput<"live.decideProbe">): Promise<LiveProbe>;
  setAutoApprove(input: RouteParsedInput<"live.setAutoApprove">): Promise<LiveSession>;

  // The transports' side (direct server, relay publisher).
  /** Verifies a handshake: token signature and expiry, session active, invite not revoked. */
  admit(handshake: unknown): Promise<Admission & { afterSeq?: number }>;
  /** Is this invite still good (checked again on every message a viewer sends)? */
  stillAdmitted(admission: Admission): boolean;
  feed(sessionId: string): LiveFeed;
  snapshot(admission: Admission, viewerId: string): Promise<LiveSnapshot>;
  join(admission: Admission, viewerId: string): void;
  /**
   * A viewer left. `quiet` when the whole direct server is closing: nobody is left there to tell,
   * and telling each remaining viewer of each departure would queue n² events in one loop.
   */
  leave(sessionId: string, viewerId: string, options?: { quiet?: boolean }): void;
  setPresence(sessionId: string, viewerId: string, state: PresenceViewer["state"]): void;
  suggestProbe(admission: Admission, input: unknown): Promise<LiveProbe>;
  /** A probe a co-moderator sent through the relay: the invite is checked here too. */
  relayedProbe(sessionId: string, request: { inviteId: string; suggestedBy: string; text: string }): Promise<LiveProbe>;
  onClose(listener: (target: CloseTarget, reason: CloseReason, message: string) => void): () => void;
  signer: InviteSigner;
  close(): Promise<void>;
}

const CLOSE_MESSAGES: Record<CloseReason, string> = {
  ended: "The host ended the live session.",
  revoked: "The host revoked this invite.",
  expired: "This invite has expired: ask the host for a new one.",
};

export function createLiveService(deps: LiveServiceDeps): LiveService {
  const { prisma } = deps.db;
  const signer = createInviteSigner(deps.secrets);
  const active = new Map<string, ActiveSession>();
  const byFocusGroup = new Map<string, string>();
  const closeListeners = new Set<(target: CloseTarget, reason: CloseReason, message: string) => void>();
  /** Revoked invite ids of active sessions (the database is the record; this is the fast path). */
  const revoked = new Set<string>();

  const changed = () => deps.bus.emit("db.changed", { tables: LIVE_TABLES });
  const closeViewers = (target: CloseTarget, reason: CloseReason) => {
    for (const listener of closeListeners) listener(target, reason, CLOSE_MESSAGES[reason]);
  };

  const toProbe = (row: ProbeRow): LiveProbe => ({
    id: row.id,
    text: row.text,
    suggestedBy: row.suggestedBy,
    status: row.status as LiveProbe["status"],
    createdAt: row.createdAt.toISOString(),
  });

  async function activate(row: SessionRow): Promise<ActiveSession> {
    const existing = active.get(row.id);
    if (existing) return existing;
    const fg = await deps.focusGroups.get(row.focusGroupId);
    const session: ActiveSession = {
      row,
      feed: new LiveFeed(row.id, row.focusGroupId),
      guide: fg.guide.map((item) => item.question),
      viewers: new Map(),
      direct: null,
      relay: null,
      probeTimes: new Map(),
      askedProbes: new Set(),
    };
    session.feed.status = fg.status;
    const raced = active.get(row.id);
    if (raced) return raced;
    active.set(row.id, session);
    byFocusGroup.set(row.focusGroupId, row.id);
    for (const invite of await prisma.liveInvite.findMany({
      where: { sessionId: row.id, revokedAt: { not: null } },
    }))
      revoked.add(invite.id);
    return session;
  }

  async function activeSession(sessionId: string): Promise<ActiveSession> {
    const found = active.get(sessionId);
    if (found) return found;
    const row = await prisma.liveSession.findUnique({ where: { id: sessionId } });
    if (!row) throw new AppError("NOT_FOUND", `No live session with id ${sessionId}.`);
    if (row.status !== "active") throw new AppError("CONFLICT", "This live session has ended.");
    return activate(row);
  }

  // The bus → the feeds of active sessions (a focus group has at most one).
  const sessionOf = (focusGroupId: string) => {
    const id = byFocusGroup.get(focusGroupId);
    return id === undefined ? undefined : active.get(id);
  };
  const unsubscribe = [
    deps.bus.on("discussion.token", (payload) => sessionOf(payload.focusGroupId)?.feed.token(payload)),
    deps.bus.on("persona_responded", (payload) => sessionOf(payload.focusGroupId)?.feed.message(payload)),
    deps.bus.on("discussion_updated", (payload) => {
      const session = sessionOf(payload.focusGroupId);
      session?.feed.updated(payload, payload.stage ? session.guide[payload.stage.questionIndex] : undefined);
    }),
    deps.bus.on("new_insight", (payload) =>
      sessionOf(payload.focusGroupId)?.feed.publish({ name: "new_insight", insight: payload.insight }),
    ),
  ];

  async function inviteView(row: InviteRow): Promise<LiveSession["invites"][number]> {
    const session = active.get(row.sessionId);
    const connected = session ? [...session.viewers.values()].filter((v) => v.inviteId === row.id).length : 0;
    return {
      id: row.id,
      sessionId: row.sessionId,
      role: row.role as LiveRole,
      label: row.label,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
      connected,
    };
  }

  async function view(row: SessionRow): Promise<LiveSession> {
    const session = row.status === "active" ? active.get(row.id) : undefined;
    const [invites, probes] = await Promise.all([
      prisma.liveInvite.findMany({ where: { sessionId: row.id }, orderBy: { createdAt: "desc" } }),
      prisma.liveProbe.findMany({ where: { sessionId: row.id }, orderBy: { createdAt: "asc" } }),
    ]);
    return {
      id: row.id,
      focusGroupId: row.focusGroupId,
      status: row.status as LiveSession["status"],
      createdAt: row.createdAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
      seq: session?.feed.seq ?? 0,
      autoApprove: row.autoApprove,
      direct: session?.direct ? { ...session.direct.address, url: session.direct.url } : null,
      relay: session?.relay ? { url: session.relay.url, connected: session.relay.connected() } : null,
      viewers: session
        ? [
            ...[...session.viewers.values()].map(({ inviteId: _inviteId, ...viewer }) => viewer),
            ...(session.relay?.viewers() ?? []),
          ]
        : [],
      invites: await Promise.all(invites.map(inviteView)),
      probes: probes.map(toProbe),
    };
  }

  function links(session: ActiveSession, sessionId: string, token: string) {
    const servedAt = { relay: session.relay?.url ?? null, direct: session.direct?.url ?? null };
    const { browser, app } = inviteLinksFor(sessionId, token, servedAt, deps.appScheme ?? "sight");
    return { browser: [...browser], app: [...app] };
  }

  function presence(session: ActiveSession, change: "joined" | "left" | "idle" | "active", viewerId: string) {
    const viewer = session.viewers.get(viewerId);
    if (!viewer) return;
    const { inviteId: _inviteId, ...shown } = viewer;
    if (change === "left") session.viewers.delete(viewerId);
    session.feed.publish({ name: "presence", change, viewer: shown });
  }

  async function endSession(session: ActiveSession, reason: CloseReason) {
    active.delete(session.row.id);
    byFocusGroup.delete(session.row.focusGroupId);
    closeViewers({ sessionId: session.row.id }, reason);
    await session.relay?.end();
    session.relay = null;
    session.feed.close();
    await session.direct?.close();
    session.direct = null;
  }

  const probeChanged = (session: ActiveSession, row: ProbeRow) => {
    session.feed.publish({ name: "probe_updated", probe: toProbe(row) });
    changed();
  };

  // Probes the discussion asked (it marks them in its own commit): tell the session.
  unsubscribe.push(
    deps.bus.on("db.changed", ({ tables }) => {
      if (!tables.includes("LiveProbe") || !tables.includes("FocusGroupMessage")) return;
      for (const session of active.values()) {
        void prisma.liveProbe
          .findMany({ where: { sessionId: session.row.id, status: "asked" } })
          .then((rows) => {
            for (const row of rows) {
              if (session.askedProbes.has(row.id)) continue;
              session.askedProbes.add(row.id);
              session.feed.publish({ name: "probe_updated", probe: toProbe(row) });
            }
          })
          .catch((error: unknown) => deps.logger.warn("live.probes.refresh", { error }));
      }
    }),
  );

  /** Completed or cancelled: no turn is left at which the moderator could ask a probe. */
  const FINISHED_MESSAGE = "The discussion has asked all its questions, so a probe can no longer be asked.";
  const discussionFinished = async (focusGroupId: string) => {
    const { status } = await deps.focusGroups.get(focusGroupId);
    return status === "completed" || status === "cancelled";
  };

  // Probes still waiting or approved when the discussion finished will never be asked: say so.
  unsubscribe.push(
    deps.bus.on("discussion_updated", ({ focusGroupId, status }) => {
      if (status !== "completed" && status !== "cancelled") return;
      const session = sessionOf(focusGroupId);
      void (async () => {
        const where = {
          status: { in: ["queued", "approved"] },
          session: { focusGroupId },
        };
        const left = await prisma.liveProbe.findMany({ where, select: { id: true } });
        if (left.length === 0) return;
        await prisma.liveProbe.updateMany({
          where: { ...where, id: { in: left.map((row) => row.id) } },
          data: { status: "missed", decidedAt: deps.now() },
        });
        const rows = await prisma.liveProbe.findMany({ where: { id: { in: left.map((row) => row.id) } } });
        for (const row of rows) if (session && row.status === "missed") probeChanged(session, row);
        if (!session) changed();
      })().catch((error: unknown) => deps.logger.warn("live.probes.missed", { error }));
    }),
  );

  const service: LiveService = {
    signer,

    async status({ focusGroupId }) {
      await deps.focusGroups.get(focusGroupId);
      const row = await prisma.liveSession.findFirst({ where: { focusGroupId }, orderBy: { createdAt: "desc" } });
      if (row?.status === "active") await activate(row);
      return { session: row ? await view(row) : null };
    },

    interfaces() {
      const list: RouteOutput<"live.interfaces"> = [];
      for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
        for (const entry of addresses ?? []) {
          if (entry.family !== "IPv4" && entry.family !== "IPv6") continue;
          list.push({ name, address: entry.address, family: entry.family, internal: entry.internal });
        }
      }
      // LAN addresses first (what teammates can reach), loopback last.
      return list.sort((a, b) => Number(a.internal) - Number(b.internal) || a.family.localeCompare(b.family));
    },

    async createInvite({ focusGroupId, role, label, expiresInHours }) {
      await deps.focusGroups.get(focusGroupId);
      const now = deps.now();
      let row = await prisma.liveSession.findFirst({ where: { focusGroupId, status: "active" } });
      if (!row) {
        row = await prisma.liveSession.create({
          data: { id: newId(now.getTime()), focusGroupId, createdAt: now },
        });
      }
      const session = await activate(row);
      const expiresAt = new Date(now.getTime() + expiresInHours * 3_600_000);
      const invite = await prisma.liveInvite.create({
        data: { id: newId(now.getTime()), sessionId: row.id, role, label, createdAt: now, expiresAt },
      });
      const token = await signer.sign({ inviteId: invite.id, sessionId: row.id, role, expiresAt });
      changed();
      return { invite: await inviteView(invite), token, links: links(session, row.id, token) };
    },

    async revokeInvite({ inviteId }) {
      const row = await prisma.liveInvite.findUnique({ where: { id: inviteId } });
      if (!row) throw new AppError("NOT_FOUND", `No invite with id ${inviteId}.`);
      const updated = row.revokedAt
        ? row
        : await prisma.liveInvite.update({ where: { id: inviteId }, data: { revokedAt: deps.now() } });
      revoked.add(inviteId);
      closeViewers({ sessionId: row.sessionId, inviteId }, "revoked");
      active.get(row.sessionId)?.relay?.revoke(inviteId);
      changed();
      return inviteView(updated);
    },

    async end({ sessionId }) {
      const row = await prisma.liveSession.findUnique({ where: { id: sessionId } });
      if (!row) throw new AppError("NOT_FOUND", `No live session with id ${sessionId}.`);
      const ended =
        row.status === "ended"
          ? row
          : await prisma.liveSession.update({
              where: { id: sessionId },
              data: { status: "ended", endedAt: deps.now() },
            });
      const session = active.get(sessionId);
      if (session) await endSession(session, "ended");
      changed();
      return view(ended);
    },

    async serveDirect({ sessionId, address, port }) {
      const session = await activeSession(sessionId);
      const known = service.interfaces().some((entry) => entry.address === address);
      if (!known && address !== "127.0.0.1" && address !== "::1")
        throw new AppError("VALIDATION_FAILED", `${address} is not an address of this machine.`);
      await session.direct?.close();
      session.direct = null;
      session.direct = await startDirectServer({
        live: service,
        sessionId,
        address,
        port,
        logger: deps.logger,
        ...(deps.rendererDir ? { rendererDir: deps.rendererDir } : {}),
      });
      changed();
      return view(session.row);
    },

    async publishRelay({ sessionId }) {
      const session = await activeSession(sessionId);
      if (!deps.cloudAccess)
        throw new AppError("PROVIDER_UNAVAILABLE", "Sight Cloud is not configured in this build.", {
          service: "cloud",
          reason: "not_configured",
        });
      if (session.relay) return view(session.row);
      const access = await deps.cloudAccess();
      session.relay = await startRelayPublisher({
        live: service,
        feed: session.feed,
        sessionId,
        cloudUrl: access.url.replace(/\/+$/, ""),
        accessToken: async () => (await deps.cloudAccess!()).accessToken,
        expiresAt: new Date(deps.now().getTime() + RELAY_SESSION_DAYS * 86_400_000),
        logger: deps.logger,
        revoked: async () =>
          (
            await prisma.liveInvite.findMany({ where: { sessionId, revokedAt: { not: null } }, select: { id: true } })
          ).map((row) => row.id),
        onChange: changed,
      });
      changed();
      return view(session.row);
    },

    async stopRelay({ sessionId }) {
      const session = await activeSession(sessionId);
      // Stopping sharing through the Cloud ends the session there: its relay viewers are told.
      await session.relay?.end();
      session.relay = null;
      changed();
      return view(session.row);
    },

    async stopDirect({ sessionId }) {
      const session = await activeSession(sessionId);
      await session.direct?.close();
      session.direct = null;
      changed();
      return view(session.row);
    },

    async decideProbe({ probeId, decision }) {
      const row = await prisma.liveProbe.findUnique({ where: { id: probeId } });
      if (!row) throw new AppError("NOT_FOUND", `No probe with id ${probeId}.`);
      if (row.status !== "queued")
        throw new AppError("CONFLICT", `This probe was already ${row.status}; only a queued probe can be decided.`);
      const session = await activeSession(row.sessionId);
      if (decision === "approve" && (await discussionFinished(session.row.focusGroupId)))
        throw new AppError("CONFLICT", `${FINISHED_MESSAGE} Reject it, or keep it for your next focus group.`, {
          reason: "discussion_finished",
        });
      const updated = await prisma.liveProbe.update({
        where: { id: probeId },
        data: { status: decision === "approve" ? "approved" : "rejected", decidedAt: deps.now() },
      });
      probeChanged(session, updated);
      return toProbe(updated);
    },

    async setAutoApprove({ sessionId, autoApprove }) {
      const session = await activeSession(sessionId);
      session.row = await prisma.liveSession.update({ where: { id: sessionId }, data: { autoApprove } });
      changed();
      return view(session.row);
    },

    async admit(handshake) {
      const parsed = liveHandshakeSchema.safeParse(handshake);
      if (!parsed.success) {
        const hasToken = typeof (handshake as { token?: unknown } | null)?.token === "string";
        throw hasToken
          ? new LiveRefusal("INVITE_INVALID", "This invite is not valid.")
          : new LiveRefusal("INVITE_MISSING", "Open the invite link the host sent you.");
      }
      const claims = await signer.verify(parsed.data.token, deps.now());
      const invite = await prisma.liveInvite.findUnique({ where: { id: claims.jti } });
      if (!invite || invite.sessionId !== claims.sid)
        throw new LiveRefusal("INVITE_INVALID", "This invite is not valid.");
      if (invite.revokedAt || revoked.has(invite.id))
        throw new LiveRefusal("INVITE_REVOKED", "The host revoked this invite.");
      const row = await prisma.liveSession.findUnique({ where: { id: claims.sid } });
      if (!row || row.status !== "active") throw new LiveRefusal("SESSION_ENDED", "This live session has ended.");
      await activate(row);
      return {
        sessionId: claims.sid,
        inviteId: claims.jti,
        role: claims.role,
        name: parsed.data.name ?? (claims.role === "co-moderator" ? "Co-moderator" : "Viewer"),
        expiresAt: new Date(claims.exp * 1000),
        ...(parsed.data.afterSeq === undefined ? {} : { afterSeq: parsed.data.afterSeq }),
      };
    },

    stillAdmitted(admission) {
      return (
        active.has(admission.sessionId) &&
        !revoked.has(admission.inviteId) &&
        admission.expiresAt.getTime() > deps.now().getTime()
      );
    },

    feed(sessionId) {
      const session = active.get(sessionId);
      if (!session) throw new AppError("CONFLICT", "This live session has ended.");
      return session.feed;
    },

    async snapshot(admission, viewerId) {
      const session = await activeSession(admission.sessionId);
      // The feed's state first (streaming() flushes pending deltas, so seq is the state's seq);
      // everything read from the database after it is at least as new, and a viewer drops the
      // duplicate events that follow.
      const streaming = session.feed.streaming();
      const seq = session.feed.seq;
      const stage = session.feed.stage;
      const fg = await deps.focusGroups.get(session.row.focusGroupId);
      const [messageRows, personaRows, insights, probes] = await Promise.all([
        prisma.focusGroupMessage.findMany({ where: { focusGroupId: fg.id }, orderBy: { seq: "asc" } }),
        prisma.persona.findMany({ where: { id: { in: fg.participantIds } } }),
        deps.focusGroups.insights(fg.id),
        prisma.liveProbe.findMany({ where: { sessionId: admission.sessionId }, orderBy: { createdAt: "asc" } }),
      ]);
      const finished = new Set(messageRows.map((row) => row.unitKey));
      const personas = new Map(personaRows.map((row) => [row.id, toPersona(row)]));
      return {
        sessionId: admission.sessionId,
        seq,
        role: admission.role,
        you: viewerId,
        focusGroup: {
          id: fg.id,
          name: fg.name,
          status: fg.status,
          guide: fg.guide.map((item) => ({ question: item.question })),
          progress:
            session.feed.progress.total > 0 ? session.feed.progress : { done: fg.messageCount, total: fg.messageCount },
          ...(stage ? { stage } : {}),
        },
        participants: fg.participantIds
          .map((id) => personas.get(id))
          .filter((p) => p !== undefined)
          .map((p) => ({
            id: p.id,
            name: p.name,
            age: p.age,
            gender: p.gender,
            location: p.location,
            occupation: p.occupation,
            education: p.education,
            income: p.income,
            demographics: p.demographics,
          })),
        messages: messageRows.map(toMessage),
        streaming: streaming.filter((entry) => !finished.has(entry.unitKey)),
        insights: insights.items,
        viewers: [...session.viewers.values()].map(({ inviteId: _inviteId, ...viewer }) => viewer),
        probes: probes.map(toProbe),
        expiresAt: admission.expiresAt.toISOString(),
      };
    },

    join(admission, viewerId) {
      const session = active.get(admission.sessionId);
      if (!session) return;
      session.viewers.set(viewerId, {
        id: viewerId,
        name: admission.name,
        role: admission.role,
        state: "active",
        joinedAt: deps.now().toISOString(),
        inviteId: admission.inviteId,
      });
      presence(session, "joined", viewerId);
      changed();
    },

    leave(sessionId, viewerId, options = {}) {
      const session = active.get(sessionId);
      if (!session?.viewers.has(viewerId)) return;
      if (options.quiet) session.viewers.delete(viewerId);
      else presence(session, "left", viewerId);
      changed();
    },

    setPresence(sessionId, viewerId, state) {
      const session = active.get(sessionId);
      const viewer = session?.viewers.get(viewerId);
      if (!session || !viewer || viewer.state === state) return;
      viewer.state = state;
      presence(session, state, viewerId);
      changed();
    },

    async suggestProbe(admission, input) {
      if (admission.role !== "co-moderator")
        throw new LiveRefusal("FORBIDDEN", "Only a co-moderator can suggest probes.");
      const parsed = probeInputSchema.safeParse(input);
      if (!parsed.success) throw new LiveRefusal("VALIDATION_FAILED", "A probe is 3 to 500 characters.");
      const session = await activeSession(admission.sessionId);
      if (await discussionFinished(session.row.focusGroupId))
        throw new LiveRefusal("DISCUSSION_FINISHED", FINISHED_MESSAGE);
      const now = deps.now().getTime();
      const times = (session.probeTimes.get(admission.inviteId) ?? []).filter((t) => now - t < PROBE_RATE.windowMs);
      if (times.length >= PROBE_RATE.count)
        throw new LiveRefusal(
          "RATE_LIMITED",
          `At most ${PROBE_RATE.count} probes every ${PROBE_RATE.windowMs / 1000} s: wait a moment.`,
        );
      times.push(now);
      session.probeTimes.set(admission.inviteId, times);
      const row = await prisma.liveProbe.create({
        data: {
          id: newId(now),
          sessionId: admission.sessionId,
          inviteId: admission.inviteId,
          suggestedBy: admission.name,
          text: parsed.data.text,
          status: session.row.autoApprove ? "approved" : "queued",
          createdAt: new Date(now),
          ...(session.row.autoApprove ? { decidedAt: new Date(now) } : {}),
        },
      });
      probeChanged(session, row);
      return toProbe(row);
    },

    async relayedProbe(sessionId, request) {
      const invite = await prisma.liveInvite.findUnique({ where: { id: request.inviteId } });
      if (!invite || invite.sessionId !== sessionId)
        throw new LiveRefusal("INVITE_INVALID", "This invite is not valid.");
      if (invite.revokedAt || revoked.has(invite.id))
        throw new LiveRefusal("INVITE_REVOKED", "The host revoked this invite.");
      if (invite.expiresAt.getTime() <= deps.now().getTime())
        throw new LiveRefusal("INVITE_EXPIRED", "This invite has expired: ask the host for a new one.");
      return service.suggestProbe(
        {
          sessionId,
          inviteId: invite.id,
          role: invite.role as LiveRole,
          name: request.suggestedBy,
          expiresAt: invite.expiresAt,
        },
        { text: request.text },
      );
    },

    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },

    async close() {
      for (const off of unsubscribe) off();
      for (const session of [...active.values()]) {
        // Closing the app is not ending the session: the relay keeps it, and the app reconnects.
        await session.relay?.close();
        session.feed.close();
        await session.direct?.close();
      }
      active.clear();
      byFocusGroup.clear();
    },
  };
  return service;
}
