import { importJWK, type CryptoKey, type JWK } from "jose";
import type { PrismaClient } from "../db/generated/client";

/** What a relay instance knows of a session (from PostgreSQL, cached briefly). */
export interface RelaySession {
  id: string;
  accountId: string;
  publicKey: { kty: "OKP"; crv: "Ed25519"; x: string };
  expiresAt: Date;
  endedAt: Date | null;
}

export type RegisterResult = { ok: true; session: RelaySession } | { ok: false; reason: "other_account" | "ended" };

const CACHE_MS = 5_000;

/**
 * The relay's sessions in PostgreSQL (LiveRelaySession, LiveRelayRevocation): which account a
 * session belongs to and the public key that signs its invites, shared by every instance. Keys
 * are cached per instance for a few seconds; revocations are always read fresh.
 */
/** Expired sessions are kept this long (for support questions), then deleted. */
export const PURGE_GRACE_MS = 24 * 60 * 60 * 1000;
/** How often each relay instance purges (all instances may: the delete is idempotent). */
export const PURGE_EVERY_MS = 60 * 60 * 1000;

export function createRelaySessions(prisma: PrismaClient, now: () => Date) {
  const cache = new Map<string, { session: RelaySession; at: number }>();
  const keys = new Map<string, Promise<CryptoKey | Uint8Array>>();
  const toSession = (row: {
    id: string;
    accountId: string;
    publicKey: unknown;
    expiresAt: Date;
    endedAt: Date | null;
  }): RelaySession => ({
    id: row.id,
    accountId: row.accountId,
    publicKey: row.publicKey as RelaySession["publicKey"],
    expiresAt: row.expiresAt,
    endedAt: row.endedAt,
  });
  const remember = (session: RelaySession) => {
    cache.set(session.id, { session, at: now().getTime() });
    if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
    return session;
  };

  return {
    /**
     * Records (or refreshes) a host's session. A session id belongs to the account that first
     * registered it; an ended session stays ended.
     */
    async register(input: {
      sessionId: string;
      accountId: string;
      publicKey: RelaySession["publicKey"];
      expiresAt: Date;
    }): Promise<RegisterResult> {
      const publicKey = { kty: input.publicKey.kty, crv: input.publicKey.crv, x: input.publicKey.x };
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const existing = await prisma.liveRelaySession.findUnique({ where: { id: input.sessionId } });
        if (existing) {
          if (existing.accountId !== input.accountId) return { ok: false, reason: "other_account" };
          if (existing.endedAt) return { ok: false, reason: "ended" };
          const updated = await prisma.liveRelaySession.update({
            where: { id: input.sessionId },
            data: { publicKey, expiresAt: input.expiresAt },
          });
          return { ok: true, session: remember(toSession(updated)) };
        }
        try {
          const created = await prisma.liveRelaySession.create({
            data: { id: input.sessionId, accountId: input.accountId, publicKey, expiresAt: input.expiresAt },
          });
          return { ok: true, session: remember(toSession(created)) };
        } catch (error) {
          // Another instance created it meanwhile: look again (same account or not).
          if ((error as { code?: string }).code !== "P2002") throw error;
        }
      }
      return { ok: false, reason: "other_account" };
    },

    async get(sessionId: string): Promise<RelaySession | null> {
      const cached = cache.get(sessionId);
      if (cached && now().getTime() - cached.at < CACHE_MS) return cached.session;
      const row = await prisma.liveRelaySession.findUnique({ where: { id: sessionId } });
      if (!row) {
        cache.delete(sessionId);
        return null;
      }
      return remember(toSession(row));
    },

    /** The imported public key (imported once per distinct key). */
    key(session: RelaySession): Promise<CryptoKey | Uint8Array> {
      const id = session.publicKey.x;
      let key = keys.get(id);
      if (!key) {
        key = importJWK(session.publicKey as JWK, "EdDSA");
        key.catch(() => keys.delete(id));
        keys.set(id, key);
        if (keys.size > 10_000) keys.delete(keys.keys().next().value!);
      }
      return key;
    },

    async isRevoked(sessionId: string, inviteId: string): Promise<boolean> {
      const row = await prisma.liveRelayRevocation.findUnique({
        where: { sessionId_inviteId: { sessionId, inviteId } },
        select: { inviteId: true },
      });
      return row !== null;
    },

    async revoke(sessionId: string, inviteId: string): Promise<void> {
      await prisma.liveRelayRevocation.upsert({
        where: { sessionId_inviteId: { sessionId, inviteId } },
        create: { sessionId, inviteId, revokedAt: now() },
        update: {},
      });
    },

    /**
     * Forgets sessions that expired more than `graceMs` ago, with their revocations: every invite
     * of them has expired too (an invite never outlives its session), so nothing they held still
     * admits anyone. Returns how many went.
     */
    async purgeExpired(graceMs = PURGE_GRACE_MS): Promise<number> {
      const { count } = await prisma.liveRelaySession.deleteMany({
        where: { expiresAt: { lt: new Date(now().getTime() - graceMs) } },
      });
      return count;
    },

    async end(sessionId: string): Promise<void> {
      await prisma.liveRelaySession.updateMany({
        where: { id: sessionId, endedAt: null },
        data: { endedAt: now() },
      });
      cache.delete(sessionId);
    },
  };
}

export type RelaySessions = ReturnType<typeof createRelaySessions>;
