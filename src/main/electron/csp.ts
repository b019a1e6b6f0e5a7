/**
 * The renderer's Content-Security-Policy and the other headers every app:// response carries.
 *
 * - No 'unsafe-inline' anywhere: Vite emits script and CSS files, and React's `style` props go
 *   through the CSSOM, which CSP does not block.
 * - connect-src 'self' ws: wss:: the workspace's data flows over IPC; the one connection the
 *   renderer opens itself is a live session's viewer socket (WebSocket only) to where a teammate's
 *   invite says the session is served (a LAN address or Sight Cloud), known only when the link
 *   arrives. No http(s) host: no fetch or polling leaves the app.
 * - frame-ancestors and form-action only work as a header, which is why the header is the bar
 *   and a <meta> in index.html is at most a second copy.
 *
 * The policy is written as one literal at the place it is set so that electronegativity's
 * CSP check can read and evaluate it; CONTENT_SECURITY_POLICY is derived from it.
 */
export function securityHeaders(contentType: string): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
  };
  headers["Content-Security-Policy"] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-src 'none'; frame-ancestors 'none'; form-action 'none'";
  return headers;
}

export const CONTENT_SECURITY_POLICY: string = securityHeaders("text/html")["Content-Security-Policy"]!;

/** The policy as directive → sources, for tests and diagnostics. */
export function parseCsp(policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}
