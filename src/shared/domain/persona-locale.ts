import type { PERSONA_LOCALES } from "../contract/personas";
import type { TargetDemographics } from "./demographics";

export type PersonaLocale = (typeof PERSONA_LOCALES)[number];

/** Why a locale is proposed: a location category, or a phrase of the target audience, that names its country. */
export interface LocaleProposal {
  locale: PersonaLocale;
  because: { kind: "location" | "audience"; text: string };
}

/**
 * Names that point at a country, folded (lower case, no diacritics, ł as l). Words a researcher
 * would write for the place or its people; ambiguous ones are left out ("us", "english", "nice",
 * lower-case "polish" as in nail polish: see CASED_NAMES).
 */
const COUNTRY_NAMES: Record<PersonaLocale, readonly string[]> = {
  "pl-PL": [
    "poland",
    "polska",
    "polsce",
    "polski",
    "polskie",
    "polscy",
    "polacy",
    "poles",
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
  ],
  "en-GB": [
    "uk",
    "u.k.",
    "united kingdom",
    "great britain",
    "britain",
    "british",
    "england",
    "scotland",
    "scottish",
    "wales",
    "welsh",
    "northern ireland",
    "london",
    "manchester",
    "birmingham",
    "glasgow",
    "edinburgh",
    "liverpool",
    "leeds",
    "bristol",
    "cardiff",
    "belfast",
  ],
  "de-DE": [
    "germany",
    "deutschland",
    "german",
    "germans",
    "deutsche",
    "berlin",
    "munich",
    "munchen",
    "hamburg",
    "cologne",
    "koln",
    "frankfurt",
    "stuttgart",
    "dusseldorf",
    "leipzig",
    "dresden",
    "bavaria",
    "bayern",
  ],
  "fr-FR": [
    "france",
    "french",
    "francais",
    "francaise",
    "paris",
    "lyon",
    "marseille",
    "toulouse",
    "nantes",
    "bordeaux",
    "lille",
    "strasbourg",
    "ile-de-france",
  ],
  "es-ES": [
    "spain",
    "espana",
    "spanish",
    "espanol",
    "espanola",
    "madrid",
    "barcelona",
    "valencia",
    "seville",
    "sevilla",
    "bilbao",
    "malaga",
    "zaragoza",
  ],
  "it-IT": [
    "italy",
    "italia",
    "italian",
    "italians",
    "italiano",
    "italiana",
    "rome",
    "roma",
    "milan",
    "milano",
    "naples",
    "napoli",
    "turin",
    "torino",
    "florence",
    "firenze",
    "venice",
    "venezia",
    "bologna",
    "palermo",
  ],
  "en-US": [
    "usa",
    "u.s.",
    "u.s.a.",
    "united states",
    "america",
    "american",
    "americans",
    "new york",
    "california",
    "texas",
    "florida",
    "chicago",
    "los angeles",
    "san francisco",
    "seattle",
    "boston",
    "midwest",
  ],
};

/** Names that count only as written with a capital: "Polish mothers", not "nail polish". */
const CASED_NAMES: ReadonlyArray<readonly [PersonaLocale, RegExp]> = [["pl-PL", /\bPolish\b/]];

/** Letters only one of the locales' languages uses, in a location category ("Łódź", "Straße"). */
const LETTERS: ReadonlyArray<readonly [PersonaLocale, RegExp]> = [
  ["pl-PL", /[ąćęłńśźż]/i],
  ["de-DE", /ß/],
];

const fold = (text: string) =>
  text
    .toLowerCase()
    .replace(/ł/g, "l")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const NAME_PATTERNS = (Object.entries(COUNTRY_NAMES) as [PersonaLocale, readonly string[]][]).map(
  ([locale, names]) => [locale, new RegExp(`(^|[^a-z0-9])(${names.map(escape).join("|")})(?=$|[^a-z0-9])`)] as const,
);

/** The locale a piece of text names first, with the words that named it; null when none does. */
function localeNamedIn(text: string, withLetters: boolean): { locale: PersonaLocale; words: string } | null {
  const folded = fold(text);
  // Folding keeps precomposed text the same length, so a match can be quoted as it was typed.
  const quote = (index: number, length: number, name: string) =>
    folded.length === text.length ? text.slice(index, index + length) : name;
  let first: { locale: PersonaLocale; words: string; index: number } | null = null;
  for (const [locale, pattern] of NAME_PATTERNS) {
    const match = pattern.exec(folded);
    if (!match) continue;
    const index = match.index + match[1]!.length;
    if (!first || index < first.index) first = { locale, words: quote(index, match[2]!.length, match[2]!), index };
  }
  for (const [locale, pattern] of CASED_NAMES) {
    const match = pattern.exec(text);
    if (match && (!first || match.index < first.index)) first = { locale, words: match[0], index: match.index };
  }
  if (first) return { locale: first.locale, words: first.words };
  if (withLetters) for (const [locale, pattern] of LETTERS) if (pattern.test(text)) return { locale, words: text };
  return null;
}

/**
 * The locale a project's personas should be written in, from the country its target names: the
 * location categories first (the locale holding the largest share of the target wins), then the
 * words of the target audience. Null when neither names a country, so the caller falls back to
 * the UI's language.
 */
export function proposePersonaLocale(project: {
  targetAudience: string;
  targetDemographics: TargetDemographics;
}): LocaleProposal | null {
  const shares = new Map<PersonaLocale, { share: number; category: string }>();
  for (const [category, weight] of Object.entries(project.targetDemographics.location ?? {})) {
    const locale = localeNamedIn(category, true)?.locale;
    if (!locale) continue;
    const seen = shares.get(locale);
    shares.set(locale, { share: (seen?.share ?? 0) + weight, category: seen?.category ?? category });
  }
  let best: LocaleProposal | null = null;
  let bestShare = 0;
  for (const [locale, { share, category }] of shares) {
    if (share > bestShare) {
      best = { locale, because: { kind: "location", text: category } };
      bestShare = share;
    }
  }
  if (best) return best;
  const named = localeNamedIn(project.targetAudience, false);
  return named ? { locale: named.locale, because: { kind: "audience", text: named.words } } : null;
}

/** What a project's personas are written in: the researcher's choice, else what its target names, else the fallback. */
export function personaLocaleOf(
  project: { personaLocale: PersonaLocale | null; targetAudience: string; targetDemographics: TargetDemographics },
  fallback: PersonaLocale,
): PersonaLocale {
  return project.personaLocale ?? proposePersonaLocale(project)?.locale ?? fallback;
}
