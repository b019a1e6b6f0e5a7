import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_STUDY_BUNDLE_BYTES, type Survey, type StudyBundle } from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import { tempDir, type TestApp } from "../support/services";
import { openWorkspace, TARGET, type Workspace } from "./world";

let fakes: RunningFakes;
const apps: TestApp[] = [];
/** A valid bundle of a survey over 3 personas, made once. */
let bundle: StudyBundle;

beforeAll(async () => {
  fakes = await startFakes();
  const a = await openWorkspace(fakes, apps);
  const project = await a.invoke<{ id: string }>("projects.create", { name: "Oat drink", targetDemographics: TARGET });
  await a.generatePersonas(project.id, 3, 5);
  const survey = await a.invoke<Survey>("surveys.create", {
    projectId: project.id,
    name: "Quick poll",
    questions: [{ type: "rating_scale", text: "How likely are you to try it?", min: 1, max: 5 }],
  });
  bundle = (await a.invoke<{ bundle: StudyBundle }>("recipes.build", { kind: "survey", id: survey.id })).bundle;
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
afterAll(async () => fakes.close());
afterEach(async () => {
  fakes.reset();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const copy = (): StudyBundle => structuredClone(bundle);

/** A workspace that already holds `existing` personas in a project of its own. */
async function workspaceWith(existing: number): Promise<Workspace> {
  const b = await openWorkspace(fakes, apps);
  if (existing > 0) {
    const project = await b.invoke<{ id: string }>("projects.create", { name: "Mine", targetDemographics: TARGET });
    await b.generatePersonas(project.id, existing, 9);
  }
  return b;
}

async function expectRefused(b: Workspace, input: unknown, code: string, reason?: string) {
  const before = await b.counts();
  const result = (await b.call("recipes.import", input)) as { error?: { code: string; details?: { reason?: string } } };
  expect(result.error?.code, JSON.stringify(result).slice(0, 300)).toBe(code);
  if (reason) expect(result.error?.details?.reason).toBe(reason);
  expect(await b.counts()).toEqual(before);
  return result.error!;
}

describe("importing a reproducibility bundle refuses what it cannot trust, and changes nothing", () => {
  it("imports the valid bundle (the refusals below are refusals of their one change)", async () => {
    const b = await workspaceWith(0);
    const before = await b.counts();
    const result = await b.invoke<{ personas: number }>("recipes.import", { text: JSON.stringify(bundle) });
    expect(result.personas).toBe(3);
    const after = await b.counts();
    expect({ projects: after.Project - before.Project, personas: after.Persona - before.Persona }).toEqual({
      projects: 1,
      personas: 3,
    });
    expect(after.Survey - before.Survey).toBe(1);
    expect(after.Job).toBe(before.Job);
  });

  it("refuses another version with VALIDATION_FAILED (unsupported_version)", async () => {
    const b = await workspaceWith(0);
    const error = await expectRefused(
      b,
      { text: JSON.stringify({ ...copy(), version: 2 }) },
      "VALIDATION_FAILED",
      "unsupported_version",
    );
    expect(error.details).toMatchObject({ version: 2, supported: [1] });
  });

  it("refuses a file that is not a study bundle (not_a_bundle)", async () => {
    const b = await workspaceWith(0);
    await expectRefused(
      b,
      { text: JSON.stringify({ metadata: {}, project: {} }) },
      "VALIDATION_FAILED",
      "not_a_bundle",
    );
    await expectRefused(b, { text: "[1, 2, 3]" }, "VALIDATION_FAILED", "not_a_bundle");
  });

  it("refuses invalid JSON (invalid_json)", async () => {
    const b = await workspaceWith(0);
    await expectRefused(b, { text: JSON.stringify(copy()).slice(0, -10) }, "VALIDATION_FAILED", "invalid_json");
  });

  it("refuses missing fields, naming them (invalid_bundle)", async () => {
    const b = await workspaceWith(0);
    const noPersonas = copy() as Partial<StudyBundle>;
    delete noPersonas.personas;
    const error = await expectRefused(b, { text: JSON.stringify(noPersonas) }, "VALIDATION_FAILED", "invalid_bundle");
    expect((error.details as { issues: { path: string[] }[] }).issues.map((i) => i.path)).toContainEqual(["personas"]);

    const noName = copy();
    delete (noName.personas[0] as Partial<StudyBundle["personas"][number]>).name;
    const named = await expectRefused(b, { text: JSON.stringify(noName) }, "VALIDATION_FAILED", "invalid_bundle");
    expect((named.details as { issues: { path: string[] }[] }).issues.map((i) => i.path)).toContainEqual([
      "personas",
      "0",
      "name",
    ]);
  });

  it("refuses unknown fields, a respondent who is not in the bundle, and a persona listed twice", async () => {
    const b = await workspaceWith(0);
    await expectRefused(
      b,
      { text: JSON.stringify({ ...copy(), extra: "field" }) },
      "VALIDATION_FAILED",
      "invalid_bundle",
    );
    const stranger = copy();
    if (stranger.study.kind !== "survey") throw new Error("expected a survey bundle");
    stranger.study.respondents[0] = "someone-else";
    await expectRefused(b, { text: JSON.stringify(stranger) }, "VALIDATION_FAILED", "invalid_bundle");
    const twice = copy();
    twice.personas.push(twice.personas[0]!);
    await expectRefused(b, { text: JSON.stringify(twice) }, "VALIDATION_FAILED", "invalid_bundle");
  });

  it("refuses target weights that do not sum to 100% with INVALID_DEMOGRAPHICS", async () => {
    const b = await workspaceWith(0);
    const skewed = copy();
    skewed.project.targetDemographics = { gender: { female: 0.7, male: 0.7 } };
    await expectRefused(b, { text: JSON.stringify(skewed) }, "INVALID_DEMOGRAPHICS");
  });

  it("refuses personas beyond the plan's limit with QUOTA_EXCEEDED (Free: 5 per workspace)", async () => {
    const b = await workspaceWith(3);
    const error = await expectRefused(b, { text: JSON.stringify(bundle) }, "QUOTA_EXCEEDED");
    expect(error.details).toMatchObject({ plan: "free", limit: 5, used: 3, remaining: 2, requested: 3 });
  });

  it("refuses a 50 MB file before reading it (too_large), from the desktop's open dialog and as text", async () => {
    const b = await workspaceWith(0);
    const file = path.join(tempDir("sight-recipe-"), "huge.json");
    fs.writeFileSync(file, "");
    fs.truncateSync(file, 50 * 1024 * 1024);
    b.dialogs.openPath = file;
    const before = await b.counts();
    const result = (await b.call("recipes.importFile", {})) as { error?: { code: string; details?: unknown } };
    expect(result.error).toMatchObject({ code: "VALIDATION_FAILED", details: { reason: "too_large" } });
    expect(await b.counts()).toEqual(before);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    // As text the contract's limit refuses it before any service sees it.
    const text = " ".repeat(MAX_STUDY_BUNDLE_BYTES + 1);
    await expectRefused(b, { text }, "VALIDATION_FAILED");
    // Within the character limit but over the byte limit (multi-byte characters).
    await expectRefused(b, { text: "ż".repeat(MAX_STUDY_BUNDLE_BYTES / 2 + 1) }, "VALIDATION_FAILED", "too_large");
  });

  it("imports a bundle file chosen in the desktop's open dialog; a cancelled dialog imports nothing", async () => {
    const b = await workspaceWith(0);
    const file = path.join(tempDir("sight-recipe-"), "recipe.json");
    fs.writeFileSync(file, JSON.stringify(bundle));
    b.dialogs.openPath = null;
    expect(await b.invoke("recipes.importFile", {})).toEqual({ imported: false, result: null });
    b.dialogs.openPath = file;
    const picked = await b.invoke<{ imported: boolean; result: { personas: number } }>("recipes.importFile", {});
    expect(picked).toMatchObject({ imported: true, result: { personas: 3, promptsMatch: true } });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
