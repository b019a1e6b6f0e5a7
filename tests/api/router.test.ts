import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ROUTE_NAMES, routes, SECRET_KEYS, type RouteName } from "../../src/shared/contract";
import { mergeHandlers } from "../../src/main/api/router";
import { MIGRATIONS_TABLE } from "../../src/main/services/db/migrate";
import { data, startTestApp, type TestApp } from "../support/services";

let app: TestApp;
let projectId: string;
const ctx = { transport: "ipc" as const };

/**
 * Everything the app keeps, so a test can prove that a refused call changed nothing: every table
 * (read from the schema, so a new table is covered without editing this list), preferences,
 * secrets and the LLM settings.
 */
async function fingerprint(): Promise<string> {
  const { raw } = app.services.db;
  const tables = (
    await raw.execute(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '${MIGRATIONS_TABLE}' ORDER BY name`,
    )
  ).rows.map((row) => String(row.name));
  const parts: unknown[] = [tables];
  for (const table of tables) {
    parts.push((await raw.execute(`SELECT * FROM "${table}" ORDER BY rowid`)).rows);
  }
  parts.push(app.services.deps.preferences.get());
  parts.push(await Promise.all(SECRET_KEYS.map((key) => app.services.deps.secrets.get(key))));
  parts.push(app.services.llmSettings.get());
  return JSON.stringify(parts);
}

/** Ids that are not ids: empty, path-like, too long, not a string. */
const BAD_IDS: unknown[] = [{ id: "" }, { id: "../x" }, { id: "x".repeat(65) }, { id: 5 }, {}];

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
  "jobs.get": () => BAD_IDS,
  "jobs.cancel": () => BAD_IDS,
  "jobs.resume": () => BAD_IDS,
  "personas.generate": (id) => [
    { projectId: id, count: 0 },
    { projectId: id, count: 1001 },
    { projectId: id, count: 2.5 },
    { projectId: id, count: "5" },
    { projectId: id },
    { count: 5 },
    { projectId: "../x", count: 5 },
    { projectId: id, count: 5, seed: -1 },
    { projectId: id, count: 5, seed: 2 ** 31 },
    { projectId: id, count: 5, locale: "xx-XX" },
    { projectId: id, count: 5, model: "" },
  ],
  "personas.list": (id) => [
    { projectId: id, filter: "bad" },
    { projectId: id, filter: ["gender:female", "Gender:female"] },
    { projectId: id, filter: "gender:" },
    { projectId: id, filter: Array.from({ length: 13 }, (_, i) => `d${i}:x`) },
    { projectId: id, limit: 0 },
    { projectId: id, limit: 101 },
    { projectId: id, q: "x".repeat(201) },
    { projectId: id, cursor: "abc" },
    { projectId: "../x" },
  ],
  "personas.get": () => BAD_IDS,
  "personas.delete": () => BAD_IDS,
  "personas.update": () => [
    { id: "x", age: 200 },
    { id: "x", age: 15 },
    { id: "x", age: 30.5 },
    {
      id: "x",
      bigFive: { openness: 2, conscientiousness: 0.5, extraversion: 0.5, agreeableness: 0.5, neuroticism: 0.5 },
    },
    { id: "x", bigFive: { openness: 0.5 } },
    { id: "x", name: "" },
    { id: "x", name: "   " },
    { id: "x", values: [] },
    { id: "x", concerns: Array.from({ length: 13 }, (_, i) => `c${i}`) },
    { id: "x", demographics: { gender: "female" } },
    { id: "../x", name: "Ann" },
    { name: "Ann" },
  ],
  "personas.validation": () => [{ projectId: "" }, { projectId: "../x" }],
  "focusGroups.update": () => [
    { id: "x", participantIds: ["a"] },
    { id: "x", participantIds: Array.from({ length: 101 }, (_, i) => `p${i}`) },
    { id: "x", settings: { temperature: 5 } },
    { id: "x", settings: { discussionRounds: 3 } },
    { id: "x", settings: { language: "xx" } },
    { id: "x", settings: { unknown: 1 } },
    { id: "x", guide: [] },
    { id: "x", name: "" },
    { id: "../x", name: "Panel" },
  ],
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
  "stability.estimate": () => [
    { study: "survey", id: "x", runs: 1 },
    { study: "survey", id: "x", runs: 11 },
    { study: "poll", id: "x", runs: 3 },
    { study: "survey", id: "../x", runs: 3 },
  ],
  "stability.start": () => [
    { study: "survey", id: "x", runs: 1 },
    { study: "focusGroup", id: "x", runs: 11 },
    { study: "survey", id: "x", runs: 2.5 },
    { study: "survey", id: "x", runs: 3, seed: -1 },
    { study: "survey", id: "x" },
  ],
  "stability.latest": () => [{ study: "poll", id: "x" }, { study: "survey" }],

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
  "settings.updateResponseStyle": () => {
    const benchmark = { points: 5, midpointShare: 0.3, extremeShare: 0.3, stdDev: 1.2, source: "Panel" };
    const thresholds = { minAnswers: 10, alpha: 0.01, collapseExcess: 0.5 };
    return [
      { benchmarks: [{ ...benchmark, points: 2 }] },
      { benchmarks: [{ ...benchmark, midpointShare: 1 }] },
      { benchmarks: [{ ...benchmark, midpointShare: 0.7, extremeShare: 0.4 }] },
      { benchmarks: [{ ...benchmark, stdDev: 2.5 }] },
      { benchmarks: [{ ...benchmark, source: "" }] },
      { benchmarks: [benchmark, benchmark] },
      { benchmarks: [{ ...benchmark, mean: 3 }] },
      { thresholds: { ...thresholds, minAnswers: 4 } },
      { thresholds: { ...thresholds, alpha: 0 } },
      { thresholds: { ...thresholds, collapseExcess: 1 } },
      { thresholds: { minAnswers: 10 } },
    ];
  },
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

  it("describes each refused field with its code, limits and the contract's reason, so the app can word it", async () => {
    const short = await app.router.invoke("projects.create", { name: "  ", targetSampleSize: 5000 }, ctx);
    expect(short).toMatchObject({
      error: {
        code: "VALIDATION_FAILED",
        details: {
          issues: [
            { path: ["name"], code: "too_small", minimum: 1, origin: "string" },
            { path: ["targetSampleSize"], code: "too_big", maximum: 1000, origin: "number" },
          ],
        },
      },
    });
    const scale = await app.router.invoke(
      "surveys.create",
      { projectId, name: "Scale", questions: [{ type: "rating_scale", text: "Likely?", min: 5, max: 1 }] },
      ctx,
    );
    expect(scale).toMatchObject({
      error: {
        details: { issues: [{ path: ["questions", "0", "min"], code: "custom", reason: "min_not_below_max" }] },
      },
    });
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
    const value = "test-gemini-key-never-returned";
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
