import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { LANGUAGES, type Language } from "@shared/contract";
import en from "./en";
import pl from "./pl";

export const resources = { en: { translation: en }, pl: { translation: pl } } as const;

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}

const LANGUAGE_CACHE = "sight.language";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** Before preferences arrive: the last language used here, else the browser's, else English. */
export function initialLanguage(): Language {
  const cached = safeStorageGet(LANGUAGE_CACHE);
  if (isLanguage(cached)) return cached;
  return navigator.language.toLowerCase().startsWith("pl") ? "pl" : "en";
}

export function initI18n(language: Language) {
  void i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: "en",
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

export function applyLanguage(language: Language): void {
  if (i18next.language !== language) void i18next.changeLanguage(language);
  document.documentElement.lang = language;
  safeStorageSet(LANGUAGE_CACHE, language);
}

export function safeStorageGet(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    // Storage can be disabled (privacy settings); the cache is only a hint.
    return null;
  }
}

export function safeStorageSet(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // See safeStorageGet: losing the hint only costs a flash of the default on next start.
  }
}
