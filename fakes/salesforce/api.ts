/**
 * Salesforce REST as Sight uses it, under `/services/data/vXX.X/`: Lead describe, sObject
 * Collections upsert on an external id (at most 200 records, per-record results), ContentNote +
 * ContentDocumentLink (or a Task where notes are off), `limits`, a small SOQL subset for the
 * Account/Opportunity picker, and userinfo. Errors are Salesforce's `[{ message, errorCode }]`.
 */
import { z } from "zod";
import type { HttpReply } from "../http";
import { RecordTable } from "../crm/records";
import { parseOr, type FakeRoute } from "../crm/server";
import { isExternalIdField, leadDescribe, recordErrors, unknownFields } from "./lead-fields";

/** Salesforce's limit on records per sObject Collections call. */
export const SALESFORCE_COLLECTION_LIMIT = 200;
export const ORG_ID = "00D5g000000FakeEAA";
export const USER_ID = "0055g000000FakeAAA";

type Table = "Lead" | "Account" | "Opportunity" | "ContentNote" | "ContentDocumentLink" | "Task";
const PREFIX: Record<Table, string> = {
  Lead: "00Q",
  Account: "001",
  Opportunity: "006",
  ContentNote: "069",
  ContentDocumentLink: "06A",
  Task: "00T",
};

export class SalesforceStore {
  readonly tables: Record<Table, RecordTable>;
  notesEnabled = true;
  dailyApiMax = 15_000;
  dailyApiUsed = 0;

  constructor(now: () => number) {
    const ids = (prefix: string) => (n: number) => `${prefix}5g${String(n).padStart(10, "0")}AAA`;
    const table = (name: Table) =>
      new RecordTable(ids(PREFIX[name]), name === "Lead" ? "sight_persona_id__c" : null, now);
    this.tables = {
      Lead: table("Lead"),
      Account: table("Account"),
      Opportunity: table("Opportunity"),
      ContentNote: table("ContentNote"),
      ContentDocumentLink: table("ContentDocumentLink"),
      Task: table("Task"),
    };
    this.seed();
  }

  reset(): void {
    for (const table of Object.values(this.tables)) table.clear();
    this.notesEnabled = true;
    this.dailyApiMax = 15_000;
    this.dailyApiUsed = 0;
    this.seed();
  }

  private seed(): void {
    const acme = this.tables.Account.insert({ Name: "Acme Corp" });
    this.tables.Account.insert({ Name: "Globex" });
    this.tables.Opportunity.insert({ Name: "Acme renewal 2026", AccountId: acme.id, StageName: "Prospecting" });
  }
}

export function sfError(status: number, errorCode: string, message: string, fields?: string[]): HttpReply {
  return { status, body: [{ message, errorCode, ...(fields ? { fields } : {}) }] };
}

const upsertSchema = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

function upsertCollection(store: SalesforceStore, object: string, externalField: string, body: unknown): HttpReply {
  if (object !== "Lead") return sfError(404, "NOT_FOUND", "The requested resource does not exist");
  if (!isExternalIdField(externalField))
    return sfError(
      400,
      "INVALID_FIELD",
      `Provided external ID field does not exist or is not accessible: ${externalField}`,
    );
  const parsed = parseOr(upsertSchema, body);
  if (!parsed.ok) return sfError(400, "JSON_PARSER_ERROR", parsed.message);
  const { records, allOrNone } = parsed.value;
  if (records.length > SALESFORCE_COLLECTION_LIMIT)
    return sfError(
      400,
      "EXCEEDED_ID_LIMIT",
      `record limit reached. cannot submit more than ${SALESFORCE_COLLECTION_LIMIT} records into this call`,
    );
  for (const record of records) {
    const type = (record.attributes as { type?: unknown } | undefined)?.type;
    if (type !== object) return sfError(400, "INVALID_TYPE", "Record type is missing or does not match the URL.");
    const unknown = unknownFields(record);
    if (unknown.length > 0)
      return sfError(400, "INVALID_FIELD", `No such column '${unknown[0]}' on sobject of type ${object}`);
  }
  const table = store.tables.Lead;
  const checked = records.map((record) => {
    const external = record[externalField];
    if (typeof external !== "string" || !external)
      return {
        record,
        external: "",
        errors: [{ statusCode: "MISSING_ARGUMENT", message: `${externalField} not specified`, fields: [] }],
      };
    return { record, external, errors: recordErrors(record, !table.findByExternal(external)) };
  });
  // allOrNone: one failure rolls back the lot, and every record reports the rollback.
  if (allOrNone && checked.some((entry) => entry.errors.length > 0)) {
    return {
      status: 200,
      body: checked.map((entry) => ({
        success: false,
        errors: entry.errors.length
          ? entry.errors
          : [
              {
                statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                message:
                  "Record rolled back because not all records were valid and the request was using AllOrNone header",
                fields: [],
              },
            ],
      })),
    };
  }
  const results = checked.map(({ record, external, errors }) => {
    if (errors.length > 0) return { success: false, errors };
    const fields = Object.fromEntries(Object.entries(record).filter(([name]) => name !== "attributes")) as Record<
      string,
      string
    >;
    const { record: stored, created } = table.upsert(external, fields);
    return { id: stored.id, success: true, errors: [], created };
  });
  return { status: 200, body: results };
}

const contentNoteSchema = z.object({ Title: z.string().min(1).max(255), Content: z.string() });
const linkSchema = z.object({
  ContentDocumentId: z.string(),
  LinkedEntityId: z.string(),
  ShareType: z.string().optional(),
  Visibility: z.string().optional(),
});
const taskSchema = z.object({
  Subject: z.string().min(1).max(255),
  Description: z.string().optional(),
  WhatId: z.string().optional(),
  Status: z.string().optional(),
  Priority: z.string().optional(),
});

function findById(store: SalesforceStore, id: string) {
  return store.tables.Account.get(id) ?? store.tables.Opportunity.get(id) ?? store.tables.Lead.get(id);
}

function createRecord(store: SalesforceStore, object: string, body: unknown): HttpReply {
  const created = (id: string): HttpReply => ({ status: 201, body: { id, success: true, errors: [] } });
  if (object === "ContentNote") {
    if (!store.notesEnabled) return sfError(404, "NOT_FOUND", "The requested resource does not exist");
    const parsed = parseOr(contentNoteSchema, body);
    if (!parsed.ok) return sfError(400, "REQUIRED_FIELD_MISSING", parsed.message);
    return created(store.tables.ContentNote.insert({ Title: parsed.value.Title, Content: parsed.value.Content }).id);
  }
  if (object === "ContentDocumentLink") {
    const parsed = parseOr(linkSchema, body);
    if (!parsed.ok) return sfError(400, "REQUIRED_FIELD_MISSING", parsed.message);
    if (!store.tables.ContentNote.get(parsed.value.ContentDocumentId) || !findById(store, parsed.value.LinkedEntityId))
      return sfError(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["LinkedEntityId"]);
    return created(store.tables.ContentDocumentLink.insert({ ...parsed.value }).id);
  }
  if (object === "Task") {
    const parsed = parseOr(taskSchema, body);
    if (!parsed.ok) return sfError(400, "REQUIRED_FIELD_MISSING", parsed.message);
    if (parsed.value.WhatId && !findById(store, parsed.value.WhatId))
      return sfError(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["WhatId"]);
    return created(store.tables.Task.insert({ ...parsed.value, Status: parsed.value.Status ?? "Completed" }).id);
  }
  return sfError(404, "NOT_FOUND", "The requested resource does not exist");
}

/** SELECT Id, Name FROM Account|Opportunity [WHERE Name LIKE '%x%'] [ORDER BY Name] [LIMIT n] */
const SOQL =
  /^SELECT\s+Id\s*,\s*Name\s+FROM\s+(Account|Opportunity)(?:\s+WHERE\s+Name\s+LIKE\s+'((?:[^'\\]|\\.)*)')?(?:\s+ORDER\s+BY\s+Name)?(?:\s+LIMIT\s+(\d+))?\s*$/i;

function query(store: SalesforceStore, soql: string, version: string): HttpReply {
  const match = SOQL.exec(soql.trim());
  if (!match)
    return sfError(
      400,
      "MALFORMED_QUERY",
      `The fake understands only SELECT Id, Name FROM Account|Opportunity …: ${soql.slice(0, 80)}`,
    );
  const object = (match[1]!.charAt(0).toUpperCase() + match[1]!.slice(1).toLowerCase()) as "Account" | "Opportunity";
  const needle = (match[2] ?? "%").replace(/\\(.)/g, "$1").replace(/^%|%$/g, "").toLowerCase();
  const rows = store.tables[object]
    .all()
    .filter((row) =>
      String(row.fields.Name ?? "")
        .toLowerCase()
        .includes(needle),
    )
    .sort((a, b) => String(a.fields.Name).localeCompare(String(b.fields.Name)))
    .slice(0, match[3] ? Number(match[3]) : 2000);
  return {
    status: 200,
    body: {
      totalSize: rows.length,
      done: true,
      records: rows.map((row) => ({
        attributes: { type: object, url: `/services/data/${version}/sobjects/${object}/${row.id}` },
        Id: row.id,
        Name: row.fields.Name,
      })),
    },
  };
}

export function salesforceApiRoutes(store: SalesforceStore, instanceUrl: () => string): FakeRoute[] {
  const v = String.raw`\/services\/data\/(v\d+\.\d)`;
  return [
    {
      method: "GET",
      path: new RegExp(`^${v}\\/sobjects\\/Lead\\/describe$`),
      name: "lead.describe",
      api: true,
      handle: ({ match }) => ({ status: 200, body: leadDescribe(instanceUrl(), match[1]!) }),
    },
    {
      method: "PATCH",
      path: new RegExp(`^${v}\\/composite\\/sobjects\\/([A-Za-z_]+)\\/([A-Za-z0-9_]+)$`),
      name: "collections.upsert",
      api: true,
      handle: async ({ match, json }) => upsertCollection(store, match[2]!, match[3]!, await json()),
    },
    {
      method: "POST",
      path: new RegExp(`^${v}\\/sobjects\\/([A-Za-z]+)$`),
      name: "sobjects.create",
      api: true,
      handle: async ({ match, json }) => createRecord(store, match[2]!, await json()),
    },
    {
      // DELETE /sobjects/{object}/{id}: 204, or 404 ENTITY_IS_DELETED / NOT_FOUND.
      method: "DELETE",
      path: new RegExp(`^${v}\\/sobjects\\/(ContentNote|Task|Lead)\\/([A-Za-z0-9]+)$`),
      name: "sobjects.delete",
      api: true,
      handle: ({ match }) =>
        store.tables[match[2] as "ContentNote" | "Task" | "Lead"].delete(match[3]!)
          ? { status: 204, body: null }
          : sfError(404, "NOT_FOUND", "The requested resource does not exist"),
    },
    {
      method: "GET",
      path: new RegExp(`^${v}\\/query$`),
      name: "query",
      api: true,
      handle: ({ url, match }) => query(store, url.searchParams.get("q") ?? "", match[1]!),
    },
    {
      method: "GET",
      path: new RegExp(`^${v}\\/limits$`),
      name: "limits",
      api: true,
      handle: () => ({
        status: 200,
        body: {
          DailyApiRequests: { Max: store.dailyApiMax, Remaining: Math.max(0, store.dailyApiMax - store.dailyApiUsed) },
        },
      }),
    },
    {
      method: "GET",
      path: /^\/services\/oauth2\/userinfo$/,
      name: "oauth.userinfo",
      api: true,
      handle: () => ({
        status: 200,
        body: {
          sub: `${instanceUrl()}/id/${ORG_ID}/${USER_ID}`,
          user_id: USER_ID,
          organization_id: ORG_ID,
          preferred_username: "researcher@example.com",
          name: "Rita Researcher",
          email: "researcher@example.com",
          email_verified: true,
          zoneinfo: "Europe/Warsaw",
          urls: { rest: `${instanceUrl()}/services/data/v{version}/` },
        },
      }),
    },
  ];
}
