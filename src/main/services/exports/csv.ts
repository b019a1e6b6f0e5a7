/**
 * CSV producer (issue 5): survey answers (long or wide), a focus group's transcript, personas.
 *
 * Format
 * - UTF-8, with a byte-order mark only when `options.bom` (Excel on Windows needs it to detect UTF-8).
 * - RFC 4180: CRLF after every record including the last, a header record first, fields quoted when
 *   they hold a comma, a double quote (doubled inside), CR or LF, or a leading/trailing space.
 *   Every cell goes through papaparse's `unparse` (a few rows per call; in the long layout a
 *   respondent's columns, a question's columns and each distinct closed answer are encoded once and
 *   repeated on their rows). The file is streamed in chunks of CHUNK_CHARS with backpressure.
 * - No comment lines, no preamble, no trailer: every line is a record, so any CSV reader loads it.
 *
 * Labels
 * - Synthetic data: the first column, `synthetic`, is `true` on every row of every CSV. The respondents
 *   are AI personas; a row copied into another sheet keeps saying so.
 * - Partial studies: survey and transcript CSVs always carry `partial` (true/false) and `study_status`
 *   (completed, paused, interrupted, failed, cancelled, …) on every row, so the columns are the same
 *   whatever the state, and a study exported before it finished says so on each row.
 *
 * Spreadsheet formulas (CSV injection, OWASP): a text cell whose first character is `=`, `+`, `-`, `@`,
 * tab or carriage return (and, beyond OWASP's list, line feed or NUL) gets a single quote in front and is
 * quoted, so "=SUM(A1)" is written as "'=SUM(A1)" and a spreadsheet shows it as text. Numbers (ages,
 * ratings, ranks, sentiment such as -0.5) are written as numbers and never altered. papaparse's own
 * `escapeFormulae: true` uses /^[=+\-@\t\r].*$/, which (no `s` flag) does not match a cell that starts
 * with "=" and contains a line break later ("=HYPERLINK(…)\nx"), nor one that starts with CR LF; we pass
 * FORMULA_START instead, which tests the first character only. papaparse skips number and boolean values.
 *
 * Columns
 * - Persona columns, wherever a persona is involved: persona_id, persona_name, age, gender, location,
 *   education, income, occupation, then one `slot_<dimension>` column per dimension of the project's
 *   target (the quota slot the persona fills), plus any other dimension some persona of the project
 *   has (e.g. after the target was edited), so every export of a project has the same columns.
 * - survey, long: one row per persona × question: … answered_at, question_number, question_id,
 *   question_type, question_text, answer. Multiple choice: the options chosen joined with "; "; ranking:
 *   the full order "A > B > C"; rating: the number; open-ended: the text verbatim; skipped: empty.
 * - survey, wide: one row per persona: … answered_at, then one column per question headed
 *   "<id>: <text>", except ranking questions, which get one numeric column per item headed
 *   "<id>: <text> [<item>]" holding that item's rank (1 = first), ready for averages and pivots.
 * - focusGroup: one row per message in speaking order: sequence, question_number, question_text,
 *   round, phase, speaker_type, speaker_name, suggested_by (the co-moderator who suggested a probe
 *   in a live session, on the moderator's line that asked it; empty otherwise), the persona columns
 *   (empty for the moderator), reply_to_sequence, reply_to_speaker, text, sentiment (-1..1, empty
 *   when not scored), created_at.
 * - personas: the persona columns, the Big Five (0..1), values, interests and concerns joined with
 *   "; ", background_story, communication_style, decision_making_style, locale, model, created_at,
 *   updated_at. `ids` empty = every persona of the project.
 * Times are ISO 8601 in UTC. Rows are read from SQLite in keyset pages with the raw client.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setImmediate as breathe } from "node:timers/promises";
import type { InValue, Row } from "@libsql/client";
import Papa from "papaparse";
import { AppError, BIG_FIVE_TRAITS, type JobStatus, type ProgressLabel, type Question } from "../../../shared/contract";
import { statusFromJob } from "../focus-groups/rows";
import { questionsOf, surveyStatusFor } from "../surveys/survey-row";
import type { ProduceContext, Producer, StudyState } from "./types";

/** First character that makes a spreadsheet read a text cell as a formula (OWASP, plus LF and NUL). */
export const FORMULA_START = /^[=+\-@\t\r\n\0]/;
const CRLF = "\r\n";
const PAPA_CONFIG: Papa.UnparseConfig = { header: false, newline: CRLF, quotes: false, escapeFormulae: FORMULA_START };
const BOM = "\uFEFF";
/** Rows per query; small enough to keep each slice of work well under 50 ms. */
const ROWS_PER_PAGE = 2000;
/**
 * Characters per written chunk. Kept well below V8's large-object size (128 KiB; two bytes per
 * character once a chunk holds any non-Latin-1 text): large strings bypass the young generation
 * and are only freed by full collections, so bigger chunks let the heap balloon on large exports.
 */
export const CHUNK_CHARS = 16 * 1024;
/** Rows per papaparse call when a page is encoded. */
const ROWS_PER_UNPARSE = 16;
const PROGRESS_EVERY_MS = 200;
/** Encoded closed answers kept per export, all questions together (a choice, a rating, a ranking order). */
const ANSWER_CACHE_SIZE = 20_000;

type Cell = string | number | boolean | null;

/** One batch of records, encoded: every record ends with CRLF. */
export function encodeRows(rows: Cell[][]): string {
  return rows.length ? Papa.unparse(rows, PAPA_CONFIG) + CRLF : "";
}

/** Collects encoded text and hands it out in chunks of about CHUNK_CHARS. */
export class Chunker {
  #parts: string[] = [];
  #size = 0;
  /** Adds text; returns a chunk to write once enough has gathered. */
  add(text: string): string | null {
    this.#parts.push(text);
    this.#size += text.length;
    return this.#size >= CHUNK_CHARS ? this.flush() : null;
  }
  /** Whatever is left (may be ""). */
  flush(): string {
    const chunk = this.#parts.join("");
    this.#parts = [];
    this.#size = 0;
    return chunk;
  }
}

/** A page of rows, encoded a few rows per papaparse call, in chunks of about CHUNK_CHARS. */
function* encodedChunks(rows: Cell[][], chunker: Chunker): Generator<string> {
  for (let i = 0; i < rows.length; i += ROWS_PER_UNPARSE) {
    const chunk = chunker.add(encodeRows(rows.slice(i, i + ROWS_PER_UNPARSE)));
    if (chunk) yield chunk;
  }
}

/** Cells encoded and joined with commas, without the record's CRLF (a part of a record). */
function encodeLine(cells: Cell[]): string {
  return Papa.unparse([cells], PAPA_CONFIG);
}

export const produceCsv: Producer = async (ctx, target) => {
  const { scope } = ctx.request;
  let records: AsyncGenerator<string>;
  if (scope === "survey") records = surveyCsv(ctx, onlyId(ctx));
  else if (scope === "focusGroup") records = transcriptCsv(ctx, onlyId(ctx));
  else if (scope === "personas") records = personasCsv(ctx);
  else throw new AppError("VALIDATION_FAILED", `A CSV export cannot hold scope "${scope}".`, { scope });
  // highWaterMark 1: one chunk waits while the previous one is written, no queue of them.
  await pipeline(
    Readable.from(withBom(ctx, records), { highWaterMark: 1 }),
    fs.createWriteStream(target, { flags: "wx" }),
    { signal: ctx.signal },
  );
};

async function* withBom(ctx: ProduceContext, records: AsyncGenerator<string>): AsyncGenerator<string> {
  if (ctx.request.options.bom) yield BOM;
  yield* records;
}

function onlyId(ctx: ProduceContext): string {
  const id = ctx.request.ids[0];
  if (ctx.request.ids.length !== 1 || id === undefined) {
    throw new AppError("VALIDATION_FAILED", `Scope "${ctx.request.scope}" takes exactly one id.`);
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// Reading (also used by the JSON producer)

/** SQLite date as written by Prisma ("…T…+00:00"), by CURRENT_TIMESTAMP ("… …") or as epoch ms → ISO 8601 UTC. */
export function isoDate(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value)).toISOString();
  const text = String(value);
  if (text.length === 29 && text[10] === "T" && text.endsWith("+00:00")) return `${text.slice(0, 23)}Z`;
  const date = new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d(\.\d+)?)?$/.test(text) ? `${text.replace(" ", "T")}Z` : text);
  if (Number.isNaN(date.getTime())) throw new Error(`Unreadable date in the database: ${JSON.stringify(text)}`);
  return date.toISOString();
}

export const str = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : typeof value === "bigint" ? Number(value) : (value as number);

/**
 * Keyset pages of `sql`, which must end with `AND <key> > ? ORDER BY <key> LIMIT ?`; `args` are the
 * other parameters. Checks for cancellation and lets the event loop run between pages (the local
 * libsql driver answers synchronously).
 */
export async function* keysetPages(
  ctx: ProduceContext,
  sql: string,
  args: InValue[],
  key: string,
  start: string | number,
  size = ROWS_PER_PAGE,
): AsyncGenerator<Row[]> {
  let after: InValue = start;
  for (;;) {
    ctx.signal.throwIfAborted();
    const { rows } = await ctx.db.raw.execute({ sql, args: [...args, after, size] });
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1]![key] as InValue;
    await breathe();
  }
}

export async function count(ctx: ProduceContext, sql: string, args: InValue[]): Promise<number> {
  const { rows } = await ctx.db.raw.execute({ sql, args });
  return Number(rows[0]?.n ?? 0);
}

export function throttledProgress(ctx: ProduceContext, label: ProgressLabel) {
  let last = 0;
  return (done: number, total: number, force = false) => {
    const now = Date.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    ctx.progress(done, total, label);
  };
}

export interface StudyInfo {
  status: string;
  partial: boolean;
}

/** The study's state as the core saw it; computed from its job when the core did not list it. */
export async function studyInfo(
  ctx: ProduceContext,
  kind: StudyState["kind"],
  id: string,
  jobId: string | null,
): Promise<StudyInfo> {
  const known = ctx.studies.find((s) => s.kind === kind && s.id === id);
  if (known) return { status: known.status, partial: known.partial };
  const job = jobId
    ? await ctx.db.prisma.job.findUnique({ where: { id: jobId }, select: { status: true, progressLabel: true } })
    : null;
  const status = !job ? "draft" : kind === "focusGroup" ? statusFromJob(job) : surveyStatusFor(job.status as JobStatus);
  return { status, partial: !["draft", "completed"].includes(status) };
}

// ---------------------------------------------------------------------------------------------
// Persona columns

const PERSONA_HEADER = ["persona_id", "persona_name", "age", "gender", "location", "education", "income", "occupation"];
/** The persona's columns as selected by PERSONA_SELECT (aliased with a `p_` prefix). */
const PERSONA_SELECT =
  "p.id AS p_id, p.name AS p_name, p.age AS p_age, p.gender AS p_gender, p.location AS p_location, " +
  "p.education AS p_education, p.income AS p_income, p.occupation AS p_occupation, p.demographics AS p_demographics";

interface ProjectInfo {
  id: string;
  dimensions: string[];
}

/** The target's dimensions in order, then any other dimension a persona of the project has. */
async function projectInfo(ctx: ProduceContext): Promise<ProjectInfo> {
  const project = await ctx.db.prisma.project.findUnique({
    where: { id: ctx.request.projectId },
    select: { id: true, targetDemographics: true },
  });
  if (!project) throw new AppError("NOT_FOUND", `No project with id ${ctx.request.projectId}.`);
  const target = Object.keys(JSON.parse(project.targetDemographics) as Record<string, unknown>);
  const keys = new Set<string>();
  for (const slot of (await slotCounts(ctx, project.id)).keys()) {
    for (const key of Object.keys(JSON.parse(slot || "{}") as Record<string, unknown>)) keys.add(key);
  }
  const extra = [...keys].filter((k) => !target.includes(k)).sort();
  return { id: project.id, dimensions: [...target, ...extra] };
}

/**
 * How many of the project's personas fill each distinct slot (demographics JSON → count), read
 * in pages (one query over every persona would hold the event loop for a large project).
 */
export async function slotCounts(ctx: ProduceContext, projectId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const sql = "SELECT id, demographics AS d FROM Persona WHERE +projectId = ? AND id > ? ORDER BY id LIMIT ?";
  for await (const page of keysetPages(ctx, sql, [projectId], "id", "", 5000)) {
    for (const row of page) {
      const slot = str(row.d);
      counts.set(slot, (counts.get(slot) ?? 0) + 1);
    }
  }
  return counts;
}

const slotHeader = (info: ProjectInfo) => info.dimensions.map((d) => `slot_${d}`);

/** Persona cells from a row selected with PERSONA_SELECT; empty cells when there is no persona. */
function personaCellsFactory(info: ProjectInfo) {
  const slotsByJson = new Map<string, Cell[]>();
  const empty: Cell[] = Array<Cell>(PERSONA_HEADER.length + info.dimensions.length).fill(null);
  const slots = (json: string): Cell[] => {
    let cells = slotsByJson.get(json);
    if (!cells) {
      const demographics = JSON.parse(json) as Record<string, unknown>;
      cells = info.dimensions.map((d) => (demographics[d] === undefined ? null : str(demographics[d])));
      slotsByJson.set(json, cells);
    }
    return cells;
  };
  return (row: Row, fallbackId?: string | null): Cell[] => {
    if (row.p_id === null || row.p_id === undefined) {
      if (!fallbackId) return empty;
      const cells = [...empty];
      cells[0] = fallbackId;
      return cells;
    }
    return [
      str(row.p_id),
      str(row.p_name),
      numOrNull(row.p_age),
      str(row.p_gender),
      str(row.p_location),
      str(row.p_education),
      str(row.p_income),
      str(row.p_occupation),
      ...slots(str(row.p_demographics) || "{}"),
    ];
  };
}

// ---------------------------------------------------------------------------------------------
// Survey

/** An answer as one cell: choices joined with "; ", a ranking as "A > B > C", numbers as numbers. */
export function answerCell(question: Pick<Question, "type">, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(str).join(question.type === "ranking" ? " > " : "; ");
  return JSON.stringify(value);
}

async function* surveyCsv(ctx: ProduceContext, surveyId: string): AsyncGenerator<string> {
  const survey = await ctx.db.prisma.survey.findUnique({ where: { id: surveyId } });
  if (!survey || survey.projectId !== ctx.request.projectId) {
    throw new AppError("NOT_FOUND", `No survey with id ${surveyId} in this project.`, { id: surveyId });
  }
  const info = await projectInfo(ctx);
  const study = await studyInfo(ctx, "survey", survey.id, survey.jobId);
  const questions = questionsOf(survey);
  const wide = ctx.request.options.csvLayout === "wide";
  const personaCells = personaCellsFactory(info);
  const studyCells: Cell[] = [true, study.partial, study.status, survey.id, survey.name];
  const lead = [
    "synthetic",
    "partial",
    "study_status",
    "survey_id",
    "survey_name",
    ...PERSONA_HEADER,
    ...slotHeader(info),
    "answered_at",
  ];
  if (wide) {
    const columns = questions.flatMap((q) =>
      q.type === "ranking" ? (q.items ?? []).map((item) => `${q.id}: ${q.text} [${item}]`) : [`${q.id}: ${q.text}`],
    );
    yield encodeRows([[...lead, ...columns]]);
  } else {
    yield encodeRows([[...lead, "question_number", "question_id", "question_type", "question_text", "answer"]]);
  }

  const total = await count(ctx, "SELECT count(*) AS n FROM SurveyResponse WHERE surveyId = ?", [survey.id]);
  const progress = throttledProgress(ctx, { key: "exports.survey", params: { name: survey.name } });
  progress(0, total, true);
  let done = 0;
  // A long page holds questions.length rows per response: keep the rows per page near ROWS_PER_PAGE.
  const pageSize = wide ? ROWS_PER_PAGE : Math.max(50, Math.floor((2 * ROWS_PER_PAGE) / Math.max(1, questions.length)));
  const chunker = new Chunker();
  const sql =
    `SELECT r.personaId AS personaId, r.answers AS answers, r.createdAt AS createdAt, ${PERSONA_SELECT} ` +
    "FROM SurveyResponse r LEFT JOIN Persona p ON p.id = r.personaId " +
    "WHERE r.surveyId = ? AND r.personaId > ? ORDER BY r.personaId LIMIT ?";
  const cacheBudget = { left: ANSWER_CACHE_SIZE };
  const answerCells = questions.map((q) => answerEncoder(q, cacheBudget));
  // Long layout: each respondent's columns and each question's columns are encoded once and
  // repeated on every row they belong to (a million rows repeat 50,000 respondents 20 times).
  const questionColumns = questions.map((q, index) => encodeLine([index + 1, q.id, q.type, q.text]));
  for await (const page of keysetPages(ctx, sql, [survey.id], "personaId", "", pageSize)) {
    if (wide) {
      const rows: Cell[][] = [];
      for (const row of page) {
        const answers = JSON.parse(str(row.answers) || "{}") as Record<string, unknown>;
        const cells = studyCells.concat(personaCells(row, str(row.personaId)), isoDate(row.createdAt));
        for (const q of questions) {
          const value = answers[q.id];
          if (q.type === "ranking") {
            const order = Array.isArray(value) ? value : [];
            for (const item of q.items ?? []) cells.push(order.indexOf(item) + 1 || null);
          } else cells.push(answerCell(q, value));
        }
        rows.push(cells);
      }
      yield* encodedChunks(rows, chunker);
    } else {
      for (const row of page) {
        const answers = JSON.parse(str(row.answers) || "{}") as Record<string, unknown>;
        const respondent = encodeLine(studyCells.concat(personaCells(row, str(row.personaId)), isoDate(row.createdAt)));
        for (let i = 0; i < questions.length; i++) {
          const chunk = chunker.add(
            `${respondent},${questionColumns[i]},${answerCells[i]!(answers[questions[i]!.id])}${CRLF}`,
          );
          if (chunk) yield chunk;
        }
      }
    }
    done += page.length;
    progress(done, total);
  }
  const rest = chunker.flush();
  if (rest) yield rest;
  progress(done, total, true);
}

/**
 * The encoded answer cell of one question. Closed answers (choices, ratings, rankings) take few
 * distinct values, so each is encoded once, within a budget shared by all questions (memory stays
 * bounded whatever the answers); open text is encoded every time.
 */
function answerEncoder(question: Question, budget: { left: number }): (value: unknown) => string {
  const cache = new Map<string | number, string>();
  return (value) => {
    const cell = answerCell(question, value);
    if (cell === null) return "";
    if (question.type === "open_ended" || typeof cell === "boolean") return encodeLine([cell]);
    let encoded = cache.get(cell);
    if (encoded === undefined) {
      encoded = encodeLine([cell]);
      if (budget.left > 0) {
        budget.left--;
        cache.set(cell, encoded);
      }
    }
    return encoded;
  };
}

// ---------------------------------------------------------------------------------------------
// Focus group transcript

async function* transcriptCsv(ctx: ProduceContext, focusGroupId: string): AsyncGenerator<string> {
  const fg = await ctx.db.prisma.focusGroup.findUnique({ where: { id: focusGroupId } });
  if (!fg || fg.projectId !== ctx.request.projectId) {
    throw new AppError("NOT_FOUND", `No focus group with id ${focusGroupId} in this project.`, { id: focusGroupId });
  }
  const info = await projectInfo(ctx);
  const study = await studyInfo(ctx, "focusGroup", fg.id, fg.jobId);
  const guide = JSON.parse(fg.guide) as { question: string }[];
  const personaCells = personaCellsFactory(info);
  const studyCells: Cell[] = [true, study.partial, study.status, fg.id, fg.name];
  yield encodeRows([
    [
      "synthetic",
      "partial",
      "study_status",
      "focus_group_id",
      "focus_group_name",
      "sequence",
      "question_number",
      "question_text",
      "round",
      "phase",
      "speaker_type",
      "speaker_name",
      "suggested_by",
      ...PERSONA_HEADER,
      ...slotHeader(info),
      "reply_to_sequence",
      "reply_to_speaker",
      "text",
      "sentiment",
      "created_at",
    ],
  ]);
  const total = await count(ctx, "SELECT count(*) AS n FROM FocusGroupMessage WHERE focusGroupId = ?", [fg.id]);
  const chunker = new Chunker();
  const progress = throttledProgress(ctx, { key: "exports.focusGroup", params: { name: fg.name } });
  progress(0, total, true);
  let done = 0;
  const sql =
    "SELECT m.seq AS seq, m.questionIndex AS questionIndex, m.round AS round, m.phase AS phase, " +
    "m.speakerType AS speakerType, m.speakerName AS speakerName, m.suggestedBy AS suggestedBy, " +
    "m.personaId AS personaId, m.text AS text, " +
    "m.sentiment AS sentiment, m.createdAt AS createdAt, r.seq AS replySeq, r.speakerName AS replySpeaker, " +
    `${PERSONA_SELECT} FROM FocusGroupMessage m ` +
    "LEFT JOIN FocusGroupMessage r ON r.id = m.replyToId LEFT JOIN Persona p ON p.id = m.personaId " +
    "WHERE m.focusGroupId = ? AND m.seq > ? ORDER BY m.seq LIMIT ?";
  for await (const page of keysetPages(ctx, sql, [fg.id], "seq", Number.MIN_SAFE_INTEGER)) {
    const rows = page.map((row) => {
      const questionIndex = Number(row.questionIndex);
      return studyCells.concat(
        numOrNull(row.seq),
        questionIndex + 1,
        guide[questionIndex]?.question ?? null,
        numOrNull(row.round),
        str(row.phase),
        str(row.speakerType),
        str(row.speakerName),
        row.suggestedBy === null ? null : str(row.suggestedBy),
        personaCells(row, row.personaId === null ? null : str(row.personaId)),
        numOrNull(row.replySeq),
        row.replySpeaker === null ? null : str(row.replySpeaker),
        str(row.text),
        numOrNull(row.sentiment),
        isoDate(row.createdAt),
      );
    });
    done += page.length;
    yield* encodedChunks(rows, chunker);
    progress(done, total);
  }
  const rest = chunker.flush();
  if (rest) yield rest;
  progress(done, total, true);
}

// ---------------------------------------------------------------------------------------------
// Personas

const list = (json: unknown): string => (JSON.parse(str(json) || "[]") as unknown[]).map(str).join("; ");

async function* personasCsv(ctx: ProduceContext): AsyncGenerator<string> {
  const info = await projectInfo(ctx);
  const personaCells = personaCellsFactory(info);
  yield encodeRows([
    [
      "synthetic",
      ...PERSONA_HEADER,
      ...slotHeader(info),
      ...BIG_FIVE_TRAITS,
      "values",
      "interests",
      "concerns",
      "background_story",
      "communication_style",
      "decision_making_style",
      "locale",
      "model",
      "created_at",
      "updated_at",
    ],
  ]);
  const subset = ctx.request.ids.length > 0;
  // `+p.projectId`: page along the primary key (id) instead of the (projectId, createdAt, id) index,
  // which would sort the project's personas again for every page.
  const where = subset ? "+p.projectId = ? AND p.id IN (SELECT value FROM json_each(?))" : "+p.projectId = ?";
  const args: InValue[] = subset ? [info.id, JSON.stringify(ctx.request.ids)] : [info.id];
  const total = await count(ctx, `SELECT count(*) AS n FROM Persona p WHERE ${where.replace("+", "")}`, args);
  const progress = throttledProgress(ctx, { key: "exports.personas", params: {} });
  const chunker = new Chunker();
  progress(0, total, true);
  let done = 0;
  const sql =
    `SELECT ${PERSONA_SELECT}, p.bigFive AS bigFive, p."values" AS vals, p.interests AS interests, ` +
    "p.concerns AS concerns, p.backgroundStory AS backgroundStory, p.communicationStyle AS communicationStyle, " +
    "p.decisionMakingStyle AS decisionMakingStyle, p.locale AS locale, p.model AS model, " +
    `p.createdAt AS createdAt, p.updatedAt AS updatedAt FROM Persona p WHERE ${where} AND p.id > ? ORDER BY p.id LIMIT ?`;
  for await (const page of keysetPages(ctx, sql, args, "p_id", "")) {
    const rows = page.map((row) => {
      const bigFive = JSON.parse(str(row.bigFive) || "{}") as Record<string, unknown>;
      return [true as Cell].concat(
        personaCells(row),
        BIG_FIVE_TRAITS.map((trait) => numOrNull(bigFive[trait])),
        list(row.vals),
        list(row.interests),
        list(row.concerns),
        str(row.backgroundStory),
        str(row.communicationStyle),
        str(row.decisionMakingStyle),
        str(row.locale),
        str(row.model),
        isoDate(row.createdAt),
        isoDate(row.updatedAt),
      );
    });
    done += page.length;
    yield* encodedChunks(rows, chunker);
    progress(done, total);
  }
  const rest = chunker.flush();
  if (rest) yield rest;
  progress(done, total, true);
}
