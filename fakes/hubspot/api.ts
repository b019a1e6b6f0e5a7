/**
 * HubSpot CRM v3 as Sight uses it: the contact properties list, contacts batch upsert on a
 * unique-value property, notes with v4 association types, and search over companies, deals and
 * contacts for the "link to" picker. Bodies follow HubSpot's documented shapes (what
 * `@hubspot/api-client` deserialises); errors are `{ status: "error", message, category, … }`.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { HttpReply } from "../http";
import { RecordTable, searchRecords, type StoredRecord } from "../crm/records";
import { parseOr, type FakeRoute } from "../crm/server";
import { contactProperties, isUniqueProperty, propertyProblem } from "./properties";

/** HubSpot's limit on inputs per batch call. */
export const HUBSPOT_BATCH_LIMIT = 100;
/** v4 association type ids (HUBSPOT_DEFINED) for a note's links. */
export const NOTE_ASSOCIATION_TYPES = { 202: "contacts", 190: "companies", 214: "deals" } as const;

export type HubspotObjectType = "contacts" | "companies" | "deals" | "notes";

export class HubspotStore {
  readonly tables: Record<HubspotObjectType, RecordTable>;
  /** note id → the records it is associated with. */
  readonly noteAssociations = new Map<string, { type: number; toObjectType: string; toId: string }[]>();

  constructor(private readonly now: () => number) {
    const ids = (base: number) => (n: number) => String(base + n);
    this.tables = {
      contacts: new RecordTable(ids(1000), "sight_persona_id", now),
      companies: new RecordTable(ids(5000), null, now),
      deals: new RecordTable(ids(9000), null, now),
      notes: new RecordTable(ids(70000), null, now),
    };
    this.seed();
  }

  reset(): void {
    for (const table of Object.values(this.tables)) table.clear();
    this.noteAssociations.clear();
    this.seed();
  }

  private seed(): void {
    for (const name of ["Acme Corp", "Globex", "Initech"])
      this.tables.companies.insert({ name, domain: `${name.split(" ")[0]!.toLowerCase()}.example` });
    this.tables.deals.insert({ dealname: "Acme renewal 2026", amount: "12000", dealstage: "appointmentscheduled" });
    this.tables.contacts.insert({ firstname: "Jane", lastname: "Buyer", email: "jane.buyer@acme.example" });
  }
}

export function hubspotError(status: number, category: string, message: string, extra: object = {}): HttpReply {
  return { status, body: { status: "error", message, correlationId: randomUUID(), category, ...extra } };
}

function objectJson(record: StoredRecord, extra: object = {}) {
  const properties: Record<string, string | null> = {
    hs_object_id: record.id,
    createdate: record.createdAt,
    lastmodifieddate: record.updatedAt,
  };
  for (const [name, value] of Object.entries(record.fields)) properties[name] = value === null ? null : String(value);
  return {
    id: record.id,
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
    ...extra,
  };
}

const propertiesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const upsertSchema = z.object({
  inputs: z.array(z.object({ idProperty: z.string().min(1), id: z.string().min(1), properties: propertiesSchema })),
});
const noteSchema = z.object({
  properties: propertiesSchema,
  associations: z
    .array(
      z.object({
        to: z.object({ id: z.string().min(1) }),
        types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })).min(1),
      }),
    )
    .default([]),
});
const searchSchema = z.object({
  query: z.string().optional(),
  limit: z.number().int().min(1).max(200).optional(),
  after: z.union([z.string(), z.number()]).optional(),
  properties: z.array(z.string()).optional(),
});

const SEARCH_FIELDS: Record<string, string[]> = {
  contacts: ["firstname", "lastname", "email"],
  companies: ["name", "domain"],
  deals: ["dealname"],
};

function batchUpsert(store: HubspotStore, body: unknown, now: () => number): HttpReply {
  const parsed = parseOr(upsertSchema, body);
  if (!parsed.ok) return hubspotError(400, "VALIDATION_ERROR", `Invalid input JSON on line 1: ${parsed.message}`);
  const { inputs } = parsed.value;
  if (inputs.length === 0 || inputs.length > HUBSPOT_BATCH_LIMIT)
    return hubspotError(400, "VALIDATION_ERROR", `inputs must contain between 1 and ${HUBSPOT_BATCH_LIMIT} items`);
  const idProperty = inputs[0]!.idProperty;
  if (inputs.some((input) => input.idProperty !== idProperty) || !isUniqueProperty(idProperty))
    return hubspotError(400, "VALIDATION_ERROR", `${idProperty} is not a unique identifier property for contacts.`);
  const ids = inputs.map((input) => input.id);
  if (new Set(ids).size !== ids.length)
    return hubspotError(400, "VALIDATION_ERROR", "Duplicate IDs found in batch input.");

  const startedAt = new Date(now()).toISOString();
  const results: object[] = [];
  const errors: object[] = [];
  for (const input of inputs) {
    const problems = Object.entries(input.properties)
      .map(([name, value]) => ({ name, problem: propertyProblem(name, value) }))
      .filter((entry): entry is { name: string; problem: string } => entry.problem !== null);
    if (problems.length > 0) {
      errors.push({
        status: "error",
        category: "VALIDATION_ERROR",
        message: `Property values were not valid: ${problems.map((p) => p.problem).join("; ")}`,
        context: { ids: [input.id] },
        errors: problems.map((p) => ({
          message: p.problem,
          code: "INVALID_PROPERTY",
          context: { propertyName: [p.name] },
        })),
        links: {},
      });
      continue;
    }
    const { record, created } = store.tables.contacts.upsert(input.id, input.properties);
    results.push(objectJson(record, { new: created }));
  }
  const envelope = { status: "COMPLETE", results, startedAt, completedAt: new Date(now()).toISOString() };
  if (errors.length === 0) return { status: 200, body: envelope };
  return { status: 207, body: { ...envelope, numErrors: errors.length, errors } };
}

function createNote(store: HubspotStore, body: unknown): HttpReply {
  const parsed = parseOr(noteSchema, body);
  if (!parsed.ok) return hubspotError(400, "VALIDATION_ERROR", `Invalid input JSON on line 1: ${parsed.message}`);
  const { properties, associations } = parsed.value;
  if (!properties.hs_timestamp)
    return hubspotError(400, "VALIDATION_ERROR", "Property values were not valid: hs_timestamp is required");
  const links: { type: number; toObjectType: string; toId: string }[] = [];
  for (const association of associations) {
    for (const type of association.types) {
      const objectType = NOTE_ASSOCIATION_TYPES[type.associationTypeId as keyof typeof NOTE_ASSOCIATION_TYPES];
      if (type.associationCategory !== "HUBSPOT_DEFINED" || !objectType)
        return hubspotError(
          400,
          "VALIDATION_ERROR",
          `${type.associationTypeId} is not a valid association type from notes`,
        );
      if (!store.tables[objectType].get(association.to.id))
        return hubspotError(
          400,
          "VALIDATION_ERROR",
          `One or more associations are invalid: ${objectType} ${association.to.id} does not exist`,
        );
      links.push({ type: type.associationTypeId, toObjectType: objectType, toId: association.to.id });
    }
  }
  const note = store.tables.notes.insert(properties);
  store.noteAssociations.set(note.id, links);
  return { status: 201, body: objectJson(note) };
}

function search(store: HubspotStore, objectType: string, body: unknown): HttpReply {
  const parsed = parseOr(searchSchema, body ?? {});
  if (!parsed.ok) return hubspotError(400, "VALIDATION_ERROR", parsed.message);
  const limit = parsed.value.limit ?? 10;
  const offset = Number(parsed.value.after ?? 0) || 0;
  const table = store.tables[objectType as "contacts" | "companies" | "deals"];
  const { page, total } = searchRecords(table, SEARCH_FIELDS[objectType]!, parsed.value.query ?? "", limit, offset);
  const next = offset + page.length < total ? { paging: { next: { after: String(offset + page.length) } } } : {};
  return { status: 200, body: { total, results: page.map((record) => objectJson(record)), ...next } };
}

export function hubspotApiRoutes(store: HubspotStore, now: () => number): FakeRoute[] {
  return [
    {
      method: "GET",
      path: /^\/crm\/v3\/properties\/contacts$/,
      name: "properties.list",
      api: true,
      handle: () => ({ status: 200, body: { results: contactProperties(new Date(now()).toISOString()) } }),
    },
    {
      method: "POST",
      path: /^\/crm\/v3\/objects\/contacts\/batch\/upsert$/,
      name: "contacts.batchUpsert",
      api: true,
      handle: async ({ json }) => batchUpsert(store, await json(), now),
    },
    {
      method: "POST",
      path: /^\/crm\/v3\/objects\/notes$/,
      name: "notes.create",
      api: true,
      handle: async ({ json }) => createNote(store, await json()),
    },
    {
      method: "POST",
      path: /^\/crm\/v3\/objects\/(contacts|companies|deals)\/search$/,
      name: "objects.search",
      api: true,
      handle: async ({ json, match }) => search(store, match[1]!, await json()),
    },
  ];
}
