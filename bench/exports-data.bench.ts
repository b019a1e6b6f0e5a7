/**
 * Issue 5 benchmark, data exports: 1,000,000 survey answers (50,000 personas × 20 questions),
 * seeded with raw batched inserts into a temporary data folder.
 *
 * - CSV, long layout: the export's time against `sqlite3 -csv` writing the same rows (same columns,
 *   same order, same answer formatting, via json_each over SurveyResponse.answers joined to Persona)
 *   in the same run, median of 3 each; the two files are parsed with Python's csv module and compared
 *   row by row. Target ≤ 2×.
 * - Peak RSS of the CSV export (≤ 200 MB) and of the JSON export of the whole project (≤ 250 MB):
 *   each export runs in a child process that opens the database as the app does (Prisma + libsql),
 *   and reports `process.resourceUsage().maxRSS`, the whole process's peak including its baseline
 *   (Node, tsx, Prisma, libsql), which is reported beside it.
 * BENCH_PERSONAS=2000 runs a smaller version; BENCH_KEEP=1 keeps the data folder for a closer look.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { InValue } from "@libsql/client";
import type { QuestionInput } from "../src/shared/contract";
import type { ProduceContext } from "../src/main/services/exports/types";
import { target, withLoopLag, writeResult } from "./lib";

// Modules are imported where they are used: the child that measures an export loads only what
// the export needs (the database layer and one producer), not the whole app.
const databaseFile = (dataDir: string) => path.join(dataDir, "sight.db");

const PERSONAS = Number(process.env.BENCH_PERSONAS ?? 50_000);
const QUESTION_COUNT = 20;
const RUNS = 3;
const root = path.resolve(import.meta.dirname, "..");
const migrationsDir = path.join(root, "prisma", "migrations");
const DIMENSIONS = {
  gender: { female: 0.5, male: 0.5 },
  age_group: { "18-24": 0.15, "25-34": 0.25, "35-44": 0.25, "45-54": 0.2, "55+": 0.15 },
  income: { low: 0.3, middle: 0.4, high: 0.3 },
  location: { urban: 0.6, suburban: 0.25, rural: 0.15 },
  education: { secondary: 0.4, bachelor: 0.4, master: 0.2 },
};

interface ChildReport {
  ms: number;
  /** This process's peak resident set (VmHWM). */
  maxRssMb: number;
  /** getrusage's ru_maxrss, for comparison: on Linux it also counts the parent's RSS at fork time. */
  rusageMaxRssMb: number;
  baselineRssMb: number;
  lagP99Ms: number;
  bytes: number;
}

// ---------------------------------------------------------------------------------------------
// Child: one export, measured in its own process.

/**
 * The process's own peak RSS. getrusage's ru_maxrss (process.resourceUsage().maxRSS) is not it for
 * a child of this bench on Linux: it keeps the high-water mark from before exec, so every child of
 * this (large) process reports the same ~300 MB whatever it does; run alone (e.g. under
 * /usr/bin/time) the same export reports ru_maxrss ≈ VmHWM. VmHWM in /proc/self/status is the
 * high-water mark of the process's own address space; elsewhere fall back to maxRSS.
 */
function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function child(format: "csv" | "json", dataDir: string, projectId: string, surveyId: string, out: string) {
  const { openDatabase } = await import("../src/main/services/db/open");
  const produce =
    format === "csv"
      ? (await import("../src/main/services/exports/csv")).produceCsv
      : (await import("../src/main/services/exports/json")).produceJson;
  const db = await openDatabase(databaseFile(dataDir));
  const survey = await db.prisma.survey.findUniqueOrThrow({ where: { id: surveyId } });
  // Warm the modules the producers load lazily, so the baseline holds them too.
  await db.raw.execute("SELECT count(*) FROM Persona");
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  const ctx: ProduceContext = {
    db,
    request: {
      projectId,
      format,
      scope: format === "csv" ? "survey" : "project",
      ids: format === "csv" ? [surveyId] : [],
      options: { csvLayout: "long", bom: false, language: "en", includeTranscript: true, includePersonas: true },
    },
    studies: [{ kind: "survey", id: survey.id, name: survey.name, status: "completed", partial: false }],
    partial: false,
    plan: "enterprise",
    now: new Date(),
    appVersion: "bench",
    signal: new AbortController().signal,
    progress: () => undefined,
  };
  const started = performance.now();
  const { p99Ms } = await withLoopLag(() => produce(ctx, out));
  const ms = performance.now() - started;
  const report: ChildReport = {
    ms,
    maxRssMb: peakRssMb(),
    rusageMaxRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
    lagP99Ms: p99Ms,
    bytes: fs.statSync(out).size,
  };
  await db.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runChild(format: "csv" | "json", dataDir: string, projectId: string, surveyId: string, out: string) {
  fs.rmSync(out, { force: true });
  return new Promise<ChildReport>((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["--import", "tsx", import.meta.filename, "--child", format, dataDir, projectId, surveyId, out],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    proc.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    proc.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`${format} export child exited with ${code}`));
      resolve(JSON.parse(output.trim().split("\n").at(-1)!) as ChildReport);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Seeding

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Anna", "Łucja", "Jan", "Zofia", "Piotr", "Emma", "Oliver", "Małgorzata", "Tomasz", "Chloé", "Jürgen"];
const LAST = ["Kowalska", "Nowak", "Wiśniewski", "Smith", "O'Brien", "Żak", "Müller", "García", "Dąbrowska", "Lee"];
const CITIES = ["Kraków", "Łódź, PL", "Gdańsk", "London", "Manchester", "Poznań", "Berlin", "Wrocław", "Lyon, FR"];
const JOBS = ["Product manager", "Nurse", "Teacher", "Software engineer", "Barista", "Accountant", "Architect"];
const WORDS = "oat milk breakfast price taste health sustainability morning coffee routine family budget habit".split(
  " ",
);

function sentence(next: () => number, words: number) {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(next() * WORDS.length)]!);
  const text = out.join(" ");
  // Some commas and quotes, so the CSV quotes fields as real answers make it.
  return next() < 0.3 ? `${text}, "honestly" ${WORDS[0]}` : text;
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function weighted(next: () => number, weights: Record<string, number>): string {
  let r = next();
  for (const [category, weight] of Object.entries(weights)) {
    r -= weight;
    if (r < 0) return category;
  }
  return Object.keys(weights).at(-1)!;
}

const QUESTIONS: QuestionInput[] = Array.from({ length: QUESTION_COUNT }, (_, i): QuestionInput => {
  const n = i + 1;
  switch (i % 7) {
    case 0:
    case 4:
      return { type: "rating_scale", text: `Q${n}. How likely are you to try it?`, min: 1, max: 5 };
    case 1:
      return {
        type: "multiple_choice",
        text: `Q${n}. Which drink do you have with breakfast?`,
        options: ["Coffee", "Tea", "Juice", "Water", "Oat drink"],
      };
    case 2:
      return {
        type: "multiple_choice",
        text: `Q${n}. Which of these do you buy, if any?`,
        options: ["Oats", "Granola", "Bread", "Eggs", "Yoghurt", "Fruit"],
        maxSelections: 3,
      };
    case 3:
      return { type: "open_ended", text: `Q${n}. What would make you switch?` };
    case 5:
      return {
        type: "ranking",
        text: `Q${n}. Rank what matters most`,
        items: ["Price", "Taste", "Health", "Sustainability"],
      };
    default:
      return { type: "rating_scale", text: `Q${n}. How satisfied are you today?`, min: 0, max: 10 };
  }
});

const prismaDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

async function seed(dataDir: string) {
  const { createServices } = await import("../src/main/services/create-services");
  const { silentLogger } = await import("../src/main/services/logger");
  const { createMemorySecretStore } = await import("../src/main/services/secrets/secret-store");
  const { createMemoryPreferencesStore } = await import("../src/main/services/settings/preferences-store");
  const { routes } = await import("../src/shared/contract");
  const services = await createServices({
    dataDir,
    migrationsDir,
    host: "headless",
    version: "bench",
    logger: silentLogger,
    preferences: createMemoryPreferencesStore(),
    secrets: createMemorySecretStore(),
    plan: "enterprise",
  });
  const project = await services.projects.create({
    name: "Benchmark: breakfast",
    description: "",
    researchGoal: "",
    targetAudience: "",
    targetSampleSize: 1000,
    targetDemographics: DIMENSIONS,
  });
  const survey = await services.surveys.create(
    routes["surveys.create"].input.parse({
      projectId: project.id,
      name: "Breakfast habits, 2026",
      questions: QUESTIONS,
    }),
  );
  const questions = survey.questions;
  const next = rng(42);
  const raw = services.db.raw;
  const start = Date.UTC(2026, 10, 1);
  const ids = Array.from({ length: PERSONAS }, (_, i) => `p${String(i).padStart(7, "0")}`);

  const insert = async (table: string, columns: string[], rows: InValue[][]) => {
    const perStatement = Math.floor(30_000 / columns.length);
    const statements = [];
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const placeholders = chunk.map(() => `(${columns.map(() => "?").join(",")})`).join(",");
      statements.push({
        sql: `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${placeholders}`,
        args: chunk.flat(),
      });
    }
    // One batch is one write transaction (run in the database worker).
    await raw.batch(statements, "write");
  };

  const personaColumns = [
    "id",
    "projectId",
    "slotIndex",
    "demographics",
    "name",
    "age",
    "gender",
    "location",
    "education",
    "income",
    "occupation",
    "bigFive",
    "values",
    "interests",
    "backgroundStory",
    "communicationStyle",
    "decisionMakingStyle",
    "concerns",
    "locale",
    "model",
    "createdAt",
    "updatedAt",
  ];
  const responseColumns = ["id", "surveyId", "personaId", "answers", "runId", "createdAt"];
  const jobId = "bench-survey-run";
  await raw.execute({
    sql: `INSERT INTO "Job" ("id","kind","status","projectId","params","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?)`,
    args: [jobId, "surveys.run", "succeeded", project.id, "{}", prismaDate(start), prismaDate(start)],
  });
  const BATCH = 5000;
  for (let from = 0; from < PERSONAS; from += BATCH) {
    const personas: InValue[][] = [];
    const responses: InValue[][] = [];
    for (let i = from; i < Math.min(PERSONAS, from + BATCH); i++) {
      const demographics = Object.fromEntries(Object.entries(DIMENSIONS).map(([d, w]) => [d, weighted(next, w)]));
      const bigFive = Object.fromEntries(
        ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"].map((t) => [
          t,
          Math.round(next() * 100) / 100,
        ]),
      );
      const at = prismaDate(start + i * 1000);
      personas.push([
        ids[i]!,
        project.id,
        i,
        JSON.stringify(demographics),
        `${pick(next, FIRST)} ${pick(next, LAST)}`,
        18 + Math.floor(next() * 60),
        demographics.gender!,
        pick(next, CITIES),
        demographics.education!,
        demographics.income!,
        pick(next, JOBS),
        JSON.stringify(bigFive),
        JSON.stringify([sentence(next, 2), sentence(next, 2)]),
        JSON.stringify([sentence(next, 1), sentence(next, 2), sentence(next, 1)]),
        `${sentence(next, 40)}. ${sentence(next, 30)}.`,
        sentence(next, 8),
        sentence(next, 8),
        JSON.stringify([sentence(next, 3)]),
        "en-GB",
        "bench-model",
        at,
        at,
      ]);
      const answers: Record<string, unknown> = {};
      for (const q of questions) {
        if (q.type === "rating_scale") answers[q.id] = q.min! + Math.floor(next() * (q.max! - q.min! + 1));
        else if (q.type === "open_ended") answers[q.id] = sentence(next, 12 + Math.floor(next() * 12));
        else if (q.type === "ranking") answers[q.id] = [...q.items!].sort(() => next() - 0.5);
        else {
          const count = 1 + Math.floor(next() * (q.maxSelections ?? 1));
          answers[q.id] = [...q.options!].sort(() => next() - 0.5).slice(0, count);
        }
      }
      responses.push([`r${String(i).padStart(7, "0")}`, survey.id, ids[i]!, JSON.stringify(answers), jobId, at]);
    }
    await insert("Persona", personaColumns, personas);
    await insert("SurveyResponse", responseColumns, responses);
  }
  await raw.execute({
    sql: `UPDATE "Survey" SET "status" = 'completed', "jobId" = ?, "personaIds" = ? WHERE "id" = ?`,
    args: [jobId, JSON.stringify(ids), survey.id],
  });
  await raw.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  await services.close();
  return { projectId: project.id, surveyId: survey.id };
}

// ---------------------------------------------------------------------------------------------
// Baseline: sqlite3 -csv writing the same rows.

/**
 * The same rows from the sqlite3 shell, written as efficiently as SQL allows: questions and
 * personas (with their slot columns) are extracted once (materialised CTEs), each response's
 * answers are parsed once (json_each as the outer loop), arrays are joined like the export joins
 * them, and rows come in the export's order (respondent by persona id, then question order) from
 * the (surveyId, personaId) index, without a sort.
 */
function baselineSql(surveyId: string) {
  const slots = Object.keys(DIMENSIONS);
  return `WITH qq AS MATERIALIZED (
  SELECT q.key + 1 AS n, q.value ->> 'id' AS id, q.value ->> 'type' AS type, q.value ->> 'text' AS text,
    CASE q.value ->> 'type' WHEN 'ranking' THEN ' > ' ELSE '; ' END AS sep
  FROM Survey s, json_each(s.questions) q WHERE s.id = '${surveyId}'),
pp AS MATERIALIZED (
  SELECT p.id, p.name, p.age, p.gender, p.location, p.education, p.income, p.occupation,
    ${slots.map((d) => `p.demographics ->> '${d}' AS "slot_${d}"`).join(", ")}
  FROM Persona p WHERE p.id IN (SELECT personaId FROM SurveyResponse WHERE surveyId = '${surveyId}'))
SELECT 'true' AS synthetic, 'false' AS partial, 'completed' AS study_status, s.id AS survey_id,
  s.name AS survey_name, pp.id AS persona_id, pp.name AS persona_name, pp.age AS age, pp.gender AS gender,
  pp.location AS location, pp.education AS education, pp.income AS income, pp.occupation AS occupation,
  ${slots.map((d) => `pp."slot_${d}" AS "slot_${d}"`).join(", ")},
  strftime('%Y-%m-%dT%H:%M:%fZ', r.createdAt) AS answered_at, qq.n AS question_number,
  qq.id AS question_id, qq.type AS question_type, qq.text AS question_text,
  CASE WHEN a.type = 'array' THEN (SELECT group_concat(e.value, qq.sep) FROM json_each(a.value) e)
    ELSE a.value END AS answer
FROM SurveyResponse r JOIN Survey s ON s.id = r.surveyId LEFT JOIN pp ON pp.id = r.personaId,
  json_each(r.answers) a CROSS JOIN qq ON qq.id = a.key
WHERE r.surveyId = '${surveyId}' ORDER BY r.personaId;`;
}

function runSqlite(dataDir: string, surveyId: string, out: string): number {
  const fd = fs.openSync(out, "w");
  try {
    const started = performance.now();
    const result = spawnSync("sqlite3", ["-csv", "-header", databaseFile(dataDir), baselineSql(surveyId)], {
      stdio: ["ignore", fd, "inherit"],
    });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`sqlite3 exited with ${result.status}`);
    return ms;
  } finally {
    fs.closeSync(fd);
  }
}

const COMPARE = `
import csv, itertools, json, sys
def rows(name):
    with open(name, newline="", encoding="utf-8-sig") as f:
        yield from csv.reader(f, strict=True)
count = mismatches = rows_a = rows_b = 0
first = None
for a, b in itertools.zip_longest(rows(sys.argv[1]), rows(sys.argv[2])):
    count += 1
    rows_a += a is not None
    rows_b += b is not None
    if a != b:
        mismatches += 1
        first = first or [a, b]
json.dump({"compared": count, "mismatches": mismatches, "first": first, "rowsA": rows_a, "rowsB": rows_b}, sys.stdout)
`;

const COUNT_JSON = `
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
s = doc["surveys"][0]
json.dump({"personas": len(doc["personas"]), "responses": len(s["responses"]),
  "answers": sum(len(r["answers"]) for r in s["responses"]), "respondents": s["results"]["respondents"],
  "crosstabs": len(s["results"]["crosstabs"]), "synthetic": doc["metadata"]["synthetic"]}, sys.stdout)
`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  if (spawnSync("sqlite3", ["-version"]).error) {
    console.error("exports-data needs the sqlite3 shell as its baseline: apt-get install -y sqlite3");
    process.exit(1);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-bench-exports-"));
  try {
    let t = performance.now();
    const { projectId, surveyId } = await seed(dataDir);
    const seedMs = performance.now() - t;
    console.log(`seeded ${PERSONAS} personas × ${QUESTION_COUNT} questions in ${(seedMs / 1000).toFixed(1)} s`);
    const sqliteOut = path.join(dataDir, "sqlite3.csv");
    const csvOut = path.join(dataDir, "export.csv");
    const jsonOut = path.join(dataDir, "export.json");

    const sqliteMs: number[] = [];
    const csvRuns: ChildReport[] = [];
    // Alternate, so both see the same page cache; the first pair warms it.
    runSqlite(dataDir, surveyId, sqliteOut);
    for (let i = 0; i < RUNS; i++) {
      sqliteMs.push(runSqlite(dataDir, surveyId, sqliteOut));
      csvRuns.push(await runChild("csv", dataDir, projectId, surveyId, csvOut));
      console.log(
        `  run ${i + 1}: sqlite3 ${sqliteMs.at(-1)!.toFixed(0)} ms, export ${csvRuns.at(-1)!.ms.toFixed(0)} ms`,
      );
    }
    t = performance.now();
    const compare = JSON.parse(
      spawnSync("/usr/bin/python3", ["-c", COMPARE, csvOut, sqliteOut], { encoding: "utf8", maxBuffer: 2 ** 26 })
        .stdout,
    ) as { compared: number; mismatches: number; first: unknown; rowsA: number; rowsB: number };
    console.log(
      `compared ${compare.compared} rows with Python's csv in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    if (compare.mismatches || compare.rowsA !== compare.rowsB) {
      console.error("the CSV export and sqlite3 disagree:", JSON.stringify(compare).slice(0, 2000));
    }

    const jsonRun = await runChild("json", dataDir, projectId, surveyId, jsonOut);
    const counts = JSON.parse(
      spawnSync("/usr/bin/python3", ["-c", COUNT_JSON, jsonOut], { encoding: "utf8", maxBuffer: 2 ** 26 }).stdout,
    ) as Record<string, number | boolean>;

    const csvMs = median(csvRuns.map((r) => r.ms));
    const sqlMs = median(sqliteMs);
    const csvPeak = Math.max(...csvRuns.map((r) => r.maxRssMb));
    const answers = PERSONAS * QUESTION_COUNT;
    writeResult({
      name: "exports-data",
      metrics: {
        answers,
        csv_rows_compared: compare.compared - 1,
        csv_rows_differing_from_sqlite3: compare.mismatches,
        csv_export_ms: csvMs,
        sqlite3_csv_ms: sqlMs,
        csv_ratio_to_sqlite3: csvMs / sqlMs,
        csv_peak_rss_mb: csvPeak,
        csv_baseline_rss_mb: csvRuns[0]!.baselineRssMb,
        csv_rusage_max_rss_mb: Math.max(...csvRuns.map((r) => r.rusageMaxRssMb)),
        csv_event_loop_lag_p99_ms: Math.max(...csvRuns.map((r) => r.lagP99Ms)),
        csv_mb: csvRuns[0]!.bytes / 2 ** 20,
        json_export_ms: jsonRun.ms,
        json_peak_rss_mb: jsonRun.maxRssMb,
        json_baseline_rss_mb: jsonRun.baselineRssMb,
        json_rusage_max_rss_mb: jsonRun.rusageMaxRssMb,
        json_event_loop_lag_p99_ms: jsonRun.lagP99Ms,
        json_mb: jsonRun.bytes / 2 ** 20,
        json_answers_read_back: Number(counts.answers),
      },
      targets: {
        csv_ratio_to_sqlite3: target(csvMs / sqlMs, 2),
        csv_peak_rss_mb: target(csvPeak, 200),
        json_peak_rss_mb: target(jsonRun.maxRssMb, 250),
        csv_rows_differing_from_sqlite3: target(compare.mismatches + Math.abs(compare.rowsA - compare.rowsB), 0),
      },
      notes: [
        `${PERSONAS} personas × ${QUESTION_COUNT} questions (ratings, single and multiple choice, rankings, open text), one survey`,
        `CSV: survey scope, long layout, median of ${RUNS} runs each, alternating; baseline sqlite3 ${spawnSync("sqlite3", ["--version"], { encoding: "utf8" }).stdout.split(" ")[0]} -csv -header: json_each over SurveyResponse.answers joined to Persona and the questions (materialised), same columns, order and answer formatting`,
        "export time is the producer call inside a child process (its start-up and module loading excluded); sqlite3's time includes its process start",
        "peak RSS is the child's own high-water mark (VmHWM: Node + tsx + Prisma + libsql + the export); baseline = its RSS just before the export; *_rusage_max_rss_mb is the child's getrusage ru_maxrss, which on Linux keeps the high-water mark from before exec (this large bench process), so it is not the export's",
        `JSON: project scope (personas, survey with results, cross-tabs by ${Object.keys(DIMENSIONS).length} dimensions, responses); read back with Python: ${JSON.stringify(counts)}`,
      ],
    });
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  const [format, dataDir, projectId, surveyId, out] = process.argv.slice(3);
  await child(format as "csv" | "json", dataDir!, projectId!, surveyId!, out!);
} else {
  await main();
}
