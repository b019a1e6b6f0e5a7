import crypto from "node:crypto";
import { AppError } from "../../shared/contract/errors";
import type { CloudSession } from "../../shared/cloud/contract";
import type { Logger } from "../../main/services/logger";
import type { PrismaClient } from "../db/generated/client";
import { dummyHash, hashPassword, SCRYPT_PARAMS, verifyPassword, type ScryptParams } from "./passwords";
import type { RateLimiter, RateRule } from "./rate-limit";
import { hashToken, newRefreshToken, REFRESH_TOKEN_TTL_MS, signAccessToken, verifyAccessToken } from "./tokens";

// Failed sign-ins: 10 per email and 50 per client address in 15 minutes, counted in PostgreSQL.
const SIGN_IN_PER_EMAIL: RateRule = { limit: 10, windowMs: 15 * 60_000 };
const SIGN_IN_PER_ADDRESS: RateRule = { limit: 100, windowMs: 15 * 60_000 };
// Deleting an account asks for the password: a stolen access token must not guess it freely.
const DELETE_PER_ACCOUNT: RateRule = { limit: 5, windowMs: 15 * 60_000 };
const SIGN_UP_PER_ADDRESS: RateRule = { limit: 20, windowMs: 60 * 60_000 };

export interface AccountsDeps {
  prisma: PrismaClient;
  rateLimiter: RateLimiter;
  accessKey: Uint8Array;
  now: () => Date;
  logger: Logger;
  scrypt?: ScryptParams;
  /** Cancels the account's Stripe subscriptions when it is deleted (billing may be off). */
  onDelete?: (accountId: string) => Promise<void>;
}

const wrongCredentials = () =>
  new AppError("UNAUTHORIZED", "The email or password is wrong.", { reason: "credentials" });
const sessionEnded = (reason: string) =>
  new AppError("UNAUTHORIZED", "This sign-in has ended; sign in again.", { reason });

export function createAccountsService(deps: AccountsDeps) {
  const scrypt = deps.scrypt ?? SCRYPT_PARAMS;

  const accountView = (account: { id: string; email: string | null; createdAt: Date }) => ({
    id: account.id,
    email: account.email ?? "",
    createdAt: account.createdAt.toISOString(),
  });

  /** A new refresh token in `familyId` (a new family for a new sign-in) and an access token. */
  const issueSession = async (
    account: { id: string; email: string | null; createdAt: Date },
    familyId: string,
    device: string | undefined,
    db: Pick<PrismaClient, "refreshToken"> = deps.prisma,
  ): Promise<CloudSession> => {
    const refreshToken = newRefreshToken();
    const at = deps.now();
    await db.refreshToken.create({
      data: {
        id: crypto.randomUUID(),
        accountId: account.id,
        familyId,
        tokenHash: hashToken(refreshToken),
        createdAt: at,
        expiresAt: new Date(at.getTime() + REFRESH_TOKEN_TTL_MS),
        device: device ?? null,
      },
    });
    const access = await signAccessToken(deps.accessKey, account.id, at);
    return {
      account: accountView(account),
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
    };
  };

  return {
    async signUp(input: { email: string; password: string; device?: string }, address: string): Promise<CloudSession> {
      await deps.rateLimiter.take(`signup:ip:${address}`, SIGN_UP_PER_ADDRESS);
      const passwordHash = await hashPassword(input.password, scrypt);
      try {
        const account = await deps.prisma.account.create({
          data: {
            id: `acct_${crypto.randomBytes(12).toString("base64url")}`,
            email: input.email,
            passwordHash,
            createdAt: deps.now(),
          },
        });
        deps.logger.info("cloud.account_created", { accountId: account.id });
        return await issueSession(account, crypto.randomUUID(), input.device);
      } catch (error) {
        if ((error as { code?: string }).code === "P2002") {
          throw new AppError("CONFLICT", "An account with this email already exists; sign in instead.", {
            reason: "email_taken",
          });
        }
        throw error;
      }
    },

    async signIn(input: { email: string; password: string; device?: string }, address: string): Promise<CloudSession> {
      const emailKey = `signin:email:${input.email}`;
      const addressKey = `signin:ip:${address}`;
      // Every attempt counts before the password is checked; a success clears the email's count.
      await deps.rateLimiter.take(emailKey, SIGN_IN_PER_EMAIL);
      await deps.rateLimiter.take(addressKey, SIGN_IN_PER_ADDRESS);
      const account = await deps.prisma.account.findUnique({ where: { email: input.email } });
      const ok =
        account?.passwordHash && !account.deletedAt
          ? await verifyPassword(input.password, account.passwordHash)
          : (await verifyPassword(input.password, await dummyHash(scrypt)), false);
      if (!ok || !account) throw wrongCredentials();
      await deps.rateLimiter.reset(emailKey);
      // Every sign-in (a second desktop, a browser) is its own token family: signing out or a
      // detected reuse on one device leaves the others signed in.
      return issueSession(account, crypto.randomUUID(), input.device);
    },

    /**
     * Rotation: the presented token is marked rotated by a compare-and-set, so of two requests
     * with one token only one wins. Presenting a rotated token again means it leaked (or a
     * client replayed it): the whole family is revoked (OAuth 2.0 Security BCP, §4.14).
     */
    async refresh(refreshToken: string): Promise<CloudSession> {
      const tokenHash = hashToken(refreshToken);
      const at = deps.now();
      const outcome = await deps.prisma.$transaction(async (tx) => {
        const current = await tx.refreshToken.findUnique({ where: { tokenHash }, include: { account: true } });
        if (!current) throw sessionEnded("unknown");
        if (current.revokedAt || current.account.deletedAt) throw sessionEnded("revoked");
        if (current.expiresAt <= at) throw sessionEnded("expired");
        const won = await tx.refreshToken.updateMany({
          where: { id: current.id, rotatedAt: null, revokedAt: null },
          data: { rotatedAt: at },
        });
        if (won.count === 0) {
          // Committed with the transaction: the revocation must stick although the caller gets an error.
          await tx.refreshToken.updateMany({
            where: { familyId: current.familyId, revokedAt: null },
            data: { revokedAt: at },
          });
          return { reuse: current, session: null };
        }
        return {
          reuse: null,
          session: await issueSession(current.account, current.familyId, current.device ?? undefined, tx),
        };
      });
      if (outcome.reuse) {
        deps.logger.warn("cloud.refresh_token_reuse", {
          accountId: outcome.reuse.accountId,
          familyId: outcome.reuse.familyId,
        });
        throw sessionEnded("reuse");
      }
      return outcome.session!;
    },

    async signOut(refreshToken: string): Promise<void> {
      const row = await deps.prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(refreshToken) } });
      if (!row) return;
      await deps.prisma.refreshToken.updateMany({
        where: { familyId: row.familyId, revokedAt: null },
        data: { revokedAt: deps.now() },
      });
    },

    /** The account behind a bearer access token, refusing deleted accounts. */
    async authenticate(authorization: string | undefined) {
      const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? "")?.[1];
      if (!token) throw new AppError("UNAUTHORIZED", "Sign in first.", { reason: "missing_token" });
      const accountId = await verifyAccessToken(deps.accessKey, token, deps.now());
      if (!accountId)
        throw new AppError("UNAUTHORIZED", "The access token is invalid or expired.", { reason: "invalid_token" });
      const account = await deps.prisma.account.findUnique({ where: { id: accountId } });
      if (!account || account.deletedAt)
        throw new AppError("UNAUTHORIZED", "This account no longer exists.", { reason: "deleted" });
      return account;
    },

    view: accountView,

    /**
     * Deletion: subscriptions are cancelled first (so no charge follows), then every sign-in is
     * revoked and the email and password are forgotten. The row stays, anonymised, so webhooks
     * that arrive late for its customer are recognised and ignored.
     */
    async deleteAccount(accountId: string, password: string): Promise<void> {
      const account = await deps.prisma.account.findUnique({ where: { id: accountId } });
      if (!account?.passwordHash || account.deletedAt) throw sessionEnded("deleted");
      await deps.rateLimiter.take(`delete:account:${accountId}`, DELETE_PER_ACCOUNT);
      if (!(await verifyPassword(password, account.passwordHash))) throw wrongCredentials();
      await deps.onDelete?.(accountId);
      const at = deps.now();
      await deps.prisma.$transaction([
        deps.prisma.refreshToken.updateMany({ where: { accountId, revokedAt: null }, data: { revokedAt: at } }),
        deps.prisma.account.update({
          where: { id: accountId },
          data: { deletedAt: at, email: null, passwordHash: null },
        }),
      ]);
      deps.logger.info("cloud.account_deleted", { accountId });
    },
  };
}
export type AccountsService = ReturnType<typeof createAccountsService>;
