import type { CloudSession } from "../../../shared/cloud/contract";
import { AppError } from "../../../shared/contract";
import type { Logger } from "../logger";
import type { SecretStore } from "../secrets/secret-store";
import type { BillingFiles, StoredAccount } from "./billing-files";
import { createCloudClient, type CloudClient } from "./cloud-client";

export const REFRESH_TOKEN_KEY = "cloud.refreshToken";
/** Renew a little before the Cloud's stated expiry rather than spend a request on a 401. */
const ACCESS_TOKEN_MARGIN_MS = 30_000;

/**
 * The signed-in Cloud account: the access token in memory only, the refresh token in the
 * encrypted secret store (rotated by every refresh and persisted at once, since the old one
 * stops working), the account's id and email in the data folder.
 */
export interface CloudSessionState {
  readonly client: CloudClient;
  account(): StoredAccount | null;
  /** Whether a refresh token is stored (the session may still have been ended elsewhere). */
  signedIn(): Promise<boolean>;
  /** A sign-in's session replaces the stored one; a refresh still in flight for the old one is dropped. */
  adopt(session: CloudSession): Promise<void>;
  /** The stored refresh token, for sign-out (the Cloud revokes it). */
  refreshToken(): Promise<string | null>;
  /** Forgets everything local; a refresh already in flight cannot bring the session back. */
  clear(): Promise<void>;
}

export interface CloudSessionDeps {
  baseUrl: string;
  secrets: SecretStore;
  files: BillingFiles;
  logger: Logger;
  now: () => Date;
  timeoutMs?: number;
}

/** AppError details of a call that needs a session when none is stored. */
export const NOT_SIGNED_IN = "not_signed_in";

export function createCloudSession(deps: CloudSessionDeps): CloudSessionState {
  let access: { token: string; expiresAt: number } | null = null;
  let account = deps.files.readAccount();
  // Bumped by clear() and by a sign-in: a refresh that started before either must not store its
  // new tokens over the session that replaced its own.
  let generation = 0;

  const store = async (session: CloudSession) => {
    await deps.secrets.set(REFRESH_TOKEN_KEY, session.refreshToken);
    access = { token: session.accessToken, expiresAt: Date.parse(session.accessTokenExpiresAt) };
    account = { id: session.account.id, email: session.account.email };
    deps.files.writeAccount(account);
  };

  const client: CloudClient = createCloudClient({
    baseUrl: deps.baseUrl,
    timeoutMs: deps.timeoutMs,
    tokens: {
      current: () =>
        access && !(access.expiresAt - ACCESS_TOKEN_MARGIN_MS <= deps.now().getTime()) ? access.token : null,
      async refresh() {
        const started = generation;
        const refreshToken = await deps.secrets.get(REFRESH_TOKEN_KEY);
        if (!refreshToken) {
          throw new AppError("UNAUTHORIZED", "Sign in to Sight Cloud first.", {
            service: "cloud",
            reason: NOT_SIGNED_IN,
          });
        }
        const session = await client.call("auth.refresh", { refreshToken });
        if (generation !== started) {
          // Signed out meanwhile: give the new token back rather than leave it valid on the Cloud.
          client.call("auth.signOut", { refreshToken: session.refreshToken }).catch((error: unknown) => {
            deps.logger.warn("billing.revoke_after_sign_out_failed", { error });
          });
          throw new AppError("UNAUTHORIZED", "Signed out of Sight Cloud.", { service: "cloud", reason: NOT_SIGNED_IN });
        }
        await store(session);
        return session.accessToken;
      },
    },
  });

  return {
    client,
    account: () => account,
    signedIn: () => deps.secrets.has(REFRESH_TOKEN_KEY),
    async adopt(session) {
      generation++;
      await store(session);
    },
    refreshToken: () => deps.secrets.get(REFRESH_TOKEN_KEY),
    async clear() {
      generation++;
      access = null;
      account = null;
      deps.files.removeAccount();
      await deps.secrets.delete(REFRESH_TOKEN_KEY);
    },
  };
}
