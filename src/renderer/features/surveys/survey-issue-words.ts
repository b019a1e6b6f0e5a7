// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type { TFunction } from "i18next";
import type { WireIssue } from "../../../shared/contract";
/** How each place of the builder words its problems; null where the generic words fit. */
export function surveyIssueWords(t: TFunction, integer: (value: number) => string) {
  return (issue: WireIssue): string | null => {
    const [head, index, field, row] = issue.path;
    if (head === "name") return t("fgForm.nameError");
    if (head !== "questions") return null;
    if (index === undefined) return issue.code === "too_small" ? t("surveyBuilder.errors.noQuestions") : null;
    const min = issue.minimum ?? 0;
    if (field === "text") return t("surveyBuilder.errors.text");
    if (field === "options" || field === "items") {
      const noun = field === "options" ? "option" : "item";
      if (row !== undefined) return issue.code === "too_small" ? t(`surveyBuilder.errors.${noun}Empty`) : null;
      if (issue.reason === "duplicate") return t(`surveyBuilder.errors.${noun}sDuplicate`);
      if (issue.code === "too_small")
        return t(`surveyBuilder.errors.${noun}sTooFew`, { count: min, min: integer(min) });
    }
    return null;
  };
}
