import {
  STABILITY_RULES,
  type StabilityInterval,
  type SurveyQuestionStability,
  type ThemeStability,
} from "../contract/stability";
import type { Question } from "../contract/surveys";
import { studentTQuantile } from "./student-t";
import { summarizeQuestion, type ResponseForStats } from "./survey-stats";
import { mergeThemes, sameTheme } from "./themes";

/**
 * The stability report's arithmetic (the rules and their numbers are in contract/stability.ts):
 * pure functions over the replicate runs' answers or themes, so the job, the tests and anything
 * that shows a report compute it the same way.
 */

// ---------------------------------------------------------------------------------------------
// Seeds

/** murmur3's 32-bit finaliser: neighbouring inputs give unrelated outputs. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The seed of each of `runs` runs, from one base seed: deterministic, distinct, each a
 * non-negative 31-bit integer (what providers accept as a seed).
 */
export function replicateSeeds(baseSeed: number, runs: number): number[] {
  const seeds: number[] = [];
  for (let run = 0; run < runs; run++) {
    let seed = mix32(baseSeed + Math.imul(run + 1, 0x9e3779b9)) & 0x7fffffff;
    while (seeds.includes(seed)) seed = (seed + 1) & 0x7fffffff;
    seeds.push(seed);
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------------
// Intervals

/**
 * Mean and two-sided t-interval of per-run values (df = n − 1, sample standard deviation), or
 * null with fewer than two values: one run says nothing about variation.
 */
export function tInterval(
  values: readonly number[],
  confidence: number = STABILITY_RULES.confidence,
): StabilityInterval | null {
  const n = values.length;
  if (n < 2) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const squares = values.reduce((sum, v) => sum + (v - mean) * (v - mean), 0);
  const sd = Math.sqrt(squares / (n - 1));
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

const present = (values: readonly (number | null)[]) => values.filter((v): v is number => v !== null);

/** A statistic across runs: its interval, and stable when that interval is at most `maxHalfWidth` wide each side. */
function statistic(original: number | null, perRun: (number | null)[], maxHalfWidth: number) {
  const interval = tInterval(present(perRun));
  return { original, perRun, interval, stable: interval !== null && interval.halfWidth <= maxHalfWidth };
}

// ---------------------------------------------------------------------------------------------
// Surveys

/** The first of `labels` with the highest score (lowest with `lowest`), or null when none has one. */
function modalOf(labels: readonly string[], score: (label: string) => number | null, lowest = false): string | null {
  let best: string | null = null;
  let bestScore = 0;
  for (const label of labels) {
    const value = score(label);
    if (value === null) continue;
    if (best === null || (lowest ? value < bestScore : value > bestScore)) {
      best = label;
      bestScore = value;
    }
  }
  return best;
}

/** The value most runs have (ties: the first in `order`), and the share of all runs that have it. */
function consensus(order: readonly string[], perRun: readonly (string | null)[]) {
  const tally = (label: string) => perRun.filter((value) => value === label).length;
  const value = modalOf(order, (label) => (tally(label) > 0 ? tally(label) : null));
  return { value, agreement: value === null || perRun.length === 0 ? 0 : tally(value) / perRun.length };
}

/**
 * One question across the runs. Shares are in percent of the run's valid answers (as the survey's
 * results count them: a multi-select answer counts for each option chosen), the rating is the
 * run's mean rating, ranks are the run's mean rank of each item. Open-ended questions are not
 * assessed. Stable: for multiple choice, every option's share within ±shareHalfWidthPoints and
 * the most chosen option the same in ≥ modalAgreement of the runs; for a rating, the mean rating
 * within ±scaleHalfWidthFraction of the scale's range (each point's share is marked by the share
 * rule, for reading); for a ranking, every item's mean rank within ±scaleHalfWidthFraction of
 * (items − 1) and the top-ranked item the same in ≥ modalAgreement of the runs.
 */
export function questionStability(
  question: Question,
  original: readonly ResponseForStats[],
  runs: readonly (readonly ResponseForStats[])[],
): SurveyQuestionStability {
  const base = { questionId: question.id, type: question.type, text: question.text };
  const results = runs.map((responses) => summarizeQuestion(question, [...responses]));
  const answeredPerRun = results.map((result) => result.answered);
  if (question.type === "open_ended") {
    return {
      ...base,
      assessed: false,
      answeredPerRun,
      shares: [],
      rating: null,
      ranks: null,
      modal: null,
      stable: false,
      reasons: ["not_assessed"],
    };
  }
  const own = summarizeQuestion(question, [...original]);
  const ownAnswered = own.answered > 0;
  const reasons = new Set<SurveyQuestionStability["reasons"][number]>();
  if (answeredPerRun.filter((n) => n > 0).length < 2) reasons.add("too_few_runs");

  const shareOf = (result: typeof own, label: string) =>
    result.answered > 0 ? (result.counts.find((c) => c.value === label)?.percent ?? 0) : null;
  const scale = Math.max(1, (question.max ?? 0) - (question.min ?? 0));

  let shares: SurveyQuestionStability["shares"] = [];
  let rating: SurveyQuestionStability["rating"] = null;
  let ranks: SurveyQuestionStability["ranks"] = null;
  let modal: SurveyQuestionStability["modal"] = null;

  if (question.type === "multiple_choice" || question.type === "rating_scale") {
    const labels = own.counts.map((c) => c.value);
    shares = labels.map((value) => ({
      value,
      ...statistic(
        shareOf(own, value),
        results.map((result) => shareOf(result, value)),
        STABILITY_RULES.shareHalfWidthPoints,
      ),
    }));
    const modalPerRun = results.map((result) => modalOf(labels, (label) => shareOf(result, label)));
    modal = {
      original: ownAnswered ? modalOf(labels, (label) => shareOf(own, label)) : null,
      perRun: modalPerRun,
      ...consensus(labels, modalPerRun),
    };
    if (question.type === "multiple_choice") {
      if (shares.some((share) => !share.stable)) reasons.add("wide_interval");
      if (modal.agreement < STABILITY_RULES.modalAgreement) reasons.add("modal_disagreement");
    } else {
      rating = statistic(
        own.rating?.mean ?? null,
        results.map((result) => result.rating?.mean ?? null),
        STABILITY_RULES.scaleHalfWidthFraction * scale,
      );
      if (!rating.stable) reasons.add("wide_interval");
    }
  } else {
    const items = question.items ?? [];
    const rankOf = (result: typeof own, item: string) =>
      result.ranking?.find((row) => row.item === item)?.meanRank ?? null;
    const range = Math.max(1, items.length - 1);
    ranks = items.map((item) => ({
      item,
      ...statistic(
        rankOf(own, item),
        results.map((result) => rankOf(result, item)),
        STABILITY_RULES.scaleHalfWidthFraction * range,
      ),
    }));
    const topPerRun = results.map((result) => modalOf(items, (item) => rankOf(result, item), true));
    modal = {
      original: ownAnswered ? modalOf(items, (item) => rankOf(own, item), true) : null,
      perRun: topPerRun,
      ...consensus(items, topPerRun),
    };
    if (ranks.some((rank) => !rank.stable)) reasons.add("wide_interval");
    if (modal.agreement < STABILITY_RULES.modalAgreement) reasons.add("modal_disagreement");
  }
  // Too few runs leaves no interval: "wide" would misname it.
  if (reasons.has("too_few_runs")) reasons.delete("wide_interval");
  return {
    ...base,
    assessed: true,
    answeredPerRun,
    shares,
    rating,
    ranks,
    modal,
    stable: reasons.size === 0,
    reasons: [...reasons],
  };
}

// ---------------------------------------------------------------------------------------------
// Focus groups

export interface ThemeTitle {
  title: string;
}

/**
 * Per theme of the original analysis (merged across questions, as the app shows them), in how
 * many reruns it recurs: a rerun has it when any of its themes, under any question, names the
 * same theme as any of the findings merged into it (shared/domain/themes.ts's sameTheme). Stable
 * when it recurs in ≥ themeRecurrence of the reruns. `emergent`: the reruns' themes the original
 * did not have, merged across reruns, with how many reruns raised each (most first).
 */
export function themeStability(
  original: readonly { id: string; title: string; text: string; evidence: readonly string[] }[],
  runs: readonly (readonly ThemeTitle[])[],
): { themes: ThemeStability[]; emergent: { title: string; recurrences: number; share: number }[] } {
  const merged = mergeThemes(original);
  const titleOf = new Map(original.map((finding) => [finding.id, finding.title]));
  const n = runs.length;
  const matchedIn = (sources: readonly string[], title: string) => sources.some((source) => sameTheme(source, title));
  const themes = merged.map((theme) => {
    const sources = theme.sourceIds.map((id) => titleOf.get(id) ?? theme.title);
    const matched = runs.map((findings) => findings.filter((finding) => matchedIn(sources, finding.title)));
    const perRun = matched.map((list) => list.length > 0);
    const recurrences = perRun.filter(Boolean).length;
    const share = n > 0 ? recurrences / n : 0;
    return {
      title: theme.title,
      recurrences,
      share,
      perRun,
      matchedTitles: [...new Set(matched.flat().map((finding) => finding.title))],
      stable: share >= STABILITY_RULES.themeRecurrence,
    };
  });
  const allSources = merged.flatMap((theme) => theme.sourceIds.map((id) => titleOf.get(id) ?? theme.title));
  const fresh = runs.flatMap((findings, run) =>
    findings
      .filter((finding) => !matchedIn(allSources, finding.title))
      .map((finding, index) => ({ id: `${run}:${index}`, title: finding.title, text: "", evidence: [] })),
  );
  const emergent = mergeThemes(fresh)
    .map((theme) => {
      const recurrences = new Set(theme.sourceIds.map((id) => id.split(":")[0])).size;
      return { title: theme.title, recurrences, share: n > 0 ? recurrences / n : 0 };
    })
    .sort((a, b) => b.recurrences - a.recurrences);
  return { themes, emergent };
}
