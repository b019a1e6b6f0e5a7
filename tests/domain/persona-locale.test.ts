import { describe, expect, it } from "vitest";
import type { TargetDemographics } from "../../src/shared/domain/demographics";
import { personaLocaleOf, proposePersonaLocale } from "../../src/shared/domain/persona-locale";
import { resolvePersonaLocale } from "../../src/renderer/features/personas/locales";

const target = (location: Record<string, number> | null, targetAudience = "") => ({
  targetAudience,
  targetDemographics: (location ? { location } : {}) as TargetDemographics,
});

describe("proposePersonaLocale", () => {
  it.each([
    [{ Kraków: 0.5, Warszawa: 0.5 }, "pl-PL", "Kraków"],
    [{ "rural Poland": 1 }, "pl-PL", "rural Poland"],
    [{ Łęczna: 1 }, "pl-PL", "Łęczna"],
    [{ London: 0.6, Manchester: 0.4 }, "en-GB", "London"],
    [{ München: 0.5, Hamburg: 0.5 }, "de-DE", "München"],
    [{ Paris: 0.7, Lyon: 0.3 }, "fr-FR", "Paris"],
    [{ Madrid: 1 }, "es-ES", "Madrid"],
    [{ Milano: 0.5, Roma: 0.5 }, "it-IT", "Milano"],
    [{ "New York": 0.5, Texas: 0.5 }, "en-US", "New York"],
  ])("proposes from location categories %j: %s", (location, locale, text) => {
    expect(proposePersonaLocale(target(location))).toEqual({ locale, because: { kind: "location", text } });
  });

  it("lets the country holding the largest share of the target win", () => {
    expect(proposePersonaLocale(target({ Berlin: 0.2, Kraków: 0.3, Gdańsk: 0.3, urban: 0.2 }))?.locale).toBe("pl-PL");
    expect(proposePersonaLocale(target({ Berlin: 0.6, Kraków: 0.4 }))?.locale).toBe("de-DE");
  });

  it("reads the target audience when the locations name no country, quoting the words that did", () => {
    expect(proposePersonaLocale(target({ urban: 0.5, rural: 0.5 }, "Parents in Germany who cook at home"))).toEqual({
      locale: "de-DE",
      because: { kind: "audience", text: "Germany" },
    });
    expect(proposePersonaLocale(target(null, "Polish students in their first job"))).toEqual({
      locale: "pl-PL",
      because: { kind: "audience", text: "Polish" },
    });
    // The first country named wins: "Americans living in Berlin" are written as Americans.
    expect(proposePersonaLocale(target(null, "Americans living in Berlin"))?.locale).toBe("en-US");
  });

  it.each([
    ["women who buy nail polish"],
    ["people like us who shop online"],
    ["English-speaking expats"],
    ["nice people with dogs"],
    [""],
  ])("proposes nothing from %j (words that only look like a country)", (audience) => {
    expect(proposePersonaLocale(target({ urban: 1 }, audience))).toBeNull();
  });

  it("keeps the researcher's choice over the proposal, and the fallback when nothing is named", () => {
    const krakow = target({ Kraków: 1 });
    expect(personaLocaleOf({ ...krakow, personaLocale: "en-GB" }, "en-US")).toBe("en-GB");
    expect(personaLocaleOf({ ...krakow, personaLocale: null }, "en-US")).toBe("pl-PL");
    expect(personaLocaleOf({ ...target({ urban: 1 }), personaLocale: null }, "fr-FR")).toBe("fr-FR");
  });
});

describe("resolvePersonaLocale (the app)", () => {
  it("proposes the target's country, not the UI's language", () => {
    expect(resolvePersonaLocale({ ...target({ Kraków: 1 }), personaLocale: null }, "en")).toEqual({
      locale: "pl-PL",
      source: { kind: "location", text: "Kraków" },
    });
    expect(resolvePersonaLocale({ ...target({ London: 1 }), personaLocale: null }, "pl").locale).toBe("en-GB");
  });

  it("falls back to the UI's language, and says so", () => {
    expect(resolvePersonaLocale({ ...target(null), personaLocale: null }, "pl")).toEqual({
      locale: "pl-PL",
      source: { kind: "language" },
    });
    expect(resolvePersonaLocale({ ...target(null), personaLocale: null }, "en").locale).toBe("en-US");
    expect(resolvePersonaLocale({ ...target({ Kraków: 1 }), personaLocale: "it-IT" }, "en")).toEqual({
      locale: "it-IT",
      source: { kind: "chosen" },
    });
  });
});
