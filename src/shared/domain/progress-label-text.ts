import type { ProgressLabel } from "../contract/progress-labels";
import { countOf } from "./text";

const CRM_NAMES = { hubspot: "HubSpot", salesforce: "Salesforce" } as const;

/** A job's progress label in English: the job's `progress.text`, for scripts, REST and logs. */
export function progressLabelText(label: ProgressLabel | null): string {
  if (!label) return "";
  switch (label.key) {
    case "jobs.paused":
      return "Paused";
    case "jobs.interrupted":
      return "Interrupted: Sight stopped while this ran. Resume to continue from the last saved step.";
    case "personas.generating":
      return `Generating ${countOf(label.params.count, "persona")}`;
    case "analysis.question":
      return `Analysing question ${label.params.question}`;
    case "analysis.summary":
      return "Writing the summary and recommendations";
    case "surveys.asking":
      return `Asking ${countOf(label.params.count, "persona")}`;
    case "surveys.grouping":
      return `Grouping answers to ${countOf(label.params.count, "open question")}`;
    case "surveys.finishing":
      return "Finishing";
    case "exports.checking":
      return "Checking the data";
    case "exports.reused":
      return "Reused an identical export";
    case "exports.reading":
      return "Reading the data";
    case "exports.layout":
      return label.params.pages ? `Laying out the pages (${label.params.pages})` : "Laying out the pages";
    case "exports.writing":
      return `Writing ${countOf(label.params.pages, "page")}`;
    case "exports.done":
      return "Done";
    case "exports.personas":
      return "Personas";
    case "exports.focusGroup":
      return `Focus group · ${label.params.name}`;
    case "crm.personas":
      return `Syncing personas to ${CRM_NAMES[label.params.provider]}: ${label.params.done} of ${label.params.total}`;
    case "crm.note":
      return `Writing the insights note in ${CRM_NAMES[label.params.provider]}`;
    case "exports.survey":
      return `Survey · ${label.params.name}`;
    case "legacy":
      return label.params.text;
  }
}
