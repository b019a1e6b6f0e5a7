import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_REFUSAL_REASONS } from "../../src/shared/contract";
import { BridgeError } from "../../src/renderer/bridge/bridge";
import { recipeRefusalText, tooLargeText } from "../../src/renderer/features/recipes/refusal-text";
import { loadCatalogues } from "../support/i18n";

let tEn: TFunction;
let tPl: TFunction;

beforeAll(async () => {
  ({ tEn, tPl } = await loadCatalogues());
});

const refusal = (details: unknown) => new BridgeError("VALIDATION_FAILED", "server English", details);

describe("an import's refusal of a recipe, in the UI's language", () => {
  it.each(BUNDLE_REFUSAL_REASONS)("words %s in English and Polish, never with the key or a placeholder", (reason) => {
    for (const t of [tEn, tPl]) {
      const text = recipeRefusalText(t, refusal({ reason, issues: [{ path: ["personas", "0", "name"] }] }))!;
      expect(text).not.toContain("recipes.");
      expect(text).not.toMatch(/\{\{|\}\}/);
    }
  });

  it("says the version read and the one supported, the size limit and where a bundle broke", () => {
    expect(recipeRefusalText(tEn, refusal({ reason: "unsupported_version", version: 2, supported: [1] }))).toBe(
      "This recipe has format version 2; this version of Sight reads version 1.",
    );
    expect(tooLargeText(tPl)).toBe("Plik jest większy niż 8 MB, a receptura badania nie może być tak duża.");
    expect(
      recipeRefusalText(tEn, refusal({ reason: "invalid_bundle", issues: [{ path: ["study", "respondents", "0"] }] })),
    ).toBe("The recipe is damaged or incomplete (first problem at study.respondents.0).");
  });

  it("leaves other errors to the app's usual wording", () => {
    expect(recipeRefusalText(tEn, refusal({ issues: [] }))).toBeNull();
    expect(recipeRefusalText(tEn, new BridgeError("QUOTA_EXCEEDED", "no room", { reason: "too_large" }))).toBeNull();
    expect(recipeRefusalText(tEn, new Error("boom"))).toBeNull();
  });
});
