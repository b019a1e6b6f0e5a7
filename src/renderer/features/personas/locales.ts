// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import { useTranslation } from "react-i18next";
import { PERSONA_LOCALES, type Project } from "../../../shared/contract";
import { proposePersonaLocale, type LocaleProposal, type PersonaLocale } from "../../../shared/domain/persona-locale";

export type { PersonaLocale };

export function isPersonaLocale(value: string): value is PersonaLocale {
  return (PERSONA_LOCALES as readonly string[]).includes(value);
}

/** With no country in the target: the UI's own language (Polish UI → Polish personas). */
export function uiPersonaLocale(uiLanguage: string): PersonaLocale {
  return uiLanguage.startsWith("pl") ? "pl-PL" : "en-US";
}

export type LocaleSource = { kind: "chosen" } | LocaleProposal["because"] | { kind: "language" };

/**
 * The locale a project's personas get and why: chosen for the project, proposed from the country
 * its location categories or audience name, or (neither) the UI's language.
 */
export function resolvePersonaLocale(
  project: Pick<Project, "personaLocale" | "targetAudience" | "targetDemographics">,
  uiLanguage: string,
): { locale: PersonaLocale; source: LocaleSource } {
  if (project.personaLocale) return { locale: project.personaLocale, source: { kind: "chosen" } };
  const proposal = proposePersonaLocale(project);
  if (proposal) return { locale: proposal.locale, source: proposal.because };
  return { locale: uiPersonaLocale(uiLanguage), source: { kind: "language" } };
}

/** "Polish (Poland)" and why, in words: "from the location “Kraków”". */
export function usePersonaLocaleText() {
  const { t, i18n } = useTranslation();
  return (project: Pick<Project, "personaLocale" | "targetAudience" | "targetDemographics">) => {
    const { locale, source } = resolvePersonaLocale(project, i18n.language);
    const why =
      source.kind === "chosen"
        ? t("personaLocale.chosen")
        : source.kind === "language"
          ? t("personaLocale.fromLanguage")
          : source.kind === "location"
            ? t("personaLocale.fromLocation", { text: source.text })
            : t("personaLocale.fromAudience", { text: source.text });
    return { locale, name: t(`locales.${locale}`), why };
  };
}
