import { describe, expect, it } from "vitest";
import { categoryLabel } from "../../src/renderer/features/demographics/labels";

describe("categoryLabel", () => {
  it.each([
    // The app's canonical keys come translated.
    ["female", "Female", "Female"],
    ["non_binary", "Niebinarne", "Niebinarne"],
    // Typed names are shown as typed, starting with a capital like every other label.
    ["medium", null, "Medium"],
    ["rural poland", null, "Rural poland"],
    ["łódź", null, "Łódź"],
    // Names with capitals of their own are left exactly as typed.
    ["Kraków", null, "Kraków"],
    ["iPhone users", null, "iPhone users"],
    ["25-34", null, "25-34"],
    ["", null, ""],
  ])("shows %j (translated: %j) as %j", (name, translated, shown) => {
    expect(categoryLabel(name, translated)).toBe(shown);
  });
});
