import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { SYNTHETIC_DATA_LABEL, type StudyBundle, type studyBundleSchema } from "../../src/shared/contract";
import type { RunningHost } from "../../src/main/headless/host";
import { startTestHost } from "../support/test-host";
import { REPO_ROOT } from "../support/services";

const TOKEN = "recipes-rest-token-0123456789";
const auth = { Authorization: `Bearer ${TOKEN}` };
let host: RunningHost;
let base: string;
let dataDir: string;

beforeAll(async () => {
  ({ host, dataDir } = await startTestHost({ token: TOKEN }));
  base = host.server.url;
});
afterAll(async () => {
  await host.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const persona = (id: string, name: string, gender: string): StudyBundle["personas"][number] => ({
  id,
  slotIndex: null,
  demographics: { gender },
  name,
  age: 34,
  gender,
  location: "Kraków",
  education: "university",
  income: "middle",
  occupation: "teacher",
  bigFive: { openness: 0.6, conscientiousness: 0.5, extraversion: 0.4, agreeableness: 0.7, neuroticism: 0.3 },
  values: ["family"],
  interests: ["cycling"],
  backgroundStory: "Grew up in Kraków and teaches maths.",
  communicationStyle: "Direct.",
  decisionMakingStyle: "Careful.",
  concerns: ["prices"],
  slotEvidence: [],
  locale: "pl-PL",
  model: "hand-written",
});

/** A bundle written by hand (by a script, say), not by Sight: defaults left out, placeholder prompts. */
const handWritten: z.input<typeof studyBundleSchema> = {
  format: "sight.study-bundle",
  version: 1,
  appVersion: "elsewhere",
  exportedAt: "2026-12-01T10:00:00.000Z",
  synthetic: true,
  syntheticDataLabel: SYNTHETIC_DATA_LABEL,
  project: {
    name: "Hand-made",
    description: "",
    researchGoal: "",
    targetAudience: "",
    targetDemographics: { gender: { female: 0.5, male: 0.5 } },
    targetSampleSize: 2,
    personaLocale: "pl-PL",
  },
  personas: [persona("ext-1", "Anna Nowak", "female"), persona("ext-2", "Jan Kowalski", "male")],
  study: {
    kind: "survey",
    name: "Tea or coffee",
    questions: [{ id: "drink", type: "multiple_choice", text: "Tea or coffee?", options: ["Tea", "Coffee"] }],
    settings: { model: null, temperature: 0.7, seed: null },
    respondents: ["ext-2", "ext-1"],
  },
  models: [],
  prompts: {
    kind: "survey",
    source: "recorded",
    note: "",
    user: "placeholder",
    respondentSystem: [],
    themesSystem: "placeholder",
  },
  results: { status: "draft", digest: null },
  notes: [],
};

async function post(route: string, body: unknown) {
  const response = await fetch(`${base}/api/v1${route}`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("study recipes over REST", () => {
  it("imports a hand-written bundle (201), says its prompts differ, and gives the recipe back", async () => {
    const imported = await post("/recipes/import", { text: JSON.stringify(handWritten) });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ study: { kind: "survey" }, personas: 2, promptsMatch: false });
    const { id } = imported.body.study as { id: string };
    const response = await fetch(`${base}/api/v1/recipes/survey/${id}`, { headers: auth });
    expect(response.status).toBe(200);
    const { fileName, bundle } = (await response.json()) as { fileName: string; bundle: StudyBundle };
    expect(fileName).toMatch(/^Sight - Hand-made - Tea or coffee - recipe - \d{4}-\d{2}-\d{2}\.json$/);
    expect(bundle).toMatchObject({ appVersion: "9.9.9", results: { status: "draft", digest: null } });
    // The respondents in the bundle's order, under their new ids, with the profiles as given.
    expect(bundle.personas.map((p) => p.name)).toEqual(["Jan Kowalski", "Anna Nowak"]);
    expect(bundle.personas.map(({ id: _, ...rest }) => rest)).toEqual(
      [handWritten.personas[1]!, handWritten.personas[0]!].map(({ id: _, ...rest }) => rest),
    );
    expect(bundle.study).toMatchObject({
      questions: handWritten.study.kind === "survey" && handWritten.study.questions,
    });
    expect(bundle.prompts.kind === "survey" && bundle.prompts.respondentSystem[0]!.text).toContain(
      "Name: Jan Kowalski",
    );
  });

  it("refuses a bad bundle with 400 VALIDATION_FAILED and its reason", async () => {
    const refused = await post("/recipes/import", { text: JSON.stringify({ ...handWritten, version: 7 }) });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED", details: { reason: "unsupported_version" } } },
    });
  });

  it("serves the bundle's JSON Schema, and not the desktop-only routes", async () => {
    const schema = await fetch(`${base}/api/v1/schemas/study-bundle.json`, { headers: auth });
    expect(await schema.json()).toEqual(
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schemas", "study-bundle.schema.json"), "utf8")),
    );
    expect((await post("/recipes/import-file", {})).status).toBe(404);
  });
});
