import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildStudyBundleJsonSchema,
  routes,
  studyBundleSchema,
  type FocusGroup,
  type StudyBundle,
  type Survey,
} from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import { validateManyWithPython } from "../support/exports";
import { REPO_ROOT, tempDir, type TestApp } from "../support/services";
import { openWorkspace, saveRecipe, TARGET, type Workspace } from "./world";

const SCHEMA_FILE = path.join(REPO_ROOT, "schemas", "study-bundle.schema.json");

let fakes: RunningFakes;
const apps: TestApp[] = [];
let a: Workspace;
let files: { survey: string; focusGroup: string };

beforeAll(async () => {
  fakes = await startFakes();
  a = await openWorkspace(fakes, apps);
  const project = await a.invoke<{ id: string }>("projects.create", { name: "Oat drink", targetDemographics: TARGET });
  const personas = await a.generatePersonas(project.id, 2, 1);
  const survey = await a.invoke<Survey>("surveys.create", {
    projectId: project.id,
    name: "Quick poll",
    questions: [
      { type: "multiple_choice", text: "Coffee or tea?", options: ["Coffee", "Tea"] },
      { type: "open_ended", text: "Why?", required: false },
    ],
  });
  await a.invoke("surveys.run", { id: survey.id });
  const group = await a.invoke<FocusGroup>("focusGroups.create", {
    projectId: project.id,
    name: "Chat",
    participantIds: personas.map((p) => p.id),
    guide: [{ question: "Coffee or tea?" }],
    settings: { discussionRounds: 0, moderatorFollowUps: false, language: "pl" },
  });
  await a.invoke("focusGroups.run", { id: group.id });
  await a.app.services.jobs.idle();
  files = {
    survey: (await saveRecipe(a, "survey", survey.id)).file,
    focusGroup: (await saveRecipe(a, "focusGroup", group.id)).file,
  };
});
afterAll(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const file of Object.values(files ?? {})) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  await fakes.close();
});

describe("the study bundle's committed JSON Schema", () => {
  it("is what buildStudyBundleJsonSchema() generates (regenerate with node --import tsx scripts/export-schema.ts)", () => {
    expect(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"))).toEqual(buildStudyBundleJsonSchema());
  });

  it("accepts the bundles Sight writes, and python's jsonschema refuses an altered one", () => {
    const altered = path.join(tempDir("sight-recipe-"), "altered.json");
    const bundle = JSON.parse(fs.readFileSync(files.survey, "utf8")) as StudyBundle;
    fs.writeFileSync(
      altered,
      JSON.stringify({ ...bundle, version: 2, personas: [{ ...bundle.personas[0], age: "old" }] }),
    );
    const [survey, focusGroup, bad] = validateManyWithPython(SCHEMA_FILE, [files.survey, files.focusGroup, altered]);
    expect(survey).toEqual([]);
    expect(focusGroup).toEqual([]);
    expect(bad!.map((error) => error.path.join("."))).toEqual(expect.arrayContaining(["version", "personas.0.age"]));
    fs.rmSync(path.dirname(altered), { recursive: true, force: true });
  });

  it("the written files parse with the contract's schema, with the results digest and Polish prompts", () => {
    const survey = studyBundleSchema.parse(JSON.parse(fs.readFileSync(files.survey, "utf8")));
    const focusGroup = studyBundleSchema.parse(JSON.parse(fs.readFileSync(files.focusGroup, "utf8")));
    expect(survey.results).toMatchObject({ status: "completed", digest: { units: 2 } });
    expect(focusGroup.results).toMatchObject({ status: "completed", digest: { units: 3 } });
    expect(focusGroup.prompts.kind === "focusGroup" && focusGroup.prompts.moderatorSystem).toContain("Polish");
    expect(focusGroup.models.map((m) => m.role)).toEqual(["participants"]);
  });

  it("the desktop-only routes are not served over REST", () => {
    expect(routes["recipes.saveAs"].desktopOnly).toBe(true);
    expect(routes["recipes.importFile"].desktopOnly).toBe(true);
    expect(routes["recipes.import"].desktopOnly).toBeUndefined();
  });
});
