import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Job, Persona, RouteOutput } from "../../src/shared/contract";
import { parseAgeBracket } from "../../src/shared/domain/demographics";
import { startFakes, type LoggedRequest, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { data, startTestApp, type TestApp } from "../support/services";

/**
 * Every dimension of a persona's quota slot holds in the persona itself, through the real
 * generation job and the loopback fake: a fake that writes contradicting profiles (a location in
 * another country, a custom attribute other than the slot's) gets them refused, regenerated and
 * counted, never accepted.
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

const TARGET = {
  gender: { female: 0.5, male: 0.5 },
  age_group: { "18-34": 0.35, "35-54": 0.4, "55+": 0.25 },
  location: { Warszawa: 0.4, Kraków: 0.25, Gdańsk: 0.2, Lublin: 0.15 },
  diet: { vegan: 0.2, vegetarian: 0.3, omnivore: 0.5 },
};

type Refusals = RouteOutput<"personas.refusals">;

async function start() {
  const app = await startTestApp({ env: fakes.env, llmPolicy: FAST_POLICY, plan: "enterprise" });
  apps.push(app);
  const invoke = async <T>(name: string, input: unknown) => data(await app.router.invoke(name, input, ctx)) as T;
  const project = await invoke<{ id: string }>("projects.create", {
    name: "Oat drink in Polish cities",
    targetDemographics: TARGET,
  });
  const personas = async () => {
    const all: Persona[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Persona[]; nextCursor: string | null } = await invoke("personas.list", {
        projectId: project.id,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  };
  return { app, projectId: project.id, invoke, personas };
}

/** Lower case without diacritics (ł as l), as an oracle independent of Sight's own folding. */
const fold = (text: string) =>
  text
    .toLowerCase()
    .replace(/ł/g, "l")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");

/** What the fake did, summed over the persona answers Sight received. */
function injected(requests: LoggedRequest[]) {
  const answers = requests.filter((r) => r.scenario === "persona_generation" && r.status === 200 && !r.fault);
  const sum = (note: string) => answers.reduce((total, r) => total + (r.notes[note] ?? 0), 0);
  return { drafts: sum("drafts"), location: sum("contradicted:location"), diet: sum("contradicted:diet") };
}

describe("slot agreement in generated personas", () => {
  it("accepts no contradiction in 200 personas across 4 dimensions, with 30% contradicting drafts refused and counted", async () => {
    const t = await start();
    fakes.control({ scenarioFlags: { contradictShare: 0.3 } });
    const { jobId } = await t.invoke<{ jobId: string }>("personas.generate", {
      projectId: t.projectId,
      count: 200,
      seed: 20261203,
    });
    await t.app.services.jobs.idle();
    let job = await t.invoke<Job>("jobs.get", { id: jobId });
    // A draft contradicts 30% of the time whatever it is told, so a slot can use up its 4 attempts
    // (0.3^4 each): the run then fails with the slot unfilled, and resuming it, as its error says, goes on.
    for (let resumes = 0; job.status === "failed" && resumes < 5; resumes++) {
      expect(job.error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", details: { reason: "slot_mismatch" } });
      await t.invoke("jobs.resume", { id: jobId });
      await t.app.services.jobs.idle();
      job = await t.invoke<Job>("jobs.get", { id: jobId });
    }
    expect(job.status).toBe("succeeded");

    const personas = await t.personas();
    expect(personas).toHaveLength(200);
    for (const persona of personas) {
      const slot = persona.demographics;
      expect(Object.keys(slot).sort()).toEqual(["age_group", "diet", "gender", "location"]);
      const bracket = parseAgeBracket(slot.age_group!)!;
      expect(persona.age).toBeGreaterThanOrEqual(bracket.min);
      expect(persona.age).toBeLessThanOrEqual(bracket.max);
      expect(persona.gender).toBe(slot.gender);
      expect(fold(persona.location).split(/[^a-z]+/)).toContain(fold(slot.location!));
      expect(persona.slotEvidence).toEqual([{ dimension: "diet", value: slot.diet, evidence: expect.any(String) }]);
      expect(persona.backgroundStory).toContain(persona.slotEvidence[0]!.evidence);
      // The fake's contradicting sentence ("na pewno nie vegan") never reaches an accepted persona.
      expect(persona.backgroundStory).not.toMatch(/na pewno nie/);
    }

    // Every answer was valid JSON for the schema, so every draft the fake wrote reached the slot check.
    expect(fakes.requests().filter((r) => r.messagesText.includes("Your previous answer was invalid"))).toEqual([]);
    const sent = injected(fakes.requests());
    expect(sent.location).toBeGreaterThan(0);
    expect(sent.diet).toBeGreaterThan(0);
    const refusals = await t.invoke<Refusals>("personas.refusals", { projectId: t.projectId });
    const count = (reason: string, dimension: string | null = null) =>
      refusals.byReason.find((entry) => entry.reason === reason && entry.dimension === dimension)?.count ?? 0;
    // Every contradiction the fake sent was refused for it, and every draft was either saved or refused.
    expect(count("dimension", "location")).toBe(sent.location);
    expect(count("dimension", "diet")).toBe(sent.diet);
    expect(refusals.accepted).toBe(200);
    expect(refusals.refused).toBe(sent.drafts - 200);
    expect(refusals.runs).toBe(1);
    // Nothing else was refused except the odd repeated name or story the fake came up with.
    const others = refusals.byReason.filter((entry) => entry.reason !== "dimension");
    expect(others.every((entry) => entry.reason === "duplicate_name" || entry.reason === "duplicate_story")).toBe(true);
    expect(refusals.refused).toBe(sent.location + sent.diet + others.reduce((sum, entry) => sum + entry.count, 0));
    expect(refusals.byReason.map((entry) => entry.count)).toEqual(
      refusals.byReason.map((entry) => entry.count).sort((a, b) => b - a),
    );
    expect(await t.app.services.db.prisma.personaRefusal.count({ where: { jobId } })).toBe(refusals.refused);

    // The run's own result says the same, and the reasons went back to the model.
    const { projectId: _projectId, ...summary } = refusals;
    expect((job.result as { refusals: unknown }).refusals).toEqual(summary);
    expect(await t.invoke<Refusals>("personas.refusals", { projectId: t.projectId, runId: jobId })).toEqual(refusals);
    const feedback = fakes
      .requests()
      .map((r) => r.messagesText)
      .join("\n");
    expect(feedback).toMatch(
      /"previousAttemptRejected":"location is \\"[^"\\]+\\", which is not in (Warszawa|Kraków|Gdańsk|Lublin)/,
    );
    expect(feedback).toMatch(
      /"previousAttemptRejected":"slotEvidence says diet is \\"not (vegan|vegetarian|omnivore)\\"/,
    );
  });

  it("tells a persona's place to the model, and the fake's default personas live there with their diet stated", async () => {
    const t = await start();
    const { jobId } = await t.invoke<{ jobId: string }>("personas.generate", {
      projectId: t.projectId,
      count: 8,
      seed: 4,
    });
    await t.app.services.jobs.idle();
    const job = await t.invoke<Job>("jobs.get", { id: jobId });
    expect(job.status).toBe("succeeded");
    const [first] = fakes.requests();
    expect(first!.system).toMatch(/Unless the slot names a place, the persona lives in Poland/);
    expect(first!.messagesText).toMatch(/"livesIn":"(Warszawa|Kraków|Gdańsk|Lublin)","evidenceFor":\["diet"\]/);
    expect(await t.invoke<Refusals>("personas.refusals", { projectId: t.projectId })).toEqual({
      projectId: t.projectId,
      runs: 1,
      accepted: 8,
      refused: 0,
      byReason: [],
    });
  });

  it("counts a run's refusals even when the run fails", async () => {
    const t = await start();
    // Every draft lives abroad: each slot is refused 4 times, then the run fails.
    fakes.control({ scenarioFlags: { contradictShare: 1, contradictKinds: ["location"] } });
    const { jobId } = await t.invoke<{ jobId: string }>("personas.generate", {
      projectId: t.projectId,
      count: 3,
      seed: 1,
    });
    await t.app.services.jobs.idle();
    const job = await t.invoke<Job>("jobs.get", { id: jobId });
    expect(job.status).toBe("failed");
    expect(job.error).toMatchObject({ details: { reason: "slot_mismatch" } });
    expect(await t.personas()).toHaveLength(0);
    expect(await t.invoke<Refusals>("personas.refusals", { projectId: t.projectId, runId: jobId })).toEqual({
      projectId: t.projectId,
      runs: 1,
      accepted: 0,
      refused: 12,
      byReason: [{ reason: "dimension", dimension: "location", count: 12 }],
    });
  });

  it("refuses a run id of another project", async () => {
    const t = await start();
    const other = await t.invoke<{ id: string }>("projects.create", { name: "Other" });
    const { jobId } = await t.invoke<{ jobId: string }>("personas.generate", {
      projectId: t.projectId,
      count: 1,
      seed: 1,
    });
    await t.app.services.jobs.idle();
    expect(await t.app.router.invoke("personas.refusals", { projectId: other.id, runId: jobId }, ctx)).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
  });
});
