import type { Locator, Page } from "@playwright/test";
import en from "../../src/renderer/i18n/en";
import pl from "../../src/renderer/i18n/pl";

/** The UI's own words: a shown text must be one of the catalogue's strings, placeholders filled in. */

function strings(tree: unknown): string[] {
  if (typeof tree === "string") return [tree];
  return Object.values(tree as Record<string, unknown>).flatMap(strings);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const patterns = (tree: unknown) =>
  strings(tree).map(
    (text) =>
      new RegExp(
        `^${text
          .split(/\{\{\w+\}\}/)
          .map(escape)
          .join(".+")}$`,
        "s",
      ),
  );

const CATALOGUES = { en: patterns(en), pl: patterns(pl) };

export function isCatalogueText(text: string, language: "en" | "pl" = "en"): boolean {
  return CATALOGUES[language].some((pattern) => pattern.test(text));
}

/** zod's English and the contract's own messages, which must never reach the screen. */
export const RAW_VALIDATION_TEXT =
  /Too small|Too big|Invalid input|expected (string|number|int|array)|must be unique|must be less than|is required|must be an http|must be between|at least \d+ (options|items)|maxSelections|discussion guide needs/i;

/** Where a form says what is wrong: field errors, row notes, notices, alerts and toasts. */
export const PROBLEM_PLACES =
  ".field__error, .form-error, .weights__note, [data-testid=dimension-message], .notice--error, [role=alert], [data-testid=toast]";

/** Every line of every visible problem message, in order. */
export async function shownProblems(scope: Page | Locator): Promise<string[]> {
  const texts = await scope.locator(PROBLEM_PLACES).filter({ visible: true }).allInnerTexts();
  return [
    ...new Set(
      texts
        .flatMap((text) => text.split("\n"))
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
}
