// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { isStandardDimension } from "../../../shared/domain/demographics";

/** A dimension as people read it: the standard ones translated, a custom key as typed. */
export function dimensionLabel(t: TFunction, key: string): string {
  return isStandardDimension(key) ? t(`demographics.dimensions.${key}`) : key;
}

/**
 * A category as people read it. The app's canonical keys (from presets: "female", "non_binary")
 * are translated; anything the researcher typed is shown as typed, except that an all-lower-case
 * name starts with a capital like every other label ("medium" beside "Low" and "High" reads
 * "Medium"). Names with capitals of their own ("iPhone users", "Kraków") are left alone.
 */
export function categoryLabel(name: string, translated: string | null): string {
  if (translated !== null) return translated;
  if (name !== name.toLowerCase() || name === "") return name;
  const first = name.codePointAt(0)!;
  const head = String.fromCodePoint(first);
  return head.toLocaleUpperCase() + name.slice(head.length);
}

/** Translated names for the standard dimensions, presets and canonical categories; typed names otherwise. */
export function useDemographicLabels() {
  const { t, i18n } = useTranslation();
  // Only canonical keys (lower-case, digits, _) are looked up: a typed name with a dot in it must
  // not be read as a nested key, and "Female" typed by hand is shown as typed.
  const known = (group: string, name: string): string | null =>
    /^[a-z0-9_]+$/.test(name) && i18n.exists(`demographics.${group}.${name}`)
      ? (t as (key: string) => string)(`demographics.${group}.${name}`)
      : null;
  return {
    dimension: (key: string) => dimensionLabel(t, key),
    category: (name: string) => categoryLabel(name, known("categories", name)),
    preset: (name: string) => known("presets", name) ?? name.replace(/_/g, " "),
  };
}
