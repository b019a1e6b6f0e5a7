import i18next, { type i18n, type TFunction } from "i18next";
import en from "../../src/renderer/i18n/en";
import pl from "../../src/renderer/i18n/pl";

/**
 * The app's English and Polish catalogues loaded into an i18next instance (a fresh one unless
 * given, e.g. the global one code under test reads), with no fallback so a missing key shows.
 */
export async function loadCatalogues(
  instance: i18n = i18next.createInstance(),
): Promise<{ tEn: TFunction; tPl: TFunction }> {
  await instance.init({
    resources: { en: { translation: en }, pl: { translation: pl } },
    lng: "en",
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  return { tEn: instance.getFixedT("en"), tPl: instance.getFixedT("pl") };
}
