import { useMemo, useSyncExternalStore } from "react";
import { hrefOf, parsePath, type AppRoute } from "./routes";

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

const currentHash = () => window.location.hash;

export function useRoute(): AppRoute {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return useMemo(() => parsePath(hash), [hash]);
}

/** Goes to a route; `replace` keeps the current entry out of the history (after a delete, say). */
export function navigate(route: AppRoute, options: { replace?: boolean } = {}): void {
  const href = hrefOf(route);
  if (window.location.hash === href) return;
  if (options.replace) {
    window.history.replaceState(null, "", href);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = href;
  }
}

/** Normalises an empty hash to the projects list without adding a history entry. */
export function ensureInitialRoute(): void {
  if (!window.location.hash || window.location.hash === "#" || window.location.hash === "#/") {
    window.history.replaceState(null, "", hrefOf({ page: "projects" }));
  }
}
