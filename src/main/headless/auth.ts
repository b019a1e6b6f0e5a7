import crypto from "node:crypto";
import net from "node:net";
import { sessionCookieName } from "../../shared/contract";

/**
 * The headless host's guard, as pure functions so every rule has a table-driven test.
 * - Host must be one we serve under (defeats DNS rebinding: evil.example resolving to 127.0.0.1):
 *   the bound address, loopback names when bound to loopback, and names the user allowed
 *   (--allowed-hosts) when bound to another interface.
 * - Origin, when a browser sends one, must be our own origin (no cross-site requests).
 * - Credentials: `Authorization: Bearer <token>` or the session cookie the printed URL sets.
 */

export interface GuardConfig {
  token: string;
  /** host[:port] values accepted in the Host header, lower-case. */
  allowedHosts: ReadonlySet<string>;
  /** Origins accepted in the Origin header, e.g. http://127.0.0.1:5170. */
  allowedOrigins: ReadonlySet<string>;
  /** The session cookie's name (it carries the port). */
  cookieName: string;
}

export interface RequestFacts {
  host?: string | undefined;
  origin?: string | undefined;
  authorization?: string | undefined;
  cookie?: string | undefined;
  /** socket.io's handshake `auth.token`, for non-browser clients. */
  handshakeToken?: unknown;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "[::1]";
}

/** An IPv6 literal as it appears in Host and Origin: in brackets. */
function hostForm(name: string): string {
  return name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Normalises one --allowed-hosts entry (a DNS name, IPv4 or IPv6 address, no port or scheme) to the
 * form browsers send in Host, or returns null when it is not one. No wildcards: a pattern would
 * reopen the DNS-rebinding hole the Host check closes.
 */
export function normalizeAllowedHost(entry: string): string | null {
  const name = entry.trim().toLowerCase();
  const bare = name.startsWith("[") && name.endsWith("]") ? name.slice(1, -1) : name;
  if (net.isIPv6(bare)) return `[${bare}]`;
  if (name.startsWith("[")) return null;
  return HOST_NAME.test(name) ? name : null;
}

/**
 * `extraHosts` (already normalised) count only when the bind address is not loopback: a loopback
 * socket is reached through loopback names, and anything else would be a rebinding name.
 */
export function guardConfig(
  token: string,
  bindHost: string,
  port: number,
  extraHosts: readonly string[] = [],
): GuardConfig {
  const names = new Set<string>();
  const loopback = isLoopbackHost(bindHost);
  if (loopback) LOOPBACK_NAMES.forEach((name) => names.add(name));
  names.add(hostForm(bindHost));
  if (!loopback) extraHosts.forEach((name) => names.add(hostForm(name)));
  const allowedHosts = new Set<string>();
  const allowedOrigins = new Set<string>();
  for (const name of names) {
    allowedHosts.add(`${name}:${port}`.toLowerCase());
    allowedOrigins.add(`http://${name}:${port}`.toLowerCase());
  }
  return { token, allowedHosts, allowedOrigins, cookieName: sessionCookieName(port) };
}

export function sessionValue(token: string): string {
  return crypto.createHmac("sha256", token).update("sight-session-v1").digest("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const left = crypto.createHash("sha256").update(a).digest();
  const right = crypto.createHash("sha256").update(b).digest();
  return crypto.timingSafeEqual(left, right) && a.length === b.length;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

export function checkOriginAndHost(facts: RequestFacts, config: GuardConfig): GuardVerdict {
  const host = facts.host?.toLowerCase();
  if (!host || !config.allowedHosts.has(host)) {
    return { ok: false, status: 403, message: "Unexpected Host header; open Sight through the address it printed." };
  }
  if (facts.origin !== undefined && !config.allowedOrigins.has(facts.origin.toLowerCase())) {
    return { ok: false, status: 403, message: "Cross-origin requests are not allowed." };
  }
  return { ok: true };
}

export function hasValidCredentials(facts: RequestFacts, config: GuardConfig): boolean {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(facts.authorization ?? "");
  if (bearer && safeEqual(bearer[1]!, config.token)) return true;
  const cookie = readCookie(facts.cookie, config.cookieName);
  if (cookie && safeEqual(cookie, sessionValue(config.token))) return true;
  if (typeof facts.handshakeToken === "string" && safeEqual(facts.handshakeToken, config.token)) return true;
  return false;
}

export function checkRequest(facts: RequestFacts, config: GuardConfig): GuardVerdict {
  const place = checkOriginAndHost(facts, config);
  if (!place.ok) return place;
  if (!hasValidCredentials(facts, config)) {
    return { ok: false, status: 401, message: "Missing or invalid token." };
  }
  return { ok: true };
}

export function sessionCookieHeader(config: GuardConfig): string {
  return `${config.cookieName}=${sessionValue(config.token)}; HttpOnly; SameSite=Strict; Path=/`;
}
