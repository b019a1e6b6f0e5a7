import type { RefusalReason } from "../../../shared/contract";
import { isStandardDimension } from "../../../shared/domain/demographics";
import { foldForSearch } from "../../../shared/domain/text";
import type { PersonaDraft, SlotRequest } from "./prompt";

/** Why a draft persona was refused: the reason that is counted, and the words fed back to the model. */
export interface Refusal {
  reason: RefusalReason;
  /** The slot dimension the draft disagreed with (reason "dimension"), else null. */
  dimension: string | null;
  message: string;
}

/** What a slot asks of a persona beyond its profile fields, as the prompt tells the model. */
export interface SlotRequirements {
  /** The place the persona must live in: the slot's location category, when it names a place. */
  livesIn?: string;
  /** Dimensions no profile field holds: the model states them, quoting the story sentence that shows it. */
  evidenceFor: string[];
}

/** Folded words: lower case, no diacritics (ł as l), and any run of other characters as one space. */
const words = (text: string) =>
  foldForSearch(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** Categories are the same when their folded words are: "lower_middle" is "Lower middle", "Średnie" is "srednie". */
export const sameCategory = (a: string, b: string) => words(a) === words(b);

/**
 * Words of location categories that describe a kind of settlement rather than name a place
 * ("Urban", "small town", "Wieś", "city_500k_plus"), in English and Polish, folded.
 */
const SETTLEMENT_WORDS = new Set([
  ...["urban", "suburban", "rural", "city", "cities", "town", "towns", "village", "villages", "countryside"],
  ...["suburb", "suburbs", "metropolitan", "metro", "area", "areas", "region", "regions", "inner", "outer"],
  ...["small", "medium", "mid", "sized", "midsize", "large", "big", "major", "other", "rest", "elsewhere"],
  ...["plus", "over", "under", "above", "below", "up", "to", "more", "less", "than", "k", "inhabitants"],
  ...["residents", "population", "pop", "and", "or", "of", "the"],
  ...["miasto", "miasta", "miejski", "miejskie", "wies", "wsie", "wiejski", "wiejskie", "przedmiescia"],
  ...["przedmiescie", "podmiejskie", "male", "maly", "srednie", "sredni", "duze", "duzy", "wielkie"],
  ...["wielki", "aglomeracja", "obszar", "obszary", "tereny", "teren", "inne", "pozostale", "powyzej"],
  ...["ponizej", "do", "od", "tys", "mieszkancow", "i", "lub"],
]);

/**
 * Whether a location category names a place (a city, district, region or country), which the
 * persona's location field can be checked against, rather than a kind of settlement, which only
 * the model's stated attribute and the story can show.
 */
export function isPlaceCategory(category: string): boolean {
  const parts = words(category).split(" ").filter(Boolean);
  return parts.length > 0 && !parts.every((word) => SETTLEMENT_WORDS.has(word) || /\d/.test(word));
}

/**
 * Whether a persona's location names the slot's place or lies inside it: every comma-separated
 * part of the place appears in the location as whole words, accents and case aside. "Warszawa"
 * accepts "Mokotów, Warszawa" and "warszawa"; "Kraków" accepts "Krakow"; "Lublin" refuses "Lubliniec".
 */
export function locationNamesPlace(location: string, place: string): boolean {
  const have = ` ${words(location)} `;
  const parts = place.split(",").map(words).filter(Boolean);
  return parts.length > 0 && parts.every((part) => have.includes(` ${part} `));
}

const QUOTES = `"'“”„«»‚‘’`;
const EDGES = new RegExp(`^[\\s${QUOTES}.…]+|[\\s${QUOTES}.!?…]+$`, "g");
const collapse = (text: string) => foldForSearch(text).replace(/\s+/g, " ").trim();

/** Whether a quote is part of the story, word for word: whitespace, case, accents and enclosing quotes aside. */
export function storyContains(story: string, quote: string): boolean {
  const wanted = collapse(quote.replace(EDGES, ""));
  return wanted.length > 0 && collapse(story).includes(wanted);
}

/** What the prompt must ask of a slot: where the persona lives, and which dimensions to state with evidence. */
export function slotRequirements(demographics: Record<string, string>): SlotRequirements {
  const evidenceFor: string[] = [];
  let livesIn: string | undefined;
  for (const [dimension, category] of Object.entries(demographics)) {
    if (dimension === "location" && isPlaceCategory(category)) livesIn = category;
    else if (dimension === "location" || !isStandardDimension(dimension)) evidenceFor.push(dimension);
  }
  return livesIn === undefined ? { evidenceFor } : { livesIn, evidenceFor };
}

const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Why a returned persona does not fill its slot, or null when every dimension of the slot holds in
 * the persona itself: the age in the bracket, gender, education and income fields equal to their
 * categories, the location naming the slot's place (or, for a kind of settlement, stated), and every
 * other dimension stated as its category with a sentence of the story that shows it.
 */
export function slotDisagreement(draft: PersonaDraft, slot: SlotRequest): Refusal | null {
  if (draft.slotIndex !== slot.index) {
    return {
      reason: "slot",
      dimension: null,
      message: `it answered slot ${draft.slotIndex} instead of slot ${slot.index}`,
    };
  }
  const extra = Object.keys(draft.demographics).filter((key) => !Object.hasOwn(slot.demographics, key));
  if (extra.length) {
    return {
      reason: "slot",
      dimension: null,
      message: `demographics has dimensions the slot does not: ${extra.join(", ")}`,
    };
  }
  for (const [dimension, category] of Object.entries(slot.demographics)) {
    const message = dimensionProblem(draft, slot, dimension, category);
    if (message) return { reason: "dimension", dimension, message };
  }
  return null;
}

function dimensionProblem(draft: PersonaDraft, slot: SlotRequest, dimension: string, category: string): string | null {
  const echoed = draft.demographics[dimension];
  if (echoed !== category)
    return `demographics.${dimension} is "${echoed ?? "missing"}" but the slot requires "${category}"`;
  switch (dimension) {
    case "age_group":
      return slot.ageRange && (draft.age < slot.ageRange.min || draft.age > slot.ageRange.max)
        ? `age ${draft.age} is outside the slot's ${category} bracket`
        : null;
    case "gender":
    case "education":
    case "income":
      return sameCategory(draft[dimension], category)
        ? null
        : `${dimension} is "${draft[dimension]}" but the slot requires "${category}"`;
    case "location":
      if (!isPlaceCategory(category)) return evidenceProblem(draft, dimension, category);
      return locationNamesPlace(draft.location, category)
        ? null
        : `location is "${draft.location}", which is not in ${category}: the persona lives in ${category}, so its location must name it (e.g. "<district>, ${category}")`;
    default:
      return evidenceProblem(draft, dimension, category);
  }
}

function evidenceProblem(draft: PersonaDraft, dimension: string, category: string): string | null {
  const stated = draft.slotEvidence.find((entry) => entry.dimension === dimension);
  if (!stated) {
    return `slotEvidence has no entry for ${dimension}: state it as "${category}" and quote the backgroundStory sentence that shows it`;
  }
  if (!sameCategory(stated.value, category)) {
    return `slotEvidence says ${dimension} is "${clip(stated.value)}" but the slot requires "${category}"`;
  }
  if (!storyContains(draft.backgroundStory, stated.evidence)) {
    return `the evidence for ${dimension} ("${clip(stated.evidence)}") is not a sentence of the backgroundStory; the story must say it`;
  }
  return null;
}
