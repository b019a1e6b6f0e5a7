/**
 * The authorization server both CRM fakes share: authorization codes bound to a client,
 * redirect URI and PKCE challenge (RFC 7636), access tokens that expire, refresh tokens that
 * can rotate, and revocation. Each fake wraps it in its provider's URLs and wire shapes; this
 * part only decides, and says why it refused in a kind the wrapper turns into the provider's
 * own error body.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export type GrantErrorKind =
  | "invalid_client" // unknown client_id or wrong client_secret
  | "invalid_code" // unknown, used or expired authorization code
  | "invalid_verifier" // PKCE code_verifier does not match the challenge
  | "redirect_mismatch" // redirect_uri differs from the one the code was issued for
  | "invalid_refresh_token"; // unknown, revoked or rotated-away refresh token

export class GrantError extends Error {
  constructor(
    readonly kind: GrantErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface OAuthClient {
  clientId: string;
  /** When set, the token endpoint requires it (HubSpot); absent: a public client (Salesforce + PKCE). */
  clientSecret?: string;
}

export interface AuthorizationServerOptions {
  clients: OAuthClient[];
  /** Every code must come with an S256 challenge (public clients). */
  requirePkce: boolean;
  accessTokenTtlS: number;
  /** Each refresh answers a new refresh token and retires the old one. */
  rotateRefreshTokens: boolean;
  /** Prefixes make the fake's tokens recognisable in assertions, as real ones are. */
  prefixes: { access: string; refresh: string; code: string };
  now: () => number;
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string;
  codeChallenge: string | null;
}

export interface Grant {
  accessToken: string;
  /** Absent on a refresh that does not rotate. */
  refreshToken?: string;
  expiresInS: number;
  scope: string;
  clientId: string;
}

interface PendingCode extends AuthorizeRequest {
  expiresAt: number;
}

interface AccessRecord {
  clientId: string;
  scope: string;
  expiresAt: number;
  family: string;
}

interface RefreshRecord {
  clientId: string;
  scope: string;
  family: string;
}

export type AccessCheck =
  { ok: true; clientId: string; scope: string; expiresAt: number } | { ok: false; expired: boolean };

const CODE_TTL_MS = 10 * 60_000;

export function s256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class AuthorizationServer {
  readonly counters = { authorizations: 0, codeExchanges: 0, refreshes: 0, revocations: 0 };
  private codes = new Map<string, PendingCode>();
  private access = new Map<string, AccessRecord>();
  private refresh = new Map<string, RefreshRecord>();
  /** Every token ever issued, so tests can look for them where they must not be (logs). */
  private issued: string[] = [];

  constructor(private readonly options: AuthorizationServerOptions) {}

  /** Validates what the authorize page was opened with; the message is shown on the page. */
  parseAuthorize(query: URLSearchParams): AuthorizeRequest | { error: string } {
    const clientId = query.get("client_id") ?? "";
    if (!this.options.clients.some((client) => client.clientId === clientId)) return { error: "Unknown client_id." };
    const redirectUri = query.get("redirect_uri") ?? "";
    if (!/^(https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|sight:\/\/oauth-callback\/)/.test(redirectUri))
      return { error: "redirect_uri must be a loopback URL or sight://oauth-callback/…" };
    const challenge = query.get("code_challenge");
    const method = query.get("code_challenge_method");
    if (challenge && method !== "S256") return { error: "code_challenge_method must be S256." };
    if (!challenge && this.options.requirePkce) return { error: "code_challenge is required (PKCE)." };
    if (challenge && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return { error: "code_challenge is not an S256 value." };
    return {
      clientId,
      redirectUri,
      state: query.get("state") ?? "",
      scope: query.get("scope") ?? "",
      codeChallenge: challenge,
    };
  }

  /** The user pressed Allow: a single-use code valid for ten minutes. */
  approve(request: AuthorizeRequest): string {
    this.counters.authorizations += 1;
    const code = this.newToken(this.options.prefixes.code);
    this.codes.set(code, { ...request, expiresAt: this.options.now() + CODE_TTL_MS });
    return code;
  }

  exchangeCode(input: {
    code: string;
    clientId: string;
    clientSecret?: string;
    redirectUri: string;
    codeVerifier?: string;
  }): Grant {
    this.counters.codeExchanges += 1;
    this.checkClient(input.clientId, input.clientSecret);
    const pending = this.codes.get(input.code);
    // A code is spent by its first exchange, whatever the outcome (RFC 6749 §4.1.2).
    this.codes.delete(input.code);
    if (!pending || pending.clientId !== input.clientId || pending.expiresAt <= this.options.now())
      throw new GrantError("invalid_code", "The authorization code is unknown, used or expired.");
    if (pending.redirectUri !== input.redirectUri)
      throw new GrantError("redirect_mismatch", "redirect_uri does not match the authorization request.");
    if (pending.codeChallenge !== null) {
      if (!input.codeVerifier || !same(s256(input.codeVerifier), pending.codeChallenge))
        throw new GrantError("invalid_verifier", "The code_verifier does not match the code_challenge.");
    }
    const family = this.newToken("family-");
    const refreshToken = this.newToken(this.options.prefixes.refresh);
    this.refresh.set(refreshToken, { clientId: input.clientId, scope: pending.scope, family });
    return { ...this.issueAccess(input.clientId, pending.scope, family), refreshToken };
  }

  refreshGrant(input: { refreshToken: string; clientId: string; clientSecret?: string }): Grant {
    this.counters.refreshes += 1;
    this.checkClient(input.clientId, input.clientSecret);
    const record = this.refresh.get(input.refreshToken);
    if (!record || record.clientId !== input.clientId)
      throw new GrantError("invalid_refresh_token", "The refresh token is unknown, revoked or expired.");
    const grant = this.issueAccess(record.clientId, record.scope, record.family);
    if (!this.options.rotateRefreshTokens) return grant;
    this.refresh.delete(input.refreshToken);
    const rotated = this.newToken(this.options.prefixes.refresh);
    this.refresh.set(rotated, record);
    return { ...grant, refreshToken: rotated };
  }

  /** Revokes an access or refresh token; a refresh token takes its access tokens with it. Unknown: false. */
  revoke(token: string): boolean {
    this.counters.revocations += 1;
    const refresh = this.refresh.get(token);
    if (refresh) {
      this.refresh.delete(token);
      for (const [value, record] of this.access) if (record.family === refresh.family) this.access.delete(value);
      return true;
    }
    return this.access.delete(token);
  }

  checkAccess(token: string): AccessCheck {
    const record = this.access.get(token);
    if (!record) return { ok: false, expired: false };
    if (record.expiresAt <= this.options.now()) return { ok: false, expired: true };
    return { ok: true, clientId: record.clientId, scope: record.scope, expiresAt: record.expiresAt };
  }

  /** Every live access token expires now (refresh tokens stay valid). */
  expireAccessTokens(): number {
    const now = this.options.now();
    for (const record of this.access.values()) record.expiresAt = Math.min(record.expiresAt, now);
    return this.access.size;
  }

  issuedTokens(): string[] {
    return [...this.issued];
  }

  reset(): void {
    this.codes.clear();
    this.access.clear();
    this.refresh.clear();
    this.issued = [];
    for (const key of Object.keys(this.counters) as (keyof typeof this.counters)[]) this.counters[key] = 0;
  }

  private checkClient(clientId: string, secret: string | undefined): void {
    const client = this.options.clients.find((candidate) => candidate.clientId === clientId);
    if (!client) throw new GrantError("invalid_client", "Unknown client_id.");
    if (client.clientSecret !== undefined && !same(secret ?? "", client.clientSecret))
      throw new GrantError("invalid_client", "The client_secret is missing or wrong.");
  }

  private issueAccess(clientId: string, scope: string, family: string): Grant {
    const accessToken = this.newToken(this.options.prefixes.access);
    const expiresInS = this.options.accessTokenTtlS;
    this.access.set(accessToken, { clientId, scope, family, expiresAt: this.options.now() + expiresInS * 1000 });
    return { accessToken, expiresInS, scope, clientId };
  }

  private newToken(prefix: string): string {
    const token = `${prefix}${randomBytes(24).toString("base64url")}`;
    if (!prefix.startsWith("family-")) this.issued.push(token);
    return token;
  }
}
