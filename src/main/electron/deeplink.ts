import { INVITE_TOKEN_PATTERN, type EventPayload } from "../../shared/contract";
import { hasUnsafeUrlCharacters } from "./url-policy";

/**
 * sight:// deep links (sight-dev:// for unpackaged builds, so a dev build never steals the
 * installed app's links). The grammar is closed; anything else is refused:
 *
 *   sight://open-project/<projectId>[?focusGroup=<id> | ?survey=<id>]   (CRM notes link back to their study)
 *   sight://join-session/<sessionId>?code=<invite token>&via=<origin serving the session>
 *   sight://oauth-callback/<provider>?code=<code>&state=<state>
 *   sight://oauth-callback/<provider>?error=<error>&state=<state>
 *   sight://billing/return
 *
 * The parser only checks shape. OAuth `state` must still be matched against the pending
 * request by whoever started the flow (failing closed when none is pending). billing/return
 * carries nothing and proves nothing: it only prompts a licence refresh from Sight Cloud.
 */
export type DeepLink = EventPayload<"app.deepLink">;

const MAX_URL_LENGTH = 2048;
const SCHEME = /^[a-z][a-z0-9+.-]{0,31}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A live-session invite: the signed token (JWS compact), as src/shared/contract/live.ts defines it. */
const INVITE_CODE = INVITE_TOKEN_PATTERN;
/** Where the session is served: an http(s) origin only (no path, query or credentials). */
const VIA = /^https?:\/\/(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/;
const OAUTH_STATE = /^[A-Za-z0-9_-]{16,256}$/;
// OAuth authorization codes are opaque; RFC 6749 allows printable ASCII (%x20-7E). No spaces here.
const OAUTH_CODE = /^[\x21-\x7e]{1,2048}$/;
const OAUTH_ERROR = /^[A-Za-z_]{1,64}$/;
/** RFC 6749 §4.1.2.1: printable ASCII; Salesforce sends one with every error. */
const OAUTH_ERROR_DESCRIPTION = /^[\x20-\x7e]{1,500}$/;
export const OAUTH_PROVIDERS = ["hubspot", "salesforce"] as const;

type QueryRule = { pattern: RegExp; required: boolean };

function readQuery(params: URLSearchParams, rules: Record<string, QueryRule>): Record<string, string> | null {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [key, value] of params) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule || seen.has(key) || !rule.pattern.test(value)) return null;
    seen.add(key);
    out[key] = value;
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (rule.required && !seen.has(key)) return null;
  }
  return out;
}

export function parseDeepLink(url: unknown, expectedScheme: string): DeepLink | null {
  if (typeof url !== "string" || url.length === 0 || url.length > MAX_URL_LENGTH) return null;
  if (!SCHEME.test(expectedScheme)) return null;
  // Refuse what the URL parser would silently strip or rewrite.
  if (hasUnsafeUrlCharacters(url)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${expectedScheme}:`) return null;
  if (parsed.username !== "" || parsed.password !== "" || parsed.port !== "" || parsed.hash !== "") return null;
  // Non-special schemes keep the host's case; the grammar is lower-case only.
  const host = parsed.host;
  const segments = parsed.pathname.split("/").slice(1);
  // Raw text after "scheme://host": refuse dot segments and encoded tricks before the parser resolves them.
  const rawPath = url.slice(`${expectedScheme}://${host}`.length).split(/[?#]/, 1)[0] ?? "";
  if (!url.toLowerCase().startsWith(`${expectedScheme}://`) || rawPath !== parsed.pathname) return null;

  switch (host) {
    case "open-project": {
      if (segments.length !== 1 || !ID.test(segments[0]!)) return null;
      const query = readQuery(parsed.searchParams, {
        focusGroup: { pattern: ID, required: false },
        survey: { pattern: ID, required: false },
      });
      if (query === null || (query.focusGroup && query.survey)) return null;
      return { kind: "open-project", params: { projectId: segments[0]!, ...query } };
    }
    case "join-session": {
      if (segments.length !== 1 || !ID.test(segments[0]!)) return null;
      const query = readQuery(parsed.searchParams, {
        code: { pattern: INVITE_CODE, required: true },
        via: { pattern: VIA, required: true },
      });
      if (query === null) return null;
      return { kind: "join-session", params: { sessionId: segments[0]!, ...query } };
    }
    case "oauth-callback": {
      const provider = segments[0];
      if (segments.length !== 1 || !(OAUTH_PROVIDERS as readonly string[]).includes(provider ?? "")) return null;
      const hasError = parsed.searchParams.has("error");
      const query = readQuery(
        parsed.searchParams,
        hasError
          ? {
              error: { pattern: OAUTH_ERROR, required: true },
              error_description: { pattern: OAUTH_ERROR_DESCRIPTION, required: false },
              state: { pattern: OAUTH_STATE, required: true },
            }
          : { code: { pattern: OAUTH_CODE, required: true }, state: { pattern: OAUTH_STATE, required: true } },
      );
      if (query === null) return null;
      return { kind: "oauth-callback", params: { provider: provider!, ...query } };
    }
    case "billing": {
      if (segments.length !== 1 || segments[0] !== "return") return null;
      if (readQuery(parsed.searchParams, {}) === null) return null;
      return { kind: "billing-return", params: {} };
    }
    default:
      return null;
  }
}

/**
 * Windows and Linux deliver deep links as a command-line argument (first launch: process.argv;
 * later: the second-instance event's argv). Chromium may add switches around it, so the first
 * argument that parses wins; switches are never parsed as links.
 */
export function findDeepLinkInArgv(argv: readonly string[], expectedScheme: string): DeepLink | null {
  const prefix = `${expectedScheme}:`;
  for (const arg of argv) {
    if (typeof arg !== "string" || arg.startsWith("-") || !arg.toLowerCase().startsWith(prefix)) continue;
    const link = parseDeepLink(arg, expectedScheme);
    if (link) return link;
  }
  return null;
}

/** The app's link scheme: the real one for installed builds, a separate one for development. */
export function deepLinkScheme(isPackaged: boolean): "sight" | "sight-dev" {
  return isPackaged ? "sight" : "sight-dev";
}
