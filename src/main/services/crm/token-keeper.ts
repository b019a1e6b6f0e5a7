import { z } from "zod";
import type { Logger } from "../logger";
import type { CrmProviderId } from "./crm-provider";
import { CrmFailure } from "./crm-failure";

/** What the secret store keeps per connected CRM (encrypted; never sent to the renderer, never logged). */
export const tokenSetSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Epoch ms; null when the CRM does not say (Salesforce). */
  expiresAt: z.number().nullable(),
  /** Salesforce: the org's instance URL, which every REST call goes to. */
  instanceUrl: z.string().url().nullable(),
});
export type TokenSet = z.infer<typeof tokenSetSchema>;

/** A refresh answer: a missing refresh token means the old one stays valid (no rotation). */
export type RefreshedTokens = Omit<TokenSet, "refreshToken"> & { refreshToken: string | null };

/** A CRM's token endpoint (or, for HubSpot in the app, Sight Cloud's broker in front of it). */
export interface TokenEndpoint {
  exchangeCode(input: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<RefreshedTokens>;
  revoke(tokens: TokenSet): Promise<void>;
}

export interface TokenKeeperOptions {
  provider: CrmProviderId;
  tokens: TokenSet;
  refresh(refreshToken: string): Promise<RefreshedTokens>;
  /** Called with every new token set (a rotated refresh token included) before it is used. */
  persist(tokens: TokenSet): Promise<void>;
  /** Refresh this long before `expiresAt` (HubSpot's tokens live 30 minutes). */
  refreshAheadMs?: number;
  now?: () => number;
  logger?: Logger;
}

/**
 * Holds a connection's tokens and refreshes them at most once at a time: every caller that
 * finds the token expired, or was refused with it, waits on the same refresh (single flight).
 */
export class TokenKeeper {
  private tokens: TokenSet;
  private inflight: Promise<TokenSet> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: TokenKeeperOptions) {
    this.tokens = tokenSetSchema.parse(options.tokens);
    this.now = options.now ?? Date.now;
  }

  current(): TokenSet {
    return { ...this.tokens };
  }

  /** A token to send now: refreshed first when it expires within `refreshAheadMs`. */
  async accessToken(): Promise<string> {
    const { expiresAt } = this.tokens;
    const ahead = this.options.refreshAheadMs ?? 0;
    if (expiresAt !== null && expiresAt - ahead <= this.now()) return (await this.refreshOnce()).accessToken;
    return this.tokens.accessToken;
  }

  /**
   * The CRM refused `rejected` (401). Refreshes unless another caller already did, and answers
   * the token to retry with.
   */
  async afterRejection(rejected: string): Promise<string> {
    if (this.tokens.accessToken !== rejected) return this.tokens.accessToken;
    return (await this.refreshOnce()).accessToken;
  }

  /** Runs `call` with the current token and, after a 401, once more with the token the (shared) refresh gave. */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof CrmFailure && error.kind === "auth")) throw error;
      return call(await this.afterRejection(token));
    }
  }

  private refreshOnce(): Promise<TokenSet> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async doRefresh(): Promise<TokenSet> {
    const answered = await this.options.refresh(this.tokens.refreshToken);
    const next = tokenSetSchema.parse({
      ...answered,
      refreshToken: answered.refreshToken ?? this.tokens.refreshToken,
      instanceUrl: answered.instanceUrl ?? this.tokens.instanceUrl,
    });
    const rotated = next.refreshToken !== this.tokens.refreshToken;
    await this.options.persist(next);
    this.tokens = next;
    this.options.logger?.info("crm.token_refreshed", {
      provider: this.options.provider,
      rotated,
      expiresAt: next.expiresAt === null ? null : new Date(next.expiresAt).toISOString(),
    });
    return next;
  }
}
