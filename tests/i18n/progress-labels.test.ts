import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { PROGRESS_LABEL_KEYS, type ProgressLabel, type ProgressLabelKey } from "../../src/shared/contract";
import { progressLabelText } from "../../src/shared/domain/progress-label-text";
import { progressText } from "../../src/renderer/components/progress-text";
import { loadCatalogues } from "../support/i18n";

/**
 * Jobs say what they are doing as a key and parameters; the app words it in the UI's language.
 * Every key has English and Polish words, and the English ones are the server's own English
 * text, so what an English UI shows did not change when labels got keys.
 */

let tEn: TFunction;
let tPl: TFunction;
const integer = (language: string) => {
  const format = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  return { integer: (value: number) => format.format(value) };
};
const en = (label: ProgressLabel | null) => progressText(tEn, integer("en"), label);
const pl = (label: ProgressLabel | null) => progressText(tPl, integer("pl"), label);

beforeAll(async () => {
  ({ tEn, tPl } = await loadCatalogues());
});

/** Labels of every key, with the parameters that change their words (typed: a new key needs an entry). */
const SAMPLES: { [K in ProgressLabelKey]: Extract<ProgressLabel, { key: K }>[] } = {
  "jobs.paused": [{ key: "jobs.paused", params: {} }],
  "jobs.interrupted": [{ key: "jobs.interrupted", params: {} }],
  "personas.generating": [0, 1, 2, 5, 22].map((count) => ({ key: "personas.generating", params: { count } })),
  "analysis.question": [{ key: "analysis.question", params: { question: 3 } }],
  "analysis.summary": [{ key: "analysis.summary", params: {} }],
  "surveys.asking": [1, 3, 12].map((count) => ({ key: "surveys.asking", params: { count } })),
  "surveys.grouping": [1, 2, 5].map((count) => ({ key: "surveys.grouping", params: { count } })),
  "surveys.finishing": [{ key: "surveys.finishing", params: {} }],
  "exports.checking": [{ key: "exports.checking", params: {} }],
  "exports.reused": [{ key: "exports.reused", params: {} }],
  "exports.reading": [{ key: "exports.reading", params: {} }],
  "exports.layout": [0, 14].map((pages) => ({ key: "exports.layout", params: { pages } })),
  "exports.writing": [1, 3, 14].map((pages) => ({ key: "exports.writing", params: { pages } })),
  "exports.done": [{ key: "exports.done", params: {} }],
  "exports.personas": [{ key: "exports.personas", params: {} }],
  "exports.focusGroup": [{ key: "exports.focusGroup", params: { name: "Śniadanie" } }],
  "exports.survey": [{ key: "exports.survey", params: { name: "Oat drink" } }],
  "crm.personas": [
    { key: "crm.personas", params: { provider: "hubspot", done: 100, total: 500 } },
    { key: "crm.personas", params: { provider: "salesforce", done: 0, total: 1 } },
  ],
  "crm.note": [{ key: "crm.note", params: { provider: "salesforce" } }],
  legacy: [{ key: "legacy", params: { text: "Analysing question 2" } }],
};
const samples = Object.values(SAMPLES).flat() as ProgressLabel[];

describe("progress labels in the UI's language", () => {
  it("has a sample of every key the contract lists", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...PROGRESS_LABEL_KEYS].sort());
  });

  for (const label of samples) {
    it(`words ${label.key} ${JSON.stringify(label.params)} in English and Polish`, () => {
      for (const text of [en(label), pl(label)]) {
        expect(text).toEqual(expect.any(String));
        expect(text).not.toBe("");
        // A missing catalogue entry comes back as its key; an unfilled placeholder as {{…}}.
        expect(text).not.toContain("jobProgress.");
        expect(text).not.toContain("{{");
      }
    });

    it(`says ${label.key} ${JSON.stringify(label.params)} in English exactly as the server's text`, () => {
      expect(en(label)).toBe(progressLabelText(label));
    });
  }

  it("words the Polish counts by Polish plural rules", () => {
    const generating = (count: number) => pl({ key: "personas.generating", params: { count } });
    expect([1, 2, 4, 5, 12, 22].map(generating)).toEqual([
      "Sight generuje 1 personę",
      "Sight generuje 2 persony",
      "Sight generuje 4 persony",
      "Sight generuje 5 person",
      "Sight generuje 12 person",
      "Sight generuje 22 persony",
    ]);
    const grouping = (count: number) => pl({ key: "surveys.grouping", params: { count } });
    expect([1, 3, 5].map(grouping)).toEqual([
      "Grupowanie odpowiedzi na 1 pytanie otwarte",
      "Grupowanie odpowiedzi na 3 pytania otwarte",
      "Grupowanie odpowiedzi na 5 pytań otwartych",
    ]);
    expect(pl({ key: "exports.writing", params: { pages: 14 } })).toBe("Sight zapisuje 14 stron");
  });

  it("words the English counts with one and other", () => {
    expect(en({ key: "personas.generating", params: { count: 1 } })).toBe("Generating 1 persona");
    expect(en({ key: "personas.generating", params: { count: 5 } })).toBe("Generating 5 personas");
    expect(en({ key: "exports.writing", params: { pages: 1 } })).toBe("Writing 1 page");
    expect(en({ key: "exports.layout", params: { pages: 0 } })).toBe("Laying out the pages");
    expect(en({ key: "exports.layout", params: { pages: 14 } })).toBe("Laying out the pages (14)");
  });

  it("fills in a study's name in either language", () => {
    const label: ProgressLabel = { key: "exports.focusGroup", params: { name: "Śniadanie" } };
    expect(en(label)).toBe("Focus group · Śniadanie");
    expect(pl(label)).toBe("Grupa fokusowa · Śniadanie");
  });

  it("shows a label an older version stored as English text as it is, and nothing for no label", () => {
    const legacy: ProgressLabel = { key: "legacy", params: { text: "Asking 3 personas" } };
    expect(en(legacy)).toBe("Asking 3 personas");
    expect(pl(legacy)).toBe("Asking 3 personas");
    expect(pl({ key: "legacy", params: { text: "" } })).toBeNull();
    expect(en(null)).toBeNull();
    expect(pl(null)).toBeNull();
  });
});
