/**
 * The Lead object of the fake org as `GET /services/data/vXX.X/sobjects/Lead/describe`
 * documents it, and the per-record checks a collections upsert runs: required fields on
 * create, restricted picklists, string lengths, numbers. `sight_persona_id__c` is the external
 * id Sight upserts on; `sight_synthetic__c` flags synthetic personas.
 */
type FieldType = "id" | "string" | "email" | "textarea" | "picklist" | "boolean" | "double" | "int" | "date";

interface FieldSeed {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  required?: boolean;
  picklist?: string[];
  externalId?: boolean;
  custom?: boolean;
  readOnly?: boolean;
}

const SEEDS: FieldSeed[] = [
  { name: "Id", label: "Lead ID", type: "id", length: 18, readOnly: true },
  { name: "FirstName", label: "First Name", type: "string", length: 40 },
  { name: "LastName", label: "Last Name", type: "string", length: 80, required: true },
  { name: "Company", label: "Company", type: "string", length: 255, required: true },
  { name: "Email", label: "Email", type: "email", length: 80 },
  { name: "Title", label: "Title", type: "string", length: 128 },
  { name: "City", label: "City", type: "string", length: 40 },
  { name: "Country", label: "Country", type: "string", length: 80 },
  {
    name: "Industry",
    label: "Industry",
    type: "picklist",
    picklist: ["Technology", "Retail", "Healthcare", "Finance"],
  },
  { name: "LeadSource", label: "Lead Source", type: "picklist", picklist: ["Web", "Partner", "Sight"] },
  { name: "NumberOfEmployees", label: "Employees", type: "int" },
  { name: "Description", label: "Description", type: "textarea", length: 32_000 },
  { name: "Age__c", label: "Age", type: "double", custom: true },
  {
    name: "Gender__c",
    label: "Gender",
    type: "picklist",
    picklist: ["Female", "Male", "Non-binary", "Unspecified"],
    custom: true,
  },
  {
    name: "sight_persona_id__c",
    label: "Sight persona ID",
    type: "string",
    length: 64,
    externalId: true,
    custom: true,
  },
  { name: "sight_synthetic__c", label: "Synthetic (Sight)", type: "boolean", custom: true },
];

const BY_NAME = new Map(SEEDS.map((seed) => [seed.name.toLowerCase(), seed]));

const SOAP_TYPE: Record<FieldType, string> = {
  id: "tns:ID",
  string: "xsd:string",
  email: "xsd:string",
  textarea: "xsd:string",
  picklist: "xsd:string",
  boolean: "xsd:boolean",
  double: "xsd:double",
  int: "xsd:int",
  date: "xsd:date",
};

export function leadDescribe(instanceUrl: string, version: string) {
  return {
    name: "Lead",
    label: "Lead",
    labelPlural: "Leads",
    keyPrefix: "00Q",
    custom: false,
    createable: true,
    updateable: true,
    queryable: true,
    urls: {
      sobject: `/services/data/${version}/sobjects/Lead`,
      describe: `/services/data/${version}/sobjects/Lead/describe`,
    },
    fields: SEEDS.map((seed) => ({
      name: seed.name,
      label: seed.label,
      type: seed.type,
      soapType: SOAP_TYPE[seed.type],
      length: seed.length ?? 0,
      nillable: !seed.required && seed.type !== "boolean" && seed.type !== "id",
      createable: !seed.readOnly,
      updateable: !seed.readOnly,
      defaultedOnCreate: seed.type === "boolean" || seed.type === "id",
      externalId: seed.externalId ?? false,
      unique: seed.externalId ?? false,
      idLookup: seed.type === "id" || (seed.externalId ?? false),
      custom: seed.custom ?? false,
      calculated: false,
      restrictedPicklist: seed.type === "picklist",
      picklistValues: (seed.picklist ?? []).map((value) => ({
        active: true,
        defaultValue: false,
        label: value,
        value,
        validFor: null,
      })),
    })),
    instanceUrl,
  };
}

export function isExternalIdField(name: string): boolean {
  return BY_NAME.get(name.toLowerCase())?.externalId === true;
}

export function unknownFields(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((name) => name !== "attributes" && !BY_NAME.has(name.toLowerCase()));
}

export interface FieldError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** Salesforce's per-record errors for a create (`creating`) or update of this record. */
export function recordErrors(record: Record<string, unknown>, creating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (creating) {
    const missing = SEEDS.filter(
      (seed) =>
        seed.required && (record[seed.name] === undefined || record[seed.name] === null || record[seed.name] === ""),
    );
    if (missing.length > 0)
      errors.push({
        statusCode: "REQUIRED_FIELD_MISSING",
        message: `Required fields are missing: [${missing.map((seed) => seed.name).join(", ")}]`,
        fields: missing.map((seed) => seed.name),
      });
  }
  for (const [name, value] of Object.entries(record)) {
    const seed = BY_NAME.get(name.toLowerCase());
    if (!seed || value === null || name === "attributes") continue;
    if (seed.readOnly)
      errors.push({
        statusCode: "INVALID_FIELD_FOR_INSERT_UPDATE",
        message: `Unable to create/update fields: ${seed.name}.`,
        fields: [seed.name],
      });
    else if (seed.type === "picklist" && !seed.picklist!.includes(String(value)))
      errors.push({
        statusCode: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        message: `${seed.label}: bad value for restricted picklist field: ${String(value)}`,
        fields: [seed.name],
      });
    else if ((seed.type === "double" || seed.type === "int") && typeof value !== "number")
      errors.push({
        statusCode: "INVALID_TYPE_ON_FIELD_IN_RECORD",
        message: `${seed.label}: value not of required type: ${String(value)}`,
        fields: [seed.name],
      });
    else if (seed.type === "boolean" && typeof value !== "boolean")
      errors.push({
        statusCode: "INVALID_TYPE_ON_FIELD_IN_RECORD",
        message: `${seed.label}: value not of required type: ${String(value)}`,
        fields: [seed.name],
      });
    else if (seed.type === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(value)))
      errors.push({
        statusCode: "INVALID_EMAIL_ADDRESS",
        message: `${seed.label}: invalid email address: ${String(value)}`,
        fields: [seed.name],
      });
    else if (seed.length && String(value).length > seed.length)
      errors.push({
        statusCode: "STRING_TOO_LONG",
        message: `${seed.label}: data value too large: ${String(value).slice(0, 40)} (max length=${seed.length})`,
        fields: [seed.name],
      });
  }
  return errors;
}
