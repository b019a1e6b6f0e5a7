import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ROUTE_NAMES, routes, type RouteName } from "../../src/shared/contract";
import { mergeHandlers } from "../../src/main/api/router";
import { data, startTestApp, type TestApp } from "../support/services";

let app: TestApp;
let projectId: string;
const ctx = { transport: "ipc" as const };

/** Everything the app keeps, so a test can prove that a refused call changed nothing. */
async function fingerprint(): Promise<string> {
  const tables = ["Project", "Job", "JobUnit"];
  const parts: unknown[] = [];
  for (const table of tables) {
    parts.push((await app.services.db.raw.execute(`SELECT * FROM "${table}" ORDER BY rowid`)).rows);
  }
  parts.push(app.services.deps.preferences.get());
  parts.push(await app.services.deps.secrets.has("llm.gemini.apiKey"));
  return JSON.stringify(parts);
}

/** Invalid payloads every route must refuse. */
const GENERIC_BAD_INPUTS: unknown[] = ["a string", 42, [], true, { unexpectedField: 1 }];

/** Route-specific payloads that are the right shape but carry a bad value. */
const SPECIFIC_BAD_INPUTS: Partial<Record<RouteName, (id: string) => unknown[]>> = {
  "projects.list": () => [
    { limit: 0 },
    { limit: 101 },
    { limit: "ten" },
    { status: "deleted" },
    { sort: "random" },
    { q: "x".repeat(201) },
  ],
  "projects.get": () => [{ id: "" }, { id: "../etc/passwd" }, { id: 5 }],
  "projects.create": () => [
    {},
    { name: "" },
    { name: "   " },
    { name: "x".repeat(121) },
    { name: "ok", targetSampleSize: 0 },
    { name: "ok", targetSampleSize: 1001 },
    { name: "ok", targetSampleSize: 2.5 },
    { name: "ok", targetDemographics: { gender: { female: "half" } } },
    { name: "ok", targetDemographics: ["gender"] },
  ],
  "projects.update": (id) => [
    { id, name: "" },
    { id, targetSampleSize: -1 },
    { id, status: "archived" },
    { name: "x" },
  ],
  "projects.duplicate": (id) => [{ id, name: "" }],
  "jobs.list": () => [{ status: "exploded" }, { limit: 1000 }],
  "settings.update": () => [{ theme: "neon" }, { language: "de" }],
  "secrets.set": () => [
    { key: "llm.gemini.apiKey", value: "" },
    { key: "not.a.key", value: "x" },
    { key: "llm.gemini.apiKey" },
  ],
  "secrets.has": () => [{ key: "other" }],
  "secrets.delete": () => [{ key: "other" }],
  "focusGroups.create": () => [
    { projectId: "p", name: "x", participantIds: ["a"], guide: [{ question: "q" }] },
    { projectId: "p", name: "x", participantIds: ["a", "b"], guide: [] },
    { projectId: "p", name: "", participantIds: ["a", "b"], guide: [{ question: "q" }] },
    {
      projectId: "p",
      name: "x",
      participantIds: ["a", "b"],
      guide: [{ question: "q" }],
      settings: { discussionRounds: 5 },
    },
  ],
  "focusGroups.messages": () => [
    { id: "x", cursor: "abc" },
    { id: "x", limit: 0 },
  ],
  "surveys.create": (id) => {
    const survey = (...questions: unknown[]) => ({ projectId: id, name: "Survey", questions });
    const open = { type: "open_ended", text: "Why?" };
    return [
      survey(),
      { ...survey(open), name: "" },
      survey({ type: "multiple_choice", text: "Pick", options: ["a"] }),
      survey({ type: "multiple_choice", text: "Pick", options: Array.from({ length: 21 }, (_, i) => `o${i}`) }),
      survey({ type: "multiple_choice", text: "Pick", options: ["a", "A"] }),
      survey({ type: "multiple_choice", text: "Pick", options: ["a", "b"], maxSelections: 3 }),
      survey({ type: "rating_scale", text: "Rate", min: 3, max: 3 }),
      survey({ type: "rating_scale", text: "Rate", min: 1, max: 30 }),
      survey({ type: "ranking", text: "Rank", items: ["a"] }),
      survey({ type: "ranking", text: "Rank", items: Array.from({ length: 11 }, (_, i) => `i${i}`) }),
      survey({ type: "slider", text: "Slide" }),
      survey({ ...open, id: "Bad Id" }),
      survey({ ...open, id: "same" }, { ...open, id: "same" }),
      survey(...Array.from({ length: 11 }, () => open)),
    ];
  },
  "surveys.list": (id) => [
    { projectId: id, limit: 0 },
    { projectId: id, limit: 101 },
    { projectId: id, cursor: "abc" },
  ],
  "surveys.get": () => [{ id: "" }, { id: "../x" }],
  "surveys.update": () => [
    { id: "x", name: "" },
    { id: "x", questions: [] },
    { id: "x", questions: [{ type: "ranking", text: "r", items: [] }] },
  ],
  "surveys.delete": () => [{ id: "" }],
  "surveys.run": () => [
    { id: "x", personaIds: [] },
    { id: "x", personaIds: ["../bad"] },
    { id: "x", model: "" },
  ],
  "surveys.responses": () => [
    { id: "x", limit: 0 },
    { id: "x", limit: 1001 },
  ],
  "surveys.results": () => [
    { id: "x", crosstab: "Bad-Dim" },
    { id: "x", crosstab: "" },
  ],

  "llm.updateSettings": () => [
    { concurrency: 0 },
    { concurrency: 65 },
    { concurrency: 2.5 },
    { provider: "claude" },
    { geminiBaseUrl: "javascript:alert(1)" },
    { openaiBaseUrl: "not a url" },
    { requestTimeoutMs: 999 },
    { models: { personas: "" } },
    { models: { personas: "gemini-2.5-flash" } },
    { prices: { "gemini-2.5-flash": { inputPerMTok: -1, outputPerMTok: 0 } } },
    { apiKey: "AIza-keys-go-through-secrets.set" },
  ],
  "llm.testConnection": () => [{ provider: "claude" }, { provider: 1 }],
};

beforeAll(async () => {
  app = await startTestApp();
  projectId = (data(await app.router.invoke("projects.create", { name: "Seed" }, ctx)) as { id: string }).id;
});
afterAll(async () => app.close());

describe("router", () => {
  it("has exactly one handler for every route and rejects duplicates", () => {
    const handler = async () => ({});
    expect(() => mergeHandlers({ "projects.get": handler } as never, { "projects.get": handler } as never)).toThrow(
      /two handlers/,
    );
    expect(() => mergeHandlers({ "projects.get": handler } as never)).toThrow(/without a handler/);
  });

  it("answers an unknown route with NOT_FOUND and never throws", async () => {
    for (const name of ["nope", "", 12, null, "projects.list.extra", "__proto__", "constructor"]) {
      expect(await app.router.invoke(name, {}, ctx)).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });

  it.each(ROUTE_NAMES)("%s refuses invalid payloads with VALIDATION_FAILED and changes nothing", async (name) => {
    const inputs = [...GENERIC_BAD_INPUTS, ...(SPECIFIC_BAD_INPUTS[name]?.(projectId) ?? [])];
    // Routes without fields accept {} but still refuse non-objects and unknown fields.
    const before = await fingerprint();
    for (const input of inputs) {
      const result = await app.router.invoke(name, input, ctx);
      expect(result, `${name} with ${JSON.stringify(input)}`).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
      const error = (result as { error: { details: { issues: unknown[] } } }).error;
      expect(error.details.issues.length).toBeGreaterThan(0);
    }
    expect(await fingerprint()).toBe(before);
  });

  it("validates outputs: a handler whose output breaks the contract yields INTERNAL, not bad data", async () => {
    // Corrupt a stored row so projects.get's output no longer fits projectSchema.
    await app.services.db.raw.execute({
      sql: `UPDATE "Project" SET targetDemographics = '[1,2]' WHERE id = ?`,
      args: [projectId],
    });
    expect(await app.router.invoke("projects.get", { id: projectId }, ctx)).toMatchObject({
      error: { code: "INTERNAL" },
    });
    await app.services.db.raw.execute({
      sql: `UPDATE "Project" SET targetDemographics = '{}' WHERE id = ?`,
      args: [projectId],
    });
    expect(await app.router.invoke("projects.get", { id: projectId }, ctx)).toMatchObject({ data: { id: projectId } });
  });

  it("every route declares a REST binding whose path params exist in its input", () => {
    for (const name of ROUTE_NAMES) {
      const def = routes[name];
      const shape = (def.input as unknown as z.ZodObject).shape as Record<string, unknown>;
      for (const [, param] of def.rest.path.matchAll(/\{([A-Za-z]+)\}/g)) {
        expect(Object.keys(shape), `${name} path param ${param}`).toContain(param);
      }
    }
  });

  it("never returns a secret's value through any route", async () => {
    const value = "AIzaSyTESTVALUE-never-returned-0123456789";
    data(await app.router.invoke("secrets.set", { key: "llm.gemini.apiKey", value }, ctx));
    const outputs = await Promise.all(
      (["secrets.has", "settings.get", "app.info"] as const).map((name) =>
        app.router.invoke(name, name === "secrets.has" ? { key: "llm.gemini.apiKey" } : {}, ctx),
      ),
    );
    expect(JSON.stringify(outputs)).not.toContain(value);
    expect(outputs[0]).toEqual({ data: { key: "llm.gemini.apiKey", present: true } });
    data(await app.router.invoke("secrets.delete", { key: "llm.gemini.apiKey" }, ctx));
    expect(await app.router.invoke("secrets.has", { key: "llm.gemini.apiKey" }, ctx)).toEqual({
      data: { key: "llm.gemini.apiKey", present: false },
    });
  });
});
