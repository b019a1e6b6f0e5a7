import { describe, expect, it } from "vitest";
import {
  DEMOGRAPHIC_PRESETS,
  findDemographicsProblem,
  normaliseWeights,
  parseAgeBracket,
} from "../../src/shared/domain/demographics";
import { foldForSearch } from "../../src/shared/domain/text";

describe("findDemographicsProblem", () => {
  it.each([
    [{ gender: { female: 0.5, male: 0.5 } }],
    [{ age_group: { "18-24": 0.25, "25-34": 0.25, "35-44": 0.25, "65+": 0.25 } }],
    [{ pet_owner: { yes: 0.3, no: 0.7 } }],
    [{}],
    [{ gender: { female: 1 / 3, male: 1 / 3, non_binary: 1 / 3 } }],
  ])("accepts %j", (value) => {
    expect(findDemographicsProblem(value)).toBeNull();
  });

  it.each([
    [
      { gender: { female: 0.5, male: 0.4 } },
      "gender",
      undefined,
      /^Weights of "gender" sum to 90%; they must sum to 100%\.$/,
    ],
    [{ gender: { female: -0.5, male: 1.5 } }, "gender", "female", /negative/],
    [{ gender: { female: "0.5", male: 0.5 } }, "gender", "female", /number/],
    [{ gender: { female: Number.NaN, male: 1 } }, "gender", "female", /number/],
    [{ gender: {} }, "gender", undefined, /no categories/],
    [{ "Bad Key": { a: 1 } }, "Bad Key", undefined, /lower-case/],
    [{ age_group: { young: 1 } }, "age_group", "young", /25-34/],
    [{ age_group: { "40-30": 1 } }, "age_group", "40-30", /25-34/],
    [{ income: { " low": 1 } }, "income", " low", /spaces/],
    [{ income: { low: 0.5, LOW: 0.5 } }, "income", "LOW", /twice/],
    [{ gender: [0.5, 0.5] }, "gender", undefined, /map categories/],
  ])("refuses %j naming the dimension and category", (value, dimension, category, message) => {
    const problem = findDemographicsProblem(value);
    expect(problem).not.toBeNull();
    expect(problem!.dimension).toBe(dimension);
    expect(problem!.category).toBe(category);
    expect(problem!.message).toMatch(message);
  });

  it("suggests normalised weights when the sum is off", () => {
    const problem = findDemographicsProblem({ gender: { female: 60, male: 40 } });
    expect(problem!.suggestion).toEqual({ female: 0.6, male: 0.4 });
  });

  it("ships presets that are all valid", () => {
    for (const [dimension, presets] of Object.entries(DEMOGRAPHIC_PRESETS)) {
      for (const weights of Object.values(presets)) {
        expect(findDemographicsProblem({ [dimension]: weights })).toBeNull();
      }
    }
  });
});

describe("normaliseWeights", () => {
  it("makes weights sum to exactly 1", () => {
    const out = normaliseWeights({ a: 1, b: 1, c: 1 });
    expect(Object.values(out).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    expect(out.a).toBeCloseTo(1 / 3, 9);
  });
});

describe("parseAgeBracket", () => {
  it.each([
    ["18-24", { min: 18, max: 24 }],
    ["65+", { min: 65, max: 120 }],
    ["25 - 34", { min: 25, max: 34 }],
    ["abc", null],
    ["30-20", null],
  ])("%s → %j", (text, expected) => {
    expect(parseAgeBracket(text)).toEqual(expected);
  });
});

describe("foldForSearch", () => {
  it("folds Polish diacritics and case", () => {
    expect(foldForSearch("Zażółć GĘŚLĄ jaźń Łódź")).toBe("zazolc gesla jazn lodz");
  });
});
