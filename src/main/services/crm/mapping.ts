/**
 * Sight's persona fields → a CRM's properties: the defaults per provider, the checks against the
 * CRM's own field list (types, picklists, lengths, required fields), and turning a persona into
 * the values one upsert sends. The external id and the synthetic flag are written by every sync,
 * whatever the mapping, so a mapping can neither drop them nor write them twice.
 */
import { createHash } from "node:crypto";
import {
  PERSONA_SOURCE_FIELDS,
  SIGHT_CRM_FIELDS,
  type CrmField,
  type CrmProviderId,
  type MappingEntry,
  type MappingProblem,
  type PersonaSourceField,
} from "../../../shared/contract";
import type { PersonaRecord } from "./crm-provider";

export const PERSONA_OBJECT: Record<CrmProviderId, "contact" | "lead"> = { hubspot: "contact", salesforce: "lead" };

/** What a researcher gets before saving anything: the standard properties each CRM has, plus Sight's age and gender. */
export const DEFAULT_MAPPING: Record<CrmProviderId, MappingEntry[]> = {
  hubspot: [
    { source: "firstName", target: "firstname" },
    { source: "lastName", target: "lastname" },
    { source: "occupation", target: "jobtitle" },
    { source: "location", target: "city" },
    { source: "age", target: "age" },
    { source: "gender", target: "gender" },
  ],
  salesforce: [
    { source: "firstName", target: "FirstName" },
    { source: "lastName", target: "LastName" },
    { source: "project", target: "Company" },
    { source: "occupation", target: "Title" },
    { source: "location", target: "City" },
    { source: "backgroundStory", target: "Description" },
    { source: "age", target: "Age__c" },
    { source: "gender", target: "Gender__c" },
  ],
};

/** The persona as the sync reads it from the database (list fields already parsed). */
export interface PersonaForSync {
  id: string;
  name: string;
  age: number;
  gender: string;
  location: string;
  education: string;
  income: string;
  occupation: string;
  values: string[];
  interests: string[];
  concerns: string[];
  backgroundStory: string;
  communicationStyle: string;
  decisionMakingStyle: string;
  projectName: string;
}

export function sourceValue(persona: PersonaForSync, source: PersonaSourceField): string | number {
  const parts = persona.name.trim().split(/\s+/);
  switch (source) {
    case "firstName":
      return parts.length > 1 ? parts.slice(0, -1).join(" ") : "";
    case "lastName":
      return parts.at(-1) ?? persona.name;
    case "project":
      return persona.projectName;
    case "values":
    case "interests":
    case "concerns":
      return persona[source].join("; ");
    default:
      return persona[source];
  }
}

const fold = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");

/** A Sight value in a picklist: the option it equals once case, accents and punctuation are ignored. */
export function matchOption(value: string, options: string[]): string | null {
  const wanted = fold(value);
  return options.find((option) => fold(option) === wanted) ?? null;
}

/** A value as the CRM field takes it; null when it cannot (reported by `checkMapping` beforehand). */
function convert(value: string | number, field: CrmField | undefined): string | number | boolean | null {
  if (!field) return value;
  switch (field.kind) {
    case "number":
      return typeof value === "number" ? value : Number.isFinite(Number(value)) ? Number(value) : null;
    case "picklist":
      return matchOption(String(value), field.options);
    case "boolean":
      return null;
    default: {
      const text = String(value);
      return field.maxLength !== null && text.length > field.maxLength ? text.slice(0, field.maxLength) : text;
    }
  }
}

const problem = (
  target: string,
  source: PersonaSourceField | null,
  code: MappingProblem["code"],
  severity: MappingProblem["severity"],
  message: string,
): MappingProblem => ({ target, source, code, severity, message });

/** Sight fields that are always text, long enough that a short CRM text field may cut them. */
const LONG_SOURCES = new Set<PersonaSourceField>([
  "backgroundStory",
  "values",
  "interests",
  "concerns",
  "communicationStyle",
  "decisionMakingStyle",
]);

/**
 * Checks a mapping against the CRM's fields (null when not connected: only the shape is checked).
 * Errors block saving and syncing; warnings are shown.
 */
export function checkMapping(
  provider: CrmProviderId,
  entries: MappingEntry[],
  fields: CrmField[] | null,
  samples: PersonaForSync[] = [],
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const reserved = new Set(
    [SIGHT_CRM_FIELDS[provider].externalId, SIGHT_CRM_FIELDS[provider].synthetic].map((name) => name.toLowerCase()),
  );
  const seen = new Set<string>();
  const byName = new Map((fields ?? []).map((field) => [field.name.toLowerCase(), field]));
  for (const entry of entries) {
    const key = entry.target.toLowerCase();
    if (reserved.has(key)) {
      problems.push(
        problem(entry.target, entry.source, "reserved", "error", `${entry.target} is written by Sight on every sync.`),
      );
      continue;
    }
    if (seen.has(key)) {
      problems.push(
        problem(entry.target, entry.source, "duplicate_target", "error", `${entry.target} is mapped more than once.`),
      );
      continue;
    }
    seen.add(key);
    if (!fields) continue;
    const field = byName.get(key);
    if (!field) {
      problems.push(
        problem(entry.target, entry.source, "unknown_field", "error", `The CRM has no field ${entry.target}.`),
      );
      continue;
    }
    if (!field.writable) {
      problems.push(problem(entry.target, entry.source, "read_only", "error", `${field.label} is read-only.`));
      continue;
    }
    const sourceKind = PERSONA_SOURCE_FIELDS[entry.source];
    const fits =
      field.kind === "text" ||
      field.kind === "other" ||
      field.kind === "picklist" ||
      (field.kind === "number" && sourceKind === "number");
    if (field.kind === "email" && sourceKind === "text") {
      problems.push(
        problem(
          entry.target,
          entry.source,
          "email_values",
          "warning",
          `${field.label} takes email addresses; the CRM refuses any other value, record by record.`,
        ),
      );
      continue;
    }
    if (!fits) {
      problems.push(
        problem(
          entry.target,
          entry.source,
          "type_mismatch",
          "error",
          `${field.label} is a ${field.kind} field (${field.crmType}); ${entry.source} is ${sourceKind}.`,
        ),
      );
      continue;
    }
    if (field.kind === "picklist") {
      const outside = [
        ...new Set(
          samples
            .map((persona) => String(sourceValue(persona, entry.source)))
            .filter((value) => matchOption(value, field.options) === null),
        ),
      ];
      if (outside.length > 0)
        problems.push(
          problem(
            entry.target,
            entry.source,
            "picklist_values",
            "warning",
            `${outside.slice(0, 5).join(", ")} ${outside.length === 1 ? "is" : "are"} not among ${field.label}'s values (${field.options.join(", ")}); those records do not send it.`,
          ),
        );
    }
    if (field.kind === "text" && field.maxLength !== null && LONG_SOURCES.has(entry.source) && field.maxLength < 1000)
      problems.push(
        problem(
          entry.target,
          entry.source,
          "too_long",
          "warning",
          `${field.label} holds ${field.maxLength} characters; longer text is cut.`,
        ),
      );
  }
  if (fields) {
    for (const field of fields) {
      if (
        field.required &&
        field.writable &&
        !seen.has(field.name.toLowerCase()) &&
        !reserved.has(field.name.toLowerCase())
      )
        problems.push(
          problem(
            field.name,
            null,
            "required_unmapped",
            "error",
            `${field.label} is required by the CRM: map a field to it.`,
          ),
        );
    }
    const idField = byName.get(SIGHT_CRM_FIELDS[provider].externalId.toLowerCase());
    const flagField = byName.get(SIGHT_CRM_FIELDS[provider].synthetic.toLowerCase());
    const howTo = `(see Sight's README, "Connecting a CRM")`;
    if (!idField)
      problems.push(
        problem(
          SIGHT_CRM_FIELDS[provider].externalId,
          null,
          "missing_sight_field",
          "error",
          `The CRM has no ${SIGHT_CRM_FIELDS[provider].externalId} field yet: create it ${howTo}.`,
        ),
      );
    else if (!idField.unique)
      // Without uniqueness the CRM cannot upsert on it, and a second sync would duplicate every record.
      problems.push(
        problem(
          idField.name,
          null,
          "sight_field_not_unique",
          "error",
          `${idField.name} must be a unique value (HubSpot) or External ID (Salesforce) field ${howTo}.`,
        ),
      );
    if (!flagField)
      problems.push(
        problem(
          SIGHT_CRM_FIELDS[provider].synthetic,
          null,
          "missing_sight_field",
          "error",
          `The CRM has no ${SIGHT_CRM_FIELDS[provider].synthetic} field yet: create it ${howTo}.`,
        ),
      );
    else if (flagField.kind !== "boolean")
      problems.push(
        problem(
          flagField.name,
          null,
          "sight_field_not_boolean",
          "error",
          `${flagField.name} must be a checkbox (boolean) field ${howTo}.`,
        ),
      );
  }
  return problems;
}

export const hasErrors = (problems: MappingProblem[]) => problems.some((entry) => entry.severity === "error");

/** One persona as an upsert record: the mapped fields, the external id and the synthetic flag. */
export function personaRecord(
  provider: CrmProviderId,
  persona: PersonaForSync,
  entries: MappingEntry[],
  fields: CrmField[] | null,
): PersonaRecord {
  const byName = new Map((fields ?? []).map((field) => [field.name.toLowerCase(), field]));
  const values: PersonaRecord["fields"] = {};
  for (const entry of entries) {
    const value = convert(sourceValue(persona, entry.source), byName.get(entry.target.toLowerCase()));
    // A value the field cannot take (outside a picklist) is not sent: sending it empty would
    // clear what the CRM already holds.
    if (value !== null) values[entry.target] = value;
  }
  values[SIGHT_CRM_FIELDS[provider].synthetic] = true;
  return { externalId: persona.id, fields: values };
}

/** A digest of what a record sends: equal digests mean the CRM already holds exactly this. */
export function recordDigest(record: PersonaRecord): string {
  const sorted = Object.keys(record.fields)
    .sort()
    .map((key) => [key, record.fields[key]]);
  return createHash("sha256")
    .update(JSON.stringify([record.externalId, sorted]))
    .digest("base64url")
    .slice(0, 32);
}
