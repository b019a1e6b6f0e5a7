import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { ExportFormat, ExportScope, ProgressLabel } from "../../src/shared/contract";
import { EXPORT_SCOPES } from "../../src/shared/contract";
import { createServices, type ServiceDeps, type Services } from "../../src/main/services/create-services";
import { silentLogger } from "../../src/main/services/logger";
import { createMemorySecretStore } from "../../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../../src/main/services/settings/preferences-store";
import type { ExportRequest, ProduceContext, Producer, StudyState } from "../../src/main/services/exports/types";
import { MIGRATIONS_DIR, tempDir } from "./services";

/** Real services on a fresh SQLite file, without the router: the producers are called directly. */
export async function startExportServices(overrides: Partial<ServiceDeps> = {}) {
  const dataDir = overrides.dataDir ?? tempDir("sight-export-test-");
  const services = await createServices({
    dataDir,
    migrationsDir: MIGRATIONS_DIR,
    host: "headless",
    version: "0.0.0-test",
    logger: silentLogger,
    preferences: createMemoryPreferencesStore(),
    secrets: createMemorySecretStore(),
    plan: "enterprise",
    ...overrides,
  });
  return {
    services,
    dataDir,
    async close() {
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const PARTIAL = new Set(["paused", "interrupted", "failed", "cancelled"]);

/** The studies a request includes, with their status as the services report it. */
export async function studiesOf(services: Services, projectId: string, scope: ExportScope, ids: string[]) {
  const studies: StudyState[] = [];
  if (scope === "project" || scope === "focusGroup") {
    const groups =
      scope === "project"
        ? (await services.focusGroups.list({ projectId, limit: 100 })).items.reverse()
        : [await services.focusGroups.get(ids[0]!)];
    for (const g of groups)
      studies.push({ kind: "focusGroup", id: g.id, name: g.name, status: g.status, partial: PARTIAL.has(g.status) });
  }
  if (scope === "project" || scope === "survey") {
    const surveys =
      scope === "project"
        ? (await services.surveys.list({ projectId, limit: 100 })).items.reverse()
        : [await services.surveys.get(ids[0]!)];
    for (const s of surveys)
      studies.push({ kind: "survey", id: s.id, name: s.name, status: s.status, partial: PARTIAL.has(s.status) });
  }
  return studies;
}

export interface ProducerRun {
  file: string;
  bytes: Buffer;
  text: string;
  progress: { done: number; total: number; label: ProgressLabel }[];
}

export interface ProduceOptions {
  format?: ExportFormat;
  ids?: string[];
  csvLayout?: "long" | "wide";
  bom?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, label: ProgressLabel) => void;
  studies?: StudyState[];
  now?: Date;
}

/** A ProduceContext as the export core builds it. */
export async function produceContext(
  services: Services,
  projectId: string,
  scope: ExportScope,
  options: ProduceOptions = {},
): Promise<{ ctx: ProduceContext; progress: ProducerRun["progress"] }> {
  if (!EXPORT_SCOPES.includes(scope)) throw new Error(`unknown scope ${scope}`);
  const ids = options.ids ?? [];
  const request: ExportRequest = {
    projectId,
    format: options.format ?? "csv",
    scope,
    ids,
    options: {
      csvLayout: options.csvLayout ?? "long",
      bom: options.bom ?? false,
      language: "en",
      includeTranscript: true,
      includePersonas: true,
    },
  };
  const studies = options.studies ?? (await studiesOf(services, projectId, scope, ids));
  const progress: ProducerRun["progress"] = [];
  const ctx: ProduceContext = {
    db: services.db,
    request,
    studies,
    partial: studies.some((s) => s.partial),
    plan: services.plan(),
    now: options.now ?? new Date("2026-11-26T12:00:00.000Z"),
    appVersion: "0.0.0-test",
    signal: options.signal ?? new AbortController().signal,
    progress(done, total, label) {
      progress.push({ done, total, label });
      options.onProgress?.(done, total, label);
    },
  };
  return { ctx, progress };
}

/** Runs a producer into a fresh temporary path and reads the file back. */
export async function runProducer(
  producer: Producer,
  services: Services,
  projectId: string,
  scope: ExportScope,
  options: ProduceOptions = {},
): Promise<ProducerRun> {
  const { ctx, progress } = await produceContext(services, projectId, scope, options);
  const dir = tempDir("sight-export-out-");
  const file = path.join(dir, `export.${ctx.request.format}.tmp`);
  await producer(ctx, file);
  const bytes = fs.readFileSync(file);
  return { file, bytes, text: bytes.toString("utf8"), progress };
}

function python(script: string, args: string[]): string {
  return execFileSync("/usr/bin/python3", ["-c", script, ...args], { encoding: "utf8", maxBuffer: 512 * 2 ** 20 });
}

const PARSE_CSV = `
import csv, io, json, sys
raw = open(sys.argv[1], "rb").read()
bom = raw.startswith(b"\\xef\\xbb\\xbf")
text = raw.decode("utf-8-sig")
rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
json.dump({"bom": bom, "rows": rows}, sys.stdout, ensure_ascii=False)
`;

/** Parses a CSV file with Python's csv module (strict, excel dialect): the independent reader. */
export function parseCsvWithPython(file: string): { bom: boolean; header: string[]; rows: string[][] } {
  const { bom, rows } = JSON.parse(python(PARSE_CSV, [file])) as { bom: boolean; rows: string[][] };
  return { bom, header: rows[0] ?? [], rows: rows.slice(1) };
}

const VALIDATE_JSON = `
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
result = []
for name in sys.argv[2:]:
    document = json.load(open(name, encoding="utf-8"))
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    result.append([{"path": list(e.absolute_path), "message": e.message[:300]} for e in errors])
json.dump(result, sys.stdout)
`;

export interface SchemaError {
  path: (string | number)[];
  message: string;
}

/**
 * Validates JSON files against a JSON Schema file with python3-jsonschema's Draft202012Validator
 * (the independent validator), in one interpreter; one list of errors per file.
 */
export function validateManyWithPython(schemaFile: string, documentFiles: string[]): SchemaError[][] {
  return JSON.parse(python(VALIDATE_JSON, [schemaFile, ...documentFiles])) as SchemaError[][];
}

export function validateWithPython(schemaFile: string, documentFile: string): SchemaError[] {
  return validateManyWithPython(schemaFile, [documentFile])[0]!;
}
