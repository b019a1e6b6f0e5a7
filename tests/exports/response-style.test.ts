import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_RESPONSE_STYLE_SETTINGS,
  type ExportDocument,
  type Job,
  type Question,
  type ResponseStyle,
  type RouteName,
  type RouteOutput,
} from "../../src/shared/contract";
import { validateWithPython } from "../support/exports";
import { pdfPages, squash } from "../support/pdf-tools";
import { data, startTestApp, type TestApp } from "../support/services";

// A PDF render starts a worker thread and lays the report out: seconds, more on a busy machine.
const RENDER_TIMEOUT = 180_000;
const SCHEMA_FILE = path.resolve(import.meta.dirname, "..", "..", "schemas", "export.schema.json");
const ctx = { transport: "rest" as const };
const RESPONDENTS = 16;

async function call<N extends RouteName>(app: TestApp, name: N, input: unknown): Promise<RouteOutput<N>> {
  return data(await app.router.invoke(name, input, ctx)) as RouteOutput<N>;
}

const QUESTIONS: Question[] = [
  // Everybody on the middle: both warnings (0.7^16 ≈ 0.003 < 0.01 for "no extremes").
  { id: "likely", type: "rating_scale", text: "How likely are you to buy oat milk?", required: true, min: 1, max: 5 },
  // Spread over the whole scale: no warning.
  { id: "taste", type: "rating_scale", text: "How much do you like the taste?", required: true, min: 1, max: 5 },
  // 11 points, no benchmark: three quarters on 5 is a collapse against uniform; (9/11)^16 ≈ 0.04 is no alarm.
  { id: "recommend", type: "rating_scale", text: "Would you recommend it?", required: true, min: 0, max: 10 },
  {
    id: "drink",
    type: "multiple_choice",
    text: "Drink?",
    required: true,
    options: ["Tea", "Coffee"],
    maxSelections: 1,
  },
];

const answersOf = (i: number) => ({
  likely: 3,
  taste: 1 + (i % 5),
  recommend: i < 12 ? 5 : i % 2 ? 4 : 6,
  drink: [i % 2 ? "Tea" : "Coffee"],
});

async function seed(app: TestApp) {
  const project = await call(app, "projects.create", {
    name: "Mleko owsiane",
    targetDemographics: { gender: { female: 0.5, male: 0.5 } },
  });
  const { prisma } = app.services.db;
  const personaIds: string[] = [];
  for (let i = 0; i < RESPONDENTS; i++) {
    const id = `persona-${i}`;
    personaIds.push(id);
    await prisma.persona.create({
      data: {
        id,
        projectId: project.id,
        demographics: JSON.stringify({ gender: i % 2 ? "male" : "female" }),
        name: `Persona ${i}`,
        age: 30 + i,
        gender: i % 2 ? "male" : "female",
        location: "Kraków",
        education: "bachelor",
        income: "middle",
        occupation: "Analyst",
        bigFive: JSON.stringify({
          openness: 0.5,
          conscientiousness: 0.5,
          extraversion: 0.5,
          agreeableness: 0.5,
          neuroticism: 0.5,
        }),
        backgroundStory: "Lives in Kraków.",
        communicationStyle: "direct",
        decisionMakingStyle: "careful",
        locale: "pl-PL",
      },
    });
  }
  const survey = await prisma.survey.create({
    data: {
      id: "survey-1",
      projectId: project.id,
      name: "Oat milk",
      status: "completed",
      questions: JSON.stringify(QUESTIONS),
      personaIds: JSON.stringify(personaIds),
    },
  });
  for (const [i, personaId] of personaIds.entries()) {
    await prisma.surveyResponse.create({
      data: {
        id: `response-${i}`,
        surveyId: survey.id,
        personaId,
        answers: JSON.stringify(answersOf(i)),
        runId: "run-1",
      },
    });
  }
  return { projectId: project.id, surveyId: survey.id };
}

async function exportFile(app: TestApp, input: Record<string, unknown>) {
  const { jobId } = await call(app, "exports.create", input);
  await app.services.jobs.idle();
  const job: Job = await call(app, "jobs.get", { id: jobId });
  expect(job.status, job.error?.message).toBe("succeeded");
  const result = job.result as { exportId: string; cached: boolean };
  const { file } = await app.services.exports.openDownload(result.exportId);
  return { file, cached: result.cached };
}

/** The page whose heading (under the running header) is `title`. */
function pageOf(pages: string[], title: string): string {
  const page = pages.find(
    (text, i) =>
      i >= 2 &&
      text
        .split("\n")
        .slice(0, 8)
        .some((line) => line.trim() === title),
  );
  expect(page, title).toBeDefined();
  return squash(page!);
}

let app: TestApp;
let seeded: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  app = await startTestApp({ plan: "enterprise" });
  seeded = await seed(app);
});
afterAll(async () => app?.close());

const styleOf = (results: RouteOutput<"surveys.results">, id: string) =>
  results.questions.find((q) => q.questionId === id)!.responseStyle;

describe("response style in survey results", () => {
  it("flags each rating question with the numbers behind it, and leaves other types without", async () => {
    const results = await call(app, "surveys.results", { id: seeded.surveyId });
    const likely = styleOf(results, "likely")!;
    expect(likely).toMatchObject({ n: RESPONDENTS, mean: 3, stdDev: 0, midpointValues: [3] });
    expect(likely.midpoint).toMatchObject({ count: 16, share: 1, uniformShare: 0.2, benchmarkShare: 0.3 });
    expect(likely.midpoint.pVsUniform).toBeCloseTo(0.2 ** 16, 25);
    expect(likely.extremes).toMatchObject({ count: 0, share: 0 });
    expect(likely.extremes.pVsBenchmark).toBeCloseTo(0.7 ** 16, 15);
    expect(likely.flags).toEqual(["midpoint_collapse", "no_extremes"]);
    expect(styleOf(results, "taste")!.flags).toEqual([]);
    const recommend = styleOf(results, "recommend")!;
    expect(recommend).toMatchObject({ points: 11, midpointValues: [5], benchmarkSource: null });
    expect(recommend.midpoint.share).toBe(0.75);
    expect(recommend.criteria.noExtremesP).toBeCloseTo((9 / 11) ** 16, 15);
    expect(recommend.flags).toEqual(["midpoint_collapse"]);
    expect(styleOf(results, "drink")).toBeNull();
  });

  it("reads and saves the benchmarks and thresholds in the data folder, and results follow them at once", async () => {
    expect(await call(app, "settings.getResponseStyle", {})).toEqual(DEFAULT_RESPONSE_STYLE_SETTINGS);
    const changes: string[][] = [];
    const off = app.services.bus.on("db.changed", ({ tables }) => changes.push(tables));
    const thresholds = { minAnswers: 20, alpha: 0.01, collapseExcess: 0.5 };
    const next = await call(app, "settings.updateResponseStyle", { thresholds });
    off();
    expect(next).toEqual({ ...DEFAULT_RESPONSE_STYLE_SETTINGS, thresholds });
    expect(changes).toEqual([["ResponseStyleSettings"]]);
    const file = JSON.parse(fs.readFileSync(path.join(app.dataDir, "response-style.json"), "utf8")) as unknown;
    expect(file).toEqual(next);
    // 16 answers are now too few for any warning.
    const results = await call(app, "surveys.results", { id: seeded.surveyId });
    expect(styleOf(results, "likely")!.flags).toEqual([]);
    expect(styleOf(results, "likely")!.criteria.minAnswers).toBe(20);
    await call(app, "settings.updateResponseStyle", DEFAULT_RESPONSE_STYLE_SETTINGS);
  });

  it("refuses a benchmark whose shares pass 100 % with VALIDATION_FAILED, naming the field and the reason", async () => {
    const benchmark = { points: 7, midpointShare: 0.6, extremeShare: 0.5, stdDev: 1, source: "Panel" };
    const refused = await app.router.invoke("settings.updateResponseStyle", { benchmarks: [benchmark] }, ctx);
    expect(refused).toMatchObject({
      error: {
        code: "VALIDATION_FAILED",
        details: { issues: [{ path: ["benchmarks", "0", "extremeShare"], reason: "shares_over_total" }] },
      },
    });
    expect(await call(app, "settings.getResponseStyle", {})).toEqual(DEFAULT_RESPONSE_STYLE_SETTINGS);
  });
});

describe("response style in the JSON export", () => {
  it("carries each rating question's flags and numbers, valid against the committed schema", async () => {
    const { file } = await exportFile(app, {
      projectId: seeded.projectId,
      format: "json",
      scope: "survey",
      ids: [seeded.surveyId],
    });
    expect(validateWithPython(SCHEMA_FILE, file)).toEqual([]);
    const document = JSON.parse(fs.readFileSync(file, "utf8")) as ExportDocument;
    const exported = document.surveys[0]!.results.questions;
    const results = await call(app, "surveys.results", { id: seeded.surveyId });
    expect(exported.map((q) => q.responseStyle)).toEqual(results.questions.map((q) => q.responseStyle));
    const likely = exported.find((q) => q.questionId === "likely")!.responseStyle as ResponseStyle;
    expect(likely.flags).toEqual(["midpoint_collapse", "no_extremes"]);
    expect(likely.criteria).toMatchObject({
      minAnswers: 10,
      alpha: 0.01,
      midpointReference: 0.3,
      extremeReference: 0.3,
    });
  });

  it("is made again, not reused from the cache, when the benchmark changes", async () => {
    const input = { projectId: seeded.projectId, format: "json", scope: "survey", ids: [seeded.surveyId] };
    expect((await exportFile(app, input)).cached).toBe(true);
    await call(app, "settings.updateResponseStyle", {
      benchmarks: [{ points: 11, midpointShare: 0.2, extremeShare: 0.1, stdDev: 2.5, source: "Wave 2 panel" }],
    });
    const fresh = await exportFile(app, input);
    expect(fresh.cached).toBe(false);
    const document = JSON.parse(fs.readFileSync(fresh.file, "utf8")) as ExportDocument;
    const byId = (id: string) =>
      document.surveys[0]!.results.questions.find((q) => q.questionId === id)!.responseStyle!;
    expect(byId("recommend")).toMatchObject({ benchmarkSource: "Wave 2 panel", spread: { benchmarkStdDev: 2.5 } });
    // The 5-point default is gone with the list it was in: uniform only.
    expect(byId("likely").benchmarkSource).toBeNull();
    await call(app, "settings.updateResponseStyle", DEFAULT_RESPONSE_STYLE_SETTINGS);
  });
});

describe("response style in the PDF report", () => {
  it(
    "states each warning with its numbers on the question's page, and says when there is none",
    async () => {
      const { file } = await exportFile(app, {
        projectId: seeded.projectId,
        format: "pdf",
        scope: "survey",
        ids: [seeded.surveyId],
        options: { language: "en" },
      });
      const pages = pdfPages(file);
      const likely = pageOf(pages, QUESTIONS[0]!.text);
      expect(likely).toContain("Response style");
      expect(likely).toContain("These respondents Uniform respondent Human benchmark");
      expect(likely).toContain("Middle answers (3) 100% (16 of 16) 20% · p < 0.001 30% · p < 0.001");
      expect(likely).toContain("End answers (1 or 5) 0% (0 of 16) 40% · p < 0.001 30% · p = 0.003");
      expect(likely).toContain(
        "Midpoint collapse: 100% of the answers are on the middle (3), where the reference expects 30% (p < 0.001).",
      );
      // 0.7^16 ≈ 0.0033
      expect(likely).toContain(
        "No extremes: none of the 16 answers is at an end of the scale (1 or 5); a respondent who answers at the ends 30% of the time would give none with probability 0.003.",
      );
      expect(likely).toContain("Human benchmark: illustrative reference (15/20/30/20/15 %), not a measured norm.");

      const taste = pageOf(pages, QUESTIONS[1]!.text);
      expect(taste).toContain("No response-style warning (a warning needs at least 10 answers and p < 0.01).");
      expect(taste).not.toContain("Midpoint collapse");
      expect(taste).not.toContain("No extremes:");

      const recommend = pageOf(pages, QUESTIONS[2]!.text);
      expect(recommend).toContain("Middle answers (5) 75% (12 of 16) 9% · p < 0.001 – ");
      expect(recommend).toContain(
        "Midpoint collapse: 75% of the answers are on the middle (5), where the reference expects 9%",
      );
      expect(recommend).not.toContain("No extremes:");
      expect(recommend).toContain("No human benchmark for 11-point scales: compared with a uniform respondent only.");
    },
    RENDER_TIMEOUT,
  );

  it(
    "says the same in Polish",
    async () => {
      const { file } = await exportFile(app, {
        projectId: seeded.projectId,
        format: "pdf",
        scope: "survey",
        ids: [seeded.surveyId],
        options: { language: "pl" },
      });
      const likely = pageOf(pdfPages(file), QUESTIONS[0]!.text);
      expect(likely).toContain("Styl odpowiedzi");
      expect(likely).toContain(
        "Skupienie na środku skali: 100% odpowiedzi to środek skali (3), a punkt odniesienia zakłada 30% (p < 0,001).",
      );
      expect(likely).toContain("Brak odpowiedzi skrajnych (1 lub 5) wśród 16 odpowiedzi");
      expect(likely).toContain("Punkt odniesienia: wartości poglądowe (15/20/30/20/15 %), nie zmierzona norma.");
    },
    RENDER_TIMEOUT,
  );
});
