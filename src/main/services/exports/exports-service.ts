import fs from "node:fs";
import path from "node:path";
import {
  AppError,
  EXPORT_CACHE_FRESH_MS,
  type ExportCreateInput,
  type ExportFormat,
  type ExportRecord,
  type RouteOutput,
  type RouteParsedInput,
} from "../../../shared/contract";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import type { JobRunner } from "../jobs/runner";
import type { Logger } from "../logger";
import { newestFirst } from "../projects/cursor";
import type { SecretStore } from "../secrets/secret-store";
import { createExclusive } from "../jobs/exclusive";
import { copyAtomically, isTemporaryName, type AtomicFs } from "./atomic-file";
import { createExportCacheSettings, type ExportCacheSettings } from "./cache-settings";
import { EXPORT_JOB_KIND, exportJobParams, inspectRequest, normaliseRequest, type ExportRow } from "./export-job";
import { assertShareLifetime, createShareLinks, type ShareLinks } from "./share-links";

export const EXPORTS_FOLDER = "exports";

export interface ExportsDeps {
  db: Database;
  bus: EventBus;
  jobs: JobRunner;
  logger: Logger;
  secrets: SecretStore;
  dataDir: string;
  now: () => Date;
  atomicFs?: AtomicFs;
  /** Desktop: the native save dialog; resolves to the chosen path, or null when cancelled. */
  chooseSavePath?: (defaultName: string, format: ExportFormat) => Promise<string | null>;
  /** Desktop: reveal a file in the system file manager. */
  showItemInFolder?: (file: string) => void;
}

export interface DownloadFile {
  file: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
}

export interface ExportsService {
  readonly folder: string;
  readonly shareLinks: ShareLinks;
  readonly cacheSettings: ExportCacheSettings;
  create(input: ExportCreateInput): Promise<{ jobId: string }>;
  list(input: RouteParsedInput<"exports.list">): Promise<RouteOutput<"exports.list">>;
  get(id: string): Promise<ExportRecord>;
  remove(id: string): Promise<{ ok: true }>;
  share(id: string, expiresInHours: number): Promise<{ url: string; expiresAt: string }>;
  /** A new signing key: every link given out so far stops working. */
  revokeShareLinks(): Promise<{ revokedAt: string }>;
  saveAs(id: string): Promise<{ saved: boolean; path: string | null }>;
  showInFolder(id: string): Promise<{ shown: boolean }>;
  cache(): Promise<RouteOutput<"exports.cache">>;
  updateCache(limitMb: number): Promise<RouteOutput<"exports.cache">>;
  /** The file behind an export for an HTTP download; counts as a use for the LRU cache. */
  openDownload(id: string): Promise<DownloadFile>;
  /** A share link's download: verified signature and expiry, then the file. */
  openShared(id: string, query: Record<string, unknown>, method: string): Promise<DownloadFile>;
  /** Where share links point (the headless host's public address); unset in the desktop app. */
  setShareBaseUrl(url: string | null): void;
  /** Deletes least recently used files until the cache fits its limit, and files no row knows. */
  enforceLimit(keep?: string): Promise<void>;
  /** Drops rows whose file is gone and files whose row is gone (startup, project deletion). */
  sweep(): Promise<{ ghosts: number; orphans: number }>;
}

export function toExportRecord(row: ExportRow, projectName: string): ExportRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    projectName,
    format: row.format as ExportRecord["format"],
    scope: row.scope as ExportRecord["scope"],
    ids: JSON.parse(row.ids) as string[],
    options: JSON.parse(row.options) as ExportRecord["options"],
    title: row.title,
    subject: row.subject,
    personaCount: row.personaCount,
    fileName: row.fileName,
    mimeType: row.mimeType,
    sizeBytes: row.sizeBytes,
    partial: row.partial,
    createdAt: row.createdAt.toISOString(),
    lastAccessedAt: row.lastAccessedAt.toISOString(),
    freshUntil: new Date(row.createdAt.getTime() + EXPORT_CACHE_FRESH_MS).toISOString(),
    savedPath: row.savedPath,
  };
}

const LIST_SORT = "createdAt";

export function createExportsService(deps: ExportsDeps): ExportsService {
  const { prisma } = deps.db;
  const folder = path.join(deps.dataDir, EXPORTS_FOLDER);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const shareLinks = createShareLinks(deps.secrets, deps.now);
  const lock = createExclusive();
  const cacheSettings = createExportCacheSettings(path.join(deps.dataDir, "exports-settings.json"));
  let shareBaseUrl: string | null = null;

  const load = async (id: string) => {
    const row = await prisma.export.findUnique({ where: { id }, include: { project: { select: { name: true } } } });
    if (!row) throw new AppError("NOT_FOUND", `No export with id ${id}.`, { id });
    return row;
  };

  const fileOf = (row: { storedName: string }) => path.join(folder, row.storedName);

  const existingFile = async (row: ExportRow) => {
    const file = fileOf(row);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
      // The file went missing (deleted by hand, disk cleaned): the row is no use any more.
      await prisma.export.deleteMany({ where: { id: row.id } });
      deps.bus.emit("db.changed", { tables: ["Export"] });
      throw new AppError("NOT_FOUND", "The export's file is no longer on disk; export it again.", { id: row.id });
    }
    if (!stat.isFile()) throw new AppError("INTERNAL", "The export's file is not a regular file.", { id: row.id });
    return file;
  };

  const cacheInfo = async () => {
    const totals = await prisma.export.aggregate({ _sum: { sizeBytes: true }, _count: { _all: true } });
    return {
      limitMb: cacheSettings.read().limitMb,
      usedBytes: totals._sum.sizeBytes ?? 0,
      files: totals._count._all,
    };
  };

  /** Rows of exports whose job is still writing them (between the row insert and the rename). */
  const inFlight = async () => {
    const jobs = await prisma.job.findMany({
      where: { kind: EXPORT_JOB_KIND, status: { in: ["queued", "running"] } },
      select: { id: true },
    });
    return jobs.map((job) => job.id);
  };

  /** Deletes files no row knows (rows cascaded away with their project, a crash before the row). */
  const sweepOrphans = async () => {
    // The folder is listed before the rows are read: a file in the listing was renamed into
    // place after its row was inserted, so the rows read next know it.
    const names = await fs.promises.readdir(folder);
    const known = new Set((await prisma.export.findMany({ select: { storedName: true } })).map((r) => r.storedName));
    let removed = 0;
    for (const name of names) {
      if (known.has(name) || isTemporaryName(name)) continue;
      await fs.promises.rm(path.join(folder, name), { force: true, recursive: true });
      removed++;
    }
    return removed;
  };

  const enforceLimit = (keep?: string) =>
    lock.run("files", async () => {
      const limit = cacheSettings.read().limitMb * 1024 * 1024;
      let used = (await prisma.export.aggregate({ _sum: { sizeBytes: true } }))._sum.sizeBytes ?? 0;
      const spare = await inFlight();
      let removed = 0;
      while (used > limit) {
        const victim = await prisma.export.findFirst({
          where: {
            ...(keep ? { id: { not: keep } } : {}),
            OR: [{ jobId: null }, { jobId: { notIn: spare } }],
          },
          orderBy: [{ lastAccessedAt: "asc" }, { id: "asc" }],
        });
        if (!victim) break;
        // File first: a row without its file heals on use; a file without its row is swept.
        await fs.promises.rm(fileOf(victim), { force: true });
        await prisma.export.delete({ where: { id: victim.id } });
        used -= victim.sizeBytes;
        removed++;
      }
      removed += await sweepOrphans();
      if (removed) {
        deps.logger.info("exports.evicted", { removed });
        deps.bus.emit("db.changed", { tables: ["Export"] });
      }
    });

  /** Startup and project deletion: rows whose file is gone, files whose row is gone. */
  const sweep = () =>
    lock.run("files", async () => {
      const rows = await prisma.export.findMany({ select: { id: true, storedName: true, jobId: true } });
      const spare = new Set(await inFlight());
      const ghosts = rows.filter((row) => !(row.jobId && spare.has(row.jobId)) && !fs.existsSync(fileOf(row)));
      if (ghosts.length) await prisma.export.deleteMany({ where: { id: { in: ghosts.map((row) => row.id) } } });
      const orphans = await sweepOrphans();
      if (ghosts.length || orphans) deps.bus.emit("db.changed", { tables: ["Export"] });
      return { ghosts: ghosts.length, orphans };
    });

  // A deleted project takes its export rows with it (cascade); its files follow here.
  let sweepQueued = false;
  deps.bus.on("db.changed", ({ tables }) => {
    if (!tables.includes("Project") || sweepQueued) return;
    sweepQueued = true;
    setTimeout(() => {
      sweepQueued = false;
      sweep().catch((error) => deps.logger.warn("exports.sweep_failed", { error }));
    }, 50).unref();
  });

  const touch = (id: string) => prisma.export.update({ where: { id }, data: { lastAccessedAt: deps.now() } });

  const download = async (id: string): Promise<DownloadFile> => {
    const row = await load(id);
    const file = await existingFile(row);
    await touch(id);
    return { file, fileName: row.fileName, mimeType: row.mimeType, sizeBytes: row.sizeBytes };
  };

  return {
    folder,
    shareLinks,
    cacheSettings,

    async create(input) {
      const request = normaliseRequest(input);
      await inspectRequest(deps.db, request);
      const job = await deps.jobs.enqueue(
        EXPORT_JOB_KIND,
        exportJobParams.parse({ request, fresh: input.options.fresh }),
        { projectId: request.projectId },
      );
      return { jobId: job.id };
    },

    async list(input) {
      const where = input.projectId ? { projectId: input.projectId } : {};
      const list = newestFirst(input.cursor, LIST_SORT);
      const [rows, total] = await Promise.all([
        prisma.export.findMany({
          where: { ...where, ...list.where },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: input.limit + 1,
          include: { project: { select: { name: true } } },
        }),
        prisma.export.count({ where }),
      ]);
      const { page, nextCursor } = list.page(rows, input.limit);
      return {
        items: page.map((row) => toExportRecord(row, row.project.name)),
        nextCursor,
        total,
      };
    },

    async get(id) {
      const row = await load(id);
      return toExportRecord(row, row.project.name);
    },

    async remove(id) {
      const row = await load(id);
      await prisma.export.delete({ where: { id } });
      await fs.promises.rm(fileOf(row), { force: true });
      deps.bus.emit("db.changed", { tables: ["Export"] });
      return { ok: true };
    },

    async share(id, expiresInHours) {
      assertShareLifetime(expiresInHours);
      const row = await load(id);
      await existingFile(row);
      if (!shareBaseUrl) {
        throw new AppError(
          "CONFLICT",
          "Share links are served by Sight's web host (npm run web) at an address teammates can reach; start it with --public-url (or bound to a named interface) to share. In the desktop app, save the file and send it instead.",
        );
      }
      const expiresAt = new Date(deps.now().getTime() + expiresInHours * 3600 * 1000);
      const link = await shareLinks.sign(id, expiresAt);
      return { url: `${shareBaseUrl}${link.path}?${link.query}`, expiresAt: expiresAt.toISOString() };
    },

    async revokeShareLinks() {
      await shareLinks.rotate();
      const revokedAt = deps.now().toISOString();
      deps.logger.info("exports.share_links_revoked", { revokedAt });
      return { revokedAt };
    },

    async saveAs(id) {
      if (!deps.chooseSavePath) {
        throw new AppError("CONFLICT", "Saving with a dialog needs the desktop app; download the file instead.");
      }
      const row = await load(id);
      const source = await existingFile(row);
      const target = await deps.chooseSavePath(row.fileName, row.format as ExportFormat);
      if (!target) return { saved: false, path: null };
      if (!path.isAbsolute(target)) throw new AppError("VALIDATION_FAILED", "The save path must be absolute.");
      // The cache folder is Sight's own: a copy saved there would be swept as an unknown file.
      const parent = await fs.promises.realpath(path.dirname(target)).catch(() => path.dirname(target));
      if (parent === (await fs.promises.realpath(folder))) {
        throw new AppError("VALIDATION_FAILED", "Choose another folder: this one is Sight's export cache.", {
          path: target,
        });
      }
      await copyAtomically(source, target, deps.atomicFs);
      await prisma.export.update({ where: { id }, data: { savedPath: target, lastAccessedAt: deps.now() } });
      deps.bus.emit("db.changed", { tables: ["Export"] });
      return { saved: true, path: target };
    },

    async showInFolder(id) {
      const row = await load(id);
      if (!deps.showItemInFolder || !row.savedPath) return { shown: false };
      if (!fs.existsSync(row.savedPath)) return { shown: false };
      deps.showItemInFolder(row.savedPath);
      return { shown: true };
    },

    cache: cacheInfo,

    async updateCache(limitMb) {
      cacheSettings.write({ limitMb });
      await enforceLimit();
      return cacheInfo();
    },

    openDownload: download,

    async openShared(id, query, method) {
      const verdict = await shareLinks.verify(id, query, method);
      if (!verdict.ok) throw new AppError("FORBIDDEN", verdict.reason);
      return download(id);
    },

    setShareBaseUrl(url) {
      shareBaseUrl = url ? url.replace(/\/+$/, "") : null;
    },

    enforceLimit,
    sweep,
  };
}

/** Removes temporary files left by a crash mid-export (run at startup, before any job runs). */
export async function sweepTemporary(folder: string): Promise<number> {
  let removed = 0;
  for (const name of await fs.promises.readdir(folder).catch(() => [] as string[])) {
    if (isTemporaryName(name)) {
      await fs.promises.rm(path.join(folder, name), { force: true });
      removed++;
    }
  }
  return removed;
}
