import { z } from "zod";
import { route } from "./define";
import { idSchema, intParam, isoDateSchema, okSchema, pageOf } from "./common";
import { LANGUAGES } from "./settings";

export const EXPORT_FORMATS = ["pdf", "csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_SCOPES = ["project", "focusGroup", "survey", "personas"] as const;
export type ExportScope = (typeof EXPORT_SCOPES)[number];
export const CSV_LAYOUTS = ["long", "wide"] as const;

/** Version of the JSON export's shape (`metadata.schemaVersion`); bump on any breaking change. */
export const EXPORT_SCHEMA_VERSION = 1;
/** The label every export carries: its respondents are AI personas. */
export const SYNTHETIC_DATA_LABEL =
  "Synthetic data: every respondent in this export is an AI-generated persona, not a real person.";

/** Which scopes each format can hold. A project does not fit one CSV table. */
export const SCOPES_BY_FORMAT: Record<ExportFormat, readonly ExportScope[]> = {
  pdf: ["project", "focusGroup", "survey", "personas"],
  csv: ["focusGroup", "survey", "personas"],
  json: ["project", "focusGroup", "survey", "personas"],
};

/** Share links live 24 hours unless asked otherwise, and never longer than 7 days. */
export const SHARE_DEFAULT_HOURS = 24;
export const SHARE_MAX_HOURS = 7 * 24;
/** An identical request reuses the stored file for this long. */
export const EXPORT_CACHE_FRESH_MS = 60 * 60 * 1000;
export const EXPORT_CACHE_DEFAULT_MB = 500;

export const exportOptionsSchema = z
  .strictObject({
    /** CSV of a survey: one row per persona and question (long) or one row per persona (wide). */
    csvLayout: z.enum(CSV_LAYOUTS).default("long"),
    /** CSV: start with a UTF-8 byte-order mark so Excel detects the encoding. */
    bom: z.boolean().default(false),
    /** PDF: the report's language. */
    language: z.enum(LANGUAGES).default("en"),
    /** PDF of a focus group or project: include the per-question transcript. */
    includeTranscript: z.boolean().default(true),
    /** PDF: append the persona appendix. */
    includePersonas: z.boolean().default(true),
    /** Build the file again even when an identical one is cached. */
    fresh: z.boolean().default(false),
  })
  .prefault({});
export type ExportOptions = z.output<typeof exportOptionsSchema>;

export const exportCreateInputSchema = z
  .strictObject({
    projectId: idSchema,
    format: z.enum(EXPORT_FORMATS),
    scope: z.enum(EXPORT_SCOPES),
    /** focusGroup and survey: exactly one study id. personas: a subset (all when absent). project: none. */
    ids: z.array(idSchema).min(1).max(10_000).optional(),
    options: exportOptionsSchema,
  })
  .superRefine((input, ctx) => {
    if (!SCOPES_BY_FORMAT[input.format].includes(input.scope)) {
      ctx.addIssue({
        code: "custom",
        path: ["scope"],
        message: `a ${input.format.toUpperCase()} export cannot hold scope "${input.scope}"; use ${SCOPES_BY_FORMAT[
          input.format
        ].join(", ")}`,
      });
    }
    if ((input.scope === "focusGroup" || input.scope === "survey") && input.ids?.length !== 1) {
      ctx.addIssue({ code: "custom", path: ["ids"], message: `scope "${input.scope}" takes exactly one id` });
    }
    if (input.scope === "project" && input.ids !== undefined) {
      ctx.addIssue({ code: "custom", path: ["ids"], message: 'scope "project" takes no ids' });
    }
  });
export type ExportCreateInput = z.output<typeof exportCreateInputSchema>;

/** The options an export was made with (defaults applied; `fresh` is a request flag, not kept). */
export const exportOptionsRecordSchema = z.object({
  csvLayout: z.enum(CSV_LAYOUTS),
  bom: z.boolean(),
  language: z.enum(LANGUAGES),
  includeTranscript: z.boolean(),
  includePersonas: z.boolean(),
});

/** A finished export file, kept in the export cache until evicted or deleted. */
export const exportSchema = z.object({
  id: idSchema,
  projectId: idSchema,
  projectName: z.string(),
  format: z.enum(EXPORT_FORMATS),
  scope: z.enum(EXPORT_SCOPES),
  ids: z.array(z.string()),
  options: exportOptionsRecordSchema,
  /** What it holds, e.g. "Survey · Breakfast habits" (English; UIs build their own from scope and subject). */
  title: z.string(),
  /** The study's or project's name; empty for a personas export. */
  subject: z.string(),
  /** A personas export: how many personas it holds. */
  personaCount: z.number().int().nullable(),
  /** Suggested file name: no path separators, no reserved names. */
  fileName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Some of the data came from a study that had not finished (paused, failed, cancelled). */
  partial: z.boolean(),
  createdAt: isoDateSchema,
  lastAccessedAt: isoDateSchema,
  /** An identical request reuses this file until then (unless the data changes first). */
  freshUntil: isoDateSchema,
  /** Desktop: where it was last saved with the save dialog. */
  savedPath: z.string().nullable(),
});
export type ExportRecord = z.infer<typeof exportSchema>;

/** The finished export job's `result`. */
export const exportJobResultSchema = z.object({ exportId: idSchema, cached: z.boolean() });
export type ExportJobResult = z.infer<typeof exportJobResultSchema>;

export const exportCacheSchema = z.object({
  limitMb: z.number().int(),
  usedBytes: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
});

const exportId = z.strictObject({ id: idSchema });

export const exportRoutes = {
  "exports.create": route({
    summary:
      "Export a project, study or personas as PDF, CSV or JSON. Runs as a job; its result holds { exportId, cached }.",
    input: exportCreateInputSchema,
    output: z.object({ jobId: idSchema }),
    rest: { method: "POST", path: "/projects/{projectId}/export", status: 202 },
  }),
  "exports.list": route({
    summary: "Recent exports, newest first, with size and date.",
    input: z.strictObject({
      projectId: idSchema.optional(),
      limit: intParam(1, 100).default(20),
      cursor: z.string().max(200).optional(),
    }),
    output: pageOf(exportSchema),
    rest: { method: "GET", path: "/exports" },
  }),
  "exports.get": route({
    summary: "One export.",
    input: exportId,
    output: exportSchema,
    rest: { method: "GET", path: "/exports/{id}" },
  }),
  "exports.delete": route({
    summary: "Delete an export and its file.",
    input: exportId,
    output: okSchema,
    rest: { method: "DELETE", path: "/exports/{id}" },
  }),
  "exports.share": route({
    summary:
      "A signed download link for a teammate, served by the headless host; 24 hours unless asked, at most 7 days.",
    input: z.strictObject({
      id: idSchema,
      expiresInHours: intParam(1, SHARE_MAX_HOURS).default(SHARE_DEFAULT_HOURS),
    }),
    output: z.object({ url: z.string().url(), expiresAt: isoDateSchema }),
    rest: { method: "POST", path: "/exports/{id}/share" },
  }),
  "exports.revokeShareLinks": route({
    summary: "Revoke every share link given out so far (a new signing key); links made afterwards work.",
    input: z.strictObject({}),
    output: z.object({ revokedAt: isoDateSchema }),
    rest: { method: "POST", path: "/exports-share-links/revoke" },
  }),
  "exports.saveAs": route({
    summary: "Desktop: save the export with the native save dialog (written atomically).",
    input: exportId,
    output: z.object({ saved: z.boolean(), path: z.string().nullable() }),
    rest: { method: "POST", path: "/exports/{id}/save-as" },
    desktopOnly: true,
  }),
  "exports.showInFolder": route({
    summary: "Desktop: reveal the saved file in the system file manager.",
    input: exportId,
    output: z.object({ shown: z.boolean() }),
    rest: { method: "POST", path: "/exports/{id}/show-in-folder" },
    desktopOnly: true,
  }),
  "exports.cache": route({
    summary: "The export cache: size limit and what it holds.",
    input: z.strictObject({}),
    output: exportCacheSchema,
    rest: { method: "GET", path: "/exports-cache" },
  }),
  "exports.updateCache": route({
    summary: "Change the export cache's size limit; the least recently used files go first when it is exceeded.",
    input: z.strictObject({ limitMb: z.number().int().min(50).max(100_000) }),
    output: exportCacheSchema,
    rest: { method: "PATCH", path: "/exports-cache" },
  }),
};

/** HTTP-only endpoints (binary bodies) that the headless host serves beside the routes. */
export const EXPORT_DOWNLOAD_PATH = "/api/v1/exports/{id}/download";
export const SHARED_DOWNLOAD_PATH = "/api/v1/shared/exports/{id}";
export const EXPORT_JSON_SCHEMA_PATH = "/api/v1/schemas/export.json";
