/**
 * HubSpot through the official SDK, `@hubspot/api-client` 13.5.0 (the last for Node 20), chosen
 * on evidence from its source:
 *  - `new Client({ basePath })` sends every generated API to that host (ApiClientConfigurator
 *    .getBaseServer), so it talks to the loopback fake as to api.hubapi.com;
 *  - its retries and Bottleneck limiter are off unless `numberOfApiCallRetries`/`limiterOptions`
 *    are set (client.js getDecorators), so the only retries are ours. Its own RetryDecorator
 *    would not do: a fixed 10 s × attempt for TEN_SECONDLY_ROLLING, Retry-After ignored,
 *    console.error on every retry;
 *  - errors are ApiException { code, body, headers }: status, HubSpot's category and the
 *    Retry-After header are all readable; network errors are node-fetch FetchErrors;
 *  - batch upsert answers `new` per record (created vs updated) and 207 with per-record errors.
 * Cost: ~47 MB unpacked plus node-fetch 2, bottleneck, lodash.merge, es6-promise (5 packages
 * new to this repo). OAuth stays on plain fetch (hubspot-oauth.ts): the SDK's token call has no
 * `code_verifier`, and the exchange goes through Sight Cloud's broker anyway.
 * Note: the SDK keeps its decorators in a process-wide singleton; no Client here sets any.
 */
import { Client } from "@hubspot/api-client";
import type { AssociationSpecAssociationCategoryEnum } from "@hubspot/api-client/lib/codegen/crm/objects/notes";
import { parseRetryAfter } from "../llm/provider-failure";
import {
  outcomesInOrder,
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
import { CrmFailure, kindForStatus } from "./crm-failure";
import { crmErrorInfo } from "./crm-http";
import { MetadataCache } from "./metadata-cache";
import { noteHtml } from "./note-html";
import { TokenBucket } from "./token-bucket";
import { SIGHT_CRM_FIELDS } from "../../../shared/contract/crm";

export const HUBSPOT_BATCH_SIZE = 100;
export const PERSONA_ID_PROPERTY = SIGHT_CRM_FIELDS.hubspot.externalId;
/** v4 association type ids from a note (HUBSPOT_DEFINED). */
const NOTE_TO: Record<
  "company" | "deal" | "contact",
  { typeId: number; objectType: "companies" | "deals" | "contacts"; nameProps: string[] }
> = {
  contact: { typeId: 202, objectType: "contacts", nameProps: ["firstname", "lastname", "email"] },
  company: { typeId: 190, objectType: "companies", nameProps: ["name"] },
  deal: { typeId: 214, objectType: "deals", nameProps: ["dealname"] },
};

export interface HubspotProviderOptions extends CrmConnectionOptions {
  apiBaseUrl: string;
  /** Refresh this long before expiry (default 5 minutes of HubSpot's 30). */
  refreshAheadMs?: number;
  /** HubSpot allows 110 requests per rolling 10 s to an OAuth app; the default keeps a margin. */
  rateLimit?: { max: number; intervalMs: number };
}

function failureFrom(error: unknown): unknown {
  const e = error as { code?: unknown; body?: unknown; headers?: Record<string, string>; name?: string };
  if (typeof e?.code === "number" && e.code >= 100) {
    const { code, message } = crmErrorInfo(e.body);
    const headers = e.headers ?? {};
    return new CrmFailure(kindForStatus(e.code, code), message || `HTTP ${e.code}`, {
      status: e.code,
      crmCode: code,
      retryAfterMs: parseRetryAfter({ get: (name) => headers[name.toLowerCase()] ?? null }),
      cause: error,
    });
  }
  // node-fetch's message names the URL, and the account call's URL holds the access token: the
  // reason only (ECONNREFUSED, ETIMEDOUT…), never the message.
  if (e?.name === "FetchError") {
    const reason = (error as { errno?: unknown; code?: unknown }).code;
    return new CrmFailure("network", typeof reason === "string" ? reason : "network error", { cause: error });
  }
  return error;
}

function hubspotValue(value: PersonaRecord["fields"][string]): string {
  return value === null ? "" : String(value);
}

function fieldKind(type: string): CrmField["kind"] {
  if (type === "number") return "number";
  if (type === "bool") return "boolean";
  if (type === "enumeration") return "picklist";
  if (type === "date" || type === "datetime") return "date";
  return type === "string" ? "text" : "other";
}

export class HubspotProvider implements CrmProvider {
  readonly id = "hubspot" as const;
  readonly batchSize = HUBSPOT_BATCH_SIZE;
  private readonly connection: CrmConnection;
  private readonly fields: MetadataCache<CrmField[]>;
  private client: { token: string; client: Client } | null = null;

  constructor(private readonly options: HubspotProviderOptions) {
    const limit = options.rateLimit ?? { max: 100, intervalMs: 10_000 };
    const now = options.now ?? Date.now;
    this.connection = new CrmConnection("hubspot", options, {
      refreshAheadMs: options.refreshAheadMs ?? 5 * 60_000,
      policy: { bucket: TokenBucket.forRollingLimit(limit.max, limit.intervalMs, { now }) },
    });
    this.fields = new MetadataCache(now);
  }

  breakerState() {
    return this.connection.breakerState();
  }

  /** Forgets the cached field list (the mapping screen's "Refresh CRM fields"). */
  invalidateFields(): void {
    this.fields.clear();
  }

  async account(options: CallOptions = {}): Promise<CrmAccount> {
    const info = await this.call("account", (client, token) => client.oauth.accessTokensApi.get(token), options);
    return {
      provider: "hubspot",
      accountId: String(info.hubId),
      accountName: info.hubDomain ?? String(info.hubId),
      userEmail: info.user ?? null,
    };
  }

  listFields(options: CallOptions = {}): Promise<CrmField[]> {
    return this.fields.get("contacts", async () => {
      const answer = await this.call(
        "properties",
        (client) => client.crm.properties.coreApi.getAll("contacts"),
        options,
      );
      return answer.results.map((property) => ({
        name: property.name,
        label: property.label,
        kind: property.name === "email" ? "email" : fieldKind(property.type),
        crmType: `${property.type}/${property.fieldType}`,
        writable: !property.calculated && !property.modificationMetadata?.readOnlyValue,
        required: false,
        unique: property.hasUniqueValue ?? false,
        options: property.options.map((option) => option.value),
        maxLength: null,
      }));
    });
  }

  async listTargets(kind: TargetKind, search: string, options: CallOptions = {}): Promise<AssociationTarget[]> {
    const target = this.noteTarget(kind);
    const answer = await this.call(
      "search",
      (client) =>
        client.crm[target.objectType].searchApi.doSearch({
          query: search,
          limit: 20,
          properties: target.nameProps,
          filterGroups: [],
          sorts: [],
        }),
      options,
    );
    return answer.results.map((object) => ({
      kind,
      id: object.id,
      name:
        target.nameProps
          .map((name) => object.properties[name])
          .filter(Boolean)
          .join(" ") || object.id,
    }));
  }

  async upsertPersonaBatch(records: PersonaRecord[], options: CallOptions = {}): Promise<UpsertOutcome[]> {
    if (records.length === 0) return [];
    this.connection.checkBatch(records, this.batchSize);
    const inputs = records.map((record) => ({
      idProperty: PERSONA_ID_PROPERTY,
      id: record.externalId,
      // The id is also sent as a property: HubSpot echoes back only the properties it was sent,
      // and the outcome is matched to its record by it.
      properties: {
        ...Object.fromEntries(Object.entries(record.fields).map(([name, value]) => [name, hubspotValue(value)])),
        [PERSONA_ID_PROPERTY]: record.externalId,
      },
    }));
    return outcomesOrWholeBatchFailure(records, async () => {
      const answer = await this.call(
        "batchUpsert",
        (client) => client.crm.contacts.batchApi.upsert({ inputs }),
        options,
      );
      const found = new Map<string, UpsertOutcome>();
      for (const result of answer.results) {
        const externalId = result.properties[PERSONA_ID_PROPERTY];
        if (externalId)
          found.set(externalId, { externalId, status: result._new ? "created" : "updated", crmId: result.id });
      }
      const errors = "errors" in answer ? (answer.errors ?? []) : [];
      for (const error of errors) {
        for (const externalId of error.context?.ids ?? [])
          found.set(externalId, { externalId, status: "failed", message: error.message, code: error.category ?? null });
      }
      return outcomesInOrder(records, found, errors[0]?.message ?? "HubSpot did not report this record.");
    });
  }

  async createInsightNote(note: InsightNote, options: CallOptions = {}): Promise<NoteResult> {
    const target = this.noteTarget(note.target.kind);
    const created = await this.call(
      "createNote",
      (client) =>
        client.crm.objects.notes.basicApi.create({
          properties: { hs_timestamp: (note.at ?? new Date()).toISOString(), hs_note_body: noteHtml(note) },
          associations: [
            {
              to: { id: note.target.id },
              types: [
                {
                  associationCategory: "HUBSPOT_DEFINED" as AssociationSpecAssociationCategoryEnum,
                  associationTypeId: target.typeId,
                },
              ],
            },
          ],
        }),
      options,
    );
    return { kind: "note", crmId: created.id, target: note.target };
  }

  revoke(options: CallOptions = {}): Promise<void> {
    return this.connection.revoke(options.signal);
  }

  private noteTarget(kind: TargetKind) {
    this.connection.checkTarget(kind);
    return NOTE_TO[kind as keyof typeof NOTE_TO];
  }

  private clientFor(token: string): Client {
    if (this.client?.token !== token)
      this.client = { token, client: new Client({ accessToken: token, basePath: this.options.apiBaseUrl }) };
    return this.client.client;
  }

  private call<T>(
    operation: string,
    fn: (client: Client, token: string) => Promise<T>,
    options: CallOptions,
  ): Promise<T> {
    return this.connection.run(
      operation,
      async (token) => {
        try {
          return await fn(this.clientFor(token), token);
        } catch (error) {
          throw failureFrom(error);
        }
      },
      options.signal,
    );
  }
}
