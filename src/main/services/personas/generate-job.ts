import { z } from "zod";
import { AppError, PERSONA_LOCALES } from "../../../shared/contract";
import type { TargetDemographics } from "../../../shared/domain/demographics";
import { jaccard, NEAR_DUPLICATE_THRESHOLD, shingles } from "../../../shared/domain/similarity";
import type { Database } from "../db/open";
import { newId } from "../ids";
import type { JobContext, JobHandler } from "../jobs/runner";
import type { LlmClient } from "../llm/types";
import type { Logger } from "../logger";
import { PERSONA_GENERATION_KIND, type Entitlements } from "../billing/entitlements";
import { personaSearchText, toPersona } from "./persona-row";
import {
  personaBatchSchema,
  personaSystemPrompt,
  personaUserPrompt,
  slotRequest,
  type PersonaDraft,
  type SlotRequest,
  PERSONA_PROMPT_VERSION,
} from "./prompt";
import { recordRefusals, summariseRefusals, type SlotRefusal } from "./refusals";
import { slotDisagreement, type Refusal } from "./slot-agreement";
import { validatePersonas } from "./validation";

/** Slots per LLM call: fewer calls and shared context, while each persona still gets its own room. */
export const SLOTS_PER_CALL = 4;
/** Attempts per slot (first try + regenerations) before the job fails with the slot unfilled. */
export const MAX_SLOT_ATTEMPTS = 4;

export const generateParamsSchema = z.object({
  projectId: z.string(),
  count: z.number().int().min(1),
  seed: z.number().int(),
  locale: z.enum(PERSONA_LOCALES),
  model: z.string().optional(),
  slots: z.array(z.object({ index: z.number().int(), demographics: z.record(z.string(), z.string()) })),
});
export type GenerateParams = z.infer<typeof generateParamsSchema>;

export interface GenerationDeps {
  db: Database;
  llm: LlmClient;
  logger: Logger;
  now: () => Date;
  /** Slots per LLM call (default SLOTS_PER_CALL); the benchmark's sequential baseline uses 1. */
  slotsPerCall?: number;
  entitlements: Entitlements;
}

/** Keeps every story's shingles to catch near-duplicates within the project and the run. */
class StoryIndex {
  private readonly sets: Set<string>[] = [];
  add(story: string) {
    this.sets.push(shingles(story));
  }
  nearestSimilarity(story: string): number {
    const mine = shingles(story);
    return this.sets.reduce((max, other) => Math.max(max, jaccard(mine, other)), 0);
  }
}

export function personaGenerationJob(deps: GenerationDeps): JobHandler<GenerateParams> {
  return {
    kind: PERSONA_GENERATION_KIND,
    promptVersion: PERSONA_PROMPT_VERSION,
    params: generateParamsSchema,
    // A failed run holds no places (only unfinished ones do), so resuming it must fit the plan again.
    async resumeGuard(job, requeue) {
      if (job.status !== "failed") return requeue();
      const params = generateParamsSchema.parse(job.params);
      return deps.entitlements.reservePersonas(Math.max(0, params.slots.length - job.progress.done), requeue);
    },
    async run(ctx: JobContext<GenerateParams>) {
      const { params } = ctx;
      const projectRow = await deps.db.prisma.project.findUnique({ where: { id: params.projectId } });
      if (!projectRow)
        throw new AppError("NOT_FOUND", "The project was deleted while its personas were being generated.");
      await ctx.setTotal(params.slots.length);

      const existing = await deps.db.prisma.persona.findMany({
        where: { projectId: params.projectId },
        select: { backgroundStory: true, name: true },
      });
      const stories = new StoryIndex();
      const names = new Set<string>();
      for (const persona of existing) {
        stories.add(persona.backgroundStory);
        names.add(persona.name.toLowerCase());
      }

      const pending = params.slots.filter((slot) => !ctx.completed.has(slotKey(slot.index))).map(slotRequest);
      ctx.progress({ key: "personas.generating", params: { count: pending.length } });
      const batches: SlotRequest[][] = [];
      const perCall = deps.slotsPerCall ?? SLOTS_PER_CALL;
      for (let i = 0; i < pending.length; i += perCall) batches.push(pending.slice(i, i + perCall));

      const system = personaSystemPrompt(params.locale);
      const fillBatch = async (batch: SlotRequest[]) => {
        let open = batch;
        for (let attempt = 1; open.length > 0; attempt++) {
          ctx.throwIfCancelled();
          if (attempt > MAX_SLOT_ATTEMPTS) {
            throw new AppError(
              "PROVIDER_UNAVAILABLE",
              `The model could not produce a persona that fits slot ${open[0]!.index + 1} after ${MAX_SLOT_ATTEMPTS} attempts (${open[0]!.rejection}). ` +
                "The personas generated so far are kept; resume to try the remaining slots again.",
              {
                reason: "slot_mismatch",
                slots: open.map((slot) => ({ index: slot.index, rejection: slot.rejection })),
              },
            );
          }
          const result = await deps.llm.generateJson({
            task: "personas",
            model: params.model,
            system,
            messages: [{ role: "user", text: personaUserPrompt(projectRow, open) }],
            schema: personaBatchSchema,
            temperature: 0.9,
            seed: params.seed + attempt * 7919 + open[0]!.index,
            signal: ctx.signal,
            onUsage: (usage, call) => ctx.addUsage(usage, call),
          });
          const bySlot = new Map<number, PersonaDraft>();
          for (const draft of result.value.personas)
            if (!bySlot.has(draft.slotIndex)) bySlot.set(draft.slotIndex, draft);
          const retry: SlotRequest[] = [];
          const refused: SlotRefusal[] = [];
          const accepted: { draft: PersonaDraft; slot: SlotRequest }[] = [];
          const refuse = (slot: SlotRequest, refusal: Refusal) => {
            deps.logger.warn("personas.slot_rejected", {
              jobId: ctx.jobId,
              slot: slot.index,
              problem: refusal.message,
            });
            refused.push({ ...refusal, slotIndex: slot.index });
            retry.push({ ...slot, rejection: refusal.message });
          };
          for (const slot of open) {
            const draft = bySlot.get(slot.index);
            if (!draft) {
              refuse(slot, MISSING);
              continue;
            }
            const refusal = slotDisagreement(draft, slot) ?? duplicateProblem(draft, stories, names);
            if (refusal) {
              refuse(slot, refusal);
              continue;
            }
            // Reserve the name and story before any await so parallel batches see them.
            stories.add(draft.backgroundStory);
            names.add(draft.name.toLowerCase());
            accepted.push({ draft, slot });
          }
          // Refusals are kept as they happen, so a run that fails or stops still reports them.
          await recordRefusals(deps.db, { projectId: params.projectId, jobId: ctx.jobId, now: deps.now() }, refused);
          for (const { draft, slot } of accepted) await savePersona(ctx, deps, params, draft, slot, result.model);
          open = retry;
        }
      };

      // All batches in flight at once; the LLM client's per-provider bulkhead bounds concurrency.
      const outcomes = await Promise.allSettled(batches.map(fillBatch));
      const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
      if (failure) throw failure.reason;

      const personas = await deps.db.prisma.persona.findMany({
        where: { projectId: params.projectId },
        select: { demographics: true },
      });
      const validation = validatePersonas(
        params.projectId,
        JSON.parse(projectRow.targetDemographics) as TargetDemographics,
        personas.map((p) => ({ demographics: JSON.parse(p.demographics) as Record<string, string> })),
        deps.now(),
      );
      const personaIds = params.slots.map((slot) => ctx.completed.get(slotKey(slot.index)) as string);
      const refusals = await summariseRefusals(deps.db, { jobId: ctx.jobId });
      return { personaIds, seed: params.seed, validation, refusals };
    },
  };
}

export const slotKey = (index: number) => `slot-${index}`;

const MISSING: Refusal = { reason: "missing", dimension: null, message: "no persona was returned for it" };

function duplicateProblem(draft: PersonaDraft, stories: StoryIndex, names: Set<string>): Refusal | null {
  if (names.has(draft.name.toLowerCase())) {
    return {
      reason: "duplicate_name",
      dimension: null,
      message: `the name "${draft.name}" is already used by another persona`,
    };
  }
  const similarity = stories.nearestSimilarity(draft.backgroundStory);
  if (similarity >= NEAR_DUPLICATE_THRESHOLD) {
    return {
      reason: "duplicate_story",
      dimension: null,
      message: `its background story is a near-duplicate of another persona's (similarity ${similarity.toFixed(2)}); write a different life`,
    };
  }
  return null;
}

/** What was checked is what is kept: the stated values and evidence of the dimensions the slot asked for. */
function checkedEvidence(draft: PersonaDraft, slot: SlotRequest) {
  return slot.evidenceFor.flatMap((dimension) => {
    const stated = draft.slotEvidence.find((entry) => entry.dimension === dimension);
    return stated ? [{ dimension, value: stated.value, evidence: stated.evidence }] : [];
  });
}

async function savePersona(
  ctx: JobContext<GenerateParams>,
  deps: GenerationDeps,
  params: GenerateParams,
  draft: PersonaDraft,
  slot: SlotRequest,
  model: string,
) {
  const now = deps.now();
  const id = newId(now.getTime());
  await ctx.saveUnit(slotKey(draft.slotIndex), id, {
    tables: ["Persona"],
    write: async (tx) => {
      await tx.persona.create({
        data: {
          id,
          projectId: params.projectId,
          runId: ctx.jobId,
          slotIndex: draft.slotIndex,
          demographics: JSON.stringify(draft.demographics),
          name: draft.name,
          age: draft.age,
          gender: draft.gender,
          location: draft.location,
          education: draft.education,
          income: draft.income,
          occupation: draft.occupation,
          bigFive: JSON.stringify(draft.bigFive),
          values: JSON.stringify(draft.values),
          interests: JSON.stringify(draft.interests),
          backgroundStory: draft.backgroundStory,
          communicationStyle: draft.communicationStyle,
          decisionMakingStyle: draft.decisionMakingStyle,
          concerns: JSON.stringify(draft.concerns),
          slotEvidence: JSON.stringify(checkedEvidence(draft, slot)),
          locale: params.locale,
          model,
          searchText: personaSearchText(draft),
          createdAt: now,
          updatedAt: now,
        },
      });
    },
  });
}

export { toPersona };
