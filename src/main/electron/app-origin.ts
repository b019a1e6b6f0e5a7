/**
 * Where the renderer lives. A privileged, standard custom scheme (not file://) gives the page a
 * real origin, so the CSP's 'self', the sender check and the permission table all mean one thing.
 */
export const APP_SCHEME = "app";
export const APP_HOST = "sight";
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The origin of a URL as Chromium sees it, or null when it has none.
 *
 * Node's WHATWG URL (the main process's `new URL`) reports `origin === "null"` for every
 * non-special scheme, so `app://sight/` and `data:` would compare equal by `.origin`. For our own
 * standard scheme we build `scheme://host` ourselves; opaque URLs (data:, about:, javascript:)
 * get null, never the string "null".
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === "http:" || parsed.protocol === "https:") return parsed.origin;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host !== "")
    return `${parsed.protocol}//${parsed.host.toLowerCase()}`;
  return null;
}

/**
 * The renderer URL for this run: electron-vite's dev server only for unpackaged builds and only
 * on loopback http; everything else loads the built files from app://sight/.
 */
export function rendererEntry(isPackaged: boolean, devServerUrl: string | undefined): { url: string; origin: string } {
  if (!isPackaged && devServerUrl) {
    try {
      const dev = new URL(devServerUrl);
      const loopback = dev.hostname === "localhost" || dev.hostname === "127.0.0.1" || dev.hostname === "[::1]";
      if (dev.protocol === "http:" && loopback && !dev.username && !dev.password) {
        return { url: dev.href, origin: dev.origin };
      }
    } catch {
      // An unparsable dev URL falls through to the built renderer.
    }
  }
  return { url: APP_ENTRY_URL, origin: APP_ORIGIN };
}
