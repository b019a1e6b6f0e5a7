/**
 * Salesforce over plain fetch with zod-validated responses, not jsforce 3.10.14, on evidence
 * from jsforce's source:
 *  - its fetch layer (lib/request.js) retries GET/PUT/DELETE on 420/429/5xx up to 5 times with
 *    its own 500 ms × 2ⁿ backoff, ignoring Retry-After; the retry options reach it only through
 *    `conn.request(req, { retry })`, not through describe/query/upsert, so under our policy a
 *    describe could cost 3 × 6 requests and the breaker would see one failure for six;
 *  - its 401 refresh is single-flight (SessionRefreshDelegate), but `oauthRefreshFn` re-establishes
 *    the connection without the answered refresh_token, so a rotated refresh token is dropped
 *    unless we also listen to its `refresh` event;
 *  - it pulls 116 packages (~150 MB with core-js, inquirer, faye, commander, open: its CLI and
 *    streaming), for what are here five REST calls.
 * `instanceUrl`/`loginUrl` would point it at a loopback fake; that was never the problem.
 */
import { z } from "zod";
import type { AppError } from "../../../shared/contract";
import {
  type AssociationTarget,
  type CallOptions,
  type CrmAccount,
  type CrmField,
  type CrmProvider,
  type InsightNote,
  type NoteResult,
  type PersonaRecord,
  type TargetKind,
  type UpsertOutcome,
} from "./crm-provider";
import { CrmConnection, outcomesOrWholeBatchFailure, type CrmConnectionOptions } from "./crm-connection";
import { CrmFailure } from "./crm-failure";
import { requestJson, type JsonRequest } from "./crm-http";
import { MetadataCache } from "./metadata-cache";
import { noteHtml } from "./note-html";
import { SIGHT_CRM_FIELDS } from "../../../shared/contract/crm";

export const SALESFORCE_API_VERSION = "v60.0";
export const SALESFORCE_BATCH_SIZE = 200;
export const PERSONA_ID_FIELD = SIGHT_CRM_FIELDS.salesforce.externalId;

export interface SalesforceProviderOptions extends CrmConnectionOptions {
  apiVersion?: string;
}

const describeSchema = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.string(),
      length: z.number().optional(),
      nillable: z.boolean(),
      createable: z.boolean(),
      updateable: z.boolean(),
      defaultedOnCreate: z.boolean().optional(),
      externalId: z.boolean().optional(),
      unique: z.boolean().optional(),
      picklistValues: z.array(z.object({ value: z.string(), active: z.boolean() })).optional(),
    }),
  ),
});
const saveResultSchema = z.object({
  id: z.string().optional(),
  success: z.boolean(),
  created: z.boolean().optional(),
  errors: z.array(z.object({ statusCode: z.string(), message: z.string() })).default([]),
});
const createdSchema = z.object({ id: z.string(), success: z.literal(true) });
const userinfoSchema = z.object({
  organization_id: z.string(),
  preferred_username: z.string(),
  email: z.string().nullable().optional(),
});
const querySchema = z.object({ records: z.array(z.object({ Id: z.string(), Name: z.string().nullable() })) });

const FIELD_KIND: Record<string, CrmField["kind"]> = {
  string: "text",
  textarea: "text",
  phone: "text",
  url: "text",
  email: "email",
  picklist: "picklist",
  multipicklist: "picklist",
  boolean: "boolean",
  double: "number",
  int: "number",
  currency: "number",
  percent: "number",
  date: "date",
  datetime: "date",
  id: "id",
  reference: "id",
};

/** A SOQL string literal inside LIKE '%…%': quotes and backslashes escaped, and the wildcards too. */
function likeLiteral(search: string): string {
  return search.replace(/[\\'%_]/g, (c) => `\\${c}`);
}

/** Task.Description holds 32,000 characters: the body is cut before the link and the synthetic label's paragraph. */
export const TASK_DESCRIPTION_MAX = 32_000;
function taskDescription(note: InsightNote): string {
  const tail = `\n\n${note.studyUrl}`;
  if (note.body.length + tail.length <= TASK_DESCRIPTION_MAX) return `${note.body}${tail}`;
  const lastParagraph = note.body.slice(note.body.lastIndexOf("\n") + 1);
  const room = TASK_DESCRIPTION_MAX - tail.length - lastParagraph.length - 3;
  return `${note.body.slice(0, room)}…\n\n${lastParagraph}${tail}`;
}

export class SalesforceProvider implements CrmProvider {
  readonly id = "salesforce" as const;
  readonly batchSize = SALESFORCE_BATCH_SIZE;
  private readonly connection: CrmConnection;
  private readonly fields: MetadataCache<CrmField[]>;
  private readonly version: string;

  constructor(options: SalesforceProviderOptions) {
    this.version = options.apiVersion ?? SALESFORCE_API_VERSION;
    this.connection = new CrmConnection("salesforce", options);
    this.fields = new MetadataCache(this.connection.now);
  }

  breakerState() {
    return this.connection.breakerState();
  }

  /** Forgets the cached field list (the mapping screen's "Refresh CRM fields"). */
  invalidateFields(): void {
    this.fields.clear();
  }

  async account(options: CallOptions = {}): Promise<CrmAccount> {
    const info = await this.call(
      "account",
      { method: "GET", path: "/services/oauth2/userinfo" },
      userinfoSchema,
      options,
    );
    return {
      provider: "salesforce",
      accountId: info.organization_id,
      accountName: info.preferred_username,
      userEmail: info.email ?? null,
    };
  }

  listFields(options: CallOptions = {}): Promise<CrmField[]> {
    return this.fields.get("Lead", async () => {
      const answer = await this.call(
        "describe",
        { method: "GET", path: this.data("/sobjects/Lead/describe") },
        describeSchema,
        options,
      );
      return answer.fields.map((field) => ({
        name: field.name,
        label: field.label,
        kind: FIELD_KIND[field.type] ?? "other",
        crmType: field.type,
        writable: field.createable && field.updateable,
        required: field.createable && !field.nillable && !field.defaultedOnCreate,
        unique: (field.externalId ?? false) || (field.unique ?? false),
        options: (field.picklistValues ?? []).filter((value) => value.active).map((value) => value.value),
        maxLength: field.length ? field.length : null,
      }));
    });
  }

  async listTargets(kind: TargetKind, search: string, options: CallOptions = {}): Promise<AssociationTarget[]> {
    const object = this.targetObject(kind);
    const soql = `SELECT Id, Name FROM ${object} WHERE Name LIKE '%${likeLiteral(search)}%' ORDER BY Name LIMIT 20`;
    const answer = await this.call(
      "query",
      { method: "GET", path: this.data(`/query?q=${encodeURIComponent(soql)}`) },
      querySchema,
      options,
    );
    return answer.records.map((record) => ({ kind, id: record.Id, name: record.Name ?? record.Id }));
  }

  async upsertPersonaBatch(records: PersonaRecord[], options: CallOptions = {}): Promise<UpsertOutcome[]> {
    if (records.length === 0) return [];
    this.connection.checkBatch(records, this.batchSize);
    const body = {
      allOrNone: false,
      records: records.map((record) => ({
        attributes: { type: "Lead" },
        ...record.fields,
        [PERSONA_ID_FIELD]: record.externalId,
      })),
    };
    return outcomesOrWholeBatchFailure(records, async () => {
      const results = await this.call(
        "collectionsUpsert",
        { method: "PATCH", path: this.data(`/composite/sobjects/Lead/${PERSONA_ID_FIELD}`), body },
        z.array(saveResultSchema),
        options,
      );
      // sObject Collections answers one result per record, in request order.
      return records.map((record, index): UpsertOutcome => {
        const result = results[index];
        if (result?.success && result.id)
          return { externalId: record.externalId, status: result.created ? "created" : "updated", crmId: result.id };
        const errors = result?.errors ?? [];
        return {
          externalId: record.externalId,
          status: "failed",
          message: errors.map((error) => error.message).join("; ") || "Salesforce did not report this record.",
          code: errors[0]?.statusCode ?? null,
        };
      });
    });
  }

  async createInsightNote(note: InsightNote, options: CallOptions = {}): Promise<NoteResult> {
    this.connection.checkTarget(note.target.kind);
    const content = Buffer.from(noteHtml(note), "utf8").toString("base64");
    let noteId: string;
    try {
      const created = await this.call(
        "createNote",
        { method: "POST", path: this.data("/sobjects/ContentNote"), body: { Title: note.title, Content: content } },
        createdSchema,
        options,
      );
      noteId = created.id;
    } catch (error) {
      if (!this.notesOff(error)) throw error;
      return this.createTask(note, options);
    }
    // Its own call: retrying the link must not create the note twice. A link that fails for good
    // (a deleted record, sharing) deletes the note again rather than leave it unlinked.
    try {
      await this.call(
        "linkNote",
        {
          method: "POST",
          path: this.data("/sobjects/ContentDocumentLink"),
          body: { ContentDocumentId: noteId, LinkedEntityId: note.target.id, ShareType: "V", Visibility: "AllUsers" },
        },
        createdSchema,
        options,
      );
    } catch (error) {
      await this.call(
        "deleteNote",
        { method: "DELETE", path: this.data(`/sobjects/ContentNote/${encodeURIComponent(noteId)}`) },
        z.unknown(),
        options,
      ).catch(() => undefined);
      throw error;
    }
    return { kind: "note", crmId: noteId, target: note.target };
  }

  revoke(options: CallOptions = {}): Promise<void> {
    return this.connection.revoke(options.signal);
  }

  private async createTask(note: InsightNote, options: CallOptions): Promise<NoteResult> {
    const task = await this.call(
      "createTask",
      {
        method: "POST",
        path: this.data("/sobjects/Task"),
        body: {
          Subject: note.title,
          Description: taskDescription(note),
          WhatId: note.target.id,
          Status: "Completed",
        },
      },
      createdSchema,
      options,
    );
    return { kind: "task", crmId: task.id, target: note.target };
  }

  /** ContentNote is missing where the org has Notes off (NOT_FOUND / INVALID_TYPE). */
  private notesOff(error: unknown): boolean {
    const crmCode = (error as AppError | undefined)?.details as { crmCode?: string; reason?: string } | undefined;
    return crmCode?.reason === "rejected" && (crmCode.crmCode === "NOT_FOUND" || crmCode.crmCode === "INVALID_TYPE");
  }

  private targetObject(kind: TargetKind): "Account" | "Opportunity" {
    this.connection.checkTarget(kind);
    return kind === "account" ? "Account" : "Opportunity";
  }

  private data(path: string): string {
    return `/services/data/${this.version}${path}`;
  }

  private call<T>(
    operation: string,
    request: Omit<JsonRequest, "url" | "token" | "signal"> & { path: string },
    schema: z.ZodType<T>,
    options: CallOptions,
  ): Promise<T> {
    return this.connection.run(
      operation,
      (token, tokens) => {
        if (!tokens.instanceUrl) throw new CrmFailure("auth", "no instance URL: reconnect Salesforce");
        return requestJson(
          { ...request, url: `${tokens.instanceUrl}${request.path}`, token, signal: options.signal },
          schema,
        );
      },
      options.signal,
    );
  }
}
