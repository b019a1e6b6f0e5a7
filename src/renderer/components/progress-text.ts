// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type { TFunction } from "i18next";
import type { ProgressLabel } from "../../shared/contract";
import type { Format } from "../i18n/format";

const CRM_NAMES = { hubspot: "HubSpot", salesforce: "Salesforce" } as const;

/**
 * What a job is doing, in the UI's language, from its progress label's key and parameters
 * (`jobProgress.*`); null while the job has said nothing. A label an older version stored as
 * English text is shown as it is: there is no key to translate.
 */
export function progressText(
  t: TFunction,
  format: Pick<Format, "integer">,
  label: ProgressLabel | null,
): string | null {
  if (!label) return null;
  switch (label.key) {
    case "legacy":
      return label.params.text || null;
    case "personas.generating":
    case "surveys.asking":
    case "surveys.grouping":
      return t(`jobProgress.${label.key}`, { count: label.params.count, n: format.integer(label.params.count) });
    case "analysis.question":
      return t("jobProgress.analysis.question", { n: format.integer(label.params.question) });
    case "exports.layout":
      return label.params.pages > 0
        ? t("jobProgress.exports.layoutPages", { pages: format.integer(label.params.pages) })
        : t("jobProgress.exports.layout");
    case "exports.writing":
      return t("jobProgress.exports.writing", { count: label.params.pages, n: format.integer(label.params.pages) });
    case "exports.focusGroup":
    case "exports.survey":
      return t(`jobProgress.${label.key}`, { name: label.params.name });
    case "crm.personas":
      return t("jobProgress.crm.personas", {
        provider: CRM_NAMES[label.params.provider],
        done: format.integer(label.params.done),
        total: format.integer(label.params.total),
      });
    case "crm.note":
      return t("jobProgress.crm.note", { provider: CRM_NAMES[label.params.provider] });
    default:
      return t(`jobProgress.${label.key}`);
  }
}
