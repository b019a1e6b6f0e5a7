import { describe, expect, it } from "vitest";
import { mergeThemes, sameTheme, themeWords } from "../../src/shared/domain/themes";

describe("sameTheme", () => {
  it.each([
    ["Price versus trust", "Price versus trust"],
    ["Price versus trust", "price vs. trust"],
    ["Price and trust", "Price versus trust"],
    ["Everyday convenience", "everyday convenience!"],
    ["Trust in claims", "trust in the claims"],
    ["Cena a zaufanie", "cena i zaufanie"],
    ["Zaufanie do składu", "zaufanie do skladu"],
    ["Recommendations from friends", "Recommendation from friends"],
  ])("treats %j and %j as one theme", (a, b) => {
    expect(sameTheme(a, b)).toBe(true);
  });

  it.each([
    ["Price versus trust", "Packaging"],
    ["Price", "Price of delivery and returns"],
    ["Everyday convenience", "Convenience stores"],
  ])("keeps %j and %j apart", (a, b) => {
    expect(sameTheme(a, b)).toBe(false);
  });

  it("sets small words, accents, case and plural -s aside", () => {
    expect([...themeWords("The Prices of Żółć and Glass")]).toEqual(["price", "zolc", "glass"]);
  });
});

describe("mergeThemes", () => {
  it("makes a theme found under several questions one theme with all its quotes, each once, in order", () => {
    const merged = mergeThemes([
      { id: "t1", title: "Price versus trust", text: "Q1 wording", evidence: ["m1", "m2"] },
      { id: "t2", title: "Everyday convenience", text: "Q1 convenience", evidence: ["m3"] },
      { id: "t3", title: "Price vs trust", text: "Q2 wording", evidence: ["m7", "m2"] },
      { id: "t4", title: "Packaging", text: "Q2 packaging", evidence: ["m8"] },
      { id: "t5", title: "price and trust", text: "Q3 wording", evidence: ["m9"] },
    ]);
    expect(merged).toEqual([
      {
        id: "t1",
        title: "Price versus trust",
        text: "Q1 wording",
        evidence: ["m1", "m2", "m7", "m9"],
        sourceIds: ["t1", "t3", "t5"],
      },
      { id: "t2", title: "Everyday convenience", text: "Q1 convenience", evidence: ["m3"], sourceIds: ["t2"] },
      { id: "t4", title: "Packaging", text: "Q2 packaging", evidence: ["m8"], sourceIds: ["t4"] },
    ]);
  });

  it("leaves distinct themes as they are", () => {
    const findings = [
      { id: "a", title: "Taste", text: "", evidence: ["m1"] },
      { id: "b", title: "Price", text: "", evidence: ["m1"] },
    ];
    expect(mergeThemes(findings).map((theme) => theme.sourceIds)).toEqual([["a"], ["b"]]);
  });
});
