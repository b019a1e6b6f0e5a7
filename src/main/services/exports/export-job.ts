import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  AppError,
  DEFAULT_RESPONSE_STYLE_SETTINGS,
  EXPORT_CACHE_FRESH_MS,
  EXPORT_FORMATS,
  EXPORT_SCHEMA_VERSION,
  EXPORT_SCOPES,
  exportJobResultSchema,
  exportOptionsRecordSchema,
  type ExportCreateInput,
  type ExportFormat,
  type ExportJobResult,
  type JobStatus,
  type ResponseStyleSettings,
} from "../../../shared/contract";
import type { PlanId } from "../../../shared/domain/plans";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import { newId } from "../ids";
import type { JobContext, JobHandler } from "../jobs/runner";
import type { Logger } from "../logger";
import { statusFromJob } from "../focus-groups/rows";
import { PERSONA_GENERATION_KIND } from "../billing/entitlements";
import { surveyStatusFor } from "../surveys/survey-row";
import { writeAtomically, type AtomicFs } from "./atomic-file";
import { exportFileName } from "./file-names";
import { readRevision } from "./revision";
import type { ExportRequest, ProduceContext, Producer, StudyState } from "./types";

export const EXPORT_JOB_KIND = "export.create";

/**
 * Bump a format's version whenever its output changes for the same data, so files cached by an
 * older build are not served as if they were current.
 */
export const TEMPLATE_VERSIONS: Record<ExportFormat, number> = { pdf: 1, csv: 1, json: 1 };

export const EXTENSIONS: Record<ExportFormat, string> = { pdf: "pdf", csv: "csv", json: "json" };
export const MIME_TYPES: Record<ExportFormat, string> = {
  pdf: "application/pdf",
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

const idList = z.array(z.string().min(1).max(64));
export const exportRequestSchema = z.object({
  projectId: z.string().min(1).max(64),
  format: z.enum(EXPORT_FORMATS),
  scope: z.enum(EXPORT_SCOPES),
  ids: idList,
  options: exportOptionsRecordSchema,
});
export const exportJobParams = z.object({ request: exportRequestSchema, fresh: z.boolean() });
export type ExportJobParams = z.infer<typeof exportJobParams>;

export type ExportRow = NonNullable<Awaited<ReturnType<Database["prisma"]["export"]["findUnique"]>>>;

export function normaliseRequest(input: ExportCreateInput): ExportRequest {
  const { fresh: _fresh, ...options } = input.options;
  void _fresh;
  return {
    projectId: input.projectId,
    format: input.format,
    scope: input.scope,
    ids: [...new Set(input.ids ?? [])],
    options,
  };
}

/** The options that change the file for a format (the rest are ignored by its producer). */
function relevantOptions(request: ExportRequest): Record<string, unknown> {
  const { options } = request;
  switch (request.format) {
    case "csv":
      return { bom: options.bom, ...(request.scope === "survey" ? { csvLayout: options.csvLayout } : {}) };
    case "pdf":
      return {
        language: options.language,
        includePersonas: options.includePersonas,
        ...(request.scope === "focusGroup" || request.scope === "project"
          ? { includeTranscript: options.includeTranscript }
          : {}),
      };
    case "json":
      return {};
  }
}

/**
 * Same content revision, request, template, plan (the PDF footer shows it) and response-style
 * settings (the PDF and JSON show their flags) ⇒ same key.
 */
export function cacheKey(
  request: ExportRequest,
  revision: number,
  plan: PlanId,
  studies: readonly StudyState[] = [],
  responseStyle: ResponseStyleSettings = DEFAULT_RESPONSE_STYLE_SETTINGS,
): string {
  const material = JSON.stringify({
    // Statuses live in job rows, which no revision trigger watches: a study cancelled or resumed
    // since the file was made changes its labels, so it is part of the key.
    studies: studies.map((study) => [study.kind, study.id, study.status]),
    template: TEMPLATE_VERSIONS[request.format],
    schema: EXPORT_SCHEMA_VERSION,
    projectId: request.projectId,
    format: request.format,
    scope: request.scope,
    ids: [...request.ids].sort(),
    options: relevantOptions(request),
    plan: request.format === "pdf" ? plan : null,
    responseStyle: request.format === "csv" ? null : responseStyle,
    revision,
  });
  return crypto.createHash("sha256").update(material).digest("hex");
}

const FOCUS_GROUP_PARTIAL = new Set(["paused", "interrupted", "failed", "cancelled"]);
const SURVEY_PARTIAL = new Set(["interrupted", "failed", "cancelled"]);
const ACTIVE_JOB = new Set(["queued", "running"]);

export interface Inspection {
  projectName: string;
  studies: StudyState[];
  /** The study's or project's name the export holds; empty for personas (stored on the export). */
  subject: string;
  personaCount: number | null;
}

/**
 * Checks a request against the data: every id exists in the project (NOT_FOUND), and nothing it
 * includes is being written right now (CONFLICT: a running discussion, survey or analysis would
 * make the export a moving snapshot). Paused, failed and cancelled studies are exported as they
 * are and labelled partial.
 */
export async function inspectRequest(db: Database, request: ExportRequest): Promise<Inspection> {
  const { prisma } = db;
  const project = await prisma.project.findUnique({ where: { id: request.projectId }, select: { name: true } });
  if (!project) throw new AppError("NOT_FOUND", `No project with id ${request.projectId}.`, { id: request.projectId });

  const studies: StudyState[] = [];
  const running: string[] = [];
  // A study's status is its job's status (the Survey/FocusGroup status columns only follow it).
  const jobsById = async (ids: (string | null)[]) => {
    const present = ids.filter((id): id is string => id !== null);
    if (present.length === 0) return new Map<string, { status: string; progressLabel: string }>();
    const rows = await prisma.job.findMany({
      where: { id: { in: present } },
      select: { id: true, status: true, progressLabel: true },
    });
    return new Map(rows.map((row) => [row.id, row]));
  };

  if (request.scope === "focusGroup" || request.scope === "project") {
    const groups = await prisma.focusGroup.findMany({
      where: { projectId: request.projectId, ...(request.scope === "focusGroup" ? { id: request.ids[0] } : {}) },
      select: { id: true, name: true, jobId: true, analysisJobId: true },
      orderBy: { createdAt: "asc" },
    });
    if (request.scope === "focusGroup" && groups.length === 0) {
      throw new AppError("NOT_FOUND", `No focus group with id ${request.ids[0]} in this project.`, {
        id: request.ids[0],
      });
    }
    const jobs = await jobsById(groups.flatMap((group) => [group.jobId, group.analysisJobId]));
    for (const group of groups) {
      const status = statusFromJob(group.jobId ? (jobs.get(group.jobId) ?? null) : null);
      const analysis = group.analysisJobId ? jobs.get(group.analysisJobId) : undefined;
      if (status === "running") running.push(`focus group "${group.name}" is running`);
      if (analysis && ACTIVE_JOB.has(analysis.status)) running.push(`focus group "${group.name}" is being analysed`);
      studies.push({
        kind: "focusGroup",
        id: group.id,
        name: group.name,
        status,
        partial: FOCUS_GROUP_PARTIAL.has(status),
      });
    }
  }
  if (request.scope === "survey" || request.scope === "project") {
    const surveys = await prisma.survey.findMany({
      where: { projectId: request.projectId, ...(request.scope === "survey" ? { id: request.ids[0] } : {}) },
      select: { id: true, name: true, jobId: true },
      orderBy: { createdAt: "asc" },
    });
    if (request.scope === "survey" && surveys.length === 0) {
      throw new AppError("NOT_FOUND", `No survey with id ${request.ids[0]} in this project.`, { id: request.ids[0] });
    }
    const jobs = await jobsById(surveys.map((survey) => survey.jobId));
    for (const survey of surveys) {
      const job = survey.jobId ? jobs.get(survey.jobId) : undefined;
      const status = job ? surveyStatusFor(job.status as JobStatus) : "draft";
      if (status === "running") running.push(`survey "${survey.name}" is running`);
      studies.push({
        kind: "survey",
        id: survey.id,
        name: survey.name,
        status,
        partial: SURVEY_PARTIAL.has(status),
      });
    }
  }
  if (request.scope === "personas" || request.scope === "project") {
    const generating = await prisma.job.count({
      where: { projectId: request.projectId, kind: PERSONA_GENERATION_KIND, status: { in: [...ACTIVE_JOB] } },
    });
    if (generating > 0) running.push("personas are being generated");
  }
  if (running.length) {
    throw new AppError(
      "CONFLICT",
      `Cannot export while ${running.join(" and ")}. Wait for it to finish, or pause it to export what exists (labelled partial).`,
      { running },
    );
  }

  let personaCount: number | null = null;
  if (request.scope === "personas" && request.ids.length > 0) {
    const found = await prisma.persona.findMany({
      where: { projectId: request.projectId, id: { in: request.ids } },
      select: { id: true },
    });
    if (found.length !== request.ids.length) {
      const known = new Set(found.map((row) => row.id));
      const missing = request.ids.filter((id) => !known.has(id));
      throw new AppError("NOT_FOUND", `${missing.length} of the personas are not in this project.`, { missing });
    }
    personaCount = found.length;
  } else if (request.scope === "personas") {
    personaCount = await prisma.persona.count({ where: { projectId: request.projectId } });
  }

  const subject = request.scope === "project" ? project.name : request.scope === "personas" ? "" : studies[0]!.name;
  return { projectName: project.name, studies, subject, personaCount };
}

function titleOf(request: ExportRequest, inspection: Inspection): string {
  switch (request.scope) {
    case "project":
      return inspection.projectName;
    case "focusGroup":
      return `Focus group · ${inspection.subject}`;
    case "survey":
      return `Survey · ${inspection.subject}`;
    case "personas":
      return `Personas (${inspection.personaCount})`;
  }
}

function fileParts(request: ExportRequest, inspection: Inspection): string[] {
  const parts = [inspection.projectName];
  if (request.scope === "focusGroup") parts.push(inspection.subject, request.format === "csv" ? "transcript" : "");
  else if (request.scope === "survey") {
    parts.push(inspection.subject, request.format === "csv" ? `answers ${request.options.csvLayout}` : "");
  } else if (request.scope === "personas") parts.push("personas");
  else parts.push("report");
  return parts.filter(Boolean);
}

export interface ExportJobDeps {
  db: Database;
  bus: EventBus;
  now: () => Date;
  /** The plan in force, read once per attempt so the file and its cache key agree. */
  plan: () => PlanId;
  /** The response-style settings in force, read once per attempt like the plan (defaults when absent). */
  responseStyle?: () => ResponseStyleSettings;
  version: string;
  folder: string;
  producers: Record<ExportFormat, Producer>;
  atomicFs?: AtomicFs;
  logger?: Logger;
  enforceLimit(keep: string): Promise<void>;
}

/** Attempts at a consistent file when the data changes while it is written. */
const MAX_ATTEMPTS = 3;

class DataChanged extends Error {}

export function exportJob(deps: ExportJobDeps): JobHandler<ExportJobParams> {
  const { prisma } = deps.db;

  /**
   * Writes one file and records it. Returns null when the project's content changed while the
   * file was written (the file is discarded: it could mix two states of the data).
   */
  const produce = async (
    ctx: JobContext<ExportJobParams>,
    request: ExportRequest,
    inspection: Inspection,
    revision: number,
    key: string,
    plan: PlanId,
    responseStyle: ResponseStyleSettings,
  ): Promise<string | null> => {
    const id = newId();
    const now = deps.now();
    const storedName = `${id}.${EXTENSIONS[request.format]}`;
    const produceContext: ProduceContext = {
      db: deps.db,
      request,
      studies: inspection.studies,
      partial: inspection.studies.some((study) => study.partial),
      plan,
      responseStyle,
      now,
      appVersion: deps.version,
      signal: ctx.signal,
      progress: (done, total, label) => ctx.report(done, total, label),
    };
    let recorded = false;
    try {
      await writeAtomically(
        path.join(deps.folder, storedName),
        (temp) => deps.producers[request.format](produceContext, temp),
        deps.atomicFs,
        // The row exists before the file appears under its name, so a file without a row is
        // always an orphan that can be swept; a row whose file is missing is dropped on use.
        async (temp) => {
          ctx.throwIfCancelled();
          if ((await readRevision(deps.db.raw, request.projectId)) !== revision) throw new DataChanged();
          const sizeBytes = (await fs.promises.stat(temp)).size;
          await prisma.$transaction([
            // A fresh build supersedes older files of the same request: only the newest is reused.
            prisma.export.updateMany({ where: { cacheKey: key }, data: { cacheKey: null } }),
            prisma.export.create({
              data: {
                id,
                projectId: request.projectId,
                format: request.format,
                scope: request.scope,
                ids: JSON.stringify(request.ids),
                options: JSON.stringify(request.options),
                title: titleOf(request, inspection),
                subject: inspection.subject,
                personaCount: inspection.personaCount,
                fileName: exportFileName(fileParts(request, inspection), now, EXTENSIONS[request.format]),
                storedName,
                mimeType: MIME_TYPES[request.format],
                sizeBytes,
                partial: produceContext.partial,
                cacheKey: key,
                revision,
                jobId: ctx.jobId,
                createdAt: deps.now(),
                lastAccessedAt: deps.now(),
              },
            }),
          ]);
          recorded = true;
        },
      );
    } catch (error) {
      if (recorded) await prisma.export.deleteMany({ where: { id } });
      if (error instanceof DataChanged) return null;
      throw error;
    }
    return id;
  };

  return {
    kind: EXPORT_JOB_KIND,
    params: exportJobParams,
    async run(ctx): Promise<ExportJobResult> {
      const { request, fresh } = ctx.params;
      for (let attempt = 1; ; attempt++) {
        ctx.report(0, 1, { key: "exports.checking", params: {} });
        const inspection = await inspectRequest(deps.db, request);
        const revision = await readRevision(deps.db.raw, request.projectId);
        const plan = deps.plan();
        const responseStyle = deps.responseStyle?.() ?? DEFAULT_RESPONSE_STYLE_SETTINGS;
        const key = cacheKey(request, revision, plan, inspection.studies, responseStyle);

        if (!fresh) {
          const since = new Date(deps.now().getTime() - EXPORT_CACHE_FRESH_MS);
          const hit = await prisma.export.findFirst({
            where: { cacheKey: key, createdAt: { gte: since } },
            orderBy: { createdAt: "desc" },
          });
          if (hit && fs.existsSync(path.join(deps.folder, hit.storedName))) {
            await prisma.export.update({ where: { id: hit.id }, data: { lastAccessedAt: deps.now() } });
            deps.bus.emit("db.changed", { tables: ["Export"] });
            ctx.report(1, 1, { key: "exports.reused", params: {} });
            return exportJobResultSchema.parse({ exportId: hit.id, cached: true });
          }
        }

        const id = await produce(ctx, request, inspection, revision, key, plan, responseStyle);
        if (id !== null) {
          try {
            await deps.enforceLimit(id);
          } catch (error) {
            // The export is done and durable; a failed clean-up must not fail it.
            deps.logger?.warn("exports.evict_failed", { error });
          }
          deps.bus.emit("db.changed", { tables: ["Export"] });
          return exportJobResultSchema.parse({ exportId: id, cached: false });
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new AppError(
            "CONFLICT",
            "The data kept changing while it was being exported. Try again once the project is not being edited.",
            { attempts: attempt },
          );
        }
      }
    },
  };
}
