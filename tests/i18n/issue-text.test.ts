import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import en from "../../src/renderer/i18n/en";
import pl from "../../src/renderer/i18n/pl";
import { loadCatalogues } from "../support/i18n";
import { routes, wireIssues, type RouteName, type WireIssue } from "../../src/shared/contract";
import { issueText } from "../../src/renderer/forms/issue-text";
import { checkInput } from "../../src/renderer/forms/issues";
import { surveyIssueWords } from "../../src/renderer/features/surveys/survey-issue-words";

/**
 * zod's own English ("Too small: expected string to have >=1 characters", "items must be
 * unique", "min must be less than max") never reaches the screen: every issue a form can meet is
 * worded from the catalogue, in the UI's language.
 */

let tEn: TFunction;
let tPl: TFunction;
const integer = (value: number) => String(value);

beforeAll(async () => {
  ({ tEn, tPl } = await loadCatalogues());
});

function strings(tree: unknown): string[] {
  if (typeof tree === "string") return [tree];
  return Object.values(tree as Record<string, unknown>).flatMap(strings);
}

/** Every catalogue string as a pattern, its {{placeholders}} matching anything. */
function catalogue(tree: unknown): RegExp[] {
  return strings(tree).map(
    (text) =>
      new RegExp(
        `^${text
          .split(/\{\{\w+\}\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join(".+")}$`,
        "s",
      ),
  );
}

const fromCatalogue = (patterns: RegExp[], text: string) => patterns.some((pattern) => pattern.test(text));

/** Inputs a careless hand or a stale page could send, per route a form uses. */
const BAD_INPUTS: Partial<Record<RouteName, unknown[]>> = {
  "projects.create": [{}, { name: "", targetSampleSize: 0 }, { name: "x".repeat(200), targetSampleSize: 1.5 }],
  "projects.update": [{ id: "p1", name: "  ", description: "d".repeat(6000), targetSampleSize: 5000 }],
  "personas.generate": [
    { projectId: "p1", count: 0, seed: -1, model: "" },
    { projectId: "p1", count: 1e6 },
  ],
  "personas.update": [{ id: "p1", name: "", age: 5, values: [], interests: Array(13).fill("x") }],
  "focusGroups.create": [
    { projectId: "p1", name: "", participantIds: [], guide: [] },
    {
      projectId: "p1",
      name: "ok",
      participantIds: ["a"],
      guide: [{ question: " ", probes: [""] }],
      settings: { temperature: Number.NaN, seed: -3, discussionRounds: 7 },
    },
  ],
  "surveys.create": [
    { projectId: "p1", name: "", questions: [] },
    {
      projectId: "p1",
      name: "Breakfast",
      questions: [
        { type: "multiple_choice", text: "", options: ["", ""], maxSelections: 1 },
        { type: "multiple_choice", text: "Drink?", options: ["Tea", "tea", "Coffee"], maxSelections: 5 },
        { type: "rating_scale", text: "Likely?", min: 5, max: 1 },
        { type: "rating_scale", text: "Likely?", min: 0, max: 50 },
        { type: "ranking", text: "Rank", items: ["Price", "price"] },
        { type: "ranking", text: "Rank", items: ["Only one"] },
      ],
    },
  ],
  "llm.updateSettings": [
    {
      provider: "gemini",
      models: { personas: "", discussion: "m", analysis: "m" },
      geminiBaseUrl: "not a url",
      openaiBaseUrl: "ftp://x",
      concurrency: 0,
      requestTimeoutMs: 10,
      prices: { m: { inputPerMTok: -1, outputPerMTok: 5000 } },
    },
  ],
  "exports.updateCache": [{ limitMb: 1 }, { limitMb: "lots" }],
};

function issuesFor(route: RouteName): WireIssue[] {
  return (BAD_INPUTS[route] ?? []).flatMap((input) => checkInput(routes[route].input, input));
}

describe("issueText", () => {
  const english = catalogue(en);
  const polish = catalogue(pl);

  for (const route of Object.keys(BAD_INPUTS) as RouteName[]) {
    it(`words every issue of ${route} from the catalogue, never with zod's message`, () => {
      const issues = issuesFor(route);
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) {
        for (const [t, patterns] of [
          [tEn, english],
          [tPl, polish],
        ] as const) {
          const text = issueText(t, integer, issue);
          expect(text, `${issue.path.join(".")}: ${issue.code}`).not.toBe(issue.message);
          expect(fromCatalogue(patterns, text), `${issue.path.join(".")} → ${text}`).toBe(true);
          expect(text).not.toMatch(/Too small|Too big|Invalid input|expected|must be unique|must be less than/);
        }
      }
    });
  }

  it("says the limits that were broken, in the UI's language", () => {
    const [tooShort] = checkInput(routes["projects.create"].input, { name: "" });
    expect(issueText(tEn, integer, tooShort!)).toBe("Fill this in.");
    expect(issueText(tPl, integer, tooShort!)).toBe("Uzupełnij to pole.");
    const size = checkInput(routes["projects.create"].input, { name: "x", targetSampleSize: 5000 });
    expect(issueText(tEn, integer, size[0]!)).toBe("Enter 1000 or less.");
    const fraction = checkInput(routes["projects.create"].input, { name: "x", targetSampleSize: 1.5 });
    expect(issueText(tEn, integer, fraction[0]!)).toBe("Enter a whole number.");
  });

  it("words the contract's own rules by their reason: a scale's ends, repeated options, a URL", () => {
    const issues = issuesFor("surveys.create");
    const at = (path: string) => issues.find((issue) => issue.path.join(".") === path)!;
    expect(at("questions.2.min").reason).toBe("min_not_below_max");
    expect(issueText(tEn, integer, at("questions.2.min"))).toBe("The lowest point must be below the highest.");
    expect(issueText(tPl, integer, at("questions.2.min"))).toBe("Najniższy punkt musi być mniejszy od najwyższego.");
    expect(issueText(tEn, integer, at("questions.3.max"))).toBe("A scale has at most 21 points.");
    expect(issueText(tEn, integer, at("questions.1.maxSelections"))).toBe(
      "Allow at most as many answers as there are options.",
    );
    const url = checkInput(routes["llm.updateSettings"].input, BAD_INPUTS["llm.updateSettings"]![0]).find(
      (issue) => issue.path[0] === "openaiBaseUrl",
    );
    expect(url).toBeDefined();
  });

  it("lets the survey builder say each place's problem in its own terms, once", () => {
    const issues = issuesFor("surveys.create");
    const words = surveyIssueWords(tEn, integer);
    const worded = (path: string) => {
      const issue = issues.find((candidate) => candidate.path.join(".") === path)!;
      return words(issue) ?? issueText(tEn, integer, issue);
    };
    expect(worded("questions.0.text")).toBe("Enter the question, or remove it.");
    expect(worded("questions.0.options.0")).toBe("Enter the option, or remove it.");
    expect(worded("questions.1.options")).toBe("Two options say the same; make each one different.");
    expect(worded("questions.4.items")).toBe("Two items say the same; make each one different.");
    expect(worded("questions.5.items")).toBe("Give at least 2 items to rank.");
    // Empty options are said once each, not again as "two options say the same".
    expect(issues.some((issue) => issue.path.join(".") === "questions.0.options")).toBe(false);
    const none = checkInput(routes["surveys.create"].input, { projectId: "p1", name: "", questions: [] });
    expect(none.map((issue) => words(issue))).toEqual(["Enter a name.", "Add at least one question."]);
  });

  it("reads the same words from a server's refusal as from the browser's own check", () => {
    const parsed = routes["surveys.create"].input.safeParse(BAD_INPUTS["surveys.create"]![1]);
    expect(parsed.success).toBe(false);
    const wire = wireIssues(parsed.success ? [] : parsed.error.issues);
    expect(wire).toEqual(issuesFor("surveys.create").slice(-wire.length));
  });
});
