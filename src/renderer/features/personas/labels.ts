import { useTranslation } from "react-i18next";
import type { Persona } from "@shared/contract";
import { useDemographicLabels } from "../demographics/labels";

/** One persona's gender reads in the singular ("Kobieta"), unlike the target's categories ("Kobiety"). */
export function usePersonaGender() {
  const { t, i18n } = useTranslation();
  const labels = useDemographicLabels();
  return (gender: string) => {
    const key = `persona.genders.${gender.trim().toLowerCase()}`;
    return i18n.exists(key) ? (t as (key: string) => string)(key) : labels.category(gender);
  };
}

/**
 * Who a persona is in one short line for quotes and pickers: age, gender, then the demographic
 * slot in the target's dimension order ("42 · Female · 35–64").
 */
export function usePersonaSummary() {
  const { t } = useTranslation();
  const labels = useDemographicLabels();
  const gender = usePersonaGender();
  return (persona: Persona, dimensionOrder: readonly string[] = []) => {
    const slot = Object.entries(persona.demographics)
      .filter(([dimension]) => dimension !== "gender")
      .sort(([a], [b]) => (dimensionOrder.indexOf(a) + 1 || 99) - (dimensionOrder.indexOf(b) + 1 || 99))
      .map(([, category]) => labels.category(category));
    return [t("personas.age", { age: persona.age }), gender(persona.gender), ...slot].join(" · ");
  };
}
