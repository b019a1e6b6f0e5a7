import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import en from "../../src/renderer/i18n/en";
import pl from "../../src/renderer/i18n/pl";
import { loadCatalogues } from "../support/i18n";

/**
 * Counts in the UI follow each language's plural rules (i18next on Intl.PluralRules): English
 * one/other, Polish one/few/many ("1 persona", "2 persony", "5 person", "22 persony").
 */

type Catalogue = Record<string, unknown>;

function flatten(tree: Catalogue, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value as Catalogue, path)) out.set(k, v);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const bases = (strings: Map<string, string>) =>
  new Set([...strings.keys()].filter((key) => PLURAL.test(key)).map((key) => key.replace(PLURAL, "")));

let tEn: TFunction;
let tPl: TFunction;

beforeAll(async () => {
  ({ tEn, tPl } = await loadCatalogues());
});

const COUNTS = [0, 1, 2, 5, 22] as const;

describe("plural forms for 0, 1, 2, 5 and 22", () => {
  // key → values to pass (count and the formatted figure), and what each language says for each count.
  const cases: {
    key: string;
    values: (count: number) => Record<string, unknown>;
    en: Record<(typeof COUNTS)[number], string>;
    pl: Record<(typeof COUNTS)[number], string>;
  }[] = [
    {
      key: "generation.succeededToast",
      values: (count) => ({ count, n: String(count) }),
      en: {
        0: "0 personas generated",
        1: "1 persona generated",
        2: "2 personas generated",
        5: "5 personas generated",
        22: "22 personas generated",
      },
      pl: {
        0: "Wygenerowano 0 person",
        1: "Wygenerowano 1 personę",
        2: "Wygenerowano 2 persony",
        5: "Wygenerowano 5 person",
        22: "Wygenerowano 22 persony",
      },
    },
    {
      key: "surveyResults.mentions",
      values: (count) => ({ count, n: String(count) }),
      en: { 0: "0 mentions", 1: "1 mention", 2: "2 mentions", 5: "5 mentions", 22: "22 mentions" },
      pl: { 0: "0 wzmianek", 1: "1 wzmianka", 2: "2 wzmianki", 5: "5 wzmianek", 22: "22 wzmianki" },
    },
    {
      key: "generation.progress",
      values: (count) => ({ count, done: "0", total: String(count) }),
      en: {
        0: "0 of 0 personas",
        1: "0 of 1 persona",
        2: "0 of 2 personas",
        5: "0 of 5 personas",
        22: "0 of 22 personas",
      },
      pl: {
        0: "0 z 0 person",
        1: "0 z 1 persony",
        2: "0 z 2 person",
        5: "0 z 5 person",
        22: "0 z 22 person",
      },
    },
    {
      key: "quota.limited",
      values: (count) => ({ count, plan: "Free", limit: String(count), remaining: "0" }),
      en: {
        0: "Free plan: 0 personas in your workspace, 0 left",
        1: "Free plan: 1 persona in your workspace, 0 left",
        2: "Free plan: 2 personas in your workspace, 0 left",
        5: "Free plan: 5 personas in your workspace, 0 left",
        22: "Free plan: 22 personas in your workspace, 0 left",
      },
      pl: {
        0: "Plan Free: 0 person w obszarze roboczym, pozostało: 0",
        1: "Plan Free: 1 persona w obszarze roboczym, pozostało: 0",
        2: "Plan Free: 2 persony w obszarze roboczym, pozostało: 0",
        5: "Plan Free: 5 person w obszarze roboczym, pozostało: 0",
        22: "Plan Free: 22 persony w obszarze roboczym, pozostało: 0",
      },
    },
    {
      key: "discussion.messageCount",
      values: (count) => ({ count, n: String(count) }),
      en: { 0: "0 messages", 1: "1 message", 2: "2 messages", 5: "5 messages", 22: "22 messages" },
      pl: { 0: "0 wypowiedzi", 1: "1 wypowiedź", 2: "2 wypowiedzi", 5: "5 wypowiedzi", 22: "22 wypowiedzi" },
    },
    {
      key: "surveyRun.run",
      values: (count) => ({ count, n: String(count) }),
      en: {
        0: "Run survey (0 personas)",
        1: "Run survey (1 persona)",
        2: "Run survey (2 personas)",
        5: "Run survey (5 personas)",
        22: "Run survey (22 personas)",
      },
      pl: {
        0: "Uruchom ankietę (0 person)",
        1: "Uruchom ankietę (1 persona)",
        2: "Uruchom ankietę (2 persony)",
        5: "Uruchom ankietę (5 person)",
        22: "Uruchom ankietę (22 persony)",
      },
    },
    {
      key: "analysis.allQuotes",
      values: (count) => ({ count, n: String(count) }),
      en: {
        0: "Show all 0 quotes",
        1: "Show the 1 quote",
        2: "Show all 2 quotes",
        5: "Show all 5 quotes",
        22: "Show all 22 quotes",
      },
      pl: {
        0: "Pokaż wszystkie 0 cytatów",
        1: "Pokaż 1 cytat",
        2: "Pokaż wszystkie 2 cytaty",
        5: "Pokaż wszystkie 5 cytatów",
        22: "Pokaż wszystkie 22 cytaty",
      },
    },
    {
      key: "focusGroups.needPersonasBody",
      values: (count) => ({ count, n: String(count) }),
      en: {
        0: "A focus group needs at least 2 participants; this project has 0 personas.",
        1: "A focus group needs at least 2 participants; this project has 1 persona.",
        2: "A focus group needs at least 2 participants; this project has 2 personas.",
        5: "A focus group needs at least 2 participants; this project has 5 personas.",
        22: "A focus group needs at least 2 participants; this project has 22 personas.",
      },
      pl: {
        0: "Grupa fokusowa potrzebuje co najmniej 2 uczestników; ten projekt ma 0 person.",
        1: "Grupa fokusowa potrzebuje co najmniej 2 uczestników; ten projekt ma 1 personę.",
        2: "Grupa fokusowa potrzebuje co najmniej 2 uczestników; ten projekt ma 2 persony.",
        5: "Grupa fokusowa potrzebuje co najmniej 2 uczestników; ten projekt ma 5 person.",
        22: "Grupa fokusowa potrzebuje co najmniej 2 uczestników; ten projekt ma 22 persony.",
      },
    },
    {
      key: "crmSync.startPersonas",
      values: (count) => ({ count, n: String(count), crm: "HubSpot" }),
      en: {
        0: "Send 0 personas to HubSpot",
        1: "Send 1 persona to HubSpot",
        2: "Send 2 personas to HubSpot",
        5: "Send 5 personas to HubSpot",
        22: "Send 22 personas to HubSpot",
      },
      pl: {
        0: "Wyślij 0 person do HubSpot",
        1: "Wyślij 1 personę do HubSpot",
        2: "Wyślij 2 persony do HubSpot",
        5: "Wyślij 5 person do HubSpot",
        22: "Wyślij 22 persony do HubSpot",
      },
    },
    {
      key: "crmSync.recordCount",
      values: (count) => ({ count, n: String(count) }),
      en: { 0: "0 records", 1: "1 record", 2: "2 records", 5: "5 records", 22: "22 records" },
      pl: { 0: "0 rekordów", 1: "1 rekord", 2: "2 rekordy", 5: "5 rekordów", 22: "22 rekordy" },
    },
  ];

  for (const { key, values, en: english, pl: polish } of cases) {
    for (const count of COUNTS) {
      it(`${key} for ${count} reads "${english[count]}" and "${polish[count]}"`, () => {
        expect(tEn(key as never, values(count) as never)).toBe(english[count]);
        expect(tPl(key as never, values(count) as never)).toBe(polish[count]);
      });
    }
  }
});

describe("the catalogues' plurals", () => {
  const english = flatten(en as Catalogue);
  const polish = flatten(pl as Catalogue);

  it("give every English plural both _one and _other", () => {
    for (const base of bases(english)) {
      expect(english.has(`${base}_one`), `${base}_one`).toBe(true);
      expect(english.has(`${base}_other`), `${base}_other`).toBe(true);
    }
  });

  it("give every Polish plural _one, _few, _many and _other, for the same keys as English", () => {
    expect([...bases(polish)].sort()).toEqual([...bases(english)].sort());
    for (const base of bases(polish)) {
      for (const form of ["one", "few", "many", "other"]) {
        expect(polish.has(`${base}_${form}`), `${base}_${form}`).toBe(true);
      }
    }
  });

  it("never write a count as “persona(s)”, nor print plural counts unformatted", () => {
    for (const [key, text] of [...english, ...polish]) {
      // "http(s)" names two schemes, not a count.
      expect(text.replaceAll("http(s)", ""), key).not.toMatch(/\w\(s\)/);
    }
    // {{count}} is i18next's unformatted number: plural keys take the formatted figure by its own name.
    for (const base of bases(english)) {
      for (const [key, text] of english) if (key.startsWith(`${base}_`)) expect(text, key).not.toContain("{{count}}");
    }
  });

  it("use the same placeholders in every form of a plural", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    for (const strings of [english, polish]) {
      for (const base of bases(strings)) {
        const forms = [...strings].filter(([key]) => key.replace(PLURAL, "") === base && PLURAL.test(key));
        const first = placeholders(forms[0]![1]);
        for (const [key, text] of forms) expect(placeholders(text), key).toEqual(first);
      }
    }
  });

  it("carry no years in placeholders, which would go stale", () => {
    for (const [key, text] of [...english, ...polish]) {
      if (/placeholder/i.test(key)) expect(text, key).not.toMatch(/\b20\d\d\b/);
    }
  });
});
