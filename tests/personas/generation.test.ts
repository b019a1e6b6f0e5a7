import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Job, Persona, PersonaValidation } from "../../src/shared/contract";
import { jaccard, NEAR_DUPLICATE_THRESHOLD, shingles } from "../../src/shared/domain/similarity";
import { parseAgeBracket } from "../../src/shared/domain/demographics";
import { marginalCounts } from "../../src/shared/domain/quotas";
import { startFakes, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { data, startTestApp, type TestApp } from "../support/services";

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

const TARGET = {
  gender: { female: 0.5, male: 0.5 },
  age_group: { "18-34": 0.4, "35-54": 0.4, "55+": 0.2 },
  income: { low: 0.3, middle: 0.4, high: 0.3 },
};

async function start(options: Parameters<typeof startTestApp>[0] = {}) {
  const app = await startTestApp({ env: fakes.env, llmPolicy: FAST_POLICY, ...options });
  apps.push(app);
  const project = data(
    await app.router.invoke(
      "projects.create",
      { name: "Oat drink", researchGoal: "Why parents switch", targetDemographics: TARGET },
      ctx,
    ),
  ) as { id: string };
  const invoke = async <T>(name: string, input: unknown) => data(await app.router.invoke(name, input, ctx)) as T;
  const generate = async (input: Record<string, unknown>) => {
    const { jobId } = await invoke<{ jobId: string }>("personas.generate", { projectId: project.id, ...input });
    await app.services.jobs.idle();
    return invoke<Job>("jobs.get", { id: jobId });
  };
  const personas = async () =>
    (await invoke<{ items: Persona[] }>("personas.list", { projectId: project.id, limit: 100 })).items;
  return { app, projectId: project.id, invoke, generate, personas };
}

function assertFitsSlot(persona: Persona) {
  const bracket = parseAgeBracket(persona.demographics.age_group!)!;
  expect(persona.age).toBeGreaterThanOrEqual(bracket.min);
  expect(persona.age).toBeLessThanOrEqual(bracket.max);
  expect(persona.gender).toBe(persona.demographics.gender);
  expect(persona.income).toBe(persona.demographics.income);
  expect(Object.keys(persona.demographics).sort()).toEqual(Object.keys(TARGET).sort());
}

describe("persona generation", () => {
  it("fills 5 exact quota slots on the Free plan, validated by chi-square, with usage counted", async () => {
    const t = await start();
    const updates: Job[] = [];
    t.app.services.bus.on("job.updated", (job) => updates.push(job));
    const job = await t.generate({ count: 5, seed: 11 });
    expect(job.status).toBe("succeeded");
    const personas = await t.personas();
    expect(personas).toHaveLength(5);
    personas.forEach(assertFitsSlot);
    // Largest remainder for 5: gender 3/2 (or 2/3), income 2/2/1 in some order, age 2/2/1.
    const genders = Object.values(marginalCounts(personas, "gender")).sort();
    expect(genders).toEqual([2, 3]);
    expect(Object.values(marginalCounts(personas, "age_group")).sort()).toEqual([1, 2, 2]);
    expect(job.usage.calls).toBeGreaterThanOrEqual(2);
    expect(job.usage.inputTokens).toBeGreaterThan(0);
    expect(job.usage.costUsd).toBeGreaterThan(0);
    expect(job.result).toMatchObject({ seed: 11 });
    expect([...(job.result as { personaIds: string[] }).personaIds].sort()).toEqual(personas.map((p) => p.id).sort());
    // Progress went up one persona at a time.
    const done = updates.filter((u) => u.id === job.id).map((u) => u.progress.done);
    expect(Math.max(...done)).toBe(5);
    const validation = await t.invoke<PersonaValidation>("personas.validation", { projectId: t.projectId });
    const gender = validation.dimensions.find((d) => d.dimension === "gender")!;
    // 3 vs 2 against 2.5/2.5: χ² = 0.2, df 1, p = 0.654720846…
    expect(gender.statistic).toBeCloseTo(0.2, 12);
    expect(gender.pValue).toBeCloseTo(0.6547208460185769, 12);
    expect(gender.verdict).toBe("consistent");
    expect(gender.smallExpectedCounts).toBe(true);
  });

  it("refuses a 6th persona on the Free plan with QUOTA_EXCEEDED before any LLM call", async () => {
    const t = await start();
    await t.generate({ count: 5, seed: 1 });
    const before = fakes.requests().length;
    const refused = await t.app.router.invoke("personas.generate", { projectId: t.projectId, count: 1 }, ctx);
    expect(refused).toMatchObject({
      error: {
        code: "QUOTA_EXCEEDED",
        message: expect.stringMatching(/Free plan allows 5 personas and none remain/),
        details: { remaining: 0, limit: 5 },
      },
    });
    expect(fakes.requests().length).toBe(before);
    const tooMany = await t.app.router.invoke("personas.generate", { projectId: t.projectId, count: 9 }, ctx);
    expect(tooMany).toMatchObject({ error: { code: "QUOTA_EXCEEDED" } });
  });

  it("accepts only one of two concurrent 5-persona requests for two projects on the Free plan", async () => {
    const t = await start();
    const other = await t.invoke<{ id: string }>("projects.create", { name: "Second", targetDemographics: TARGET });
    fakes.control({ latencyMs: 200 });
    const results = await Promise.all(
      [t.projectId, other.id].map((projectId) =>
        t.app.router.invoke("personas.generate", { projectId, count: 5, seed: 3 }, ctx),
      ),
    );
    const accepted = results.filter((r) => "data" in r);
    const refused = results.filter((r) => "error" in r);
    expect(accepted).toHaveLength(1);
    expect(refused).toMatchObject([{ error: { code: "QUOTA_EXCEEDED", details: { remaining: 0, reserved: 5 } } }]);
    expect(await t.app.services.db.prisma.job.count({ where: { kind: "personas.generate" } })).toBe(1);
    await t.app.services.jobs.idle();
    expect(await t.app.services.db.prisma.persona.count()).toBe(5);
  });

  it("says how many remain when a request is partly over the limit", async () => {
    const t = await start();
    await t.generate({ count: 3, seed: 1 });
    const refused = await t.app.router.invoke("personas.generate", { projectId: t.projectId, count: 4 }, ctx);
    expect(refused).toMatchObject({
      error: { code: "QUOTA_EXCEEDED", message: expect.stringMatching(/2 remain/), details: { remaining: 2 } },
    });
    expect(await t.invoke("personas.quota", {})).toMatchObject({
      plan: "free",
      limit: 5,
      used: 3,
      remaining: 2,
      scope: "workspace",
    });
  });

  it("regenerates personas that do not fit their slot, never accepting them", async () => {
    const t = await start({ plan: "professional" });
    fakes.control({ scenarioFlags: { mismatch: 3 } });
    const job = await t.generate({ count: 8, seed: 5 });
    expect(job.status).toBe("succeeded");
    const personas = await t.personas();
    expect(personas).toHaveLength(8);
    personas.forEach(assertFitsSlot);
    const retried = fakes.requests().filter((r) => r.messagesText.includes("previousAttemptRejected"));
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried.map((r) => r.messagesText).join(" ")).toMatch(/outside the slot's|requires/);
  });

  it("regenerates near-duplicate stories", async () => {
    const t = await start({ plan: "professional" });
    fakes.control({ scenarioFlags: { duplicate: 2 } });
    const job = await t.generate({ count: 6, seed: 9 });
    expect(job.status).toBe("succeeded");
    const stories = (await t.personas()).map((p) => shingles(p.backgroundStory));
    for (let i = 0; i < stories.length; i++) {
      for (let j = i + 1; j < stories.length; j++)
        expect(jaccard(stories[i]!, stories[j]!)).toBeLessThan(NEAR_DUPLICATE_THRESHOLD);
    }
    const retried = fakes.requests().filter((r) => r.messagesText.includes("near-duplicate"));
    expect(retried.length).toBeGreaterThanOrEqual(1);
  });

  it("survives malformed JSON and a 429 storm with Retry-After", async () => {
    const t = await start();
    fakes.control({ malformed: 1, fail429: 2, retryAfterSeconds: 1 });
    const started = Date.now();
    const job = await t.generate({ count: 4, seed: 2 });
    expect(job.status).toBe("succeeded");
    expect(await t.personas()).toHaveLength(4);
    const limited = fakes.requests().filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("writes Polish personas for a Polish audience", async () => {
    const t = await start();
    await t.generate({ count: 2, seed: 3, locale: "pl-PL" });
    const system = fakes.requests()[0]!.system;
    expect(system).toMatch(/locale: pl-PL/);
    expect(system).toMatch(/Poland/);
    const personas = await t.personas();
    expect(personas.every((p) => p.locale === "pl-PL")).toBe(true);
    expect(personas.map((p) => p.backgroundStory).join(" ")).toMatch(/[ąćęłńóśźż]/);
  });

  it("refuses to start without a configured provider, saying what to set", async () => {
    const t = await start({ env: {} });
    const result = await t.app.router.invoke("personas.generate", { projectId: t.projectId, count: 2 }, ctx);
    expect(result).toMatchObject({
      error: { code: "PROVIDER_UNAVAILABLE", message: expect.stringMatching(/GEMINI_API_KEY|API key/) },
    });
    expect(await t.app.services.db.prisma.job.count()).toBe(0);
  });

  it("a rejected key fails the job clearly and leaves no half-written persona", async () => {
    const t = await start({ env: { ...fakes.env, GEMINI_API_KEY: "rejected-key" } });
    const job = await t.generate({ count: 3, seed: 1 });
    expect(job.status).toBe("failed");
    expect(job.error).toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      message: expect.stringMatching(/rejected the API key/),
    });
    expect(await t.personas()).toHaveLength(0);
  });

  it("resuming a failed run must fit the plan again: it holds no places while failed", async () => {
    const t = await start({ env: { ...fakes.env, GEMINI_API_KEY: "rejected-key" } });
    const failed = await t.generate({ count: 2, seed: 1 });
    expect(failed.status).toBe("failed");
    // Another run takes every remaining place of the Free plan meanwhile.
    t.app.services.deps.env!.GEMINI_API_KEY = fakes.env.GEMINI_API_KEY;
    expect((await t.generate({ count: 5, seed: 2 })).status).toBe("succeeded");
    expect(await t.app.router.invoke("jobs.resume", { id: failed.id }, ctx)).toMatchObject({
      error: { code: "QUOTA_EXCEEDED" },
    });
    expect(await t.app.services.db.prisma.persona.count()).toBe(5);
    expect((await t.invoke<Job>("jobs.get", { id: failed.id })).status).toBe("failed");
  });

  it("refuses unknown projects, bad counts and a second concurrent run", async () => {
    const t = await start({ plan: "professional" });
    expect(await t.app.router.invoke("personas.generate", { projectId: "nope", count: 1 }, ctx)).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
    expect(await t.app.router.invoke("personas.generate", { projectId: t.projectId, count: 0 }, ctx)).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    fakes.control({ latencyMs: 300 });
    await t.invoke("personas.generate", { projectId: t.projectId, count: 4 });
    expect(await t.app.router.invoke("personas.generate", { projectId: t.projectId, count: 1 }, ctx)).toMatchObject({
      error: { code: "CONFLICT" },
    });
    await t.app.services.jobs.idle();
  });

  it("cancel stops the run and keeps only whole personas", async () => {
    const t = await start({ plan: "professional" });
    fakes.control({ latencyMs: 250 });
    const { jobId } = await t.invoke<{ jobId: string }>("personas.generate", { projectId: t.projectId, count: 40 });
    for (let i = 0; i < 200 && (await t.personas()).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await t.invoke("jobs.cancel", { id: jobId });
    await t.app.services.jobs.idle();
    const job = await t.invoke<Job>("jobs.get", { id: jobId });
    expect(job.status).toBe("cancelled");
    const personas = await t.personas();
    expect(personas.length).toBeGreaterThan(0);
    expect(personas.length).toBeLessThan(40);
    expect(personas.length).toBe(job.progress.done);
    personas.forEach(assertFitsSlot);
  });

  it("an interrupted run resumes without regenerating saved personas", async () => {
    // One slot per call, two calls at a time: the run takes several rounds, so it is mid-way when stopped.
    const t = await start({ plan: "professional", personaSlotsPerCall: 1 });
    t.app.services.llmSettings.update({ concurrency: 2 });
    fakes.control({ latencyMs: 200 });
    const { jobId } = await t.invoke<{ jobId: string }>("personas.generate", {
      projectId: t.projectId,
      count: 16,
      seed: 4,
    });
    for (let i = 0; i < 200 && (await t.personas()).length < 4; i++) await new Promise((r) => setTimeout(r, 25));
    // A shutdown mid-run (the SIGKILL path of the same runner is covered in tests/services/jobs.test.ts).
    const dataDir = t.app.dataDir;
    await t.app.services.close();
    apps.splice(apps.indexOf(t.app), 1);
    const saved = await (async () => {
      const again = await startTestApp({
        dataDir,
        env: fakes.env,
        llmPolicy: FAST_POLICY,
        plan: "professional",
        personaSlotsPerCall: 1,
      });
      apps.push(again);
      return again;
    })();
    const before = (await saved.services.db.prisma.persona.findMany({ where: { runId: jobId } })).map(
      (p) => p.slotIndex!,
    );
    expect((await saved.services.jobs.get(jobId)).status).toBe("interrupted");
    fakes.reset();
    await saved.services.jobs.resume(jobId);
    await saved.services.jobs.idle();
    const after = await saved.services.db.prisma.persona.findMany({ where: { runId: jobId } });
    expect(after).toHaveLength(16);
    expect((await saved.services.jobs.get(jobId)).status).toBe("succeeded");
    // No request after the resume asked for a slot that was already saved.
    const asked = fakes
      .requests()
      .flatMap((r) => [...r.messagesText.matchAll(/"slotIndex":(\d+)/g)].map((m) => Number(m[1])));
    expect(asked.filter((slot) => before.includes(slot))).toEqual([]);
    expect(new Set(after.map((p) => p.slotIndex)).size).toBe(16);
  });
});

describe("persona editing and listing", () => {
  it("filters by any dimension, searches, edits within the slot and deletes (freeing quota)", async () => {
    const t = await start();
    await t.generate({ count: 5, seed: 21 });
    const all = await t.personas();
    const female = await t.invoke<{ items: Persona[]; total: number }>("personas.list", {
      projectId: t.projectId,
      filter: "gender:female",
    });
    expect(female.total).toBe(all.filter((p) => p.demographics.gender === "female").length);
    expect(female.items.every((p) => p.demographics.gender === "female")).toBe(true);
    const both = await t.invoke<{ total: number }>("personas.list", {
      projectId: t.projectId,
      filter: ["gender:female", "income:high"],
    });
    expect(both.total).toBe(
      all.filter((p) => p.demographics.gender === "female" && p.demographics.income === "high").length,
    );
    const target = all[0]!;
    const byName = await t.invoke<{ items: Persona[] }>("personas.list", {
      projectId: t.projectId,
      q: target.name.split(" ")[1]!.toUpperCase(),
    });
    expect(byName.items.map((p) => p.id)).toContain(target.id);

    const bracket = parseAgeBracket(target.demographics.age_group!)!;
    const outside = await t.app.router.invoke("personas.update", { id: target.id, age: bracket.max + 1 }, ctx);
    expect(outside).toMatchObject({ error: { code: "VALIDATION_FAILED", details: { issues: [{ path: ["age"] }] } } });
    const edited = await t.invoke<Persona>("personas.update", {
      id: target.id,
      occupation: "beekeeper",
      age: bracket.min,
    });
    expect(edited).toMatchObject({ occupation: "beekeeper", age: bracket.min, demographics: target.demographics });
    expect(
      await t.app.router.invoke("personas.update", { id: target.id, demographics: { gender: "x" } }, ctx),
    ).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });

    expect(await t.invoke("personas.delete", { id: target.id })).toEqual({ ok: true });
    expect(await t.invoke("personas.quota", {})).toMatchObject({ used: 4, remaining: 1 });
    expect(await t.app.router.invoke("personas.get", { id: target.id }, ctx)).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
  });

  it("a second run tops the project up to the target's exact marginals", async () => {
    const t = await start({ plan: "professional" });
    await t.generate({ count: 5, seed: 1 });
    await t.generate({ count: 5, seed: 2 });
    const personas = await t.personas();
    expect(marginalCounts(personas, "gender")).toEqual({ female: 5, male: 5 });
    expect(marginalCounts(personas, "income")).toEqual({ low: 3, middle: 4, high: 3 });
    expect(marginalCounts(personas, "age_group")).toEqual({ "18-34": 4, "35-54": 4, "55+": 2 });
    const validation = await t.invoke<PersonaValidation>("personas.validation", { projectId: t.projectId });
    for (const dimension of validation.dimensions) {
      expect(dimension.statistic).toBeCloseTo(0, 12);
      expect(dimension.pValue).toBeCloseTo(1, 12);
    }
  });
});
