/**
 * The contact properties the fake portal has (`GET /crm/v3/properties/contacts`), in the shape
 * HubSpot's Properties API documents, and the value checks a batch upsert runs against them.
 * `sight_persona_id` is the unique-value property Sight upserts on; `sight_synthetic` flags
 * synthetic personas.
 */
type PropertyType = "string" | "number" | "bool" | "enumeration" | "date" | "datetime";

interface PropertySeed {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  options?: string[];
  unique?: boolean;
  readOnly?: boolean;
  custom?: boolean;
}

const SEEDS: PropertySeed[] = [
  { name: "firstname", label: "First Name", type: "string", fieldType: "text" },
  { name: "lastname", label: "Last Name", type: "string", fieldType: "text" },
  { name: "email", label: "Email", type: "string", fieldType: "text" },
  { name: "jobtitle", label: "Job Title", type: "string", fieldType: "text" },
  { name: "city", label: "City", type: "string", fieldType: "text" },
  { name: "country", label: "Country/Region", type: "string", fieldType: "text" },
  { name: "industry", label: "Industry", type: "string", fieldType: "text" },
  { name: "date_of_birth", label: "Date of birth", type: "date", fieldType: "date" },
  { name: "annualrevenue", label: "Annual Revenue", type: "string", fieldType: "text" },
  {
    name: "gender",
    label: "Gender",
    type: "enumeration",
    fieldType: "select",
    options: ["female", "male", "non_binary", "unspecified"],
    custom: true,
  },
  { name: "age", label: "Age", type: "number", fieldType: "number", custom: true },
  { name: "hs_object_id", label: "Record ID", type: "number", fieldType: "number", readOnly: true, unique: true },
  { name: "createdate", label: "Create Date", type: "datetime", fieldType: "date", readOnly: true },
  {
    name: "sight_persona_id",
    label: "Sight persona ID",
    type: "string",
    fieldType: "text",
    unique: true,
    custom: true,
  },
  {
    name: "sight_synthetic",
    label: "Synthetic (Sight)",
    type: "bool",
    fieldType: "booleancheckbox",
    options: ["true", "false"],
    custom: true,
  },
];

const BY_NAME = new Map(SEEDS.map((seed) => [seed.name, seed]));

export function contactProperties(createdAt: string) {
  return SEEDS.map((seed, index) => ({
    name: seed.name,
    label: seed.label,
    type: seed.type,
    fieldType: seed.fieldType,
    description: "",
    groupName: seed.custom ? "sight" : "contactinformation",
    options: (seed.options ?? []).map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
    displayOrder: index,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: seed.unique ?? false,
    hidden: false,
    hubspotDefined: !seed.custom,
    formField: !seed.readOnly,
    createdAt,
    updatedAt: createdAt,
    modificationMetadata: {
      archivable: !!seed.custom,
      readOnlyDefinition: !seed.custom,
      readOnlyValue: !!seed.readOnly,
    },
  }));
}

export function isUniqueProperty(name: string): boolean {
  return BY_NAME.get(name)?.unique === true;
}

/** HubSpot's wording for a value it refuses, or null when the value is fine. */
export function propertyProblem(name: string, value: unknown): string | null {
  const seed = BY_NAME.get(name);
  if (!seed) return `Property "${name}" does not exist`;
  if (seed.readOnly) return `"${name}" is a read only property; its value cannot be set.`;
  if (value === null || value === "") return null;
  const text = String(value);
  switch (seed.type) {
    case "number":
      return Number.isFinite(Number(text)) ? null : `${text} was not a valid number.`;
    case "bool":
    case "enumeration":
      return seed.options?.includes(text)
        ? null
        : `${text} was not one of the allowed options: ${seed.options?.map((o) => `<option value="${o}">`).join(", ")}`;
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(text) || /^\d+$/.test(text) ? null : `${text} is not a valid date.`;
    default:
      if (name === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) return `Email address ${text} is invalid`;
      return null;
  }
}
