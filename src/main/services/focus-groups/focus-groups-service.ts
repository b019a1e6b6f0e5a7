import {
  AppError,
  focusGroupSettingsSchema,
  type FocusGroup,
  type FocusGroupSettings,
  type RouteOutput,
  type RouteParsedInput,
  type Usage,
} from "../../../shared/contract";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import { newId } from "../ids";
import { createExclusive } from "../jobs/exclusive";
import type { JobRunner } from "../jobs/runner";
import type { LlmSettingsStore } from "../llm/settings-store";
import { ANALYSIS_KIND } from "./analysis-job";
import { DISCUSSION_KIND } from "./discussion-job";
import { estimateRun, plannedMessages } from "./estimate";
import { statusFromJob, toInsight, toMessage, type FocusGroupRow } from "./rows";

export interface FocusGroupsDeps {
  db: Database;
  bus: EventBus;
  jobs: JobRunner;
  llmSettings: LlmSettingsStore;
  now: () => Date;
  assertProviderReady: () => Promise<void>;
}

type CreateInput = RouteParsedInput<"focusGroups.create">;

export function createFocusGroupsService(deps: FocusGroupsDeps) {
  const { prisma } = deps.db;
  const changed = () => deps.bus.emit("db.changed", { tables: ["FocusGroup"] });
  // "Is it running? then enqueue" must not interleave: two clicks must not start two runs.
  const exclusive = createExclusive();

  // The discussion's status is its job's: relay every job change as discussion_updated, so
  // subscribers also see paused, completed, failed and cancelled.
  deps.bus.on("job.updated", (job) => {
    if (job.kind !== DISCUSSION_KIND) return;
    const focusGroupId = (job.params as { focusGroupId?: unknown }).focusGroupId;
    if (typeof focusGroupId !== "string") return;
    deps.bus.emit("discussion_updated", {
      focusGroupId,
      status: statusFromJob({ status: job.status, label: job.progress.label }),
      progress: { done: job.progress.done, total: job.progress.total },
      label: job.progress.text,
    });
  });

  const find = async (id: string) => {
    const row = await prisma.focusGroup.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No focus group with id ${id}.`, { id });
    return row;
  };

  const view = async (row: FocusGroupRow): Promise<FocusGroup> => {
    const job = row.jobId ? await prisma.job.findUnique({ where: { id: row.jobId } }) : null;
    const participantIds = JSON.parse(row.participantIds) as string[];
    const guide = JSON.parse(row.guide) as FocusGroup["guide"];
    const settings = JSON.parse(row.settings) as FocusGroupSettings;
    return {
      id: row.id,
      projectId: row.projectId,
      name: row.name,
      status: statusFromJob(job),
      participantIds,
      guide,
      settings,
      jobId: row.jobId,
      analysisJobId: row.analysisJobId,
      messageCount: await prisma.focusGroupMessage.count({ where: { focusGroupId: row.id } }),
      estimate: estimateRun(participantIds.length, guide.length, settings, deps.llmSettings.get()),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  };

  /** Participants must be distinct personas of the same project. */
  const checkParticipants = async (projectId: string, ids: string[]) => {
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (duplicates.length) {
      throw new AppError("VALIDATION_FAILED", "Each persona can take part only once.", {
        issues: [
          {
            path: ["participantIds"],
            code: "custom",
            reason: "duplicate",
            message: `duplicated: ${[...new Set(duplicates)].join(", ")}`,
          },
        ],
      });
    }
    const found = await prisma.persona.findMany({ where: { id: { in: ids } }, select: { id: true, projectId: true } });
    const foreign = ids.filter((id) => found.find((p) => p.id === id)?.projectId !== projectId);
    if (foreign.length) {
      throw new AppError("VALIDATION_FAILED", "Participants must be personas of this project.", {
        issues: [
          {
            path: ["participantIds"],
            code: "custom",
            reason: "not_in_project",
            message: `not personas of this project: ${foreign.join(", ")}`,
          },
        ],
        personaIds: foreign,
      });
    }
  };

  const activeJob = async (row: FocusGroupRow) => {
    if (!row.jobId) return null;
    const job = await prisma.job.findUnique({ where: { id: row.jobId } });
    return job && (job.status === "queued" || job.status === "running") ? job : null;
  };

  const startRun = async (id: string) => {
    const row = await find(id);
    if (await activeJob(row))
      throw new AppError("CONFLICT", "This focus group is already running.", { jobId: row.jobId });
    if (row.jobId)
      throw new AppError("CONFLICT", "This focus group has already run; resume it if it was paused or interrupted.", {
        jobId: row.jobId,
      });
    await checkParticipants(row.projectId, JSON.parse(row.participantIds) as string[]);
    await deps.assertProviderReady();
    const job = await deps.jobs.enqueue(DISCUSSION_KIND, { focusGroupId: row.id }, { projectId: row.projectId });
    await prisma.focusGroup.update({ where: { id: row.id }, data: { jobId: job.id, status: "running" } });
    changed();
    return { jobId: job.id };
  };

  const startAnalysis = async (id: string) => {
    const row = await find(id);
    if (await activeJob(row)) throw new AppError("CONFLICT", "Wait for the discussion to finish before analysing it.");
    const messages = await prisma.focusGroupMessage.count({ where: { focusGroupId: id } });
    if (messages === 0) throw new AppError("CONFLICT", "Run the discussion before analysing it.");
    if (row.analysisJobId) {
      const previous = await prisma.job.findUnique({ where: { id: row.analysisJobId } });
      if (previous && (previous.status === "queued" || previous.status === "running")) {
        throw new AppError("CONFLICT", "An analysis of this focus group is already running.", { jobId: previous.id });
      }
    }
    await deps.assertProviderReady();
    const job = await deps.jobs.enqueue(ANALYSIS_KIND, { focusGroupId: id }, { projectId: row.projectId });
    await prisma.focusGroup.update({ where: { id }, data: { analysisJobId: job.id } });
    changed();
    return { jobId: job.id };
  };

  return {
    async create(input: CreateInput): Promise<FocusGroup> {
      const project = await prisma.project.findUnique({ where: { id: input.projectId } });
      if (!project) throw new AppError("NOT_FOUND", `No project with id ${input.projectId}.`);
      await checkParticipants(project.id, input.participantIds);
      const now = deps.now();
      const row = await prisma.focusGroup.create({
        data: {
          id: newId(now.getTime()),
          projectId: project.id,
          name: input.name,
          participantIds: JSON.stringify(input.participantIds),
          guide: JSON.stringify(input.guide),
          settings: JSON.stringify(input.settings),
          createdAt: now,
          updatedAt: now,
        },
      });
      changed();
      return view(row);
    },

    async list(input: RouteParsedInput<"focusGroups.list">): Promise<RouteOutput<"focusGroups.list">> {
      if (!(await prisma.project.findUnique({ where: { id: input.projectId } }))) {
        throw new AppError("NOT_FOUND", `No project with id ${input.projectId}.`);
      }
      const where = { projectId: input.projectId };
      const [rows, total] = await Promise.all([
        prisma.focusGroup.findMany({
          where: input.cursor ? { ...where, id: { lt: input.cursor } } : where,
          orderBy: { id: "desc" },
          take: input.limit + 1,
        }),
        prisma.focusGroup.count({ where }),
      ]);
      const page = rows.slice(0, input.limit);
      return {
        items: await Promise.all(page.map(view)),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
        total,
      };
    },

    get: async (id: string) => view(await find(id)),

    async update(input: RouteParsedInput<"focusGroups.update">): Promise<FocusGroup> {
      const row = await find(input.id);
      if (row.jobId)
        throw new AppError("CONFLICT", "This focus group has already run; duplicate it to change its setup.");
      if (input.participantIds) await checkParticipants(row.projectId, input.participantIds);
      const settings = input.settings
        ? focusGroupSettingsSchema.parse(
            Object.fromEntries(
              Object.entries({ ...(JSON.parse(row.settings) as FocusGroupSettings), ...input.settings }).filter(
                ([, value]) => value !== null,
              ),
            ),
          )
        : undefined;
      const updated = await prisma.focusGroup.update({
        where: { id: row.id },
        data: {
          name: input.name,
          participantIds: input.participantIds ? JSON.stringify(input.participantIds) : undefined,
          guide: input.guide ? JSON.stringify(input.guide) : undefined,
          settings: settings ? JSON.stringify(settings) : undefined,
          updatedAt: deps.now(),
        },
      });
      changed();
      return view(updated);
    },

    async remove(id: string) {
      const row = await find(id);
      if (await activeJob(row)) throw new AppError("CONFLICT", "Cancel the running discussion before deleting it.");
      await prisma.focusGroup.delete({ where: { id } });
      changed();
      return { ok: true as const };
    },

    run: (id: string) => exclusive.run(id, () => startRun(id)),
    analyze: (id: string) => exclusive.run(id, () => startAnalysis(id)),

    async pause(id: string) {
      const row = await find(id);
      if (!(await activeJob(row))) throw new AppError("CONFLICT", "Only a running discussion can be paused.");
      await deps.jobs.pause(row.jobId!);
      return view(row);
    },

    async resume(id: string) {
      const row = await find(id);
      if (!row.jobId) throw new AppError("CONFLICT", "This focus group has not run yet.");
      await deps.jobs.resume(row.jobId);
      changed();
      return view(row);
    },

    async cancel(id: string) {
      const row = await find(id);
      if (!row.jobId) throw new AppError("CONFLICT", "This focus group has not run yet.");
      await deps.jobs.cancel(row.jobId);
      changed();
      return view(row);
    },

    async messages(input: RouteParsedInput<"focusGroups.messages">): Promise<RouteOutput<"focusGroups.messages">> {
      await find(input.id);
      const where = { focusGroupId: input.id };
      const after = input.cursor === undefined ? undefined : Number(input.cursor);
      const [rows, total] = await Promise.all([
        prisma.focusGroupMessage.findMany({
          where: after === undefined ? where : { ...where, seq: { gt: after } },
          orderBy: { seq: "asc" },
          take: input.limit + 1,
        }),
        prisma.focusGroupMessage.count({ where }),
      ]);
      const page = rows.slice(0, input.limit);
      return {
        items: page.map(toMessage),
        nextCursor: rows.length > input.limit ? String(page[page.length - 1]!.seq) : null,
        total,
      };
    },

    async insights(id: string): Promise<RouteOutput<"focusGroups.insights">> {
      const row = await find(id);
      let job = row.analysisJobId ? await prisma.job.findUnique({ where: { id: row.analysisJobId } }) : null;
      // A re-run that failed or was stopped must not hide the last complete analysis.
      if (job && !["queued", "running", "succeeded"].includes(job.status)) {
        job =
          (await prisma.job.findFirst({
            where: { kind: ANALYSIS_KIND, status: "succeeded", params: { contains: JSON.stringify(id) } },
            orderBy: { id: "desc" },
          })) ?? job;
      }
      const items = job
        ? (await prisma.insight.findMany({ where: { analysisId: job.id }, orderBy: { seq: "asc" } })).map(toInsight)
        : [];
      const messages = await prisma.focusGroupMessage.findMany({
        where: { focusGroupId: id, speakerType: "persona" },
        select: { questionIndex: true, personaId: true, speakerName: true, sentiment: true },
      });
      const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
      const group = <K>(key: (m: (typeof messages)[number]) => K) => {
        const map = new Map<K, { scores: number[]; count: number; name: string }>();
        for (const m of messages) {
          const entry = map.get(key(m)) ?? { scores: [], count: 0, name: m.speakerName };
          entry.count++;
          if (m.sentiment !== null) entry.scores.push(m.sentiment);
          map.set(key(m), entry);
        }
        return map;
      };
      return {
        items,
        sentiment: {
          byQuestion: [...group((m) => m.questionIndex)]
            .map(([questionIndex, e]) => ({ questionIndex, mean: mean(e.scores), messages: e.count }))
            .sort((a, b) => a.questionIndex - b.questionIndex),
          byPersona: [...group((m) => m.personaId ?? "")].map(([personaId, e]) => ({
            personaId,
            name: e.name,
            mean: mean(e.scores),
            messages: e.count,
          })),
          overall: mean(messages.flatMap((m) => (m.sentiment === null ? [] : [m.sentiment]))),
        },
        usage: job ? (JSON.parse(job.usage) as Usage) : null,
      };
    },

    plannedMessages,
  };
}

export type FocusGroupsService = ReturnType<typeof createFocusGroupsService>;
