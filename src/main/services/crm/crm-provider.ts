/**
 * What Sight asks of a CRM, whichever it is. The sync job, the mapping screen and the
 * Integrations page speak only this interface; HubSpot and Salesforce implement it in their
 * own files. Shapes are zod schemas so the contract routes can reuse them as they are.
 */
import { z } from "zod";

export {
  CRM_PROVIDERS,
  crmProviderIdSchema,
  crmAccountSchema,
  CRM_FIELD_KINDS,
  crmFieldSchema,
  TARGET_KINDS,
  targetKindSchema,
  associationTargetSchema,
} from "../../../shared/contract/crm";
export type { CrmProviderId, CrmAccount, CrmField, TargetKind, AssociationTarget } from "../../../shared/contract/crm";
import {
  associationTargetSchema,
  type CrmAccount,
  type CrmField,
  type CrmProviderId,
  type TargetKind,
  type AssociationTarget,
} from "../../../shared/contract/crm";

/** A sync row's note target as stored (JSON), or null when it is missing or not one. */
export function storedTarget(json: string | null): AssociationTarget | null {
  if (!json) return null;
  try {
    const parsed = associationTargetSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const crmValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** One persona already mapped to CRM field names; `externalId` is Sight's persona id. */
export const personaRecordSchema = z.object({
  externalId: z.string().min(1).max(64),
  fields: z.record(z.string(), crmValueSchema),
});
export type PersonaRecord = z.infer<typeof personaRecordSchema>;

export const upsertOutcomeSchema = z.discriminatedUnion("status", [
  z.object({ externalId: z.string(), status: z.enum(["created", "updated"]), crmId: z.string() }),
  z.object({ externalId: z.string(), status: z.literal("failed"), message: z.string(), code: z.string().nullable() }),
]);
export type UpsertOutcome = z.infer<typeof upsertOutcomeSchema>;

export const insightNoteSchema = z.object({
  title: z.string().min(1).max(255),
  /** Plain text: summary, themes with quotes, recommendations, the synthetic-data label. */
  body: z.string().min(1).max(60_000),
  /** Link back to the study in Sight. */
  studyUrl: z.string().url(),
  target: associationTargetSchema.pick({ kind: true, id: true }),
  at: z.date().optional(),
});
export type InsightNote = z.infer<typeof insightNoteSchema>;

export const noteResultSchema = z.object({
  /** "task" where the CRM has notes switched off (Salesforce without ContentNote). */
  kind: z.enum(["note", "task"]),
  crmId: z.string(),
  target: associationTargetSchema.pick({ kind: true, id: true }),
});
export type NoteResult = z.infer<typeof noteResultSchema>;

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CrmProvider {
  readonly id: CrmProviderId;
  /** The most records one upsert call takes (HubSpot 100, Salesforce 200). */
  readonly batchSize: number;
  account(options?: CallOptions): Promise<CrmAccount>;
  /** The fields personas can map to (HubSpot contact properties, Salesforce Lead describe); cached 5 minutes. */
  listFields(options?: CallOptions): Promise<CrmField[]>;
  /** Forgets the cached field list, so the next listFields asks the CRM. */
  invalidateFields(): void;
  listTargets(kind: TargetKind, search: string, options?: CallOptions): Promise<AssociationTarget[]>;
  /** One batch of at most `batchSize` records, one outcome per record in input order. */
  upsertPersonaBatch(records: PersonaRecord[], options?: CallOptions): Promise<UpsertOutcome[]>;
  createInsightNote(note: InsightNote, options?: CallOptions): Promise<NoteResult>;
  /** Revokes the refresh token (and with it the access token); the connection is unusable afterwards. */
  revoke(options?: CallOptions): Promise<void>;
}

/**
 * Upserts any number of records in the provider's batch size, one batch at a time (a batch is
 * the unit the sync ledger records), reporting each finished batch.
 */
export async function upsertInBatches(
  provider: CrmProvider,
  records: PersonaRecord[],
  options: CallOptions & { onBatch?: (outcomes: UpsertOutcome[], done: number) => void | Promise<void> } = {},
): Promise<UpsertOutcome[]> {
  const outcomes: UpsertOutcome[] = [];
  for (let start = 0; start < records.length; start += provider.batchSize) {
    const batch = await provider.upsertPersonaBatch(records.slice(start, start + provider.batchSize), options);
    outcomes.push(...batch);
    await options.onBatch?.(batch, outcomes.length);
  }
  return outcomes;
}

/** Matches per-record results back to the input by external id; a record the CRM did not mention failed. */
export function outcomesInOrder(
  records: PersonaRecord[],
  found: Map<string, UpsertOutcome>,
  missingMessage: string,
): UpsertOutcome[] {
  return records.map(
    (record) =>
      found.get(record.externalId) ?? {
        externalId: record.externalId,
        status: "failed",
        message: missingMessage,
        code: null,
      },
  );
}
