import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DISCUSSION_PROMPT_VERSION } from "../../src/main/services/focus-groups/prompts";
import { SURVEY_PROMPT_VERSION } from "../../src/main/services/surveys/prompt";
import type {
  BundleImportResult,
  FocusGroup,
  Job,
  Message,
  StudyBundle,
  Survey,
  SurveyResults,
} from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import { inPlanOrder } from "../../src/main/services/focus-groups/plan-order";
import { effectiveDiscussionSeed } from "../../src/main/services/focus-groups/seed";
import type { TestApp } from "../support/services";
import { openWorkspace, promptsSent, saveRecipe, TARGET, type Workspace } from "./world";

let fakes: RunningFakes;
const apps: TestApp[] = [];

beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
afterEach(async () => {
  fakes.reset();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const QUESTIONS = [
  { type: "multiple_choice", text: "Which drink do you have with breakfast?", options: ["Coffee", "Tea", "Juice"] },
  { type: "rating_scale", text: "How likely are you to try an oat drink?", min: 1, max: 5 },
  { type: "open_ended", text: "What would make you switch?" },
  { type: "ranking", text: "Rank what matters most", items: ["Price", "Taste", "Health"] },
];

async function projectWithPersonas(workspace: Workspace, count: number, seed: number) {
  const project = await workspace.invoke<{ id: string }>("projects.create", {
    name: "Oat drink",
    researchGoal: "Why people switch",
    targetDemographics: TARGET,
  });
  const personas = await workspace.generatePersonas(project.id, count, seed);
  fakes.reset();
  return { projectId: project.id, personas };
}

async function runSurvey(workspace: Workspace, id: string): Promise<Job> {
  const { jobId } = await workspace.invoke<{ jobId: string }>("surveys.run", { id });
  await workspace.app.services.jobs.idle();
  return workspace.invoke<Job>("jobs.get", { id: jobId });
}

async function runFocusGroup(workspace: Workspace, id: string): Promise<FocusGroup> {
  await workspace.invoke("focusGroups.run", { id });
  await workspace.app.services.jobs.idle();
  return workspace.invoke<FocusGroup>("focusGroups.get", { id });
}

/** Each respondent's answers, in the run's respondent order. */
async function answersInOrder(workspace: Workspace, surveyId: string) {
  const survey = await workspace.invoke<Survey>("surveys.get", { id: surveyId });
  const { items } = await workspace.invoke<{ items: { personaId: string; answers: unknown }[] }>("surveys.responses", {
    id: surveyId,
    limit: 1000,
  });
  const byPersona = new Map(items.map((item) => [item.personaId, item.answers]));
  return { order: survey.personaIds, answers: survey.personaIds.map((id) => byPersona.get(id)) };
}

/** Open-answer themes with each quote's persona replaced by its place among the respondents. */
function themesByPlace(results: SurveyResults, order: string[]) {
  return results.questions.map((question) =>
    (question.openThemes ?? []).map((theme) => ({
      ...theme,
      quotes: theme.quotes.map((quote) => ({ ...quote, personaId: order.indexOf(quote.personaId) })),
    })),
  );
}

describe("reproducibility bundle: a survey", () => {
  it("exported from one workspace and imported into a fresh one, reruns to the same answers, themes and digest", async () => {
    const a = await openWorkspace(fakes, apps);
    const { projectId, personas } = await projectWithPersonas(a, 5, 7);
    const survey = await a.invoke<Survey>("surveys.create", {
      projectId,
      name: "Breakfast habits",
      questions: QUESTIONS,
    });
    expect((await runSurvey(a, survey.id)).status).toBe("succeeded");
    const sentByA = promptsSent(fakes.requests());
    expect(sentByA.length).toBe(5 + 1); // one call per respondent, one for the open question's themes
    const original = await answersInOrder(a, survey.id);
    expect(original.answers.every((answers) => answers !== undefined)).toBe(true);

    const { text, bundle } = await saveRecipe(a, "survey", survey.id);
    expect(bundle).toMatchObject({
      format: "sight.study-bundle",
      version: 1,
      appVersion: "0.0.0-test",
      synthetic: true,
      project: {
        name: "Oat drink",
        researchGoal: "Why people switch",
        targetDemographics: TARGET,
        personaLocale: null,
      },
      study: {
        kind: "survey",
        name: "Breakfast habits",
        settings: { model: null, temperature: 0.7, seed: null },
        respondents: original.order,
      },
      prompts: { kind: "survey", source: "rebuilt" },
      results: { status: "completed", digest: { algorithm: "sha-256", units: 5 } },
      notes: [],
    });
    expect(bundle.study.kind === "survey" && bundle.study.questions.map((q) => q.id)).toEqual(["q1", "q2", "q3", "q4"]);
    // The personas exactly as stored, in the run's order.
    expect(bundle.personas.map((p) => p.id)).toEqual(original.order);
    const byId = new Map(personas.map((p) => [p.id, p]));
    for (const persona of bundle.personas) {
      const stored = byId.get(persona.id)!;
      expect(persona).toEqual({
        id: stored.id,
        slotIndex: stored.slotIndex,
        demographics: stored.demographics,
        name: stored.name,
        age: stored.age,
        gender: stored.gender,
        location: stored.location,
        education: stored.education,
        income: stored.income,
        occupation: stored.occupation,
        bigFive: stored.bigFive,
        values: stored.values,
        interests: stored.interests,
        backgroundStory: stored.backgroundStory,
        communicationStyle: stored.communicationStyle,
        decisionMakingStyle: stored.decisionMakingStyle,
        concerns: stored.concerns,
        slotEvidence: stored.slotEvidence,
        locale: stored.locale,
        model: stored.model,
      });
    }
    // The prompts recorded are the ones the fake received.
    const sent = fakes.requests();
    const prompts = bundle.prompts.kind === "survey" ? bundle.prompts : null;
    for (const [index, personaId] of original.order.entries()) {
      expect(prompts!.respondentSystem[index]!.personaId).toBe(personaId);
      expect(sent.filter((r) => r.system === prompts!.respondentSystem[index]!.text)).toHaveLength(1);
    }
    expect(sent.filter((r) => r.messagesText === prompts!.user)).toHaveLength(5);
    expect(sent.filter((r) => r.system === prompts!.themesSystem)).toHaveLength(1);
    // As the run recorded them (the fake reports the model asked for as the one that answered).
    expect(bundle.models).toEqual([
      {
        task: "discussion",
        role: "respondents",
        provider: "gemini",
        model: "gemini-2.5-flash",
        modelVersion: "gemini-2.5-flash",
        temperature: 0.7,
        seed: null,
        promptVersion: SURVEY_PROMPT_VERSION,
        source: "run",
      },
      {
        task: "analysis",
        role: "open_themes",
        provider: "gemini",
        model: "gemini-2.5-pro",
        modelVersion: "gemini-2.5-pro",
        temperature: 0.2,
        seed: null,
        promptVersion: SURVEY_PROMPT_VERSION,
        source: "run",
      },
    ]);

    fakes.reset();
    const b = await openWorkspace(fakes, apps);
    const imported = await b.invoke<BundleImportResult>("recipes.import", { text });
    expect(imported).toMatchObject({
      study: { kind: "survey" },
      personas: 5,
      promptsMatch: true,
      expectedDigest: bundle.results.digest,
    });
    const draft = await b.invoke<Survey>("surveys.get", { id: imported.study.id });
    expect(draft).toMatchObject({ projectId: imported.projectId, name: "Breakfast habits", status: "draft" });
    expect(draft.questions).toEqual((await a.invoke<Survey>("surveys.get", { id: survey.id })).questions);
    // New ids in the new workspace: nothing the rerun sends may depend on them.
    const importedIds = await b.personaIds(imported.projectId);
    expect(importedIds).toHaveLength(5);
    for (const id of importedIds) expect(original.order).not.toContain(id);

    expect((await runSurvey(b, imported.study.id)).status).toBe("succeeded");
    expect(promptsSent(fakes.requests())).toEqual(sentByA);
    const rerun = await answersInOrder(b, imported.study.id);
    expect(rerun.order).toEqual(importedIds);
    expect(rerun.answers).toEqual(original.answers);
    const themesA = themesByPlace(await a.invoke<SurveyResults>("surveys.results", { id: survey.id }), original.order);
    const themesB = themesByPlace(
      await b.invoke<SurveyResults>("surveys.results", { id: imported.study.id }),
      rerun.order,
    );
    expect(themesB.flat().length).toBeGreaterThan(0);
    expect(themesB).toEqual(themesA);

    const { bundle: again } = await b.invoke<{ bundle: StudyBundle }>("recipes.build", {
      kind: "survey",
      id: imported.study.id,
    });
    expect(again.results.digest).toEqual(bundle.results.digest);
  });
});

describe("reproducibility bundle: a focus group", () => {
  it("pins the seed it derived, and reruns elsewhere to the same transcript, line by line, and digest", async () => {
    const a = await openWorkspace(fakes, apps);
    const { projectId, personas } = await projectWithPersonas(a, 4, 3);
    const group = await a.invoke<FocusGroup>("focusGroups.create", {
      projectId,
      name: "Switching to oat milk",
      participantIds: personas.map((p) => p.id).reverse(),
      guide: [
        { question: "What do you drink with breakfast, and why?", probes: ["Ask about price"] },
        { question: "What would make you try an oat drink?" },
      ],
      settings: { discussionRounds: 1, moderatorFollowUps: true, temperature: 0.9 },
    });
    expect(group.settings.seed).toBeUndefined();
    expect((await runFocusGroup(a, group.id)).status).toBe("completed");
    const sentByA = promptsSent(fakes.requests());
    const derived = effectiveDiscussionSeed(group.id, {});
    // Every call of the discussion carried the seed it derived.
    expect(new Set(fakes.requests().map((r) => r.seed))).toEqual(new Set([derived]));
    const original = inPlanOrder(
      (await a.invoke<{ items: Message[] }>("focusGroups.messages", { id: group.id })).items,
      group.participantIds,
    );
    // 2 questions × (ask + 4 answers + 4 reactions + follow-up + 2 answers)
    expect(original).toHaveLength(24);

    const { text, bundle } = await saveRecipe(a, "focusGroup", group.id);
    expect(bundle.study).toEqual({
      kind: "focusGroup",
      name: "Switching to oat milk",
      guide: [
        { question: "What do you drink with breakfast, and why?", probes: ["Ask about price"] },
        { question: "What would make you try an oat drink?", probes: [] },
      ],
      settings: { discussionRounds: 1, moderatorFollowUps: true, language: "en", temperature: 0.9, seed: derived },
      seedSource: "derived",
      participants: group.participantIds,
    });
    expect(bundle.personas.map((p) => p.id)).toEqual(group.participantIds);
    expect(bundle.models.map((m) => [m.role, m.temperature, m.seed, m.promptVersion, m.source])).toEqual([
      ["participants", 0.9, derived, DISCUSSION_PROMPT_VERSION, "run"],
      ["moderator", 0.4, derived, DISCUSSION_PROMPT_VERSION, "run"],
    ]);
    const prompts = bundle.prompts.kind === "focusGroup" ? bundle.prompts : null;
    expect(fakes.requests().filter((r) => r.system === prompts!.moderatorSystem)).toHaveLength(2);
    for (const participant of prompts!.participantSystem) {
      // 2 answers + 2 reactions, and maybe follow-up answers
      expect(fakes.requests().filter((r) => r.system === participant.text).length).toBeGreaterThanOrEqual(4);
    }
    expect(bundle.results).toMatchObject({ status: "completed", digest: { units: 24 } });

    fakes.reset();
    const b = await openWorkspace(fakes, apps);
    const imported = await b.invoke<BundleImportResult>("recipes.import", { text });
    expect(imported).toMatchObject({ study: { kind: "focusGroup" }, personas: 4, promptsMatch: true });
    const draft = await b.invoke<FocusGroup>("focusGroups.get", { id: imported.study.id });
    expect(draft).toMatchObject({
      status: "draft",
      messageCount: 0,
      guide: bundle.study.kind === "focusGroup" && bundle.study.guide,
    });
    expect(draft.settings).toEqual({ ...group.settings, seed: derived });
    expect(draft.id).not.toBe(group.id);
    for (const id of draft.participantIds) expect(group.participantIds).not.toContain(id);
    const names = async (w: Workspace, ids: string[]) => {
      const list = await w.invoke<{ items: { id: string; name: string }[] }>("personas.list", {
        projectId: w === a ? projectId : imported.projectId,
        limit: 100,
      });
      const byId = new Map(list.items.map((p) => [p.id, p.name]));
      return ids.map((id) => byId.get(id));
    };
    expect(await names(b, draft.participantIds)).toEqual(await names(a, group.participantIds));

    expect((await runFocusGroup(b, draft.id)).status).toBe("completed");
    expect(promptsSent(fakes.requests())).toEqual(sentByA);
    const rerun = inPlanOrder(
      (await b.invoke<{ items: Message[] }>("focusGroups.messages", { id: draft.id })).items,
      draft.participantIds,
    );
    const line = (messages: Message[], participants: string[]) =>
      messages.map((m) => ({
        questionIndex: m.questionIndex,
        round: m.round,
        phase: m.phase,
        speakerName: m.speakerName,
        speaker: m.personaId ? participants.indexOf(m.personaId) : null,
        replyTo: m.replyToId ? messages.findIndex((other) => other.id === m.replyToId) : null,
        text: m.text,
      }));
    expect(line(rerun, draft.participantIds)).toEqual(line(original, group.participantIds));
    expect(rerun.map((m) => m.text)).toEqual(original.map((m) => m.text));

    const { bundle: again } = await b.invoke<{ bundle: StudyBundle }>("recipes.build", {
      kind: "focusGroup",
      id: draft.id,
    });
    expect(again.results.digest).toEqual(bundle.results.digest);
    expect(again.study).toEqual({ ...bundle.study, seedSource: "settings", participants: draft.participantIds });
  });

  it("imports the same recipe twice into one workspace, and both reruns give the original digest", async () => {
    const a = await openWorkspace(fakes, apps, { plan: "professional" });
    const { projectId, personas } = await projectWithPersonas(a, 3, 11);
    const group = await a.invoke<FocusGroup>("focusGroups.create", {
      projectId,
      name: "Quick chat",
      participantIds: personas.map((p) => p.id),
      guide: [{ question: "First impressions of oat drinks?" }],
      settings: { discussionRounds: 1, moderatorFollowUps: true, seed: 42 },
    });
    await runFocusGroup(a, group.id);
    const { bundle } = await a.invoke<{ bundle: StudyBundle }>("recipes.build", { kind: "focusGroup", id: group.id });
    expect(bundle.study).toMatchObject({ seedSource: "settings", settings: { seed: 42 } });
    const text = JSON.stringify(bundle);
    const digests = [];
    for (let copy = 0; copy < 2; copy++) {
      const imported = await a.invoke<BundleImportResult>("recipes.import", { text });
      await runFocusGroup(a, imported.study.id);
      const rebuilt = await a.invoke<{ bundle: StudyBundle }>("recipes.build", {
        kind: "focusGroup",
        id: imported.study.id,
      });
      digests.push(rebuilt.bundle.results.digest?.value);
    }
    expect(digests).toEqual([bundle.results.digest!.value, bundle.results.digest!.value]);
    expect((await a.invoke<{ total: number }>("projects.list", {})).total).toBe(3);
  });
});
