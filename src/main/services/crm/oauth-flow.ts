/**
 * The pending OAuth authorizations: at most one per provider, each with a random `state` and a
 * PKCE pair, valid ten minutes. A callback is accepted only with the pending flow's exact state,
 * once; everything else is refused (fail closed) with a reason the UI can word.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../../../shared/contract";
import type { CrmProviderId } from "./crm-provider";
import { createPkcePair } from "./pkce";

export const OAUTH_FLOW_TIMEOUT_MS = 10 * 60_000;

export type OAuthRefusal =
  | "no_pending_flow" // nothing was started for this provider (or it already finished)
  | "state_mismatch" // not the state Sight sent
  | "replayed" // the state of a callback already handled
  | "expired" // older than ten minutes
  | "denied"; // the user pressed Deny (the CRM answered error=access_denied)

export class OAuthFlowError extends AppError {
  readonly reason: OAuthRefusal;
  constructor(provider: CrmProviderId, reason: OAuthRefusal, message: string) {
    super("UNAUTHORIZED", message, { provider, reason });
    this.name = "OAuthFlowError";
    this.reason = reason;
  }
}

export interface PendingFlow {
  provider: CrmProviderId;
  state: string;
  codeVerifier: string;
  codeChallenge: string;
  redirectUri: string;
  expiresAt: number;
}

/** What a callback carried: `code` and `state`, or `error` and `state`. */
export interface OAuthCallback {
  state: string;
  code?: string;
  error?: string;
}

export interface CompletedFlow {
  provider: CrmProviderId;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

/** What an authorization request carries besides the provider's endpoint. */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: string[];
}

/** An authorization request URL (RFC 6749 §4.1.1) with the flow's state and S256 challenge (RFC 7636 §4.3). */
export function authorizeUrl(
  endpoint: string,
  request: AuthorizeRequest & { scopes: string[] },
  extra: Record<string, string> = {},
): string {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
  url.searchParams.set("client_id", request.clientId);
  url.searchParams.set("redirect_uri", request.redirectUri);
  url.searchParams.set("scope", request.scopes.join(" "));
  url.searchParams.set("state", request.state);
  url.searchParams.set("code_challenge", request.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

function sameState(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class OAuthFlows {
  private pending = new Map<CrmProviderId, PendingFlow>();
  /** States already handled (or superseded), so a replay says "replayed" rather than "mismatch". */
  private spent: string[] = [];
  /** The same states with their provider, so a replay on the loopback callback names the right one. */
  private spentBy: { state: string; provider: CrmProviderId }[] = [];
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(options: { now?: () => number; timeoutMs?: number } = {}) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? OAUTH_FLOW_TIMEOUT_MS;
  }

  /** Starts a flow; one already pending for the provider is abandoned (its state then refused). */
  /** `statePrefix` (letters, digits, -) tells a relay page where to return the answer (HubSpot's Cloud callback). */
  begin(provider: CrmProviderId, redirectUri: string, statePrefix = ""): PendingFlow {
    const previous = this.pending.get(provider);
    if (previous) this.spend(previous.state, provider);
    const pkce = createPkcePair();
    const flow: PendingFlow = {
      provider,
      // 32 random bytes, base64url: 43 characters, within the deep-link parser's [A-Za-z0-9_-]{16,256}.
      state: `${statePrefix}${randomBytes(32).toString("base64url")}`,
      codeVerifier: pkce.verifier,
      codeChallenge: pkce.challenge,
      redirectUri,
      expiresAt: this.now() + this.timeoutMs,
    };
    this.pending.set(provider, flow);
    return { ...flow };
  }

  hasPending(provider: CrmProviderId): boolean {
    const flow = this.pending.get(provider);
    return !!flow && flow.expiresAt > this.now();
  }

  /** When the pending flow expires (epoch ms), or null when none is pending. */
  pendingUntil(provider: CrmProviderId): number | null {
    const flow = this.pending.get(provider);
    return flow && flow.expiresAt > this.now() ? flow.expiresAt : null;
  }

  /**
   * The provider whose pending (or spent) flow sent this state: the loopback `/oauth/callback`
   * has no provider in its path. Null when no flow ever had it; `complete` then refuses it.
   */
  providerForState(state: string): CrmProviderId | null {
    for (const flow of this.pending.values()) if (sameState(flow.state, state)) return flow.provider;
    const spent = this.spentBy.find((entry) => sameState(entry.state, state));
    return spent?.provider ?? null;
  }

  cancel(provider: CrmProviderId): void {
    const flow = this.pending.get(provider);
    if (flow) this.spend(flow.state, provider);
    this.pending.delete(provider);
  }

  /**
   * Checks a callback against the pending flow and consumes it. A wrong state leaves the real
   * flow pending (a stray or forged callback must not cancel the user's sign-in); a right state
   * ends the flow whatever follows, so it can never be used twice.
   */
  complete(provider: CrmProviderId, callback: OAuthCallback): CompletedFlow {
    const flow = this.pending.get(provider);
    if (this.spent.some((state) => sameState(state, callback.state)))
      throw new OAuthFlowError(provider, "replayed", "This sign-in link was already used; start connecting again.");
    if (!flow)
      throw new OAuthFlowError(provider, "no_pending_flow", "No connection is being set up; start connecting again.");
    if (!sameState(flow.state, callback.state))
      throw new OAuthFlowError(
        provider,
        "state_mismatch",
        "The sign-in answer does not belong to this connection attempt.",
      );
    this.pending.delete(provider);
    this.spend(flow.state, provider);
    if (flow.expiresAt <= this.now())
      throw new OAuthFlowError(provider, "expired", "The sign-in took longer than 10 minutes; start connecting again.");
    if (callback.error || !callback.code)
      throw new OAuthFlowError(provider, "denied", "Access was not granted in the browser.");
    return { provider, code: callback.code, codeVerifier: flow.codeVerifier, redirectUri: flow.redirectUri };
  }

  private spend(state: string, provider?: CrmProviderId): void {
    this.spent.push(state);
    if (this.spent.length > 64) this.spent.shift();
    if (provider) {
      this.spentBy.push({ state, provider });
      if (this.spentBy.length > 64) this.spentBy.shift();
    }
  }
}
