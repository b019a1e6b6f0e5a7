import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FocusGroup, Insight, Job, Message } from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { data, IN_WORKERS, startTestApp, type TestApp } from "../support/services";

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

async function setup(options: Parameters<typeof startTestApp>[0] = {}, personas = 4) {
  // The discussion engine runs as in the app: database and provider calls in worker threads.
  const app = await startTestApp({ env: fakes.env, llmPolicy: FAST_POLICY, ...IN_WORKERS, ...options });
  apps.push(app);
  const invoke = async <T>(name: string, input: unknown) => data(await app.router.invoke(name, input, ctx)) as T;
  const project = await invoke<{ id: string }>("projects.create", {
    name: "Oat drink",
    targetDemographics: { gender: { female: 0.5, male: 0.5 }, age_group: { "18-34": 0.5, "35-64": 0.5 } },
  });
  const { jobId } = await invoke<{ jobId: string }>("personas.generate", {
    projectId: project.id,
    count: personas,
    seed: 3,
  });
  await app.services.jobs.idle();
  expect((await invoke<Job>("jobs.get", { id: jobId })).status).toBe("succeeded");
  const personaIds = (await invoke<{ items: { id: string }[] }>("personas.list", { projectId: project.id })).items.map(
    (p) => p.id,
  );
  fakes.reset();
  const create = (input: Record<string, unknown> = {}) =>
    invoke<FocusGroup>("focusGroups.create", {
      projectId: project.id,
      name: "Switching to oat milk",
      participantIds: personaIds,
      guide: [
        { question: "What do you drink with breakfast, and why?", probes: ["Ask about price"] },
        { question: "What would make you try an oat drink?" },
      ],
      settings: { discussionRounds: 2, moderatorFollowUps: true },
      ...input,
    });
  const messages = async (id: string) => (await invoke<{ items: Message[] }>("focusGroups.messages", { id })).items;
  const runToEnd = async (id: string) => {
    await invoke("focusGroups.run", { id });
    await app.services.jobs.idle();
    return invoke<FocusGroup>("focusGroups.get", { id });
  };
  return { app, invoke, projectId: project.id, personaIds, create, messages, runToEnd };
}

describe("discussion engine", () => {
  it("asks, answers, discusses in rounds and probes, in that order, recording who replies to whom", async () => {
    const t = await setup();
    const fg = await t.create();
    // 2 questions × (ask + 4 answers + 2 rounds × 4 + follow-up + 2 answers)
    expect(t.app.services.focusGroups.plannedMessages(4, 2, fg.settings)).toBe(32);
    expect(fg.estimate.llmCalls).toBe(2 * (4 * 3 + 1 + 2));
    const done = await t.runToEnd(fg.id);
    expect(done.status).toBe("completed");
    const all = await t.messages(fg.id);
    expect(all).toHaveLength(32);
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    const q0 = all.filter((m) => m.questionIndex === 0);
    expect(q0.map((m) => m.phase)).toEqual([
      "question",
      ...Array(4).fill("answer"),
      ...Array(8).fill("reaction"),
      "followup",
      "followup_answer",
      "followup_answer",
    ]);
    expect(q0[0]).toMatchObject({ speakerType: "moderator", text: "What do you drink with breakfast, and why?" });
    const byId = new Map(all.map((m) => [m.id, m]));
    for (const reaction of all.filter((m) => m.phase === "reaction")) {
      const target = byId.get(reaction.replyToId!)!;
      expect(target.personaId).not.toBe(reaction.personaId);
      expect(target.round).toBe(reaction.round - 1);
      // The reaction names the participant it answers.
      expect(reaction.text).toContain(target.speakerName.split(" ")[0]!);
    }
    for (const answer of all.filter((m) => m.phase === "followup_answer")) {
      expect(byId.get(answer.replyToId!)?.phase).toBe("followup");
    }
    expect(all.every((m) => m.speakerType === "moderator" || m.tokens.output > 0)).toBe(true);
  });

  it("a round-2 prompt carries the others' round-1 answers and nothing from another focus group", async () => {
    const t = await setup();
    const other = await t.create({
      name: "Zebra study",
      guide: [{ question: "Tell me about zebras in your town" }],
      settings: { discussionRounds: 0, moderatorFollowUps: false },
    });
    await t.runToEnd(other.id);
    fakes.reset();
    const fg = await t.create();
    await t.runToEnd(fg.id);
    const all = await t.messages(fg.id);
    const round2 = fakes.requests().filter((r) => r.messagesText.includes("Discussion round 2"));
    expect(round2.length).toBe(8);
    for (const request of round2) {
      const me = /You are ([^,]+), a participant/.exec(request.system)![1]!;
      const questionIndex = request.messagesText.includes("What would make you try") ? 1 : 0;
      const othersRound1 = all.filter(
        (m) => m.questionIndex === questionIndex && m.round === 1 && m.speakerName !== me,
      );
      expect(othersRound1).toHaveLength(3);
      for (const message of othersRound1) expect(request.messagesText).toContain(message.text);
    }
    for (const request of fakes.requests()) expect(request.messagesText).not.toMatch(/zebra/i);
  });

  it("streams tokens in order before each saved message, and emits progress", async () => {
    const t = await setup();
    const fg = await t.create({
      settings: { discussionRounds: 1, moderatorFollowUps: false },
      guide: [{ question: "First impressions?" }],
    });
    const tokens = new Map<string, string>();
    const finished: string[] = [];
    const progress: number[] = [];
    const violations: string[] = [];
    t.app.services.bus.on("discussion.token", (e) => {
      if (finished.includes(e.unitKey)) violations.push(e.unitKey);
      tokens.set(e.unitKey, (tokens.get(e.unitKey) ?? "") + e.delta);
    });
    t.app.services.bus.on("persona_responded", (e) => finished.push(e.unitKey));
    t.app.services.bus.on("discussion_updated", (e) => progress.push(e.progress.done));
    await t.runToEnd(fg.id);
    const all = await t.messages(fg.id);
    const spoken = all.filter((m) => m.speakerType === "persona");
    expect(tokens.size).toBe(spoken.length);
    expect([...tokens.values()].map((s) => s.trim()).sort()).toEqual(spoken.map((m) => m.text).sort());
    expect(violations).toEqual([]);
    expect(finished).toHaveLength(all.length);
    expect(Math.max(...progress)).toBe(all.length);
  });

  it("pauses and resumes from the last saved message without repeating a line", async () => {
    const t = await setup();
    fakes.control({ latencyMs: 150 });
    const fg = await t.create();
    await t.invoke("focusGroups.run", { id: fg.id });
    for (let i = 0; i < 200 && (await t.messages(fg.id)).length < 6; i++) await new Promise((r) => setTimeout(r, 20));
    await t.invoke("focusGroups.pause", { id: fg.id });
    await t.app.services.jobs.idle();
    const paused = await t.invoke<FocusGroup>("focusGroups.get", { id: fg.id });
    expect(paused.status).toBe("paused");
    const before = await t.messages(fg.id);
    expect(before.length).toBeGreaterThanOrEqual(6);
    expect(before.length).toBeLessThan(32);
    const resumedAt = Date.now();
    await t.invoke("focusGroups.resume", { id: fg.id });
    await t.app.services.jobs.idle();
    expect((await t.invoke<FocusGroup>("focusGroups.get", { id: fg.id })).status).toBe("completed");
    const after = await t.messages(fg.id);
    expect(after).toHaveLength(32);
    expect(after.slice(0, before.length).map((m) => m.id)).toEqual(before.map((m) => m.id));
    // After the resume only the missing persona lines (and follow-ups) were generated.
    const personaLinesLeft = after.slice(before.length).filter((m) => m.speakerType === "persona").length;
    const followUpsLeft = after.slice(before.length).filter((m) => m.phase === "followup").length;
    // Answered requests after the resume: exactly the missing lines (calls the pause aborted may
    // still reach the fake, unanswered, so only completed ones count).
    expect(fakes.requests().filter((r) => r.startedAt >= resumedAt && r.status === 200).length).toBe(
      personaLinesLeft + followUpsLeft,
    );
  });

  it("comes back interrupted after the app stops mid-run, and resumes", async () => {
    const t = await setup();
    fakes.control({ latencyMs: 150 });
    const fg = await t.create();
    await t.invoke("focusGroups.run", { id: fg.id });
    for (let i = 0; i < 200 && (await t.messages(fg.id)).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await t.app.services.close();
    apps.splice(apps.indexOf(t.app), 1);
    const again = await startTestApp({ dataDir: t.app.dataDir, env: fakes.env, llmPolicy: FAST_POLICY, ...IN_WORKERS });
    apps.push(again);
    const status = data(await again.router.invoke("focusGroups.get", { id: fg.id }, ctx)) as FocusGroup;
    expect(status.status).toBe("interrupted");
    fakes.reset();
    data(await again.router.invoke("focusGroups.resume", { id: fg.id }, ctx));
    await again.services.jobs.idle();
    const items = (data(await again.router.invoke("focusGroups.messages", { id: fg.id }, ctx)) as { items: Message[] })
      .items;
    expect(items).toHaveLength(32);
  });

  it("cancel stops the run and keeps the saved messages", async () => {
    const t = await setup();
    fakes.control({ latencyMs: 150 });
    const fg = await t.create();
    await t.invoke("focusGroups.run", { id: fg.id });
    for (let i = 0; i < 200 && (await t.messages(fg.id)).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await t.invoke("focusGroups.cancel", { id: fg.id });
    await t.app.services.jobs.idle();
    expect((await t.invoke<FocusGroup>("focusGroups.get", { id: fg.id })).status).toBe("cancelled");
    const kept = await t.messages(fg.id);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThan(32);
  });

  it("a provider outage mid-run fails the job with PROVIDER_UNAVAILABLE and keeps every saved message", async () => {
    const t = await setup({ llmPolicy: { ...FAST_POLICY, halfOpenAfterMs: 200 } });
    const fg = await t.create();
    await t.invoke("focusGroups.run", { id: fg.id });
    for (let i = 0; i < 200 && (await t.messages(fg.id)).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    fakes.control({ fail5xx: 10_000 });
    await t.app.services.jobs.idle();
    const failed = await t.invoke<FocusGroup>("focusGroups.get", { id: fg.id });
    expect(failed.status).toBe("failed");
    const job = await t.invoke<Job>("jobs.get", { id: failed.jobId! });
    expect(job.error?.code).toBe("PROVIDER_UNAVAILABLE");
    const kept = await t.messages(fg.id);
    expect(kept.length).toBe(job.progress.done);
    fakes.reset();
    // The circuit breaker opened during the outage; it lets calls through again after half-open.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.invoke("focusGroups.resume", { id: fg.id });
    await t.app.services.jobs.idle();
    expect(await t.messages(fg.id)).toHaveLength(32);
  });

  it("two run requests at once start exactly one run", async () => {
    const t = await setup();
    fakes.control({ latencyMs: 100 });
    const fg = await t.create();
    const results = await Promise.all([1, 2].map(() => t.app.router.invoke("focusGroups.run", { id: fg.id }, ctx)));
    expect(results.filter((r) => "data" in r)).toHaveLength(1);
    expect(results.filter((r) => "error" in r)).toMatchObject([{ error: { code: "CONFLICT" } }]);
    expect(await t.app.services.db.prisma.job.count({ where: { kind: "focusGroups.run" } })).toBe(1);
    await t.invoke("focusGroups.cancel", { id: fg.id });
    await t.app.services.jobs.idle();
  });

  it("a settings change touches only the fields given", async () => {
    const t = await setup();
    const fg = await t.create({ settings: { discussionRounds: 2, moderatorFollowUps: false, language: "pl" } });
    const updated = await t.invoke<FocusGroup>("focusGroups.update", { id: fg.id, settings: { temperature: 0.3 } });
    expect(updated.settings).toMatchObject({
      discussionRounds: 2,
      moderatorFollowUps: false,
      language: "pl",
      temperature: 0.3,
    });
  });

  it("reports the final status through discussion_updated", async () => {
    const t = await setup();
    const fg = await t.create({
      guide: [{ question: "One question" }],
      settings: { discussionRounds: 0, moderatorFollowUps: false },
    });
    const statuses: string[] = [];
    t.app.services.bus.on("discussion_updated", (e) => statuses.push(e.status));
    await t.runToEnd(fg.id);
    expect(statuses[0]).toBe("running");
    expect(statuses.at(-1)).toBe("completed");
  });

  it("a pause lets the lines in flight finish and be saved", async () => {
    const t = await setup();
    fakes.control({ latencyMs: 300 });
    const fg = await t.create();
    await t.invoke("focusGroups.run", { id: fg.id });
    // Wait until the four first answers are being generated, then pause.
    for (let i = 0; i < 200 && fakes.requests().length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    await t.invoke("focusGroups.pause", { id: fg.id });
    await t.app.services.jobs.idle();
    expect((await t.invoke<FocusGroup>("focusGroups.get", { id: fg.id })).status).toBe("paused");
    const saved = await t.messages(fg.id);
    // The ask plus the four answers that were in flight when the pause came.
    expect(saved.map((m) => m.phase)).toEqual(["question", "answer", "answer", "answer", "answer"]);
    await t.invoke("focusGroups.cancel", { id: fg.id });
  });

  it("refuses bad setups and a second run", async () => {
    const t = await setup();
    const bad = (input: Record<string, unknown>) =>
      t.app.router.invoke(
        "focusGroups.create",
        { projectId: t.projectId, name: "x", participantIds: t.personaIds, guide: [{ question: "q" }], ...input },
        ctx,
      );
    expect(await bad({ participantIds: t.personaIds.slice(0, 1) })).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { issues: [{ path: ["participantIds"] }] } },
    });
    expect(await bad({ guide: [] })).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { issues: [{ path: ["guide"] }] } },
    });
    expect(await bad({ participantIds: [t.personaIds[0], t.personaIds[0]] })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await bad({ settings: { discussionRounds: 3 } })).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    // A persona of another project.
    const other = data(await t.app.router.invoke("projects.create", { name: "Other" }, ctx)) as { id: string };
    const { jobId } = data(await t.app.router.invoke("personas.generate", { projectId: other.id, count: 1 }, ctx)) as {
      jobId: string;
    };
    await t.app.services.jobs.idle();
    expect((data(await t.app.router.invoke("jobs.get", { id: jobId }, ctx)) as Job).status).toBe("succeeded");
    const foreign = (
      data(await t.app.router.invoke("personas.list", { projectId: other.id }, ctx)) as { items: { id: string }[] }
    ).items[0]!.id;
    expect(await bad({ participantIds: [t.personaIds[0], foreign] })).toMatchObject({
      error: {
        code: "VALIDATION_FAILED",
        message: expect.stringMatching(/personas of this project/),
        details: { personaIds: [foreign] },
      },
    });
    expect(await t.app.services.db.prisma.focusGroup.count()).toBe(0);

    fakes.control({ latencyMs: 100 });
    const fg = await t.create();
    await t.invoke("focusGroups.run", { id: fg.id });
    expect(await t.app.router.invoke("focusGroups.run", { id: fg.id }, ctx)).toMatchObject({
      error: { code: "CONFLICT" },
    });
    expect(await t.app.router.invoke("focusGroups.update", { id: fg.id, name: "renamed" }, ctx)).toMatchObject({
      error: { code: "CONFLICT" },
    });
    await t.invoke("focusGroups.cancel", { id: fg.id });
    await t.app.services.jobs.idle();
  });
});

describe("analysis", () => {
  it("produces a summary, themes with real quotes, sentiment and recommendations, emitted as they are saved; re-runnable", async () => {
    const t = await setup();
    const fg = await t.create();
    await t.runToEnd(fg.id);
    const emitted: Insight[] = [];
    t.app.services.bus.on("new_insight", (e) => emitted.push(e.insight));
    const { jobId } = await t.invoke<{ jobId: string }>("focusGroups.analyze", { id: fg.id });
    await t.app.services.jobs.idle();
    expect((await t.invoke<Job>("jobs.get", { id: jobId })).status).toBe("succeeded");
    const result = await t.invoke<{
      items: Insight[];
      sentiment: {
        byQuestion: { mean: number | null }[];
        byPersona: { mean: number | null }[];
        overall: number | null;
      };
    }>("focusGroups.insights", { id: fg.id });
    const kinds = new Set(result.items.map((i) => i.kind));
    for (const kind of ["executive_summary", "theme", "recommendation", "segment_difference"])
      expect(kinds).toContain(kind);
    expect(emitted.map((i) => i.id)).toEqual(result.items.map((i) => i.id));
    const messages = await t.messages(fg.id);
    const ids = new Set(messages.map((m) => m.id));
    for (const insight of result.items) for (const id of insight.evidence) expect(ids).toContain(id);
    expect(result.items.filter((i) => i.kind === "theme").every((i) => i.evidence.length > 0)).toBe(true);
    for (const message of messages.filter((m) => m.speakerType === "persona")) {
      expect(message.sentiment).toBeGreaterThanOrEqual(-1);
      expect(message.sentiment).toBeLessThanOrEqual(1);
    }
    expect(result.sentiment.byQuestion).toHaveLength(2);
    expect(result.sentiment.byPersona).toHaveLength(4);
    expect(result.sentiment.overall).not.toBeNull();

    await t.invoke("focusGroups.analyze", { id: fg.id });
    await t.app.services.jobs.idle();
    const again = await t.invoke<{ items: Insight[] }>("focusGroups.insights", { id: fg.id });
    expect(again.items.length).toBeGreaterThan(0);
    expect(again.items.map((i) => i.id)).not.toEqual(result.items.map((i) => i.id));
  });

  it("asks each later question's analysis to reuse the theme titles already found, so a theme reads as one", async () => {
    const t = await setup();
    const fg = await t.create();
    await t.runToEnd(fg.id);
    fakes.reset();
    await t.invoke("focusGroups.analyze", { id: fg.id });
    await t.app.services.jobs.idle();
    const perQuestion = fakes
      .requests()
      .filter((request) => request.system.includes("sight-task: focus_group_analysis_question"));
    expect(perQuestion).toHaveLength(2);
    expect(perQuestion[0]!.messagesText).not.toContain("Themes already named");
    // The fake names "Price versus trust" and "Everyday convenience" under every question.
    expect(perQuestion[1]!.messagesText).toContain(
      'Themes already named under earlier questions: "Price versus trust"; "Everyday convenience". When a theme here is the same one, give it exactly the same title.',
    );
  });

  it("a re-analysis that fails keeps showing the last complete analysis", async () => {
    const t = await setup();
    const fg = await t.create({
      guide: [{ question: "Only one" }],
      settings: { discussionRounds: 0, moderatorFollowUps: false },
    });
    await t.runToEnd(fg.id);
    await t.invoke("focusGroups.analyze", { id: fg.id });
    await t.app.services.jobs.idle();
    const first = await t.invoke<{ items: Insight[] }>("focusGroups.insights", { id: fg.id });
    expect(first.items.length).toBeGreaterThan(0);
    fakes.control({ malformed: 100 });
    const { jobId } = await t.invoke<{ jobId: string }>("focusGroups.analyze", { id: fg.id });
    await t.app.services.jobs.idle();
    expect((await t.invoke<Job>("jobs.get", { id: jobId })).status).toBe("failed");
    const after = await t.invoke<{ items: Insight[] }>("focusGroups.insights", { id: fg.id });
    expect(after.items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
  });

  it("refuses to analyse a focus group that has not run", async () => {
    const t = await setup();
    const fg = await t.create();
    expect(await t.app.router.invoke("focusGroups.analyze", { id: fg.id }, ctx)).toMatchObject({
      error: { code: "CONFLICT" },
    });
  });
});
