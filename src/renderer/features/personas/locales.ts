import { PERSONA_LOCALES } from "@shared/contract";
import type { TargetDemographics } from "@shared/domain/demographics";

export type PersonaLocale = (typeof PERSONA_LOCALES)[number];

const POLISH_LETTERS = /[ąćęłńóśźż]/i;
const POLISH_PLACES = new Set([
  "warszawa",
  "warsaw",
  "krakow",
  "cracow",
  "lodz",
  "wroclaw",
  "poznan",
  "gdansk",
  "szczecin",
  "bydgoszcz",
  "lublin",
  "bialystok",
  "katowice",
  "gdynia",
  "czestochowa",
  "radom",
  "torun",
  "rzeszow",
  "kielce",
  "olsztyn",
  "opole",
  "sopot",
  "trojmiasto",
  "slask",
  "mazowsze",
  "malopolska",
  "pomorze",
  "wielkopolska",
]);

const fold = (text: string) =>
  text
    .toLowerCase()
    .replace(/ł/g, "l")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");

/** Location categories such as "Kraków", "Warszawa" or "rural Poland" suggest a Polish audience. */
export function looksPolish(demographics: TargetDemographics): boolean {
  return Object.keys(demographics.location ?? {}).some((category) => {
    const folded = fold(category);
    return (
      POLISH_LETTERS.test(category) ||
      /\b(poland|polska|polsk\w*)\b/.test(folded) ||
      folded.split(/[^a-z]+/).some((word) => POLISH_PLACES.has(word))
    );
  });
}

/** Polish when the UI is Polish or the audience looks Polish; American English otherwise. */
export function defaultPersonaLocale(uiLanguage: string, demographics: TargetDemographics): PersonaLocale {
  return uiLanguage.startsWith("pl") || looksPolish(demographics) ? "pl-PL" : "en-US";
}

export function isPersonaLocale(value: string): value is PersonaLocale {
  return (PERSONA_LOCALES as readonly string[]).includes(value);
}
