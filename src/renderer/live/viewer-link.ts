// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import { INVITE_TOKEN_PATTERN } from "../../shared/contract/live";

/** What a viewer needs to join: the session, its invite (null when the link carried none) and where it is served. */
export interface ViewerJoin {
  sessionId: string;
  token: string | null;
  origin: string;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const VIEWER_PATH = /^\/live\/([^/]+)\/?$/;

/**
 * The browser link `<origin>/live/<sessionId>#token=<invite>`: the page is a viewer's, and only a
 * viewer's. The token rides in the fragment so it never reaches a server or its logs. A path that
 * names a session without a (valid) token is still a viewer page, one that cannot join: such a page
 * is served by a live session's server, which has nothing else to offer.
 */
export function viewerJoinFromLocation(location: {
  pathname: string;
  hash: string;
  origin: string;
}): ViewerJoin | null {
  const match = VIEWER_PATH.exec(location.pathname);
  if (!match) return null;
  let sessionId: string;
  try {
    sessionId = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  if (!SESSION_ID.test(sessionId)) return null;
  const token = new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
  return { sessionId, token: token && INVITE_TOKEN_PATTERN.test(token) ? token : null, origin: location.origin };
}

/**
 * Where a desktop invite says the session is served (`via`): an http(s) origin and nothing else.
 * The deep-link parser already checked it; this is the renderer's own check before connecting.
 */
export function viewerOrigin(via: string): string | null {
  let url: URL;
  try {
    url = new URL(via);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password || (url.pathname !== "/" && url.pathname !== "") || url.search || url.hash)
    return null;
  return url.origin;
}
