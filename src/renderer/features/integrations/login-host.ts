/**
 * The Salesforce login host a researcher connects through: production, a sandbox, or the org's
 * My Domain. The contract takes an https origin without a path; this checks a typed one the same
 * way before it is sent, and says what is wrong in words the form can show.
 */

export const SALESFORCE_LOGIN_HOSTS = {
  production: "https://login.salesforce.com",
  sandbox: "https://test.salesforce.com",
} as const;

export const LOGIN_HOST_CHOICES = ["production", "sandbox", "custom"] as const;
export type LoginHostChoice = (typeof LOGIN_HOST_CHOICES)[number];

export const LOGIN_HOST_PROBLEMS = [
  "empty",
  "not_https",
  "has_credentials",
  "has_path",
  "not_address",
  "too_long",
] as const;
export type LoginHostProblem = (typeof LOGIN_HOST_PROBLEMS)[number];

/** `url` undefined: send none, and main uses its own production host (a test build points it at a fake). */
export type LoginHostResult = { ok: true; url: string | undefined } | { ok: false; problem: LoginHostProblem };

/** The contract's limit on `loginUrl`. */
const MAX_LENGTH = 300;
/** A DNS name or IPv4 address, with an optional port: letters, digits, dots and hyphens. */
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/i;

/**
 * The login URL to send for a choice: none for production (main's default), the sandbox host, or
 * a typed My Domain.
 * A custom host may be typed without its scheme ("acme.my.salesforce.com"); it comes back as
 * `https://acme.my.salesforce.com`, lower-case and without a trailing slash.
 */
export function loginUrlOf(choice: LoginHostChoice, typed: string): LoginHostResult {
  if (choice === "production") return { ok: true, url: undefined };
  if (choice === "sandbox") return { ok: true, url: SALESFORCE_LOGIN_HOSTS.sandbox };
  const raw = typed.trim();
  if (raw === "") return { ok: false, problem: "empty" };
  if (raw.length > MAX_LENGTH) return { ok: false, problem: "too_long" };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (scheme && scheme[1]!.toLowerCase() !== "https") return { ok: false, problem: "not_https" };
  // "mailto:x" or "http:host" without slashes: a scheme, but not an https address.
  if (!scheme && /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(raw)) return { ok: false, problem: "not_https" };
  const rest = scheme ? raw.slice(scheme[0].length) : raw;
  const slash = rest.search(/[/?#]/);
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const tail = slash === -1 ? "" : rest.slice(slash);
  if (authority.includes("@")) return { ok: false, problem: "has_credentials" };
  if (tail !== "" && tail !== "/") return { ok: false, problem: "has_path" };
  if (!HOST.test(authority)) return { ok: false, problem: "not_address" };
  let url: URL;
  try {
    url = new URL(`https://${authority}`);
  } catch {
    return { ok: false, problem: "not_address" };
  }
  const result = `https://${url.host}`;
  return result.length > MAX_LENGTH ? { ok: false, problem: "too_long" } : { ok: true, url: result };
}
