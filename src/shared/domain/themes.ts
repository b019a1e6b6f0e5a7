/**
 * Themes across a focus group's questions. The analysis finds themes question by question, so one
 * theme ("Price versus trust") comes back under several questions; people read it as one theme
 * with all its quotes. Themes are the same when their titles name the same things: the same
 * content words once case, accents, punctuation, small words and plural -s are set aside
 * ("Price vs. trust" = "Price and trust"), or nearly the same ones (most words shared, at least
 * two of them).
 */

export interface ThemeFinding {
  id: string;
  title: string;
  text: string;
  /** Message ids, in the order the analysis cited them. */
  evidence: readonly string[];
}

export interface MergedTheme {
  /** Stable: the id of the first finding merged into it. */
  id: string;
  /** The first finding's wording (the earliest question that raised it). */
  title: string;
  text: string;
  /** Every quote of every finding merged, each once, first-cited first. */
  evidence: string[];
  /** The findings merged into it, in order. */
  sourceIds: string[];
}

/** Words that carry no topic in a theme's title, in the languages discussions are held in. */
const SMALL_WORDS = new Set([
  // English
  "a",
  "an",
  "the",
  "and",
  "or",
  "of",
  "for",
  "to",
  "in",
  "on",
  "with",
  "vs",
  "versus",
  "over",
  "about",
  // Polish
  "i",
  "oraz",
  "a",
  "w",
  "we",
  "na",
  "z",
  "ze",
  "do",
  "o",
  "czy",
  "kontra",
  "wobec",
  // German, French, Spanish, Italian
  "und",
  "der",
  "die",
  "das",
  "et",
  "le",
  "la",
  "les",
  "de",
  "du",
  "des",
  "y",
  "el",
  "los",
  "las",
  "e",
  "il",
  "di",
]);

/** The content words of a title: folded, small words out, a plural -s dropped from longer words. */
export function themeWords(title: string): Set<string> {
  const folded = title
    .toLowerCase()
    .replace(/ł/g, "l")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
  return new Set(
    folded
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word !== "" && !SMALL_WORDS.has(word))
      .map((word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word)),
  );
}

/** Jaccard share of words two titles have in common. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): { shared: number; share: number } {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  const union = a.size + b.size - shared;
  return { shared, share: union === 0 ? 0 : shared / union };
}

/** Titles that name the same theme (see the file comment). */
export function sameTheme(a: string, b: string): boolean {
  const left = themeWords(a);
  const right = themeWords(b);
  if (left.size === 0 || right.size === 0) return a.trim().toLowerCase() === b.trim().toLowerCase();
  const { shared, share } = overlap(left, right);
  return share === 1 || (shared >= 2 && share >= 0.6);
}

/** Findings of the same theme as one, in the order each theme first appeared. */
export function mergeThemes(findings: readonly ThemeFinding[]): MergedTheme[] {
  const merged: MergedTheme[] = [];
  for (const finding of findings) {
    const into = merged.find((theme) => sameTheme(theme.title, finding.title));
    if (!into) {
      merged.push({
        id: finding.id,
        title: finding.title,
        text: finding.text,
        evidence: [...new Set(finding.evidence)],
        sourceIds: [finding.id],
      });
      continue;
    }
    into.sourceIds.push(finding.id);
    for (const id of finding.evidence) if (!into.evidence.includes(id)) into.evidence.push(id);
  }
  return merged;
}
