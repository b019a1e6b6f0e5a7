/**
 * Opening a page of another site (Stripe Checkout, a CRM's consent page) from a browser tab of
 * the headless host. The desktop app's main process opens the system browser itself; a tab has
 * to do it here, and a tab opened once the URL arrives (after an await) is what popup blockers
 * block, so a blank one is opened synchronously in the click and pointed at the URL later.
 */

/** Only web pages may be opened from a URL the app handed back. */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

/** Call from the click handler itself; null when the browser blocked it. */
export function openBlankTab(message: string): Window | null {
  const tab = window.open("", "_blank");
  if (!tab) return null;
  // The other site's page must not reach back into Sight through window.opener.
  tab.opener = null;
  // Something to read in the blank tab while the app answers.
  tab.document.title = message;
  if (tab.document.body) tab.document.body.textContent = message;
  return tab;
}

/**
 * Shows `url` in the tab opened for it, or in a new one if there is none (it may be blocked:
 * callers keep a link on screen). Returns whether a tab is showing it.
 */
export function showInTab(tab: Window | null, url: string): boolean {
  if (tab && !tab.closed) {
    tab.location.replace(url);
    return true;
  }
  return window.open(url, "_blank", "noopener") !== null;
}
