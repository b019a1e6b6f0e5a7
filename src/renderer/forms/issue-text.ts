// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { WireIssue } from "../../shared/contract";
import { useFormat } from "../i18n/format";

/**
 * A validation issue in the UI's language. zod's own English (`issue.message`) is never shown:
 * the words come from the issue's code, its limits and the contract's reason. A form passes
 * `own` to say a field's problem in that field's terms ("Enter a name.") where the generic
 * wording would be vague.
 */
export type OwnWords = (issue: WireIssue) => string | null | undefined;

const NUMBER_ORIGINS = new Set(["number", "int", "bigint"]);
const LIST_ORIGINS = new Set(["array", "set", "map", "record"]);

export function issueText(t: TFunction, integer: (value: number) => string, issue: WireIssue): string {
  const min = issue.minimum ?? 0;
  const max = issue.maximum ?? 0;
  switch (issue.code) {
    case "too_small":
      if (NUMBER_ORIGINS.has(issue.origin ?? "")) return t("formErrors.numberTooSmall", { min: integer(min) });
      if (LIST_ORIGINS.has(issue.origin ?? "")) return t("formErrors.tooFew", { count: min, min: integer(min) });
      return min <= 1 ? t("formErrors.required") : t("formErrors.tooShort", { count: min, min: integer(min) });
    case "too_big":
      if (NUMBER_ORIGINS.has(issue.origin ?? "")) return t("formErrors.numberTooBig", { max: integer(max) });
      if (LIST_ORIGINS.has(issue.origin ?? "")) return t("formErrors.tooMany", { count: max, max: integer(max) });
      return t("formErrors.tooLong", { count: max, max: integer(max) });
    case "invalid_type":
      if (issue.expected === "int") return t("formErrors.notWholeNumber");
      if (issue.expected === "number") return t("formErrors.notNumber");
      return t("formErrors.required");
    case "invalid_value":
    case "invalid_union":
      return t("formErrors.invalidChoice");
    case "invalid_format":
      return t("formErrors.invalidFormat");
    default:
      if (issue.reason) {
        return t(`formErrors.reasons.${issue.reason}`, { min: integer(min), max: integer(max) });
      }
      return t("formErrors.notAccepted");
  }
}

/** issueText bound to the active language, with a form's own words tried first. */
export function useIssueText() {
  const { t } = useTranslation();
  const format = useFormat();
  return (issue: WireIssue, own?: OwnWords): string => own?.(issue) || issueText(t, format.integer, issue);
}
