import { z } from "zod";
import { route } from "./define";
import { idSchema, intParam, isoDateSchema, pageOf } from "./common";
import { studyKindSchema } from "./reproducibility";

/**
 * CRM sync as the renderer sees it. The main process holds the OAuth tokens (encrypted in the
 * secret store) and talks to HubSpot or Salesforce; no route ever answers a token. Connecting
 * opens the CRM's consent page in the system browser; the answer comes back through
 * `sight://oauth-callback/<provider>` (desktop) or the headless host's loopback `/oauth/callback`.
 */

export const CRM_PROVIDERS = ["hubspot", "salesforce"] as const;
export const crmProviderIdSchema = z.enum(CRM_PROVIDERS);
export type CrmProviderId = z.infer<typeof crmProviderIdSchema>;

export const crmAccountSchema = z.object({
  provider: crmProviderIdSchema,
  /** HubSpot hub id, Salesforce organization id. */
  accountId: z.string(),
  /** HubSpot hub domain, Salesforce user name: what the Integrations page shows as "connected to". */
  accountName: z.string(),
  userEmail: z.string().nullable(),
});
export type CrmAccount = z.infer<typeof crmAccountSchema>;

/** The CRM's field types folded into what the mapping screen checks Sight's persona fields against. */
export const CRM_FIELD_KINDS = ["text", "number", "boolean", "date", "picklist", "email", "id", "other"] as const;
export type CrmFieldKind = (typeof CRM_FIELD_KINDS)[number];
export const crmFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(CRM_FIELD_KINDS),
  /** The CRM's own type name (HubSpot `type`/`fieldType`, Salesforce `type`), shown in the mapping screen. */
  crmType: z.string(),
  writable: z.boolean(),
  required: z.boolean(),
  /** Can identify a record (HubSpot unique-value property, Salesforce external id). */
  unique: z.boolean(),
  options: z.array(z.string()),
  maxLength: z.number().int().nullable(),
});
export type CrmField = z.infer<typeof crmFieldSchema>;

/** The two fields every persona sync writes, whatever the mapping (each CRM needs them created once). */
export const SIGHT_CRM_FIELDS = {
  hubspot: { externalId: "sight_persona_id", synthetic: "sight_synthetic" },
  salesforce: { externalId: "sight_persona_id__c", synthetic: "sight_synthetic__c" },
} as const satisfies Record<CrmProviderId, { externalId: string; synthetic: string }>;

/** What an insight note can be linked to. */
export const TARGET_KINDS = {
  hubspot: ["company", "deal", "contact"],
  salesforce: ["account", "opportunity"],
} as const satisfies Record<CrmProviderId, readonly string[]>;
export const targetKindSchema = z.enum(["company", "deal", "contact", "account", "opportunity"]);
export type TargetKind = z.infer<typeof targetKindSchema>;

export const associationTargetSchema = z.object({
  kind: targetKindSchema,
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
  name: z.string().max(500),
});
export type AssociationTarget = z.infer<typeof associationTargetSchema>;

/**
 * Sight's persona fields a CRM property can be filled from. `lastName`/`firstName` split the
 * persona's name; list fields are joined with "; "; `project` is the project's name (Salesforce
 * leads need a Company).
 */
export const PERSONA_SOURCE_FIELDS = {
  name: "text",
  firstName: "text",
  lastName: "text",
  age: "number",
  gender: "text",
  location: "text",
  education: "text",
  income: "text",
  occupation: "text",
  values: "text",
  interests: "text",
  concerns: "text",
  backgroundStory: "text",
  communicationStyle: "text",
  decisionMakingStyle: "text",
  project: "text",
} as const satisfies Record<string, "text" | "number">;
export type PersonaSourceField = keyof typeof PERSONA_SOURCE_FIELDS;
export const PERSONA_SOURCE_NAMES = Object.keys(PERSONA_SOURCE_FIELDS) as PersonaSourceField[];
export const personaSourceSchema = z.enum(PERSONA_SOURCE_NAMES as [PersonaSourceField, ...PersonaSourceField[]]);

const crmFieldName = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a CRM field name is letters, digits and _");

export const mappingEntrySchema = z.strictObject({ source: personaSourceSchema, target: crmFieldName });
export type MappingEntry = z.infer<typeof mappingEntrySchema>;

/** What the mapping screen and the sync check about one mapping entry (or a required CRM field). */
export const mappingProblemSchema = z.object({
  target: z.string(),
  source: personaSourceSchema.nullable(),
  code: z.enum([
    "unknown_field",
    "read_only",
    "type_mismatch",
    "picklist_values",
    "email_values",
    "too_long",
    "required_unmapped",
    "duplicate_target",
    "reserved",
    "missing_sight_field",
    "sight_field_not_unique",
    "sight_field_not_boolean",
  ]),
  /** "error" blocks saving and syncing; "warning" is shown (values outside a picklist, text that may be cut). */
  severity: z.enum(["error", "warning"]),
  message: z.string(),
});
export type MappingProblem = z.infer<typeof mappingProblemSchema>;

export const crmMappingSchema = z.object({
  provider: crmProviderIdSchema,
  /** The CRM object personas become (HubSpot contact, Salesforce Lead). */
  object: z.enum(["contact", "lead"]),
  entries: z.array(mappingEntrySchema),
  /** True while nothing was saved: these are Sight's defaults for the provider. */
  isDefault: z.boolean(),
  /** Written by every sync, whatever the mapping: the external id and the synthetic flag. */
  fixed: z.object({ externalId: z.string(), synthetic: z.string() }),
  problems: z.array(mappingProblemSchema),
  savedAt: isoDateSchema.nullable(),
});
export type CrmMapping = z.infer<typeof crmMappingSchema>;

export const BREAKER_STATES = ["closed", "open", "half_open", "daily_limit"] as const;

export const crmProviderStatusSchema = z.object({
  provider: crmProviderIdSchema,
  /** Whether this build knows an app registration for the provider (client id, broker for HubSpot). */
  configured: z.boolean(),
  /** Why not, in words for the Integrations page. */
  notConfiguredReason: z.string().nullable(),
  connected: z.boolean(),
  account: crmAccountSchema.nullable(),
  connectedAt: isoDateSchema.nullable(),
  /**
   * Salesforce: the login host it is connected through when that is not this build's default (a
   * sandbox or a My Domain), so Reconnect goes back there; null otherwise.
   */
  loginUrl: z.string().url().nullable(),
  /** A consent page is open in the browser and its answer not back yet (10 minutes at most). */
  pendingUntil: isoDateSchema.nullable(),
  /** The provider's circuit breaker: "open" after repeated outages, "daily_limit" while Salesforce's daily allowance is spent. */
  breaker: z.enum(BREAKER_STATES),
  /** The last connect attempt's or call's failure the researcher should see (denied, expired, revoked, limit). */
  problem: z.object({ code: z.string(), message: z.string(), at: isoDateSchema }).nullable(),
});
export type CrmProviderStatus = z.infer<typeof crmProviderStatusSchema>;

export const SYNC_KINDS = ["personas", "insights"] as const;

export const syncRequestSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("personas"),
    provider: crmProviderIdSchema,
    projectId: idSchema,
    /** A subset of the project's personas; all of them when absent. */
    personaIds: z.array(idSchema).min(1).max(5000).optional(),
    /**
     * Send personas the ledger says are unchanged too: recreates records deleted in the CRM since
     * and overwrites edits made there (the upsert on the external id still never duplicates).
     */
    sendUnchanged: z.boolean().default(false),
  }),
  z.strictObject({
    kind: z.literal("insights"),
    provider: crmProviderIdSchema,
    studyKind: studyKindSchema,
    studyId: idSchema,
    target: associationTargetSchema,
  }),
]);
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export const RECORD_OUTCOMES = ["created", "updated", "skipped", "failed"] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];
export const PREVIEW_ACTIONS = ["create", "update", "skip"] as const;
/** Why a persona is updated or skipped: changed since the last sync, unchanged, or unchanged but sent again. */
export const PREVIEW_REASONS = ["changed", "unchanged", "resend"] as const;

export const syncPreviewSchema = z.object({
  kind: z.enum(SYNC_KINDS),
  provider: crmProviderIdSchema,
  account: crmAccountSchema,
  counts: z.object({ create: z.number().int(), update: z.number().int(), skip: z.number().int() }),
  /** The first 200 records, with what the sync will do to each (from the ledger of earlier syncs). */
  items: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      action: z.enum(PREVIEW_ACTIONS),
      /** Why a record is skipped, or what changed since the last sync. */
      reason: z.string().nullable(),
      /** The reason as a code the UI words in its language (null for a first sync). */
      reasonCode: z.enum(PREVIEW_REASONS).nullable(),
      /** Mapped values as they will be sent (personas). */
      fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
    }),
  ),
  /** Insights: the note as it will be written. */
  note: z
    .object({
      title: z.string(),
      body: z.string(),
      target: associationTargetSchema,
      /**
       * The last note this study wrote on the same record in this account, if any: syncing again
       * adds another note beside it (CRM notes are timeline entries, not upserted).
       */
      sentBefore: z.object({ at: isoDateSchema, syncId: idSchema }).nullable(),
    })
    .nullable(),
  problems: z.array(mappingProblemSchema),
});
export type SyncPreview = z.infer<typeof syncPreviewSchema>;

export const SYNC_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;

export const crmSyncSchema = z.object({
  id: idSchema,
  /** Empty for the moment between the sync's row and its job being written. */
  jobId: z.union([idSchema, z.literal("")]),
  provider: crmProviderIdSchema,
  accountName: z.string(),
  kind: z.enum(SYNC_KINDS),
  projectId: idSchema.nullable(),
  /** The study or personas synced, as named when the sync ran. */
  subject: z.string(),
  studyKind: studyKindSchema.nullable(),
  studyId: idSchema.nullable(),
  target: associationTargetSchema.nullable(),
  status: z.enum(SYNC_STATUSES),
  counts: z.object({
    total: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
  }),
  error: z.string().nullable(),
  createdAt: isoDateSchema,
  finishedAt: isoDateSchema.nullable(),
});
export type CrmSync = z.infer<typeof crmSyncSchema>;

export const crmSyncRecordSchema = z.object({
  key: z.string(),
  label: z.string(),
  outcome: z.enum(RECORD_OUTCOMES),
  crmId: z.string().nullable(),
  /** The CRM's own message for a failed record, or why it was skipped. */
  message: z.string().nullable(),
  code: z.string().nullable(),
  at: isoDateSchema,
});
export type CrmSyncRecord = z.infer<typeof crmSyncRecordSchema>;

/**
 * What a consent page sends back to a redirect URI (RFC 6749 §4.1.2, §4.1.2.1): checked before
 * any flow is looked at, by the host's loopback callback and Sight Cloud's HubSpot callback page.
 * The same grammar as the sight://oauth-callback deep link.
 */
export const oauthCallbackQuerySchema = z.object({
  state: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/),
  code: z
    .string()
    .regex(/^[\x21-\x7e]{1,2048}$/)
    .optional(),
  error: z
    .string()
    .regex(/^[A-Za-z_]{1,64}$/)
    .optional(),
  error_description: z
    .string()
    .regex(/^[\x20-\x7e]{1,500}$/)
    .optional(),
});

const byProvider = z.strictObject({ provider: crmProviderIdSchema });

export const crmRoutes = {
  "crm.status": route({
    summary:
      "Each CRM: whether this build can connect it, the connected account, pending sign-in, breaker and problems.",
    input: z.strictObject({}),
    output: z.object({ providers: z.array(crmProviderStatusSchema) }),
    rest: { method: "GET", path: "/integrations/crm" },
  }),
  "crm.connect": route({
    summary:
      "Start connecting a CRM: opens its consent page (OAuth 2.0 with PKCE) in the system browser, or answers the URL for a browser tab.",
    input: z.strictObject({
      provider: crmProviderIdSchema,
      /** Salesforce: the login host (production, sandbox or a My Domain); https only. */
      loginUrl: z
        .string()
        .url()
        .max(300)
        .refine((value) => /^https:\/\/[^/?#]+\/?$/.test(value), "an https:// host without a path")
        .optional(),
    }),
    output: z.object({ url: z.string().url(), opened: z.boolean(), expiresAt: isoDateSchema }),
    rest: { method: "POST", path: "/integrations/crm/connect" },
  }),
  "crm.cancelConnect": route({
    summary: "Abandon a pending connection attempt: its browser answer will be refused.",
    input: byProvider,
    output: z.object({ providers: z.array(crmProviderStatusSchema) }),
    rest: { method: "POST", path: "/integrations/crm/{provider}/connect/cancel" },
  }),
  "crm.disconnect": route({
    summary:
      "Disconnect a CRM: revokes its tokens at the CRM and deletes them here (deleted even when the CRM cannot be reached).",
    input: byProvider,
    output: z.object({ revoked: z.boolean(), message: z.string().nullable() }),
    rest: { method: "POST", path: "/integrations/crm/{provider}/disconnect" },
  }),
  "crm.fields": route({
    summary:
      "The CRM's properties personas can map to (HubSpot contact properties, Salesforce Lead describe), cached 5 minutes.",
    // REST sends "true"/"false" (z.coerce.boolean would read "false" as true); IPC sends booleans.
    input: byProvider.extend({
      refresh: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]).default(false),
    }),
    output: z.object({ fields: z.array(crmFieldSchema) }),
    rest: { method: "GET", path: "/integrations/crm/{provider}/fields" },
  }),
  "crm.mapping": route({
    summary: "The saved persona field mapping (or the defaults), checked against the CRM's fields when connected.",
    input: byProvider,
    output: crmMappingSchema,
    rest: { method: "GET", path: "/integrations/crm/{provider}/mapping" },
  }),
  "crm.saveMapping": route({
    summary: "Save the persona field mapping after checking it against the CRM's fields; errors refuse it.",
    input: byProvider.extend({ entries: z.array(mappingEntrySchema).max(60) }),
    output: crmMappingSchema,
    rest: { method: "PUT", path: "/integrations/crm/{provider}/mapping" },
  }),
  "crm.resetMapping": route({
    summary: "Forget the saved mapping and use Sight's defaults again.",
    input: byProvider,
    output: crmMappingSchema,
    rest: { method: "DELETE", path: "/integrations/crm/{provider}/mapping" },
  }),
  "crm.targets": route({
    summary:
      "Search the CRM's companies, deals, contacts (HubSpot) or accounts, opportunities (Salesforce) to link a note to.",
    input: byProvider.extend({ kind: targetKindSchema, q: z.string().trim().max(100).default("") }),
    output: z.object({ items: z.array(associationTargetSchema) }),
    rest: { method: "GET", path: "/integrations/crm/{provider}/targets" },
  }),
  "crm.preview": route({
    summary:
      "What a sync would create, update or skip, from the ledger of earlier syncs, without calling the CRM's write APIs.",
    input: syncRequestSchema,
    output: syncPreviewSchema,
    rest: { method: "POST", path: "/integrations/crm/sync/preview" },
  }),
  "crm.sync": route({
    summary:
      "Sync personas or a study's insights to a CRM. Runs as a durable job (cancel, resume); each record's outcome is kept.",
    input: syncRequestSchema,
    output: z.object({ jobId: idSchema, syncId: idSchema }),
    rest: { method: "POST", path: "/integrations/crm/sync", status: 202 },
  }),
  "crm.history": route({
    summary: "Past and running syncs, newest first, with their counts.",
    input: z.strictObject({
      provider: crmProviderIdSchema.optional(),
      projectId: idSchema.optional(),
      limit: intParam(1, 100).default(20),
      cursor: z.string().max(200).optional(),
    }),
    output: pageOf(crmSyncSchema),
    rest: { method: "GET", path: "/integrations/crm/sync" },
  }),
  "crm.syncRecords": route({
    summary: "One sync's records and their outcomes (failed ones with the CRM's message).",
    input: z.strictObject({
      id: idSchema,
      outcome: z.enum(RECORD_OUTCOMES).optional(),
      limit: intParam(1, 500).default(100),
      cursor: z.string().max(200).optional(),
    }),
    output: pageOf(crmSyncRecordSchema).extend({ sync: crmSyncSchema }),
    rest: { method: "GET", path: "/integrations/crm/sync/{id}" },
  }),
};
