import { useEffect } from "react";
import { navigate } from "./router/navigation";
import type { AppRoute } from "./router/routes";
import { useUiStore } from "./stores/ui";

export const PROJECT_SEARCH_ID = "project-search";

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
        if (route.page === "project-new" || route.page === "project-edit") return;
        event.preventDefault();
        navigate({ page: "project-new" });
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [route]);
}
