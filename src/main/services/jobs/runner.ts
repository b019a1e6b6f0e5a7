import { setMaxListeners } from "node:events";
import type { InStatement } from "@libsql/client";
import type { z } from "zod";
import {
  AppError,
  isAppError,
  type Job,
  type JobStatus,
  type ProgressLabel,
  type RunModel,
  type Usage,
  type WireError,
} from "../../../shared/contract";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import type { Logger } from "../logger";
import { newId } from "../ids";
import type { LlmCallInfo } from "../llm/types";
import { jobRowFromSql, readRunModels, toJob, type JobRow } from "./job-row";
import { storedProgressLabel } from "./stored-label";

type Tx = Parameters<Parameters<Database["prisma"]["$transaction"]>[0]>[0];

/** The domain rows a unit produced, written in the same transaction as the unit itself. */
export interface UnitWrite {
  /** Through Prisma (any shape of write). */
  write?: (tx: Tx) => Promise<void>;
  /**
   * As SQL statements, for hot paths: a batch whose units all come as statements commits in one
   * round trip to the database, without the ORM (dates as `sqliteDate`).
   */
  statements?: InStatement[];
  tables?: string[];
  /**
   * The unit's effect is already outside Sight (a CRM wrote the records): save it even after a
   * cancel or a shutdown asked the job to stop, so the record of what happened is not lost.
   */
  alreadyDone?: boolean;
  /** How many steps of the job's total this unit is (default 1): a CRM batch counts its records. */
  weight?: number;
}

/** A DateTime the way Prisma stores it in SQLite (ISO 8601 with an explicit offset). */
export function sqliteDate(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

export interface JobContext<P> {
  readonly jobId: string;
  readonly projectId: string | null;
  readonly params: P;
  readonly signal: AbortSignal;
  /** Units finished by earlier attempts of this job (key → output). Skip them. */
  readonly completed: ReadonlyMap<string, unknown>;
  /** Sets the job's total steps; `done` (if given) also says how many of them earlier attempts finished. */
  setTotal(total: number, done?: number): Promise<void>;
  /**
   * Persists one finished unit, atomically with `write` (the domain rows it produced), and
   * advances progress. After a crash the unit is in `completed` and is not redone.
   */
  saveUnit(key: string, output: unknown, options?: UnitWrite): Promise<void>;
  progress(label: ProgressLabel): void;
  /**
   * Progress of work that is not split into saved units (e.g. writing one export file): done of
   * total in the job's own units. Written at most every REPORT_INTERVAL_MS, and always at 100%.
   */
  report(done: number, total: number, label: ProgressLabel): void;
  /** Adds one call's usage; with `call`, also records the model and settings that answered it. */
  addUsage(usage: Partial<Usage>, call?: LlmCallInfo): void;
  throwIfCancelled(): void;
}

export interface JobHandler<P = unknown> {
  kind: string;
  params: z.ZodType<P>;
  run(ctx: JobContext<P>): Promise<unknown>;
  /** The version of the prompt templates this job sends, recorded with the models it used. */
  promptVersion?: string;
  /**
   * Wraps the resume of a failed or interrupted job: check what must hold (e.g. the plan still has
   * room) and call `requeue` inside the same critical section; throw to refuse.
   */
  resumeGuard?(job: Job, requeue: () => Promise<Job>): Promise<Job>;
}

export interface JobRunner {
  register<P>(handler: JobHandler<P>): void;
  enqueue(kind: string, params: unknown, options?: { projectId?: string | null }): Promise<Job>;
  get(id: string): Promise<Job>;
  cancel(id: string): Promise<Job>;
  /** Stops a running job after its in-flight units; it comes back `interrupted` (label PAUSED_LABEL) and resumes. */
  pause(id: string): Promise<Job>;
  resume(id: string): Promise<Job>;
  /** Marks jobs left queued or running by a previous process as interrupted. */
  recover(): Promise<number>;
  /** Resolves when nothing is running or queued in this process. */
  idle(): Promise<void>;
  /** Stops running jobs; they come back as interrupted and can be resumed. */
  close(): Promise<void>;
}

export interface JobRunnerDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  maxConcurrent?: number;
}

const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 };
const STOP_SHUTDOWN = "shutdown";
const STOP_CANCEL = "cancel";
export const PAUSED_LABEL: ProgressLabel = { key: "jobs.paused", params: {} };
const INTERRUPTED_LABEL: ProgressLabel = { key: "jobs.interrupted", params: {} };
export const REPORT_INTERVAL_MS = 200;

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { prisma } = deps.db;
  const handlers = new Map<string, JobHandler<any>>();
  const running = new Map<string, AbortController>();
  /** Jobs asked to pause: they stop starting new units; the ones in flight finish and are saved. */
  const pauseRequested = new Set<string>();
  const maxConcurrent = deps.maxConcurrent ?? 3;
  let pumping = Promise.resolve();
  let idleWaiters: Array<() => void> = [];
  let closed = false;

  const publish = (row: JobRow) => {
    const job = toJob(row);
    deps.bus.emit("job.updated", job);
    return job;
  };

  const load = async (id: string): Promise<JobRow> => {
    const row = await prisma.job.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No job with id ${id}.`, { id });
    return row;
  };

  const update = async (id: string, data: Parameters<typeof prisma.job.update>[0]["data"]) =>
    publish(await prisma.job.update({ where: { id }, data }));

  const settleIdle = async () => {
    if (running.size > 0) return;
    const queued = await prisma.job.count({ where: { status: "queued" } });
    if (queued > 0 && !closed) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  /** Starts queued jobs while there is room; serialised so two pumps never pick the same job. */
  const pump = () => {
    pumping = pumping
      .then(async () => {
        if (closed) return;
        while (running.size < maxConcurrent) {
          const next = await prisma.job.findFirst({
            where: { status: "queued", kind: { in: [...handlers.keys()] } },
            orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          });
          if (!next) break;
          const controller = new AbortController();
          // Every in-flight LLM call of the job listens on this signal; dozens at once is normal.
          setMaxListeners(256, controller.signal);
          running.set(next.id, controller);
          await update(next.id, {
            status: "running",
            startedAt: next.startedAt ?? deps.now(),
            attempts: { increment: 1 },
            error: null,
          });
          void execute(next, controller).catch((error) =>
            deps.logger.error("jobs.execute_crashed", { jobId: next.id, error }),
          );
        }
        await settleIdle();
      })
      .catch((error) => deps.logger.error("jobs.pump_failed", { error }));
  };

  const execute = async (row: JobRow, controller: AbortController) => {
    const handler = handlers.get(row.kind)!;
    const usage: Usage = { ...ZERO_USAGE, ...(JSON.parse(row.usage) as Partial<Usage>) };
    // Keyed by everything but the count: a resumed job adds to what its earlier attempts used.
    const models = new Map<string, RunModel>();
    const modelKey = (model: Omit<RunModel, "calls">) =>
      JSON.stringify([
        model.provider,
        model.model,
        model.modelVersion,
        model.temperature,
        model.seed,
        model.promptVersion,
      ]);
    for (const model of readRunModels(row.models)) models.set(modelKey(model), model);
    const modelsJson = () => JSON.stringify([...models.values()]);
    const units = await prisma.jobUnit.findMany({ where: { jobId: row.id } });
    const completed = new Map(units.map((unit) => [unit.key, JSON.parse(unit.output) as unknown]));
    let done = completed.size;
    /** The label as stored (JSON), written with every unit's commit. */
    let label = row.progressLabel;

    // Group commit: a unit finishing while no commit is in flight is committed at once (after the
    // current tick, so units finishing together share it); units finishing during a commit wait
    // for it and go in the next one. Parallel LLM calls returning together thus cost a few
    // transactions instead of dozens, no unit waits on a timer, and each caller resumes only
    // after its unit is durable.
    type PendingUnit = {
      key: string;
      output: unknown;
      options: Parameters<JobContext<unknown>["saveUnit"]>[2];
      resolve: () => void;
      reject: (error: unknown) => void;
    };
    let batch: PendingUnit[] = [];
    let flushScheduled = false;
    let committing = false;
    let flushing: Promise<void> = Promise.resolve();
    let settled = false;
    let lastReport = 0;
    /** Progress reports in flight, in order; settled before the final status is written. */
    let reporting: Promise<void> = Promise.resolve();
    const schedule = () => {
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        if (!committing && batch.length) void flush();
      });
    };
    const flush = () => {
      flushing = flushing.then(async () => {
        committing = true;
        try {
          await commitBatch();
        } finally {
          committing = false;
          if (batch.length) schedule();
        }
      });
      return flushing;
    };
    /** Commits whatever is queued now (before the job's final status is written). */
    const drain = async () => {
      if (batch.length) await flush();
      await flushing;
      await reporting;
    };
    const commitThroughPrisma = (units: PendingUnit[]) =>
      prisma.$transaction(async (tx) => {
        for (const unit of units) await unit.options?.write?.(tx);
        await tx.jobUnit.createMany({
          data: units.map((unit) => ({ jobId: row.id, key: unit.key, output: JSON.stringify(unit.output ?? null) })),
        });
        return tx.job.update({
          where: { id: row.id },
          data: {
            progressDone: { increment: weightOf(units) },
            usage: JSON.stringify(usage),
            models: modelsJson(),
            progressLabel: label,
          },
        });
      });
    /** One write transaction of plain statements, then the job row as Prisma reads it. */
    const commitAsStatements = async (units: PendingUnit[]) => {
      const at = sqliteDate(deps.now());
      const results = await deps.db.raw.batch(
        [
          ...units.flatMap((unit) => unit.options?.statements ?? []),
          {
            sql: `INSERT INTO "JobUnit" ("jobId", "key", "output", "createdAt") VALUES ${units.map(() => "(?, ?, ?, ?)").join(", ")}`,
            args: units.flatMap((unit) => [row.id, unit.key, JSON.stringify(unit.output ?? null), at]),
          },
          {
            sql: `UPDATE "Job" SET "progressDone" = "progressDone" + ?, "usage" = ?, "models" = ?, "progressLabel" = ?, "updatedAt" = ? WHERE "id" = ? RETURNING *`,
            args: [weightOf(units), JSON.stringify(usage), modelsJson(), label, at, row.id],
          },
        ],
        "write",
      );
      const updated = results.at(-1)?.rows[0];
      if (!updated) throw new AppError("NOT_FOUND", `No job with id ${row.id}.`, { id: row.id });
      return jobRowFromSql(updated as unknown as Record<string, unknown>);
    };
    const weightOf = (units: PendingUnit[]) =>
      units.reduce((sum, unit) => sum + Math.max(0, Math.floor(unit.options?.weight ?? 1)), 0);
    const commitBatch = async () => {
      const units = batch;
      batch = [];
      if (units.length === 0) return;
      // Units queued before a pause or cancel are finished (paid-for) work: commit them anyway.
      // Each unit commits with its own rows; units of the two kinds go in two transactions.
      const viaPrisma = units.filter((unit) => unit.options?.write);
      const viaSql = units.filter((unit) => !unit.options?.write);
      for (const [group, commit] of [
        [viaPrisma, commitThroughPrisma],
        [viaSql, commitAsStatements],
      ] as const) {
        if (group.length === 0) continue;
        try {
          const saved = await commit(group);
          done = saved.progressDone;
          for (const unit of group) completed.set(unit.key, unit.output);
          publish(saved);
          const tables = [...new Set(group.flatMap((unit) => unit.options?.tables ?? []))];
          if (tables.length) deps.bus.emit("db.changed", { tables });
          for (const unit of group) unit.resolve();
        } catch (error) {
          for (const unit of group) unit.reject(error);
        }
      }
    };

    const ctx: JobContext<unknown> = {
      jobId: row.id,
      projectId: row.projectId,
      params: handler.params.parse(JSON.parse(row.params)),
      signal: controller.signal,
      completed,
      async setTotal(value, doneSoFar) {
        if (doneSoFar !== undefined) done = Math.max(0, Math.floor(doneSoFar));
        await update(row.id, { progressTotal: value, progressDone: done });
      },
      saveUnit(key, output, options) {
        // A hard stop (cancel, shutdown) refuses new units, except work already done elsewhere;
        // a pause lets finished work be saved.
        if (controller.signal.aborted && !options?.alreadyDone)
          return Promise.reject(new AppError("CANCELLED", "The job was stopped."));
        if (settled)
          return Promise.reject(new AppError("CONFLICT", "The job has already finished; the unit was not saved."));
        if (options?.write && options.statements)
          return Promise.reject(
            new AppError("INTERNAL", "A unit's rows come either through Prisma or as SQL, not both."),
          );
        return new Promise<void>((resolve, reject) => {
          batch.push({ key, output, options, resolve, reject });
          if (!committing) schedule();
        });
      },
      progress(next) {
        label = storedProgressLabel(next);
        void update(row.id, { progressLabel: label }).catch(() => undefined);
      },
      report(value, total, next) {
        const clamped = Math.max(0, Math.min(Math.floor(value), Math.floor(total)));
        const at = Date.now();
        if (clamped < total && at - lastReport < REPORT_INTERVAL_MS) return;
        lastReport = at;
        label = storedProgressLabel(next);
        done = clamped;
        const data = { progressDone: clamped, progressTotal: Math.floor(total), progressLabel: label };
        reporting = reporting
          .then(() => update(row.id, data))
          .then(
            () => undefined,
            () => undefined,
          );
      },
      addUsage(delta, call) {
        usage.inputTokens += delta.inputTokens ?? 0;
        usage.outputTokens += delta.outputTokens ?? 0;
        usage.costUsd += delta.costUsd ?? 0;
        usage.calls += delta.calls ?? 0;
        if (call) {
          const model = {
            provider: call.provider,
            model: call.model,
            modelVersion: call.modelVersion,
            temperature: call.temperature,
            seed: call.seed,
            promptVersion: call.promptVersion ?? handler.promptVersion ?? null,
          };
          const key = modelKey(model);
          const seen = models.get(key);
          models.set(key, { ...model, calls: (seen?.calls ?? 0) + (delta.calls ?? 1) });
        }
      },
      throwIfCancelled() {
        if (controller.signal.aborted) throw new AppError("CANCELLED", "The job was stopped.");
        if (pauseRequested.has(row.id)) throw new AppError("CANCELLED", "The job was paused.", { paused: true });
      },
    };

    let status: JobStatus;
    let result: unknown = null;
    let error: WireError | null = null;
    try {
      result = await handler.run(ctx);
      status = "succeeded";
    } catch (thrown) {
      const reason = controller.signal.reason;
      if (controller.signal.aborted && reason === STOP_SHUTDOWN) {
        status = "interrupted";
      } else if (pauseRequested.has(row.id) && !controller.signal.aborted) {
        status = "interrupted";
        label = storedProgressLabel(PAUSED_LABEL);
      } else if (controller.signal.aborted && reason === STOP_CANCEL) {
        status = "cancelled";
        error = { code: "CANCELLED", message: "Cancelled; finished units were kept." };
      } else {
        status = "failed";
        error = isAppError(thrown)
          ? thrown.toWire()
          : { code: "INTERNAL", message: "The job failed unexpectedly; the log has the details." };
        if (!isAppError(thrown)) deps.logger.error("jobs.failed", { jobId: row.id, kind: row.kind, error: thrown });
      }
    }
    settled = true;
    pauseRequested.delete(row.id);
    try {
      await drain();
      await update(row.id, {
        status,
        result: status === "succeeded" ? JSON.stringify(result ?? null) : null,
        error: error ? JSON.stringify(error) : null,
        usage: JSON.stringify(usage),
        models: modelsJson(),
        progressLabel: label,
        finishedAt: status === "interrupted" ? null : deps.now(),
      });
    } catch (finalError) {
      // The job row can be gone (its project was deleted meanwhile): log, never crash the host.
      deps.logger.warn("jobs.final_update_failed", { jobId: row.id, status, error: finalError });
    } finally {
      running.delete(row.id);
      pump();
    }
  };

  return {
    register(handler) {
      if (handlers.has(handler.kind)) throw new Error(`Job kind ${handler.kind} is registered twice.`);
      handlers.set(handler.kind, handler);
    },

    async enqueue(kind, params, options) {
      const handler = handlers.get(kind);
      if (!handler) throw new AppError("VALIDATION_FAILED", `Unknown job kind ${kind}.`);
      const parsed = handler.params.safeParse(params);
      if (!parsed.success) {
        throw new AppError("VALIDATION_FAILED", "Invalid job parameters.", { issues: parsed.error.issues });
      }
      const row = await prisma.job.create({
        data: {
          id: newId(deps.now().getTime()),
          kind,
          projectId: options?.projectId ?? null,
          params: JSON.stringify(parsed.data),
          status: "queued",
        },
      });
      const job = publish(row);
      pump();
      return job;
    },

    async get(id) {
      return toJob(await load(id));
    },

    async cancel(id) {
      const row = await load(id);
      const controller = running.get(id);
      if (controller) {
        controller.abort(STOP_CANCEL);
        return toJob(row);
      }
      if (row.status === "queued" || row.status === "interrupted") {
        return update(id, {
          status: "cancelled",
          finishedAt: deps.now(),
          error: JSON.stringify({ code: "CANCELLED", message: "Cancelled; finished units were kept." }),
        });
      }
      throw new AppError("CONFLICT", `The job has already ${row.status}.`, { status: row.status });
    },

    async pause(id) {
      const row = await load(id);
      const controller = running.get(id);
      if (!controller)
        throw new AppError("CONFLICT", `Only a running job can be paused; this one is ${row.status}.`, {
          status: row.status,
        });
      pauseRequested.add(id);
      return toJob(row);
    },

    async resume(id) {
      const row = await load(id);
      if (row.status !== "interrupted" && row.status !== "failed") {
        throw new AppError("CONFLICT", `Only interrupted or failed jobs can be resumed; this one is ${row.status}.`, {
          status: row.status,
        });
      }
      const handler = handlers.get(row.kind);
      if (!handler) throw new AppError("CONFLICT", `This version cannot run ${row.kind} jobs.`);
      const requeue = async () => {
        const job = await update(id, { status: "queued", error: null, finishedAt: null });
        pump();
        return job;
      };
      return handler.resumeGuard ? handler.resumeGuard(toJob(row), requeue) : requeue();
    },

    async recover() {
      const stale = await prisma.job.findMany({ where: { status: { in: ["queued", "running"] } } });
      for (const row of stale) {
        await update(row.id, {
          status: "interrupted",
          progressLabel: storedProgressLabel(INTERRUPTED_LABEL),
        });
      }
      if (stale.length) deps.logger.warn("jobs.recovered", { interrupted: stale.length });
      return stale.length;
    },

    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        void pumping.then(settleIdle);
      });
    },

    async close() {
      closed = true;
      for (const controller of running.values()) controller.abort(STOP_SHUTDOWN);
      while (running.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await pumping;
    },
  };
}
