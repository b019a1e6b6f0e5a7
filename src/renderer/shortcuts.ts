import { useEffect } from "react";
import { navigate } from "./router/navigation";
import type { AppRoute } from "./router/routes";
import { useUiStore } from "./stores/ui";

export const PROJECT_SEARCH_ID = "project-search";

/** Pages holding a form whose unsaved edits a shortcut must not throw away. */
const FORM_PAGES: ReadonlySet<AppRoute["page"]> = new Set([
  "project-new",
  "project-edit",
  "focus-group-new",
  "focus-group-edit",
  "survey-new",
  "survey-edit",
]);

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Single-key shortcuts, active only when the user is not typing and no dialog is open:
 * "/" focuses the project search, "n" opens the new-project form.
 */
export function useGlobalShortcuts(route: AppRoute): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
      // The live viewer is full-window, outside the workspace: a stray key must not leave it.
      if (route.page === "live-viewer") return;
      if (event.key === "/") {
        event.preventDefault();
        const search = document.getElementById(PROJECT_SEARCH_ID);
        if (route.page === "projects" && search) {
          search.focus();
        } else {
          useUiStore.getState().requestSearchFocus(true);
          navigate({ page: "projects" });
        }
      } else if (event.key === "n" || event.key === "N") {
        // Not from the form itself: leaving it would drop unsaved edits.
        if (FORM_PAGES.has(route.page)) return;
        event.preventDefault();
        navigate({ page: "project-new" });
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [route]);
}
