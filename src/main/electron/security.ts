import { shell, type Session, type WebContents } from "electron";
import { isPermissionAllowed } from "./permissions";
import { isAllowedExternalUrl } from "./url-policy";

export interface SecurityLogger {
  warn(event: string, fields?: Record<string, unknown>): void;
}

/**
 * Opens a URL in the user's browser if, and only if, the URL policy allows it. The single
 * place the app calls shell.openExternal.
 */
export async function openExternalSafely(url: string, logger?: SecurityLogger): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) {
    logger?.warn("security.external_url_refused", { url: url.slice(0, 200) });
    return false;
  }
  // The argument has just passed isAllowedExternalUrl (parsed; http/https only; no credentials).
  await shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK checked by isAllowedExternalUrl on the line above
  return true;
}

/**
 * Applied to every webContents the app creates (app "web-contents-created"): no navigation
 * away from the loaded page, no redirects, no new windows, no <webview>. Links to http(s)
 * pages open in the browser through the URL policy.
 */
export function hardenWebContents(contents: WebContents, logger?: SecurityLogger): void {
  contents.on("will-navigate", (event, url) => {
    event.preventDefault();
    logger?.warn("security.navigation_denied", { url: String(url).slice(0, 200) });
    void openExternalSafely(url, logger);
  });
  contents.on("will-redirect", (event, url) => {
    event.preventDefault();
    logger?.warn("security.redirect_denied", { url: String(url).slice(0, 200) });
  });
  contents.on("will-attach-webview", (event) => {
    event.preventDefault();
    logger?.warn("security.webview_denied");
  });
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url, logger);
    return { action: "deny" };
  });
}

/** Permission requests and checks go through the deny-by-default table for the session. */
export function applySessionPolicy(session: Session, expectedOrigin: string, logger?: SecurityLogger): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl, expectedOrigin);
    if (!allowed) logger?.warn("security.permission_denied", { permission });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, expectedOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}
