import i18next, { type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalogues } from "../support/i18n";
import { findDemographicsProblems } from "../../src/shared/domain/demographics";
import { demographicsProblemText, problemOfDetails } from "../../src/renderer/features/demographics/problem-text";
import { checkProjectForm, hasProblems, projectFormErrors } from "../../src/renderer/features/projects/form-errors";
import { BridgeError } from "../../src/renderer/bridge/bridge";
import { toastText, useToastStore } from "../../src/renderer/stores/toasts";
import type { Format } from "../../src/renderer/i18n/format";

/** The project form's own check, demographics problems in percent, and toasts that follow the language. */

let tEn: TFunction;
let tPl: TFunction;
const format = (language: string) =>
  ({
    language,
    integer: (value: number) => new Intl.NumberFormat(language).format(value),
    percent: (value: number) => new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value),
  }) as unknown as Format;

beforeAll(async () => {
  ({ tEn, tPl } = await loadCatalogues(i18next));
});

const words = (field: string) => `fix ${field}`;

describe("the project form's own check", () => {
  it("finds each field's problem and each dimension's, before anything is sent", () => {
    const check = checkProjectForm(
      {
        name: " ",
        description: "",
        researchGoal: "",
        targetAudience: "",
        targetSampleSize: Number.NaN,
        targetDemographics: { gender: { female: 0.4, male: 0.5 }, income: { low: 1 } },
      },
      [],
      words,
    );
    expect(check.fields).toEqual({ name: "fix name", targetSampleSize: "fix targetSampleSize" });
    expect(check.demographics).toEqual([
      expect.objectContaining({ reason: "weights_sum", dimension: "gender", sumPercent: 90 }),
    ]);
    expect(hasProblems(check)).toBe(true);
  });

  it("passes a valid project", () => {
    const check = checkProjectForm(
      { name: "Oat", targetSampleSize: 20, targetDemographics: { gender: { female: 1 } } },
      [],
      words,
    );
    expect(hasProblems(check)).toBe(false);
  });

  it("reads a server's refusal into the same places, worded by reason", () => {
    const refusal = new BridgeError("INVALID_DEMOGRAPHICS", 'Weights of "gender" sum to 90%; they must sum to 100%.', {
      reason: "weights_sum",
      dimension: "gender",
      sumPercent: 90,
      suggestion: { female: 0.44, male: 0.56 },
    });
    expect(projectFormErrors(refusal, words)).toEqual({
      fields: {},
      demographics: [expect.objectContaining({ reason: "weights_sum", dimension: "gender", sumPercent: 90 })],
    });
    const validation = new BridgeError("VALIDATION_FAILED", "The input is not valid. name: name is required", {
      issues: [{ path: ["name"], code: "too_small", minimum: 1, origin: "string", message: "name is required" }],
    });
    expect(projectFormErrors(validation, words)).toEqual({ fields: { name: "fix name" }, demographics: [] });
    expect(projectFormErrors(new BridgeError("CONFLICT", "busy"), words)).toBeNull();
  });
});

describe("demographics problems in words", () => {
  it("speak of sums in percent, like the editor, in both languages", () => {
    const [problem] = findDemographicsProblems({ gender: { female: 0.5, male: 0.4 } });
    expect(demographicsProblemText(tEn, format("en"), problem!, true)).toBe(
      "The weights sum to 90%; they must sum to 100%.",
    );
    expect(demographicsProblemText(tEn, format("en"), problem!)).toBe(
      "Gender: The weights sum to 90%; they must sum to 100%.",
    );
    expect(demographicsProblemText(tPl, format("pl"), problem!, true)).toBe(
      "Wagi sumują się do 90%; muszą sumować się do 100%.",
    );
    const third = findDemographicsProblems({ pets: { cat: 1 / 3, dog: 1 / 3 } })[0]!;
    expect(demographicsProblemText(tEn, format("en"), third, true)).toBe(
      "The weights sum to 66.67%; they must sum to 100%.",
    );
    expect(demographicsProblemText(tPl, format("pl"), third, true)).toContain("66,67%");
  });

  it("name the category as typed", () => {
    const [duplicate] = findDemographicsProblems({ income: { low: 0.5, LOW: 0.5 } });
    expect(demographicsProblemText(tEn, format("en"), duplicate!, true)).toBe(
      "“LOW” is listed twice; rename or remove one.",
    );
    const [age] = findDemographicsProblems({ age_group: { young: 1 } });
    expect(demographicsProblemText(tEn, format("en"), age!, true)).toBe(
      "Age groups read like “25-34” or “65+”, not “young”.",
    );
  });

  it("read only details that carry a known reason", () => {
    expect(problemOfDetails({ dimension: "gender" })).toBeNull();
    expect(problemOfDetails({ reason: "made_up", dimension: "gender" })).toBeNull();
    expect(problemOfDetails({ reason: "no_categories", dimension: "pets" })).toMatchObject({ reason: "no_categories" });
  });
});

describe("toasts after a change of language", () => {
  it("re-render words made from the translation, and drop fixed strings of another language", async () => {
    const store = useToastStore.getState();
    store.push({ kind: "success", title: ({ t }) => t("toasts.projectCreated"), message: "Oat drink" });
    store.push({ kind: "success", title: "Fixed English words" });
    await i18next.changeLanguage("pl");
    useToastStore.getState().dropStale("pl");
    const [kept, ...rest] = useToastStore.getState().toasts;
    expect(rest).toEqual([]);
    expect(toastText(kept!.title, { t: i18next.t, format: format("pl") })).toBe("Utworzono projekt");
    expect(kept!.message).toBe("Oat drink");
    await i18next.changeLanguage("en");
    expect(toastText(kept!.title, { t: i18next.t, format: format("en") })).toBe("Project created");
  });
});
