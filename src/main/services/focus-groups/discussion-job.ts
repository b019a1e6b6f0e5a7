import { setMaxListeners } from "node:events";
import { z } from "zod";
import {
  AppError,
  isAppError,
  type FocusGroupSettings,
  type MESSAGE_PHASES,
  type Persona,
} from "../../../shared/contract";
import { seededRng } from "../../../shared/domain/quotas";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import { newId } from "../ids";
import type { InValue } from "@libsql/client";
import { sqliteDate, type JobContext, type JobHandler } from "../jobs/runner";
import type { LlmClient } from "../llm/types";
import { toPersona } from "../personas/persona-row";
import { followUpTargets, plannedMessages } from "./estimate";
import {
  answerPrompt,
  DISCUSSION_PROMPT_VERSION,
  followUpAnswerPrompt,
  followUpSchema,
  moderatorPrompt,
  moderatorSystemPrompt,
  participantHandle,
  personaSystemPrompt,
  reactionPrompt,
  renderTranscript,
  type TranscriptLine,
} from "./prompts";
import { inPlanOrder } from "./plan-order";
import { toMessage, type MessageRow } from "./rows";
import { effectiveDiscussionSeed } from "./seed";

export const DISCUSSION_KIND = "focusGroups.run";
/** The moderator's follow-up calls; participants speak at the focus group's own temperature. */
export const MODERATOR_TEMPERATURE = 0.4;

const paramsSchema = z.object({ focusGroupId: z.string() });

export interface DiscussionDeps {
  db: Database;
  bus: EventBus;
  llm: LlmClient;
  now: () => Date;
}

interface Guide {
  question: string;
  probes: string[];
}

interface Speech {
  unitKey: string;
  questionIndex: number;
  round: number;
  phase: MessageRow["phase"];
  speakerType: "moderator" | "persona";
  persona?: Persona;
  replyToId?: string;
  /** A co-moderator's whispered probe (live sessions): who suggested it. */
  suggestedBy?: string;
}

/**
 * The discussion engine. For each guide question: the moderator asks; every participant answers
 * in parallel (seeing its profile and what it has heard so far in THIS focus group); discussion
 * rounds in which each reacts to a named other; with follow-ups on, the moderator probes chosen
 * participants, who answer. Every line is a job unit keyed by its place in the plan, saved as it
 * completes, so a paused, cancelled or crashed run resumes from the last saved message.
 */
export function discussionJob(deps: DiscussionDeps): JobHandler<z.infer<typeof paramsSchema>> {
  return {
    kind: DISCUSSION_KIND,
    promptVersion: DISCUSSION_PROMPT_VERSION,
    params: paramsSchema,
    async run(ctx) {
      const fg = await deps.db.prisma.focusGroup.findUnique({ where: { id: ctx.params.focusGroupId } });
      if (!fg) throw new AppError("NOT_FOUND", "The focus group was deleted.");
      const guide = JSON.parse(fg.guide) as Guide[];
      const settings = JSON.parse(fg.settings) as FocusGroupSettings;
      const ids = JSON.parse(fg.participantIds) as string[];
      const rows = await deps.db.prisma.persona.findMany({ where: { id: { in: ids }, projectId: fg.projectId } });
      const byId = new Map(rows.map((row) => [row.id, toPersona(row)]));
      const participants = ids.map((id) => byId.get(id)).filter((p): p is Persona => p !== undefined);
      if (participants.length < 2) throw new AppError("CONFLICT", "Fewer than 2 of the participants still exist.");

      let total = plannedMessages(participants.length, guide.length, settings);
      await ctx.setTotal(total);

      // Memory belongs to this focus group only: the transcript is read by focusGroupId.
      const savedRows = await deps.db.prisma.focusGroupMessage.findMany({
        where: { focusGroupId: fg.id },
        orderBy: { seq: "asc" },
      });
      const transcript: TranscriptLine[] = savedRows.map((m) => ({
        ...m,
        speakerType: m.speakerType as "moderator" | "persona",
      }));
      const saved = new Map(transcript.map((line) => [(line as unknown as MessageRow).unitKey, line]));
      // One seed for the engine's choices and every provider call (see effectiveDiscussionSeed).
      const seed = effectiveDiscussionSeed(fg.id, settings);
      const rng = seededRng(seed);

      /** Where the discussion is; a message being saved keeps the stage it was said in. */
      let stage: { questionIndex: number; phase: (typeof MESSAGE_PHASES)[number]; round: number } | undefined;
      const emitProgress = (label: string, next?: typeof stage) => {
        stage = next ?? stage;
        deps.bus.emit("discussion_updated", {
          focusGroupId: fg.id,
          status: "running",
          progress: { done: saved.size, total },
          label,
          ...(stage ? { stage } : {}),
        });
      };

      // This run is the focus group's only writer (runs are exclusive), so it numbers the lines itself.
      let nextSeq = (savedRows.at(-1)?.seq ?? 0) + 1;
      /** Saves one line as a unit; its output is the message id unless `output` says otherwise. */
      const save = async (
        speech: Speech,
        text: string,
        tokens: { input: number; output: number },
        output: (id: string) => unknown = (id) => id,
        also: { table: string; sql: string; args: (id: string) => InValue[] }[] = [],
      ) => {
        const createdAt = deps.now();
        const row: MessageRow = {
          id: newId(createdAt.getTime()),
          focusGroupId: fg.id,
          seq: nextSeq++,
          unitKey: speech.unitKey,
          questionIndex: speech.questionIndex,
          round: speech.round,
          phase: speech.phase,
          speakerType: speech.speakerType,
          personaId: speech.persona?.id ?? null,
          speakerName: speech.persona?.name ?? "Moderator",
          replyToId: speech.replyToId ?? null,
          text,
          sentiment: null,
          inputTokens: tokens.input,
          outputTokens: tokens.output,
          createdAt,
          suggestedBy: speech.suggestedBy ?? null,
        };
        // The hot path of a discussion: one INSERT in the unit's commit, no ORM round trips.
        const columns = Object.keys(row) as (keyof MessageRow)[];
        await ctx.saveUnit(speech.unitKey, output(row.id), {
          tables: ["FocusGroupMessage", ...also.map((write) => write.table)],
          statements: [
            {
              sql: `INSERT INTO "FocusGroupMessage" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
              args: columns.map((c) => (c === "createdAt" ? sqliteDate(createdAt) : row[c])) as InValue[],
            },
            ...also.map((write) => ({ sql: write.sql, args: write.args(row.id) })),
          ],
        });
        const message = row;
        const line: TranscriptLine = { ...message, speakerType: speech.speakerType };
        transcript.push(line);
        saved.set(speech.unitKey, line);
        deps.bus.emit("persona_responded", {
          focusGroupId: fg.id,
          unitKey: speech.unitKey,
          message: toMessage(message),
        });
        emitProgress(`${speech.persona?.name ?? "Moderator"} spoke`);
        return line;
      };

      /** One participant speaks: streamed token by token, saved when complete. */
      const speak = async (speech: Speech & { persona: Persona }, prompt: string, signal: AbortSignal) => {
        const existing = saved.get(speech.unitKey);
        if (existing) return existing;
        ctx.throwIfCancelled();
        const result = await deps.llm.streamText({
          task: "discussion",
          model: settings.model,
          system: personaSystemPrompt(speech.persona, settings.language),
          messages: [{ role: "user", text: prompt }],
          temperature: settings.temperature,
          seed,
          signal,
          onUsage: (usage, call) => ctx.addUsage(usage, call),
          onToken: (delta) =>
            deps.bus.emit("discussion.token", {
              focusGroupId: fg.id,
              unitKey: speech.unitKey,
              personaId: speech.persona.id,
              speakerName: speech.persona.name,
              questionIndex: speech.questionIndex,
              round: speech.round,
              delta,
            }),
        });
        const text = result.value.trim();
        if (!text)
          throw new AppError("PROVIDER_UNAVAILABLE", `The model returned an empty answer for ${speech.persona.name}.`);
        return save(speech, text, { input: result.usage.inputTokens, output: result.usage.outputTokens });
      };

      // Lines of one phase are produced in parallel, but heard by everyone only once the phase ends,
      // in the plan's order rather than the order they finished in (which depends on timing).
      const speakingOrder = participants.map((p) => p.id);
      const heardBefore = () => renderTranscript(inPlanOrder(transcript, speakingOrder));

      /**
       * Probes co-moderators whispered in a live session and the host approved: the moderator asks
       * each at its next turn (after this question's discussion), attributed, and everyone answers.
       * Marking the probe asked is part of the same commit as the moderator's line.
       * Answers how many it asked that had not been asked before.
       */
      const askProbes = async (q: number): Promise<number> => {
        let newlyAsked = 0;
        const round = settings.discussionRounds + 2;
        const prefix = `q${q}/probe/`;
        const approved = await deps.db.prisma.liveProbe.findMany({
          where: { status: "approved", session: { focusGroupId: fg.id } },
          orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
        });
        // A resumed run finishes the answers to probes it had asked at this question.
        const resumed = [...saved.keys()]
          .filter((key) => key.startsWith(prefix) && key.split("/").length === 3)
          .map((key) => key.slice(prefix.length));
        const asked = resumed.length
          ? await deps.db.prisma.liveProbe.findMany({ where: { id: { in: resumed } }, orderBy: { decidedAt: "asc" } })
          : [];
        for (const probe of [...asked, ...approved]) {
          ctx.throwIfCancelled();
          const key = `${prefix}${probe.id}`;
          let line = saved.get(key);
          if (!line) {
            newlyAsked += 1;
            total += 1 + participants.length;
            await ctx.setTotal(total);
            emitProgress(`Question ${q + 1}: a co-moderator's probe`, { questionIndex: q, phase: "followup", round });
            line = await save(
              {
                unitKey: key,
                questionIndex: q,
                round,
                phase: "followup",
                speakerType: "moderator",
                suggestedBy: probe.suggestedBy,
              },
              probe.text,
              { input: 0, output: 0 },
              undefined,
              [
                {
                  table: "LiveProbe",
                  sql: `UPDATE "LiveProbe" SET "status" = 'asked', "messageId" = ? WHERE "id" = ?`,
                  args: (id) => [id, probe.id],
                },
              ],
            );
          }
          const ask = line;
          const heard = heardBefore();
          await inParallel(
            ctx.signal,
            participants.map(
              (persona) => (signal: AbortSignal) =>
                speak(
                  {
                    unitKey: `${key}/${persona.id}`,
                    questionIndex: q,
                    round,
                    phase: "followup_answer",
                    speakerType: "persona",
                    persona,
                    replyToId: ask.id,
                  },
                  followUpAnswerPrompt(heard, ask.text),
                  signal,
                ),
            ),
          );
        }
        return newlyAsked;
      };

      for (let q = 0; q < guide.length; q++) {
        const item = guide[q]!;
        const askKey = `q${q}/ask`;
        const ask =
          saved.get(askKey) ??
          (await save(
            { unitKey: askKey, questionIndex: q, round: 0, phase: "question", speakerType: "moderator" },
            item.question,
            { input: 0, output: 0 },
          ));

        emitProgress(`Question ${q + 1}: answers`, { questionIndex: q, phase: "answer", round: 0 });
        let context = heardBefore();
        const answers = await inParallel(
          ctx.signal,
          participants.map(
            (persona) => (signal: AbortSignal) =>
              speak(
                {
                  unitKey: `q${q}/r0/${persona.id}`,
                  questionIndex: q,
                  round: 0,
                  phase: "answer",
                  speakerType: "persona",
                  persona,
                  replyToId: ask.id,
                },
                answerPrompt(context, item.question),
                signal,
              ),
          ),
        );

        let previous = answers;
        for (let round = 1; round <= settings.discussionRounds; round++) {
          emitProgress(`Question ${q + 1}: discussion round ${round}`, { questionIndex: q, phase: "reaction", round });
          context = heardBefore();
          const current = previous;
          previous = await inParallel(
            ctx.signal,
            participants.map((persona) => {
              const others = current.filter((line) => line.personaId !== persona.id);
              const target = others[rng.int(0, others.length - 1)]!;
              return (signal: AbortSignal) =>
                speak(
                  {
                    unitKey: `q${q}/r${round}/${persona.id}`,
                    questionIndex: q,
                    round,
                    phase: "reaction",
                    speakerType: "persona",
                    persona,
                    replyToId: target.id,
                  },
                  reactionPrompt(context, item.question, round, { name: target.speakerName, text: target.text }),
                  signal,
                );
            }),
          );
        }

        if (settings.moderatorFollowUps) {
          const round = settings.discussionRounds + 1;
          const followKey = `q${q}/followup`;
          let follow = saved.get(followKey);
          let targetIds: string[];
          if (follow) {
            targetIds = ctx.completed.has(followKey) ? ((await unitTargets(deps, ctx, followKey)) ?? []) : [];
          } else {
            ctx.throwIfCancelled();
            emitProgress(`Question ${q + 1}: moderator follow-up`, { questionIndex: q, phase: "followup", round: 0 });
            const targets = followUpTargets(participants.length);
            // The moderator sees participants by their place (p1, p2, …), never by persona id.
            const handles = participants.map((_, index) => participantHandle(index));
            const result = await deps.llm.generateJson({
              task: "discussion",
              model: settings.model,
              system: moderatorSystemPrompt(settings.language),
              messages: [
                {
                  role: "user",
                  text: moderatorPrompt(
                    heardBefore(),
                    item.question,
                    item.probes,
                    participants.map((p, index) => ({ id: handles[index]!, name: p.name })),
                    targets,
                  ),
                },
              ],
              schema: followUpSchema(handles, targets),
              validate: (value) =>
                new Set(value.personaIds).size === value.personaIds.length ? null : "personaIds must be distinct",
              temperature: MODERATOR_TEMPERATURE,
              seed,
              signal: ctx.signal,
              onUsage: (usage, call) => ctx.addUsage(usage, call),
            });
            targetIds = result.value.personaIds.map((handle) => participants[handles.indexOf(handle)]!.id);
            follow = await save(
              {
                unitKey: followKey,
                questionIndex: q,
                round,
                phase: "followup",
                speakerType: "moderator",
                replyToId: ask.id,
              },
              result.value.question,
              { input: result.usage.inputTokens, output: result.usage.outputTokens },
              (id) => ({ id, targets: targetIds }),
            );
            emitProgress(`Question ${q + 1}: follow-up answers`, {
              questionIndex: q,
              phase: "followup_answer",
              round: 0,
            });
          }
          const text = follow.text;
          context = heardBefore();
          await inParallel(
            ctx.signal,
            targetIds
              .map((id) => byId.get(id))
              .filter((p): p is Persona => p !== undefined)
              .map(
                (persona) => (signal: AbortSignal) =>
                  speak(
                    {
                      unitKey: `q${q}/followup/${persona.id}`,
                      questionIndex: q,
                      round,
                      phase: "followup_answer",
                      speakerType: "persona",
                      persona,
                      replyToId: follow!.id,
                    },
                    followUpAnswerPrompt(context, text),
                    signal,
                  ),
              ),
          );
        }
        // After the last question there is no next turn: probes approved while these were being
        // asked are asked too, until none is waiting (the live session marks later ones missed).
        if (q < guide.length - 1) await askProbes(q);
        else while ((await askProbes(q)) > 0);
      }
      return { messages: saved.size };
    },
  };
}

async function unitTargets(deps: DiscussionDeps, ctx: JobContext<unknown>, key: string): Promise<string[] | null> {
  const output = ctx.completed.get(key) as { targets?: string[] } | undefined;
  if (output?.targets) return output.targets;
  const unit = await deps.db.prisma.jobUnit.findUnique({ where: { jobId_key: { jobId: ctx.jobId, key } } });
  return unit ? ((JSON.parse(unit.output) as { targets?: string[] }).targets ?? null) : null;
}

/**
 * Runs one phase's speakers in parallel and returns when every one has settled, so no line is
 * still being generated or saved once the phase (or the job) has ended. The first real failure
 * stops the siblings' calls; a pause lets the calls in flight finish and be saved.
 */
async function inParallel<T>(parent: AbortSignal, tasks: ((signal: AbortSignal) => Promise<T>)[]): Promise<T[]> {
  const phase = new AbortController();
  setMaxListeners(256, phase.signal);
  const forward = () => phase.abort(parent.reason);
  if (parent.aborted) forward();
  parent.addEventListener("abort", forward, { once: true });
  let failure: unknown = null;
  try {
    const outcomes = await Promise.allSettled(
      tasks.map((task) =>
        task(phase.signal).catch((error: unknown) => {
          const paused = isAppError(error) && (error.details as { paused?: boolean } | undefined)?.paused === true;
          if (failure === null && !paused) {
            failure = error;
            phase.abort(error);
          }
          throw error;
        }),
      ),
    );
    if (failure !== null) throw failure;
    const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    if (rejected) throw rejected.reason;
    return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
  } finally {
    parent.removeEventListener("abort", forward);
  }
}
