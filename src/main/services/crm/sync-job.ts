/**
 * The `crm.sync` job. Personas go in the CRM's batch size (HubSpot 100, Salesforce 200); each
 * batch is one job unit, saved in the same transaction as its ledger rows (one per record:
 * created, updated, skipped or failed with the CRM's message), the links that let the next
 * preview say create / update / skip, and the sync's counts. After a crash the job resumes at
 * the first unsaved batch; a batch the CRM took but Sight had not saved yet is sent again, and
 * the upsert on `sight_persona_id` makes that an update, never a second record.
 *
 * An insights note cannot be upserted, so its attempt is saved first: a resume that finds an
 * attempt without its result does not write the note again (it might already exist) and says
 * so in the ledger instead.
 */
import { z } from "zod";
import {
  AppError,
  idSchema,
  mappingEntrySchema,
  type CrmProviderId,
  type RecordOutcome,
} from "../../../shared/contract";
import type { Database } from "../db/open";
import { newId } from "../ids";
import type { JobContext, JobHandler } from "../jobs/runner";
import type { CrmService } from "./crm-service";
import { checkMapping, personaRecord, recordDigest } from "./mapping";
import { storedTarget, type UpsertOutcome } from "./crm-provider";
import { loadPersonasForSync } from "./sync-sources";
import { CRM_LABEL } from "./crm-failure";

export const CRM_SYNC_JOB_KIND = "crm.sync";
export const crmSyncParams = z.object({
  syncId: idSchema,
  personaIds: z.array(idSchema).default([]),
  /** The mapping in force when the sync started: a resumed job sends the same fields. */
  entries: z.array(mappingEntrySchema).optional(),
  /** Personas: send those unchanged since the last sync as well (recreates records deleted in the CRM). */
  sendUnchanged: z.boolean().default(false),
  /** Insights: the note as previewed and started, written as it is even if the study changes. */
  note: z.object({ title: z.string(), body: z.string(), studyUrl: z.string().url() }).optional(),
});
export type CrmSyncParams = z.infer<typeof crmSyncParams>;

type Tx = Parameters<Parameters<Database["prisma"]["$transaction"]>[0]>[0];

interface LedgerEntry {
  key: string;
  label: string;
  outcome: RecordOutcome;
  crmId: string | null;
  message: string | null;
  code: string | null;
  /** Created or updated: the digest of what the CRM now holds. */
  digest?: string;
}

const TABLES = ["CrmSync", "CrmSyncRecord", "CrmLink"];

async function writeLedger(
  tx: Tx,
  sync: { id: string; provider: string; accountId: string },
  entries: LedgerEntry[],
  at: Date,
): Promise<void> {
  const counts = { created: 0, updated: 0, skipped: 0, failed: 0 };
  for (const [index, entry] of entries.entries()) {
    counts[entry.outcome] += 1;
    await tx.crmSyncRecord.upsert({
      where: { syncId_key: { syncId: sync.id, key: entry.key } },
      create: {
        // Time-ordered, then in the batch's order: the history lists records as they were sent.
        id: `${newId(at.getTime()).slice(0, 10)}${index.toString(32).padStart(4, "0")}${newId().slice(14)}`,
        syncId: sync.id,
        key: entry.key,
        label: entry.label,
        outcome: entry.outcome,
        crmId: entry.crmId,
        message: entry.message,
        code: entry.code,
        at,
      },
      update: { outcome: entry.outcome, crmId: entry.crmId, message: entry.message, code: entry.code, at },
    });
    if (entry.digest && entry.crmId) {
      const link = { crmId: entry.crmId, digest: entry.digest, syncedAt: at };
      await tx.crmLink.upsert({
        where: { provider_accountId_key: { provider: sync.provider, accountId: sync.accountId, key: entry.key } },
        create: { provider: sync.provider, accountId: sync.accountId, key: entry.key, ...link },
        update: link,
      });
    }
  }
  await tx.crmSync.update({
    where: { id: sync.id },
    data: {
      created: { increment: counts.created },
      updated: { increment: counts.updated },
      skipped: { increment: counts.skipped },
      failed: { increment: counts.failed },
    },
  });
}

/** Sight's own reasons in the ledger's `code` (the app words them); a CRM's failures keep the CRM's code. */
export const LEDGER_CODES = {
  unchanged: "sight.unchanged",
  personaDeleted: "sight.persona_deleted",
  interrupted: "sight.interrupted",
  taskFallback: "sight.task_fallback",
} as const;

/** Why a note call failed without writing anything: the attempt is cleared, and a resume writes it. */
const NOTHING_WRITTEN = new Set(["rate_limited", "circuit_open", "daily_limit", "reconnect_required", "not_connected"]);

export function crmSyncJob(deps: { db: Database; crm: () => CrmService; now: () => Date }): JobHandler<CrmSyncParams> {
  const { prisma } = deps.db;
  return {
    kind: CRM_SYNC_JOB_KIND,
    params: crmSyncParams,
    async run(ctx) {
      const sync = await prisma.crmSync.findUniqueOrThrow({ where: { id: ctx.params.syncId } });
      const provider = sync.provider as CrmProviderId;
      const connection = await prisma.crmConnection.findUnique({ where: { provider } });
      if (!connection)
        throw new AppError(
          "CONFLICT",
          `${CRM_LABEL[provider]} is not connected any more; connect it to ${sync.accountName} again and resume this sync.`,
          { provider, reason: "not_connected" },
        );
      if (connection.accountId !== sync.accountId)
        throw new AppError(
          "CONFLICT",
          `${CRM_LABEL[provider]} is now connected to ${connection.accountName}, not ${sync.accountName}: this sync cannot finish there.`,
          { provider, reason: "account_changed" },
        );
      if (sync.kind === "insights") return runNote(ctx, sync, provider);
      return runPersonas(ctx, sync, provider);
    },
  };

  async function runPersonas(ctx: JobContext<CrmSyncParams>, sync: SyncRow, provider: CrmProviderId) {
    const crm = deps.crm();
    const client = await crm.connected(provider);
    const fields = await crm.withProvider(provider, (c) => c.listFields({ signal: ctx.signal }));
    const entries = ctx.params.entries ?? (await crm.requireMapping(provider)).entries;
    // Checked again at every start: a CRM field deleted since would fail every record.
    const problems = checkMapping(provider, entries, fields).filter((problem) => problem.severity === "error");
    if (problems.length > 0)
      throw new AppError(
        "VALIDATION_FAILED",
        `The field mapping no longer fits ${CRM_LABEL[provider]}: ${problems.map((p) => p.message).join(" ")}`,
        { provider, problems },
      );
    const ids = ctx.params.personaIds;
    const batches: string[][] = [];
    for (let start = 0; start < ids.length; start += client.batchSize)
      batches.push(ids.slice(start, start + client.batchSize));
    // Progress counts personas (each batch's unit weighs its size), as the label does.
    await ctx.setTotal(
      ids.length,
      batches.reduce((sum, batch, index) => sum + (ctx.completed.has(`batch:${index}`) ? batch.length : 0), 0),
    );
    let done = 0;
    for (const [index, batch] of batches.entries()) {
      const key = `batch:${index}`;
      if (ctx.completed.has(key)) {
        done += batch.length;
        continue;
      }
      ctx.throwIfCancelled();
      ctx.progress({ key: "crm.personas", params: { provider, done, total: ids.length } });
      const ledger: LedgerEntry[] = [];
      const toSend: { record: ReturnType<typeof personaRecord>; label: string; digest: string }[] = [];
      // Read per batch: a persona deleted while the sync runs is not sent.
      const found = new Map(
        (await loadPersonasForSync(deps.db, sync.projectId!, undefined, batch)).map((persona) => [persona.id, persona]),
      );
      const links = await prisma.crmLink.findMany({
        where: { provider, accountId: sync.accountId, key: { in: batch } },
      });
      const linkOf = new Map(links.map((link) => [link.key, link]));
      for (const id of batch) {
        const persona = found.get(id);
        if (!persona) {
          ledger.push({
            key: id,
            label: id,
            outcome: "skipped",
            crmId: null,
            message: "The persona was deleted after the sync started.",
            code: LEDGER_CODES.personaDeleted,
          });
          continue;
        }
        const record = personaRecord(provider, persona, entries, fields);
        const digest = recordDigest(record);
        const link = linkOf.get(id);
        if (link && link.digest === digest && !ctx.params.sendUnchanged) {
          ledger.push({
            key: id,
            label: persona.name,
            outcome: "skipped",
            crmId: link.crmId,
            message: "Unchanged since the last sync.",
            code: LEDGER_CODES.unchanged,
          });
          continue;
        }
        toSend.push({ record, label: persona.name, digest });
      }
      if (toSend.length > 0) {
        const outcomes: UpsertOutcome[] = await crm.withProvider(provider, (c) =>
          c.upsertPersonaBatch(
            toSend.map((item) => item.record),
            { signal: ctx.signal },
          ),
        );
        outcomes.forEach((outcome, position) => {
          const item = toSend[position]!;
          ledger.push(
            outcome.status === "failed"
              ? {
                  key: outcome.externalId,
                  label: item.label,
                  outcome: "failed",
                  crmId: null,
                  message: outcome.message,
                  code: outcome.code,
                }
              : {
                  key: outcome.externalId,
                  label: item.label,
                  outcome: outcome.status,
                  crmId: outcome.crmId,
                  message: null,
                  code: null,
                  digest: item.digest,
                },
          );
        });
      }
      const at = deps.now();
      // Once the CRM has answered, its records exist there: they are recorded even if a cancel
      // came in meanwhile (the loop stops at the next batch).
      await ctx.saveUnit(
        key,
        { records: ledger.length },
        {
          write: (tx) => writeLedger(tx, sync, ledger, at),
          tables: TABLES,
          alreadyDone: toSend.length > 0,
          weight: batch.length,
        },
      );
      done += batch.length;
    }
    ctx.progress({ key: "crm.personas", params: { provider, done: ids.length, total: ids.length } });
    return totals(sync.id);
  }

  async function runNote(ctx: JobContext<CrmSyncParams>, sync: SyncRow, provider: CrmProviderId) {
    const keys = [...ctx.completed.keys()];
    const attempts = keys.filter((key) => key.startsWith("note:attempt:")).length;
    const cleared = keys.filter((key) => key.startsWith("note:cleared:")).length;
    await ctx.setTotal(ctx.completed.size + (ctx.completed.has("note") ? 0 : 2));
    if (ctx.completed.has("note")) return totals(sync.id);
    ctx.progress({ key: "crm.note", params: { provider } });
    const target = storedTarget(sync.target);
    if (!target)
      throw new AppError("VALIDATION_FAILED", "This sync has no record to write its note on; start it again.");
    const label = `Note on ${target.name}`;
    /** `alreadyDone`: the CRM holds the note, so it is recorded even after a cancel. */
    const finish = async (entry: LedgerEntry, alreadyDone = false) => {
      const at = deps.now();
      await ctx.saveUnit("note", entry, {
        write: (tx) => writeLedger(tx, sync, [entry], at),
        tables: TABLES,
        alreadyDone,
      });
      return totals(sync.id);
    };
    if (attempts > cleared) {
      // Sight stopped while the CRM was writing the note: it may hold it already.
      return finish({
        key: "note",
        label,
        outcome: "skipped",
        crmId: null,
        message: `Sight stopped while writing this note; ${target.name} in ${CRM_LABEL[provider]} may already have it. Check there, and sync again if it does not.`,
        code: LEDGER_CODES.interrupted,
      });
    }
    const crm = deps.crm();
    // Built when the sync started (what the preview showed): written as it is.
    const note = ctx.params.note;
    if (!note) throw new AppError("VALIDATION_FAILED", "This sync has no note to write; start it again.");
    await ctx.saveUnit(`note:attempt:${attempts}`, { at: deps.now().toISOString() });
    try {
      const result = await crm.withProvider(provider, (c) =>
        c.createInsightNote(
          {
            title: note.title,
            body: note.body,
            studyUrl: note.studyUrl,
            target: { kind: target.kind, id: target.id },
            at: deps.now(),
          },
          { signal: ctx.signal },
        ),
      );
      return finish(
        {
          key: "note",
          label: result.kind === "task" ? `Task on ${target.name}` : label,
          outcome: "created",
          crmId: result.crmId,
          message: result.kind === "task" ? "Notes are off in this org: written as a completed Task." : null,
          code: result.kind === "task" ? LEDGER_CODES.taskFallback : null,
        },
        true,
      );
    } catch (error) {
      const details = (error as { details?: { reason?: string; crmCode?: string } }).details;
      // The CRM refused this note (a deleted target, a bad id): that is the record's outcome.
      if (details?.reason === "rejected")
        return finish({
          key: "note",
          label,
          outcome: "failed",
          crmId: null,
          message: (error as Error).message,
          code: details.crmCode ?? null,
        });
      // Refused before anything was written (limits, breaker, expired connection): a resume may
      // write it. A network failure, a timeout or a cancel mid-call leaves it in doubt (the attempt stays).
      if (details?.reason && NOTHING_WRITTEN.has(details.reason))
        await ctx.saveUnit(`note:cleared:${attempts}`, { reason: details.reason }).catch(() => undefined);
      throw error;
    }
  }

  async function totals(syncId: string) {
    const row = await prisma.crmSync.findUniqueOrThrow({ where: { id: syncId } });
    return { syncId, created: row.created, updated: row.updated, skipped: row.skipped, failed: row.failed };
  }
}

type SyncRow = NonNullable<Awaited<ReturnType<Database["prisma"]["crmSync"]["findUnique"]>>>;
