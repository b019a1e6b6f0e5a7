import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Job, Persona, Project } from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { data, startTestApp, type TestApp } from "../support/services";

/**
 * A project's personas follow the country its target names (or the locale chosen for it), and a
 * generation run's personas can be followed as they arrive (personas.list by run, newest first).
 */

let fakes: RunningFakes;
const apps: TestApp[] = [];
const ctx = { transport: "rest" as const };

beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
afterEach(async () => {
  fakes.reset();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start() {
  const app = await startTestApp({ env: fakes.env, llmPolicy: FAST_POLICY });
  apps.push(app);
  const invoke = async <T>(name: string, input: unknown) => data(await app.router.invoke(name, input, ctx)) as T;
  const generate = async (projectId: string, input: Record<string, unknown>) => {
    const { jobId } = await invoke<{ jobId: string }>("personas.generate", { projectId, ...input });
    await app.services.jobs.idle();
    return invoke<Job>("jobs.get", { id: jobId });
  };
  return { app, invoke, generate };
}

describe("the personas' locale", () => {
  it("is stored with the project when chosen, kept by a duplicate, and cleared with null", async () => {
    const t = await start();
    const project = await t.invoke<Project>("projects.create", { name: "Lunch", personaLocale: "it-IT" });
    expect(project.personaLocale).toBe("it-IT");
    const copy = await t.invoke<Project>("projects.duplicate", { id: project.id });
    expect(copy.personaLocale).toBe("it-IT");
    const cleared = await t.invoke<Project>("projects.update", { id: project.id, personaLocale: null });
    expect(cleared.personaLocale).toBeNull();
    expect((await t.invoke<Project>("projects.create", { name: "Plain" })).personaLocale).toBeNull();
  });

  it("refuses a locale Sight does not write personas in", async () => {
    const t = await start();
    const result = await t.app.router.invoke("projects.create", { name: "Mars", personaLocale: "xx-MARS" }, ctx);
    expect(result).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { issues: [{ path: ["personaLocale"] }] } },
    });
  });

  it("follows the country the location categories name when a run asks for none", async () => {
    const t = await start();
    const project = await t.invoke<Project>("projects.create", {
      name: "Kraków bakeries",
      targetDemographics: { location: { Kraków: 0.5, Gdańsk: 0.5 } },
    });
    const job = await t.generate(project.id, { count: 2, seed: 3 });
    expect(job.status).toBe("succeeded");
    expect((job.params as { locale: string }).locale).toBe("pl-PL");
    const personas = (await t.invoke<{ items: Persona[] }>("personas.list", { projectId: project.id })).items;
    expect(personas.map((persona) => persona.locale)).toEqual(["pl-PL", "pl-PL"]);
  });

  it("takes the project's chosen locale over the target's country, and a run's own over both", async () => {
    const t = await start();
    const project = await t.invoke<Project>("projects.create", {
      name: "Berlin, in English",
      targetAudience: "Commuters in Germany",
      personaLocale: "en-GB",
    });
    expect(((await t.generate(project.id, { count: 1 })).params as { locale: string }).locale).toBe("en-GB");
    expect(((await t.generate(project.id, { count: 1, locale: "de-DE" })).params as { locale: string }).locale).toBe(
      "de-DE",
    );
  });
});

describe("personas.list by run", () => {
  it("lists only the personas one run saved, newest first, with keyset pages both ways", async () => {
    const t = await start();
    const project = await t.invoke<Project>("projects.create", {
      name: "Runs",
      targetDemographics: { gender: { female: 0.5, male: 0.5 } },
    });
    const first = await t.generate(project.id, { count: 2, seed: 1 });
    const second = await t.generate(project.id, { count: 3, seed: 2 });
    const all = (await t.invoke<{ items: Persona[] }>("personas.list", { projectId: project.id })).items;
    expect(all).toHaveLength(5);

    const ofSecond = await t.invoke<{ items: Persona[]; total: number; nextCursor: string | null }>("personas.list", {
      projectId: project.id,
      runId: second.id,
      order: "desc",
      limit: 2,
    });
    expect(ofSecond.total).toBe(3);
    const secondIds = all.filter((persona) => persona.runId === second.id).map((persona) => persona.id);
    expect(ofSecond.items.map((persona) => persona.id)).toEqual(secondIds.slice().reverse().slice(0, 2));
    const rest = await t.invoke<{ items: Persona[]; nextCursor: string | null }>("personas.list", {
      projectId: project.id,
      runId: second.id,
      order: "desc",
      limit: 2,
      cursor: ofSecond.nextCursor,
    });
    expect(rest.items.map((persona) => persona.id)).toEqual([secondIds[0]]);
    expect(rest.nextCursor).toBeNull();

    const ofFirst = await t.invoke<{ items: Persona[] }>("personas.list", { projectId: project.id, runId: first.id });
    expect(ofFirst.items.every((persona) => persona.runId === first.id)).toBe(true);
    expect(ofFirst.items).toHaveLength(2);
  });
});
