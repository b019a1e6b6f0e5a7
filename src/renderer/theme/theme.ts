import { useEffect, useSyncExternalStore } from "react";
import { THEMES } from "@shared/contract";
import { safeStorageGet, safeStorageSet } from "../i18n";

export type ThemePreference = (typeof THEMES)[number];
export type ResolvedTheme = "light" | "dark";

const THEME_CACHE = "sight.theme";
const darkQuery = () => window.matchMedia("(prefers-color-scheme: dark)");

function subscribeToOs(listener: () => void): () => void {
  const query = darkQuery();
  query.addEventListener("change", listener);
  return () => query.removeEventListener("change", listener);
}

const osPrefersDark = () => darkQuery().matches;

export function resolveTheme(preference: ThemePreference, prefersDark: boolean): ResolvedTheme {
  if (preference === "system") return prefersDark ? "dark" : "light";
  return preference;
}

function setDocumentTheme(theme: ResolvedTheme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

/** The preference last applied on this machine: a hint until the stored preferences arrive. */
function cachedPreference(): ThemePreference {
  const cached = safeStorageGet(THEME_CACHE);
  return (THEMES as readonly string[]).includes(cached ?? "") ? (cached as ThemePreference) : "system";
}

/** Called before the first render, so the page does not flash the wrong theme. */
export function applyInitialTheme(): void {
  setDocumentTheme(resolveTheme(cachedPreference(), osPrefersDark()));
}

/** Keeps [data-theme] on <html> in line with the preference and, for "system", with the OS. */
export function useThemeSync(preference: ThemePreference | undefined): ResolvedTheme {
  const prefersDark = useSyncExternalStore(subscribeToOs, osPrefersDark);
  const resolved = resolveTheme(preference ?? cachedPreference(), prefersDark);
  useEffect(() => {
    setDocumentTheme(resolved);
    if (preference) safeStorageSet(THEME_CACHE, preference);
  }, [resolved, preference]);
  return resolved;
}
