import type { Language } from "../../../../../shared/contract/settings";
import type { StabilityReport, SurveyQuestionStability } from "../../../../../shared/contract";

type Reason = SurveyQuestionStability["reasons"][number];

/** The stability section's words (document/stability-page.tsx), in each report language. */
export interface StabilityLabels {
  title: string;
  kicker: string;
  surveyIntro: (runs: number, baseSeed: number) => string;
  focusGroupIntro: (runs: number, baseSeed: number) => string;
  rules: (rules: StabilityReport["rules"]) => string;
  stale: string;
  stable: string;
  fragile: string;
  surveySummary: (stable: number, assessed: number) => string;
  focusGroupSummary: (stable: number, themes: number) => string;
  option: string;
  study: string;
  runsMean: string;
  interval: string;
  verdict: string;
  meanRating: string;
  meanRank: string;
  leading: (value: string, agreement: string) => string;
  noLeading: string;
  notAssessed: string;
  reason: Record<Reason, string>;
  theme: string;
  recurs: string;
  recursIn: (k: number, n: number) => string;
  matchedAs: (titles: string) => string;
  emergent: string;
  noThemes: string;
}

const en: StabilityLabels = {
  title: "Stability",
  kicker: "Stability check",
  surveyIntro: (runs, seed) =>
    `Every persona answered every question again in ${runs} runs, each with its own seed (derived from base seed ${seed}). ` +
    "Each figure is the study's own value, then the mean of the runs with its 95% t-interval (df = runs − 1).",
  focusGroupIntro: (runs, seed) =>
    `The analysis of each question was repeated in ${runs} runs, each with its own seed (derived from base seed ${seed}). ` +
    "For each theme of the analysis: in how many runs it came back.",
  rules: (rules) =>
    `Stable: every share within ±${rules.shareHalfWidthPoints} percentage points, a mean rating or mean rank within ` +
    `±${Math.round(rules.scaleHalfWidthFraction * 100)}% of its scale, and the same leading option in at least ` +
    `${Math.round(rules.modalAgreement * 100)}% of the runs; a theme is stable when it recurs in at least ` +
    `${Math.round(rules.themeRecurrence * 100)}% of the runs. Anything else is fragile.`,
  stale: "The study's results changed after this check: it compares the runs with earlier results.",
  stable: "stable",
  fragile: "fragile",
  surveySummary: (stable, assessed) => `${stable} of ${assessed} questions stable.`,
  focusGroupSummary: (stable, themes) => `${stable} of ${themes} themes stable.`,
  option: "Option",
  study: "Study",
  runsMean: "Runs (mean)",
  interval: "95% interval",
  verdict: "Verdict",
  meanRating: "Mean rating",
  meanRank: "Mean rank",
  leading: (value, agreement) => `Leading: ${value} (in ${agreement} of the runs)`,
  noLeading: "No leading option (no answers)",
  notAssessed: "Open-ended question: not assessed.",
  reason: {
    wide_interval: "the interval is too wide",
    modal_disagreement: "the leading option changes between runs",
    too_few_runs: "fewer than two runs had answers",
    not_assessed: "not assessed",
  },
  theme: "Theme",
  recurs: "Recurs in",
  recursIn: (k, n) => `${k} of ${n}`,
  matchedAs: (titles) => `Came back as: ${titles}`,
  emergent: "Themes only the runs found",
  noThemes: "The analysis named no themes.",
};

const pl: StabilityLabels = {
  title: "Stabilność",
  kicker: "Kontrola stabilności",
  surveyIntro: (runs, seed) =>
    `Każda persona odpowiedziała ponownie na każde pytanie w ${runs} przebiegach, każdym z własnym ziarnem (wyprowadzonym z ziarna bazowego ${seed}). ` +
    "Każda liczba to najpierw wartość z badania, potem średnia z przebiegów z 95% przedziałem t (df = przebiegi − 1).",
  focusGroupIntro: (runs, seed) =>
    `Analizę każdego pytania powtórzono w ${runs} przebiegach, każdym z własnym ziarnem (wyprowadzonym z ziarna bazowego ${seed}). ` +
    "Dla każdego tematu analizy: w ilu przebiegach powrócił.",
  rules: (rules) =>
    `Stabilne: każdy udział w granicach ±${rules.shareHalfWidthPoints} punktów procentowych, średnia ocena lub średnia pozycja ` +
    `w granicach ±${Math.round(rules.scaleHalfWidthFraction * 100)}% skali i ta sama wiodąca odpowiedź w co najmniej ` +
    `${Math.round(rules.modalAgreement * 100)}% przebiegów; temat jest stabilny, gdy powraca w co najmniej ` +
    `${Math.round(rules.themeRecurrence * 100)}% przebiegów. Wszystko inne jest niestabilne.`,
  stale: "Wyniki badania zmieniły się po tej kontroli: porównuje ona przebiegi z wcześniejszymi wynikami.",
  stable: "stabilne",
  fragile: "niestabilne",
  surveySummary: (stable, assessed) => `Stabilne pytania: ${stable} z ${assessed}.`,
  focusGroupSummary: (stable, themes) => `Stabilne tematy: ${stable} z ${themes}.`,
  option: "Odpowiedź",
  study: "Badanie",
  runsMean: "Przebiegi (średnia)",
  interval: "Przedział 95%",
  verdict: "Ocena",
  meanRating: "Średnia ocena",
  meanRank: "Średnia pozycja",
  leading: (value, agreement) => `Wiodąca: ${value} (w ${agreement} przebiegów)`,
  noLeading: "Brak wiodącej odpowiedzi (brak odpowiedzi)",
  notAssessed: "Pytanie otwarte: nie oceniane.",
  reason: {
    wide_interval: "przedział jest zbyt szeroki",
    modal_disagreement: "wiodąca odpowiedź zmienia się między przebiegami",
    too_few_runs: "odpowiedzi były w mniej niż dwóch przebiegach",
    not_assessed: "nie oceniane",
  },
  theme: "Temat",
  recurs: "Powraca w",
  recursIn: (k, n) => `${k} z ${n}`,
  matchedAs: (titles) => `Powrócił jako: ${titles}`,
  emergent: "Tematy znalezione tylko w przebiegach",
  noThemes: "Analiza nie wskazała tematów.",
};

export const STABILITY_LABELS: Record<Language, StabilityLabels> = { en, pl };
