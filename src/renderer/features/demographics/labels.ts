import { useTranslation } from "react-i18next";
import { isStandardDimension } from "@shared/domain/demographics";

/** Translated names for the standard dimensions, presets and canonical categories; raw keys otherwise. */
export function useDemographicLabels() {
  const { t, i18n } = useTranslation();
  const lookup = (key: string, fallback: string) => (i18n.exists(key) ? (t as (key: string) => string)(key) : fallback);
  return {
    dimension: (key: string) => (isStandardDimension(key) ? t(`demographics.dimensions.${key}`) : key),
    category: (name: string) => lookup(`demographics.categories.${name}`, name),
    preset: (name: string) => lookup(`demographics.presets.${name}`, name.replace(/_/g, " ")),
  };
}
