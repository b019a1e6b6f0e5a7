import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildExportJsonSchema,
  EXPORT_SCHEMA_VERSION,
  routes,
  SYNTHETIC_DATA_LABEL,
  type ExportDocument,
  type Job,
  type Persona,
  type Question,
} from "../../src/shared/contract";
import { produceCsv } from "../../src/main/services/exports/csv";
import { produceJson } from "../../src/main/services/exports/json";
import {
  crossTabulate,
  crossTabulateGroups,
  summarizeGroups,
  type AnswerGroup,
  summarizeQuestion,
  validAnswer,
  type AnswerValue,
  type ResponseForStats,
} from "../../src/shared/domain/survey-stats";
import { startFakes, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { QUESTIONS as SURVEY_TEST_QUESTIONS } from "../surveys/setup";
import {
  produceContext,
  runProducer,
  startExportServices,
  validateManyWithPython,
  validateWithPython,
  type ProduceOptions,
  type SchemaError,
} from "../support/exports";
import { REPO_ROOT, tempDir } from "../support/services";
import {
  ANSWERS,
  GUIDE,
  MESSAGES,
  PERSONAS,
  PROBE_SUGGESTED_BY,
  PROBE_TEXT,
  QUESTIONS,
  seedLiveProbe,
  seedProject,
  stopJob,
  TARGET,
  type Seeded,
} from "./seed";

const SCHEMA_FILE = path.join(REPO_ROOT, "schemas", "export.schema.json");
const NOW = new Date("2026-11-26T12:00:00.000Z");

type Env = Awaited<ReturnType<typeof startExportServices>>;
let env: Env;
let seeded: Seeded;

beforeAll(async () => {
  env = await startExportServices();
  seeded = await seedProject(env.services);
});
afterAll(async () => env.close());

async function exportJson(
  e: Env,
  projectId: string,
  scope: "project" | "survey" | "focusGroup" | "personas",
  options: ProduceOptions = {},
) {
  const run = await runProducer(produceJson, e.services, projectId, scope, { format: "json", now: NOW, ...options });
  return { run, doc: JSON.parse(run.text) as ExportDocument };
}

const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

describe("the committed JSON Schema", () => {
  it("is what buildExportJsonSchema() generates (regenerate with node --import tsx scripts/export-schema.ts)", () => {
    expect(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"))).toEqual(buildExportJsonSchema());
  });

  it("is a valid draft 2020-12 schema that closes its objects", () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Record<string, any>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.$defs.Metadata.properties.syntheticDataLabel.const).toBe(SYNTHETIC_DATA_LABEL);
    expect(schema.$defs.Metadata.properties.schemaVersion.const).toBe(EXPORT_SCHEMA_VERSION);
  });
});

describe("JSON export of a project", () => {
  it("validates against the committed schema with an independent validator", async () => {
    const { run } = await exportJson(env, seeded.projectId, "project");
    expect(validateWithPython(SCHEMA_FILE, run.file)).toEqual([]);
  });

  it("carries the metadata: schema version, generator, date, scope, studies and the synthetic-data label", async () => {
    const { doc } = await exportJson(env, seeded.projectId, "project");
    expect(doc.metadata).toEqual({
      schemaVersion: EXPORT_SCHEMA_VERSION,
      generator: { name: "Sight", version: "0.0.0-test" },
      exportedAt: "2026-11-26T12:00:00.000Z",
      scope: "project",
      ids: [],
      partial: false,
      studies: [
        {
          kind: "focusGroup",
          id: seeded.focusGroupId,
          name: 'Drinks; "morning" talk',
          status: "completed",
          partial: false,
        },
        { kind: "survey", id: seeded.surveyId, name: 'Śniadanie, "survey"', status: "completed", partial: false },
      ],
      synthetic: true,
      syntheticDataLabel: SYNTHETIC_DATA_LABEL,
    });
    expect(doc.project).toMatchObject({
      id: seeded.projectId,
      name: "Owsianka ☕ „Śniadanie”",
      description: 'Breakfast, "oats" & more',
      targetDemographics: TARGET,
    });
  });

  it("parses back to the seeded personas, exactly, with the chi-square validation the service computes", async () => {
    const { doc } = await exportJson(env, seeded.projectId, "project");
    expect(doc.personas).toHaveLength(PERSONAS.length);
    for (const [index, seed] of PERSONAS.entries()) {
      const { id: _id, ...fields } = seed;
      expect(doc.personas[index]).toEqual({
        ...fields,
        id: seed.id,
        projectId: seeded.projectId,
        runId: null,
        slotIndex: index,
        // Seeded by hand, not generated: nothing was stated for a custom dimension.
        slotEvidence: [],
        model: "fake-model",
        createdAt: `2026-11-20T09:0${index}:00.000Z`,
        updatedAt: `2026-11-20T09:${10 + index}:00.000Z`,
      });
    }
    // The service's validation as the oracle (it reads every persona through the ORM).
    const expected = await env.services.personas.validation(seeded.projectId);
    expect(doc.personaValidation).toEqual({ ...expected, computedAt: NOW.toISOString() });
    expect(doc.personaValidation!.total).toBe(4);
  });

  it("holds the focus group: transcript in order, the latest analysis' insights and the sentiment summary", async () => {
    const { doc } = await exportJson(env, seeded.projectId, "project");
    expect(doc.focusGroups).toHaveLength(1);
    const fg = doc.focusGroups[0]!;
    expect(fg).toMatchObject({
      id: seeded.focusGroupId,
      name: 'Drinks; "morning" talk',
      status: "completed",
      partial: false,
      participantIds: ["p1-zazolc", "p2-tabbed", "p3-quote"],
      guide: GUIDE,
      settings: { discussionRounds: 1, moderatorFollowUps: true, language: "en", temperature: 0.8, seed: 5 },
      jobId: seeded.focusGroupJobId,
      analysisJobId: seeded.analysisJobId,
      messageCount: MESSAGES.length,
      analysis: { jobId: seeded.analysisJobId, usage: { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 } },
    });
    expect(fg.messages).toEqual(
      MESSAGES.map((m) => ({
        id: m.id,
        focusGroupId: seeded.focusGroupId,
        seq: m.seq,
        questionIndex: m.questionIndex,
        round: m.round,
        phase: m.phase,
        speakerType: m.speakerType,
        ...(m.personaId ? { personaId: m.personaId } : {}),
        speakerName: m.speakerName,
        ...(m.replyToId ? { replyToId: m.replyToId } : {}),
        text: m.text,
        ...(m.sentiment === null ? {} : { sentiment: m.sentiment }),
        tokens: { input: 10 * m.seq, output: m.seq },
        createdAt: `2026-11-20T09:${40 + m.seq}:00.000Z`,
      })),
    );
    expect(fg.insights.map((i) => [i.kind, i.title, i.text, i.evidence])).toEqual([
      ["executive_summary", "Summary", "Kawa wins; „cudzysłów” stays.", ["msg-02"]],
      ["theme", "=Price", "Price matters\nto most.", ["msg-03", "msg-08"]],
    ]);
    // By hand: question 1 has persona sentiments 0.5, -0.5, -1, 0; question 2 has 0.25.
    expect(fg.sentiment.byQuestion).toEqual([
      { questionIndex: 0, mean: -0.25, messages: 4 },
      { questionIndex: 1, mean: 0.25, messages: 1 },
    ]);
    expect(fg.sentiment.overall).toBeCloseTo(-0.15, 12);
    expect(fg.sentiment.byPersona).toEqual([
      { personaId: "p1-zazolc", name: "Zażółć Gęślą Jaźń", mean: 0.25, messages: 2 },
      { personaId: "p2-tabbed", name: "\tTabbed Name", mean: -0.125, messages: 2 },
      { personaId: "p3-quote", name: 'Quote "Q" Person', mean: -1, messages: 1 },
    ]);
    // The insights route agrees.
    const route = await env.services.focusGroups.insights(seeded.focusGroupId);
    expect(fg.insights).toEqual(route.items);
    expect(byId(fg.sentiment.byPersona.map((p) => ({ ...p, id: p.personaId })))).toEqual(
      byId(route.sentiment.byPersona.map((p) => ({ ...p, id: p.personaId }))),
    );
  });

  it("holds the survey: its answers exactly, and the results and cross-tabs the results route computes", async () => {
    const { doc } = await exportJson(env, seeded.projectId, "project");
    expect(doc.surveys).toHaveLength(1);
    const survey = doc.surveys[0]!;
    expect(survey).toMatchObject({
      id: seeded.surveyId,
      name: 'Śniadanie, "survey"',
      status: "completed",
      partial: false,
      questions: QUESTIONS,
      personaIds: Object.keys(ANSWERS),
      responseCount: 3,
    });
    expect(survey.responses.map((r) => [r.personaId, r.answers, r.createdAt])).toEqual(
      Object.entries(ANSWERS).map(([personaId, answers], i) => [personaId, answers, `2026-11-20T09:3${i}:00.000Z`]),
    );
    const plain = await env.services.surveys.results({ id: seeded.surveyId });
    expect(survey.results.respondents).toBe(3);
    expect(survey.results.questions).toEqual(plain.questions);
    const byGender = await env.services.surveys.results({ id: seeded.surveyId, crosstab: "gender" });
    const byAge = await env.services.surveys.results({ id: seeded.surveyId, crosstab: "age_group" });
    expect(byGender.crosstabs.length).toBeGreaterThan(0);
    expect(survey.results.crosstabs).toEqual([...byGender.crosstabs, ...byAge.crosstabs]);
    // Spot values by hand: q3's mean rating of -1, 0 (p2 skipped) is -0.5; p1 ranked -Taste first.
    expect(survey.results.questions[2]!.rating).toMatchObject({ mean: -0.5, min: -1, max: 0 });
    expect(survey.results.questions[4]!.counts.find((c) => c.value === "-Taste")!.count).toBe(1);
  });
});

describe("JSON export of smaller scopes", () => {
  it("survey: that survey and its respondents only, no validation, same document shape", async () => {
    const { run, doc } = await exportJson(env, seeded.projectId, "survey", { ids: [seeded.surveyId] });
    expect(validateWithPython(SCHEMA_FILE, run.file)).toEqual([]);
    expect(doc.metadata).toMatchObject({ scope: "survey", ids: [seeded.surveyId] });
    expect(doc.metadata.studies.map((s) => s.id)).toEqual([seeded.surveyId]);
    expect(doc.personas.map((p) => p.id)).toEqual(["p1-zazolc", "p2-tabbed", "p3-quote"]);
    expect(doc.personaValidation).toBeNull();
    expect(doc.focusGroups).toEqual([]);
    expect(doc.surveys.map((s) => s.id)).toEqual([seeded.surveyId]);
    expect(doc.surveys[0]!.responses).toHaveLength(3);
  });

  it("focusGroup: that focus group and its participants only", async () => {
    const { run, doc } = await exportJson(env, seeded.projectId, "focusGroup", { ids: [seeded.focusGroupId] });
    expect(validateWithPython(SCHEMA_FILE, run.file)).toEqual([]);
    expect(doc.personas.map((p) => p.id)).toEqual(["p1-zazolc", "p2-tabbed", "p3-quote"]);
    expect(doc.surveys).toEqual([]);
    expect(doc.focusGroups.map((f) => [f.id, f.messages.length])).toEqual([[seeded.focusGroupId, MESSAGES.length]]);
  });

  it("personas: the subset asked for, with the project's validation", async () => {
    const { run, doc } = await exportJson(env, seeded.projectId, "personas", { ids: ["p4-idle", "p2-tabbed"] });
    expect(validateWithPython(SCHEMA_FILE, run.file)).toEqual([]);
    expect(doc.metadata).toMatchObject({
      scope: "personas",
      ids: ["p4-idle", "p2-tabbed"],
      studies: [],
      partial: false,
    });
    expect(doc.personas.map((p) => p.name)).toEqual(["\tTabbed Name", "Idle Persona"]);
    expect(doc.personaValidation!.total).toBe(4);
    expect(doc.focusGroups).toEqual([]);
    expect(doc.surveys).toEqual([]);
  });

  it("labels stopped studies partial in the metadata and on the study", async () => {
    const own = await startExportServices();
    try {
      const s = await seedProject(own.services);
      await stopJob(own.services, s.surveyJobId);
      await stopJob(own.services, s.focusGroupJobId, true);
      const { run, doc } = await exportJson(own, s.projectId, "project");
      expect(validateWithPython(SCHEMA_FILE, run.file)).toEqual([]);
      expect(doc.metadata.partial).toBe(true);
      expect(doc.metadata.studies.map((x) => [x.kind, x.status, x.partial])).toEqual([
        ["focusGroup", "paused", true],
        ["survey", "interrupted", true],
      ]);
      expect([doc.focusGroups[0]!.status, doc.focusGroups[0]!.partial]).toEqual(["paused", true]);
      expect([doc.surveys[0]!.status, doc.surveys[0]!.partial]).toEqual(["interrupted", true]);
    } finally {
      await own.close();
    }
  });
});

describe("a probe a co-moderator suggested in a live session", () => {
  it("carries suggestedBy on the moderator's line that asked it, nowhere else, and still validates", async () => {
    const own = await startExportServices();
    try {
      const s = await seedProject(own.services);
      const { probeMessageId } = await seedLiveProbe(own.services, s);
      const { run, doc } = await exportJson(own, s.projectId, "focusGroup", { ids: [s.focusGroupId] });
      expect(validateWithPython(SCHEMA_FILE, run.file)).toEqual([]);
      const messages = doc.focusGroups[0]!.messages;
      expect(messages).toHaveLength(MESSAGES.length + 4);
      expect(messages.find((m) => m.id === probeMessageId)).toEqual({
        id: probeMessageId,
        focusGroupId: s.focusGroupId,
        seq: 9,
        questionIndex: 1,
        round: 3,
        phase: "followup",
        speakerType: "moderator",
        speakerName: "Moderator",
        text: PROBE_TEXT,
        suggestedBy: PROBE_SUGGESTED_BY,
        tokens: { input: 0, output: 0 },
        createdAt: "2026-11-20T09:49:00.000Z",
      });
      // Absent (not null, not "") on every other line, as the other optional fields are.
      expect(messages.filter((m) => "suggestedBy" in m).map((m) => m.id)).toEqual([probeMessageId]);
      expect(messages.filter((m) => m.replyToId === probeMessageId).map((m) => m.personaId)).toEqual([
        "p1-zazolc",
        "p2-tabbed",
        "p3-quote",
      ]);
    } finally {
      await own.close();
    }
  });

  it("is typed as a string in the committed schema's Message", () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Record<string, any>;
    expect(schema.$defs.Message.properties.suggestedBy).toEqual({ type: "string" });
    expect(schema.$defs.Message.required).not.toContain("suggestedBy");
  });
});

describe("studies that never ran", () => {
  it("are exported as drafts with empty transcripts, no responses and zero-count results, still valid", async () => {
    const own = await startExportServices();
    try {
      const s = await seedProject(own.services);
      const survey = await own.services.surveys.create(
        routes["surveys.create"].input.parse({
          projectId: s.projectId,
          name: "Draft survey",
          questions: SURVEY_TEST_QUESTIONS,
        }),
      );
      const fg = await own.services.focusGroups.create(
        routes["focusGroups.create"].input.parse({
          projectId: s.projectId,
          name: "Draft group",
          participantIds: ["p1-zazolc", "p4-idle"],
          guide: [{ question: "Anything?" }],
        }),
      );
      const { run, doc } = await exportJson(own, s.projectId, "project");
      expect(validateWithPython(SCHEMA_FILE, run.file)).toEqual([]);
      const draftSurvey = doc.surveys.find((x) => x.id === survey.id)!;
      expect(draftSurvey).toMatchObject({ status: "draft", partial: false, responseCount: 0, responses: [] });
      expect(draftSurvey.results.respondents).toBe(0);
      expect(draftSurvey.results.questions.map((q) => q.answered)).toEqual([0, 0, 0, 0]);
      expect(draftSurvey.results.crosstabs.every((c) => c.statistic === null && c.pValue === null)).toBe(true);
      const draftGroup = doc.focusGroups.find((x) => x.id === fg.id)!;
      expect(draftGroup).toMatchObject({
        status: "draft",
        messageCount: 0,
        messages: [],
        insights: [],
        analysis: null,
      });
      expect(draftGroup.sentiment).toEqual({ byQuestion: [], byPersona: [], overall: null });
      const csv = await runProducer(produceCsv, own.services, s.projectId, "survey", { ids: [survey.id] });
      expect(csv.text.split("\r\n")).toHaveLength(2);
      expect(csv.text.endsWith("question_text,answer\r\n")).toBe(true);
    } finally {
      await own.close();
    }
  });
});

describe("schema validation catches a tampered document", () => {
  const cases: [string, (doc: any) => void, string][] = [
    ["the synthetic label is removed", (doc) => delete doc.metadata.syntheticDataLabel, "metadata"],
    ["synthetic is set to false", (doc) => (doc.metadata.synthetic = false), "metadata.synthetic"],
    ["the schema version changes", (doc) => (doc.metadata.schemaVersion = 2), "metadata.schemaVersion"],
    ["a persona loses its name", (doc) => delete doc.personas[0].name, "personas.0"],
    ["an unknown field is added", (doc) => (doc.personas[1].ssn = "000"), "personas.1"],
    [
      "an answer becomes an object",
      (doc) => (doc.surveys[0].responses[0].answers.q1 = { x: 1 }),
      "surveys.0.responses.0.answers.q1",
    ],
    [
      "a rating becomes a fraction",
      (doc) => (doc.surveys[0].responses[0].answers.q3 = 1.5),
      "surveys.0.responses.0.answers.q3",
    ],
    [
      "a date is not ISO 8601",
      (doc) => (doc.focusGroups[0].messages[0].createdAt = "2026-11-20 09:41:00"),
      "focusGroups.0.messages.0.createdAt",
    ],
    [
      "a sentiment leaves -1..1",
      (doc) => (doc.focusGroups[0].messages[1].sentiment = -3),
      "focusGroups.0.messages.1.sentiment",
    ],
    [
      "a probe's suggestedBy is not a name",
      (doc) => (doc.focusGroups[0].messages[5].suggestedBy = 7),
      "focusGroups.0.messages.5.suggestedBy",
    ],
    [
      "an insight kind is invented",
      (doc) => (doc.focusGroups[0].insights[0].kind = "gossip"),
      "focusGroups.0.insights.0.kind",
    ],
  ];
  let untouched: SchemaError[];
  const errorsByCase = new Map<string, SchemaError[]>();

  beforeAll(async () => {
    const { doc } = await exportJson(env, seeded.projectId, "project");
    const dir = tempDir("sight-json-tampered-");
    const files = [path.join(dir, "untouched.json")];
    fs.writeFileSync(files[0]!, JSON.stringify(doc));
    for (const [index, [, tamper]] of cases.entries()) {
      const copy = structuredClone(doc);
      tamper(copy);
      files.push(path.join(dir, `case-${index}.json`));
      fs.writeFileSync(files.at(-1)!, JSON.stringify(copy));
    }
    const [first, ...rest] = validateManyWithPython(SCHEMA_FILE, files);
    untouched = first!;
    cases.forEach(([name], index) => errorsByCase.set(name, rest[index]!));
  });

  it("the untouched document is valid", () => {
    expect(untouched).toEqual([]);
  });

  it.each(cases)("%s", (name, _tamper, where) => {
    const errors = errorsByCase.get(name)!;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.path.join("."))).toContain(where);
  });
});

describe("streaming, progress and cancellation", () => {
  it("writes one array element per line and reports progress ending at done = total", async () => {
    const { run } = await exportJson(env, seeded.projectId, "project");
    const lines = run.text.split("\n");
    expect(lines.filter((line) => line.startsWith('{"id":"p')).length).toBe(PERSONAS.length);
    expect(lines.filter((line) => line.startsWith('{"id":"msg-')).length).toBe(MESSAGES.length);
    expect(run.text.endsWith("]}\n")).toBe(true);
    const last = run.progress.at(-1)!;
    expect(last.done).toBe(last.total);
    // 4 personas + 8 messages + 3 responses written + 3 read for the results.
    expect(last.total).toBe(4 + 8 + 3 + 3);
    expect(run.progress.length).toBeLessThan(12);
  });

  it("rejects and stops writing once the signal aborts", async () => {
    const controller = new AbortController();
    const { ctx, progress } = await produceContext(env.services, seeded.projectId, "project", {
      format: "json",
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const target = path.join(tempDir("sight-json-abort-"), "out.json.tmp");
    await expect(produceJson(ctx, target)).rejects.toMatchObject({ name: "AbortError" });
    expect(progress).toHaveLength(1);
    const written = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    expect(written).not.toContain('"id":"p1-zazolc"');
    expect(() => JSON.parse(written)).toThrow();
  });
});

describe("JSON export of a project run against the fakes", () => {
  let fakes: RunningFakes;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => fakes.close());

  it("generated personas, a discussion with its analysis and a survey run validate and equal what the services return", async () => {
    const own = await startExportServices({ env: fakes.env, llmPolicy: FAST_POLICY });
    try {
      const { services } = own;
      const settle = async (jobId: string) => {
        await services.jobs.idle();
        const job: Job = await services.jobs.get(jobId);
        expect(job.status).toBe("succeeded");
      };
      const project = await services.projects.create(
        routes["projects.create"].input.parse({ name: "Oat drink", targetDemographics: TARGET }),
      );
      await settle((await services.personas.generate({ projectId: project.id, count: 4, seed: 11 })).jobId);
      const personas: Persona[] = (
        await services.personas.list(routes["personas.list"].input.parse({ projectId: project.id }))
      ).items;
      const fg = await services.focusGroups.create(
        routes["focusGroups.create"].input.parse({
          projectId: project.id,
          name: "Switching to oat milk",
          participantIds: personas.map((p) => p.id),
          guide: [{ question: "What do you drink with breakfast?", probes: ["Ask about price"] }],
          settings: { discussionRounds: 1 },
        }),
      );
      await settle((await services.focusGroups.run(fg.id)).jobId);
      await settle((await services.focusGroups.analyze(fg.id)).jobId);
      const survey = await services.surveys.create(
        routes["surveys.create"].input.parse({
          projectId: project.id,
          name: "Breakfast",
          questions: SURVEY_TEST_QUESTIONS,
        }),
      );
      await settle((await services.surveys.run(routes["surveys.run"].input.parse({ id: survey.id }))).jobId);

      const { run, doc } = await exportJson(own, project.id, "project");
      expect(validateWithPython(SCHEMA_FILE, run.file)).toEqual([]);
      expect(byId(doc.personas)).toEqual(byId(personas));
      const messages = await services.focusGroups.messages(routes["focusGroups.messages"].input.parse({ id: fg.id }));
      expect(doc.focusGroups[0]!.messages).toEqual(messages.items);
      expect(doc.focusGroups[0]!.messages.length).toBeGreaterThan(4);
      const insights = await services.focusGroups.insights(fg.id);
      expect(insights.items.length).toBeGreaterThan(0);
      expect(doc.focusGroups[0]!.insights).toEqual(insights.items);
      expect(doc.focusGroups[0]!.analysis!.usage).toEqual(insights.usage);
      expect(doc.focusGroups[0]!.sentiment.overall).toBeCloseTo(insights.sentiment.overall!, 12);
      const responses = await services.surveys.responses(routes["surveys.responses"].input.parse({ id: survey.id }));
      expect(doc.surveys[0]!.responses).toEqual(
        byId(responses.items).sort((a, b) => a.personaId.localeCompare(b.personaId)),
      );
      const results = await services.surveys.results({ id: survey.id, crosstab: "gender" });
      expect(doc.surveys[0]!.results.questions).toEqual(results.questions);
      expect(doc.surveys[0]!.results.crosstabs.filter((c) => c.dimension === "gender")).toEqual(results.crosstabs);
      expect(doc.surveys[0]!.status).toBe((await services.surveys.get(survey.id)).status);
    } finally {
      await own.close();
    }
  });
});

describe("survey results over counted answers", () => {
  /** mulberry32: the same "random" surveys on every run. */
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
  const TYPES = ["multiple_choice", "rating_scale", "open_ended", "ranking"] as const;
  const SLOTS: (Record<string, string> | undefined)[] = [
    { gender: "female", age_group: "18-34" },
    { gender: "male", age_group: "35+" },
    { gender: "female", age_group: "35+" },
    { gender: "other", age_group: "18-34" },
    { age_group: "18-34" },
    undefined,
  ];

  function randomQuestion(next: () => number, index: number): Question {
    const type = TYPES[index % TYPES.length]!;
    const labels = (n: number) => Array.from({ length: n }, (_, i) => `opt ${i} ${"ąę"[i % 2]}`);
    switch (type) {
      case "multiple_choice": {
        const options = labels(2 + Math.floor(next() * 5));
        const maxSelections = next() < 0.5 ? 1 : 1 + Math.floor(next() * options.length);
        return { id: `q${index}`, type, text: "MC", required: true, options, maxSelections };
      }
      case "rating_scale": {
        const min = Math.floor(next() * 5) - 3;
        return { id: `q${index}`, type, text: "Rate", required: true, min, max: min + 1 + Math.floor(next() * 9) };
      }
      case "ranking":
        return { id: `q${index}`, type, text: "Rank", required: true, items: labels(2 + Math.floor(next() * 4)) };
      default:
        return { id: `q${index}`, type, text: "Why", required: false };
    }
  }

  function randomAnswer(next: () => number, q: Question): AnswerValue | undefined {
    const roll = next();
    if (roll < 0.05) return undefined;
    if (roll < 0.1) return null;
    if (roll < 0.15) return ["not", "valid"]; // an answer edited by hand: never counted
    const shuffled = (items: string[]) => [...items].sort(() => next() - 0.5);
    switch (q.type) {
      case "multiple_choice":
        return shuffled(q.options!).slice(0, 1 + Math.floor(next() * q.maxSelections!));
      case "rating_scale":
        return q.min! + Math.floor(next() * (q.max! - q.min! + 1));
      case "ranking":
        return shuffled(q.items!);
      default:
        return next() < 0.2 ? "   " : `text ${Math.floor(next() * 1000)}`;
    }
  }

  /** The export's grouping: one group per (valid answer, slot), open answers as "answered", first met first. */
  function groupsOf(
    q: Question,
    responses: ResponseForStats[],
    slotOf: Map<string, Record<string, string> | undefined>,
  ) {
    const groups = new Map<string, AnswerGroup>();
    for (const r of responses) {
      const value = validAnswer(q, r.answers[q.id]);
      if (value === null) continue;
      const slot = slotOf.get(r.personaId);
      const key = `${SLOTS.indexOf(slot)}\u0000${q.type === "open_ended" ? "answered" : JSON.stringify(value)}`;
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { value, slot, count: 1 });
    }
    return [...groups.values()];
  }

  it("equal summarizeQuestion and crossTabulate (the results route's aggregation) on 400 random questions", () => {
    const next = rng(20261126);
    let compared = 0;
    for (let trial = 0; trial < 400; trial++) {
      const question = randomQuestion(next, trial);
      const slotOf = new Map<string, Record<string, string> | undefined>();
      const responses: ResponseForStats[] = Array.from({ length: Math.floor(next() * 80) }, (_, i) => {
        const personaId = `p${i}`;
        slotOf.set(personaId, SLOTS[Math.floor(next() * SLOTS.length)]);
        return { personaId, answers: { [question.id]: randomAnswer(next, question) } };
      });
      const themes = { [question.id]: [{ theme: "t", count: 1, quotes: [] }] };
      const groups = groupsOf(question, responses, slotOf);
      expect(summarizeGroups(question, groups, themes)).toEqual(summarizeQuestion(question, responses, themes));
      for (const dimension of ["gender", "age_group"]) {
        const categories = Object.keys(TARGET[dimension as keyof typeof TARGET]);
        expect(crossTabulateGroups(question, groups, dimension, categories)).toEqual(
          crossTabulate(question, responses, dimension, categories, (id) => slotOf.get(id)?.[dimension]),
        );
      }
      compared += responses.length;
    }
    expect(compared).toBeGreaterThan(10_000);
  });
});
