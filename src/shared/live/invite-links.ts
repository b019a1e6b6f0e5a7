import type { AppScheme } from "../cloud/contract";

/** The links of one invite, as `live.createInvite` returns them. */
export interface InviteLinks {
  browser: readonly string[];
  app: readonly string[];
}

/** The deep-link scheme of a build: sight, or sight-dev for development builds. */
export type AppLinkScheme = AppScheme;

/**
 * An invite's links for where its session is served now: Sight Cloud's relay first, then this
 * app's direct server. live.createInvite answers with them; the host's panel builds them again
 * with this same function, because the token is shown once and a session is often served only
 * after its first invite exists (that invite is what starts the session), so the answer that
 * carried the token may carry no links.
 */
export function inviteLinksFor(
  sessionId: string,
  token: string,
  servedAt: { relay: string | null; direct: string | null },
  scheme: AppLinkScheme,
): InviteLinks {
  const origins = [servedAt.relay, servedAt.direct].filter((origin): origin is string => Boolean(origin));
  return {
    browser: origins.map((origin) => `${origin}/live/${sessionId}#token=${token}`),
    app: origins.map(
      (origin) =>
        `${scheme}://join-session/${sessionId}?code=${encodeURIComponent(token)}&via=${encodeURIComponent(origin)}`,
    ),
  };
}

/** The scheme the app's own links use (learnt from an answer of live.createInvite), if it gave one. */
export function schemeOfLinks(links: InviteLinks): AppLinkScheme | null {
  const scheme = /^(sight(?:-dev)?):\/\//.exec(links.app[0] ?? "")?.[1];
  return scheme === "sight" || scheme === "sight-dev" ? scheme : null;
}
