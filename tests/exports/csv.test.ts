import fs from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeRows, FORMULA_START, isoDate, produceCsv } from "../../src/main/services/exports/csv";
import { parseCsvWithPython, produceContext, runProducer, startExportServices } from "../support/exports";
import { tempDir } from "../support/services";
import {
  ANSWERS,
  MESSAGES,
  PERSONAS,
  PROBE_TEXT,
  QUESTIONS,
  seedLiveProbe,
  seedProject,
  stopJob,
  type Seeded,
} from "./seed";

type Env = Awaited<ReturnType<typeof startExportServices>>;
let env: Env;
let seeded: Seeded;

beforeAll(async () => {
  env = await startExportServices();
  seeded = await seedProject(env.services);
});
afterAll(async () => env.close());

const PERSONA_COLUMNS = [
  "persona_id",
  "persona_name",
  "age",
  "gender",
  "location",
  "education",
  "income",
  "occupation",
  "slot_gender",
  "slot_age_group",
  "slot_legacy",
];

/** Rows as header → cell records. */
function records(parsed: { header: string[]; rows: string[][] }): Record<string, string>[] {
  return parsed.rows.map((row) => {
    expect(row).toHaveLength(parsed.header.length);
    return Object.fromEntries(parsed.header.map((name, i) => [name, row[i]!]));
  });
}

async function csv(scope: "survey" | "focusGroup" | "personas", options: Parameters<typeof runProducer>[4] = {}) {
  const ids = scope === "survey" ? [seeded.surveyId] : scope === "focusGroup" ? [seeded.focusGroupId] : [];
  const run = await runProducer(produceCsv, env.services, seeded.projectId, scope, { ids, ...options });
  return { run, parsed: parseCsvWithPython(run.file) };
}

/** Removes quoted fields; what is left of a well-formed CRLF file has no lone CR or LF. */
function lineBreaksOutsideQuotes(text: string) {
  const bare = text.replace(/"(?:[^"]|"")*"/g, "");
  return { lone: /\r(?!\n)|(?<!\r)\n/.test(bare), records: bare.split("\r\n").length - 1 };
}

/**
 * The answers as a researcher must see them in the long layout, written out by hand: choices
 * joined with "; ", rankings as "A > B > C", numbers as numbers, formula-looking text prefixed.
 */
const LONG_ANSWERS: Record<string, Record<string, string>> = {
  "p1-zazolc": {
    q1: "'=cmd|' /C calc'!A0",
    q2: "Oats; -Jam",
    q3: "-1",
    q4: '\'=HYPERLINK("http://x")\nsecond line',
    q5: "'-Taste > Price > Zdrowie ąę",
  },
  "p2-tabbed": {
    q1: 'Say "hi"',
    q2: "Eggs 🥚",
    q3: "",
    q4: "  leading spaces, trailing  ",
    q5: "Price > Zdrowie ąę > -Taste",
  },
  "p3-quote": {
    q1: "Tea, green",
    q2: "Żurek; Oats; -Jam",
    q3: "0",
    q4: "'-2",
    q5: "Zdrowie ąę > -Taste > Price",
  },
};

/** Persona cells as written: text starting with = + - @ tab or CR gets a leading single quote. */
const PERSONA_CELLS: Record<string, Record<string, string>> = {
  "p1-zazolc": {
    persona_id: "p1-zazolc",
    persona_name: "Zażółć Gęślą Jaźń",
    age: "29",
    gender: "female",
    location: 'Łódź, "Bałuty"',
    education: "'+1 semester abroad",
    income: "'-2 brackets",
    occupation: "'=SUM(A1)",
    slot_gender: "female",
    slot_age_group: "18-34",
    slot_legacy: "",
  },
  "p2-tabbed": {
    persona_id: "p2-tabbed",
    persona_name: "'\tTabbed Name",
    age: "41",
    gender: "male",
    location: "'\rCR town",
    education: "Master's",
    income: "high",
    occupation: "Baker 👩‍🍳",
    slot_gender: "male",
    slot_age_group: "35+",
    slot_legacy: "",
  },
  "p3-quote": {
    persona_id: "p3-quote",
    persona_name: 'Quote "Q" Person',
    age: "57",
    gender: "female",
    location: "  spaced  ",
    education: "PhD",
    income: "middle",
    occupation: "line1\r\nline2",
    slot_gender: "female",
    slot_age_group: "35+",
    slot_legacy: "old-slot",
  },
  "p4-idle": {
    persona_id: "p4-idle",
    persona_name: "Idle Persona",
    age: "22",
    gender: "male",
    location: "Gdańsk",
    education: "High school",
    income: "low",
    occupation: "Student",
    slot_gender: "male",
    slot_age_group: "18-34",
    slot_legacy: "",
  },
};

const pick = (record: Record<string, string>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, record[k]]));

describe("survey CSV, long layout", () => {
  it("round-trips through Python's csv module: quotes, commas, line breaks, emoji and diacritics exact, formulas neutralised", async () => {
    const { parsed } = await csv("survey");
    expect(parsed.header).toEqual([
      "synthetic",
      "partial",
      "study_status",
      "survey_id",
      "survey_name",
      ...PERSONA_COLUMNS,
      "answered_at",
      "question_number",
      "question_id",
      "question_type",
      "question_text",
      "answer",
    ]);
    const rows = records(parsed);
    // One row per respondent × question, respondents in persona order, questions in survey order.
    expect(rows.map((r) => `${r.persona_id}/${r.question_id}`)).toEqual(
      Object.keys(ANSWERS).flatMap((p) => QUESTIONS.map((q) => `${p}/${q.id}`)),
    );
    for (const row of rows) {
      expect(pick(row, ["synthetic", "partial", "study_status", "survey_id", "survey_name"])).toEqual({
        synthetic: "true",
        partial: "false",
        study_status: "completed",
        survey_id: seeded.surveyId,
        survey_name: 'Śniadanie, "survey"',
      });
      expect(pick(row, PERSONA_COLUMNS)).toEqual(PERSONA_CELLS[row.persona_id!]);
      expect(row.answer).toBe(LONG_ANSWERS[row.persona_id!]![row.question_id!]);
      const index = QUESTIONS.findIndex((q) => q.id === row.question_id);
      expect(row.question_number).toBe(String(index + 1));
      expect(row.question_type).toBe(QUESTIONS[index]!.type);
    }
    expect(rows.find((r) => r.question_id === "q4")!.question_text).toBe("'=Why?");
    expect(rows.find((r) => r.question_id === "q1")!.question_text).toBe("Which drink?");
    expect([...new Set(rows.map((r) => r.answered_at))]).toEqual([
      "2026-11-20T09:30:00.000Z",
      "2026-11-20T09:31:00.000Z",
      "2026-11-20T09:32:00.000Z",
    ]);
  });

  it("writes numbers as numbers: a negative rating or sentiment is never prefixed, text that looks like one is", async () => {
    const { run } = await csv("survey");
    const p1Rating = run.text.split("\r\n").find((line) => line.includes(",q3,"))!;
    expect(p1Rating.endsWith(",rating_scale,How do you feel?,-1")).toBe(true);
    expect(run.text).toContain(`,"'-2"\r\n`);
    expect(run.text).not.toContain(`"'-1"`);
  });

  it("ends every record with CRLF and starts with a BOM only when asked; the rows are the same either way", async () => {
    const plain = await csv("survey");
    const bom = await csv("survey", { bom: true });
    expect([...plain.run.bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(plain.run.text.startsWith("synthetic,partial,")).toBe(true);
    expect([...bom.run.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bom.run.bytes.subarray(3).equals(plain.run.bytes)).toBe(true);
    expect(plain.parsed.bom).toBe(false);
    expect(bom.parsed.bom).toBe(true);
    expect(bom.parsed.header).toEqual(plain.parsed.header);
    expect(bom.parsed.rows).toEqual(plain.parsed.rows);
    // The only LF or CR outside quoted fields are record terminators: CRLF, one per record.
    const breaks = lineBreaksOutsideQuotes(plain.run.text);
    expect(breaks.lone).toBe(false);
    expect(breaks.records).toBe(1 + 3 * QUESTIONS.length);
    expect(plain.run.text.endsWith("\r\n")).toBe(true);
    // Cells with a line break, a quote, a comma or an edge space are quoted; the quote is doubled.
    expect(plain.run.text).toContain('"Quote ""Q"" Person"');
    expect(plain.run.text).toContain('"line1\r\nline2"');
    expect(plain.run.text).toContain('"  spaced  "');
  });
});

describe("survey CSV, wide layout", () => {
  it("has one row per persona, a column per question and a rank column per ranking item, with the long layout's answers", async () => {
    const wide = await csv("survey", { csvLayout: "wide" });
    const long = records((await csv("survey")).parsed);
    const rankColumns = ["q5: Rank these [Price]", "q5: Rank these [-Taste]", "q5: Rank these [Zdrowie ąę]"];
    expect(wide.parsed.header).toEqual([
      "synthetic",
      "partial",
      "study_status",
      "survey_id",
      "survey_name",
      ...PERSONA_COLUMNS,
      "answered_at",
      "q1: Which drink?",
      "q2: Which snacks?",
      "q3: How do you feel?",
      "q4: =Why?",
      ...rankColumns,
    ]);
    const rows = records(wide.parsed);
    expect(rows.map((r) => r.persona_id)).toEqual(Object.keys(ANSWERS));
    expect(rows.map((r) => r.synthetic)).toEqual(["true", "true", "true"]);
    // Ranks by hand: p1 ranked -Taste, Price, Zdrowie ąę.
    expect(pick(rows[0]!, rankColumns)).toEqual({
      "q5: Rank these [Price]": "2",
      "q5: Rank these [-Taste]": "1",
      "q5: Rank these [Zdrowie ąę]": "3",
    });
    const unprefixed = (cell: string) =>
      cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
    for (const row of rows) {
      expect(pick(row, PERSONA_COLUMNS)).toEqual(PERSONA_CELLS[row.persona_id!]);
      const answersInLong = long.filter((r) => r.persona_id === row.persona_id);
      for (const q of QUESTIONS.slice(0, 4)) {
        expect(row[`${q.id}: ${q.text}`]).toBe(answersInLong.find((r) => r.question_id === q.id)!.answer);
      }
      const order = rankColumns
        .map((column) => ({ item: /\[(.*)\]$/.exec(column)![1]!, rank: Number(row[column]) }))
        .sort((a, b) => a.rank - b.rank)
        .map((x) => x.item);
      expect(order.join(" > ")).toBe(unprefixed(answersInLong.find((r) => r.question_id === "q5")!.answer!));
    }
  });
});

describe("focus group transcript CSV", () => {
  it("has every message in speaking order with its question, speaker, persona, reply, sentiment and time", async () => {
    const { parsed } = await csv("focusGroup");
    expect(parsed.header).toEqual([
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
      ...PERSONA_COLUMNS,
      "reply_to_sequence",
      "reply_to_speaker",
      "text",
      "sentiment",
      "created_at",
    ]);
    const rows = records(parsed);
    expect(rows.map((r) => r.sequence)).toEqual(MESSAGES.map((m) => String(m.seq)));
    const texts = [
      "'=Q1 What do you drink?",
      "'@everyone I drink kawa ☕",
      "'\tTabbed answer",
      "'\r\nStarts with CRLF",
      'Plain reply, "quoted"',
      "'-Follow up?",
      "Second question, ok?",
      "'+1 for oats",
    ];
    expect(rows.map((r) => r.text)).toEqual(texts);
    expect(rows.map((r) => r.sentiment)).toEqual(["", "0.5", "-0.5", "-1", "0", "", "", "0.25"]);
    expect(rows.map((r) => r.question_number)).toEqual(["1", "1", "1", "1", "1", "1", "2", "2"]);
    expect(rows.map((r) => r.question_text)).toEqual([
      ...Array(6).fill("'=Q1 What do you drink?"),
      "Second question, ok?",
      "Second question, ok?",
    ]);
    expect(rows.map((r) => r.round)).toEqual(["0", "0", "0", "1", "1", "1", "0", "0"]);
    expect(rows.map((r) => r.phase)).toEqual(MESSAGES.map((m) => m.phase));
    expect(rows.map((r) => r.speaker_type)).toEqual(MESSAGES.map((m) => m.speakerType));
    // No live session here: nobody suggested a probe.
    expect(rows.map((r) => r.suggested_by)).toEqual(MESSAGES.map(() => ""));
    expect(rows.map((r) => r.reply_to_sequence)).toEqual(["", "", "", "2", "3", "", "", ""]);
    expect(rows[3]!.reply_to_speaker).toBe("Zażółć Gęślą Jaźń");
    expect(rows[4]!.reply_to_speaker).toBe("'\tTabbed Name");
    expect(rows[0]!.created_at).toBe("2026-11-20T09:41:00.000Z");
    for (const [i, row] of rows.entries()) {
      expect(pick(row, ["synthetic", "partial", "study_status", "focus_group_id", "focus_group_name"])).toEqual({
        synthetic: "true",
        partial: "false",
        study_status: "completed",
        focus_group_id: seeded.focusGroupId,
        focus_group_name: 'Drinks; "morning" talk',
      });
      const personaId = MESSAGES[i]!.personaId;
      if (personaId) {
        expect(pick(row, PERSONA_COLUMNS)).toEqual(PERSONA_CELLS[personaId]);
        expect(row.speaker_name).toBe(PERSONA_CELLS[personaId]!.persona_name);
      } else {
        expect(row.speaker_name).toBe("Moderator");
        expect(PERSONA_COLUMNS.map((c) => row[c])).toEqual(PERSONA_COLUMNS.map(() => ""));
      }
    }
  });

  it("names the co-moderator who suggested a live probe in suggested_by, on the moderator's line that asked it only", async () => {
    const own = await startExportServices();
    try {
      const s = await seedProject(own.services);
      await seedLiveProbe(own.services, s);
      const run = await runProducer(produceCsv, own.services, s.projectId, "focusGroup", { ids: [s.focusGroupId] });
      const rows = records(parseCsvWithPython(run.file));
      expect(rows).toHaveLength(MESSAGES.length + 4);
      const probe = rows.find((r) => r.sequence === "9")!;
      expect(pick(probe, ["phase", "speaker_type", "speaker_name", "round", "question_number", "text"])).toEqual({
        phase: "followup",
        speaker_type: "moderator",
        speaker_name: "Moderator",
        round: "3",
        question_number: "2",
        text: PROBE_TEXT,
      });
      // The name goes through the same formula guard as every text cell.
      expect(probe.suggested_by).toBe("'@Maja (brand)");
      expect(rows.filter((r) => r.suggested_by !== "").map((r) => r.sequence)).toEqual(["9"]);
      // Everyone answers the probe: their lines reply to it and carry no attribution of their own.
      const answers = rows.filter((r) => r.phase === "followup_answer" && r.reply_to_sequence === "9");
      expect(answers.map((r) => r.persona_id)).toEqual(["p1-zazolc", "p2-tabbed", "p3-quote"]);
      expect(answers.map((r) => r.reply_to_speaker)).toEqual(["Moderator", "Moderator", "Moderator"]);
    } finally {
      await own.close();
    }
  });
});

describe("personas CSV", () => {
  const columns = [
    "synthetic",
    ...PERSONA_COLUMNS,
    "openness",
    "conscientiousness",
    "extraversion",
    "agreeableness",
    "neuroticism",
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
  ];

  it("writes every attribute of every persona of the project when no ids are given", async () => {
    const { parsed } = await csv("personas");
    expect(parsed.header).toEqual(columns);
    const rows = records(parsed);
    expect(rows.map((r) => r.persona_id)).toEqual(PERSONAS.map((p) => p.id));
    for (const row of rows) {
      const persona = PERSONAS.find((p) => p.id === row.persona_id)!;
      expect(row.synthetic).toBe("true");
      expect(pick(row, PERSONA_COLUMNS)).toEqual(PERSONA_CELLS[persona.id]);
      expect(
        ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"].map((t) => row[t]),
      ).toEqual(Object.values(persona.bigFive).map(String));
      expect(row.locale).toBe(persona.locale);
      expect(row.model).toBe("fake-model");
    }
    const [p1, p2, p3] = rows;
    expect(pick(p1!, ["values", "interests", "concerns", "background_story", "decision_making_style"])).toEqual({
      values: "'@x; rodzina 👨‍👩‍👧",
      interests: "kawa; Tea, green",
      concerns: "ceny",
      background_story: "Mieszka w Łodzi.\nDrugi wiersz, z przecinkiem 🎉",
      decision_making_style: 'Careful, "data first"',
    });
    expect(p2!.concerns).toBe("'-costs; time");
    expect(p3!.interests).toBe("");
    expect(p3!.background_story).toBe('Story with "quotes", commas, and a tab\there.');
    expect(pick(p1!, ["created_at", "updated_at"])).toEqual({
      created_at: "2026-11-20T09:00:00.000Z",
      updated_at: "2026-11-20T09:10:00.000Z",
    });
    // No study here: no study columns.
    expect(parsed.header).not.toContain("partial");
  });

  it("writes only the personas asked for", async () => {
    const { parsed } = await csv("personas", { ids: ["p4-idle", "p2-tabbed"] });
    expect(records(parsed).map((r) => r.persona_id)).toEqual(["p2-tabbed", "p4-idle"]);
  });
});

describe("partial studies", () => {
  it("labels every row of a stopped survey or paused discussion partial, with the study's status", async () => {
    const own = await startExportServices();
    try {
      const s = await seedProject(own.services);
      await stopJob(own.services, s.surveyJobId);
      await stopJob(own.services, s.focusGroupJobId, true);
      const survey = await runProducer(produceCsv, own.services, s.projectId, "survey", { ids: [s.surveyId] });
      const surveyRows = records(parseCsvWithPython(survey.file));
      expect(surveyRows).toHaveLength(15);
      for (const row of surveyRows)
        expect(pick(row, ["partial", "study_status"])).toEqual({ partial: "true", study_status: "interrupted" });
      const transcript = await runProducer(produceCsv, own.services, s.projectId, "focusGroup", {
        ids: [s.focusGroupId],
      });
      const transcriptRows = records(parseCsvWithPython(transcript.file));
      expect(transcriptRows).toHaveLength(MESSAGES.length);
      for (const row of transcriptRows)
        expect(pick(row, ["partial", "study_status"])).toEqual({ partial: "true", study_status: "paused" });
    } finally {
      await own.close();
    }
  });
});

describe("CSV injection", () => {
  const dangerous = ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "\r\nx", "=1+1\nx", "\nx"];

  it("prefixes a single quote to every text cell starting with = + - @ tab CR or LF, and Python reads it back exactly", () => {
    const safe = ["a=b", "'already quoted", " =leading space", "plain", "", "1-2"];
    const numbers = [-0.5, -2, 0, 3];
    const dir = tempDir("sight-csv-cells-");
    const file = path.join(dir, "cells.csv");
    fs.writeFileSync(file, encodeRows([[...dangerous, ...safe, ...numbers]]));
    const { header } = parseCsvWithPython(file);
    expect(header).toEqual([...dangerous.map((cell) => `'${cell}`), ...safe, "-0.5", "-2", "0", "3"]);
    expect(encodeRows([["\u0000x"]])).toBe('"\'\u0000x"\r\n');
  });

  it("does not rely on papaparse's escapeFormulae: true, which misses a formula followed by a line break", () => {
    const builtIn = Papa.unparse([["=1+1\nx", "\r\nx"]], { escapeFormulae: true });
    expect(builtIn).toBe('"=1+1\nx","\r\nx"');
    expect(encodeRows([["=1+1\nx", "\r\nx"]])).toBe('"\'=1+1\nx","\'\r\nx"\r\n');
  });
});

describe("dates", () => {
  it("reads SQLite dates as Prisma writes them, as CURRENT_TIMESTAMP writes them, or as epoch ms, and writes ISO 8601 UTC", async () => {
    expect(isoDate("2026-11-20T09:30:00.123+00:00")).toBe("2026-11-20T09:30:00.123Z");
    expect(isoDate("2026-11-20T11:30:00.123+02:00")).toBe("2026-11-20T09:30:00.123Z");
    expect(isoDate("2026-11-20 09:30:00")).toBe("2026-11-20T09:30:00.000Z");
    expect(isoDate(Date.UTC(2026, 10, 20, 9, 30))).toBe("2026-11-20T09:30:00.000Z");
    expect(() => isoDate("yesterday")).toThrow(/Unreadable date/);
    // What Prisma actually stores through the libsql adapter in this schema.
    const { rows } = await env.services.db.raw.execute({
      sql: "SELECT createdAt FROM Persona WHERE id = ?",
      args: ["p1-zazolc"],
    });
    expect(rows[0]!.createdAt).toBe("2026-11-20T09:00:00.000+00:00");
  });
});

describe("progress and cancellation", () => {
  it("reports progress in the producer's units a few times, ending at done = total", async () => {
    const { run } = await csv("survey");
    expect(run.progress.length).toBeGreaterThanOrEqual(2);
    expect(run.progress.length).toBeLessThanOrEqual(3);
    expect(run.progress[0]).toMatchObject({ done: 0, total: 3 });
    expect(run.progress.at(-1)).toMatchObject({ done: 3, total: 3 });
    expect(run.progress[0]!.label).toEqual({
      key: "exports.survey",
      params: { name: expect.stringContaining('Śniadanie, "survey"') },
    });
  });

  it.each(["survey", "focusGroup", "personas"] as const)(
    "%s: rejects and writes no data row once the signal aborts",
    async (scope) => {
      const controller = new AbortController();
      const ids = scope === "survey" ? [seeded.surveyId] : scope === "focusGroup" ? [seeded.focusGroupId] : [];
      const { ctx, progress } = await produceContext(env.services, seeded.projectId, scope, {
        ids,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
      const target = path.join(tempDir("sight-csv-abort-"), "out.csv.tmp");
      await expect(produceCsv(ctx, target)).rejects.toMatchObject({ name: "AbortError" });
      expect(progress.length).toBe(1);
      const written = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
      expect(lineBreaksOutsideQuotes(written).records).toBeLessThanOrEqual(1);
    },
  );

  it("rejects at once when the signal has already aborted", async () => {
    const { ctx, progress } = await produceContext(env.services, seeded.projectId, "personas", {
      signal: AbortSignal.abort(),
    });
    await expect(produceCsv(ctx, path.join(tempDir("sight-csv-abort-"), "out.csv.tmp"))).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(progress).toEqual([]);
  });
});
