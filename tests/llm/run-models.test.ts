import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import type { ExportDocument, FocusGroup, Job, RunModel } from "../../src/shared/contract";
import { startFakes, type LoggedRequest, type RunningFakes } from "../../fakes";
import { ANALYSIS_PROMPT_VERSION } from "../../src/main/services/focus-groups/analysis-job";
import { DISCUSSION_PROMPT_VERSION } from "../../src/main/services/focus-groups/prompts";
import { PERSONA_PROMPT_VERSION } from "../../src/main/services/personas/prompt";
import { SURVEY_PROMPT_VERSION } from "../../src/main/services/surveys/prompt";
import { readRunModels } from "../../src/main/services/jobs/job-row";
import { pdfPages, squash } from "../support/pdf-tools";
import type { TestApp } from "../support/services";
import { startSurveyTest } from "../surveys/setup";

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

/**
 * What a job must have recorded, computed independently from the fake's own log: one entry per
 * distinct (model, temperature, seed) among the calls that were answered, the model named as the
 * fake reported it (asked-for name + suffix), counted per call.
 */
function expectedFrom(requests: LoggedRequest[], suffix: string, promptVersion: string): RunModel[] {
  const models = new Map<string, RunModel>();
  for (const r of requests.filter((request) => request.status === 200)) {
    const key = JSON.stringify([r.model, r.temperature, r.seed]);
    const seen = models.get(key);
    models.set(key, {
      provider: "gemini",
      model: r.model,
      modelVersion: r.model + suffix,
      temperature: r.temperature,
      seed: r.seed,
      promptVersion,
      calls: (seen?.calls ?? 0) + 1,
    });
  }
  return [...models.values()];
}

const sorted = (models: RunModel[]) => [...models].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("the models a study used are recorded per run", () => {
  it("persona, survey, discussion and analysis runs record model, answered version, temperature, seed and prompt version", async () => {
    fakes.control({ modelVersionSuffix: "-001" });
    const t = await startSurveyTest(fakes, apps, { personaCount: 4 });
    // startSurveyTest resets the fake after generating; the generation job's calls are in its usage.
    const generation = await t.app.services.db.prisma.job.findFirstOrThrow({ where: { kind: "personas.generate" } });
    const generationModels = readRunModels(generation.models);
    // One entry per batch seed the run derived from its seed 7; every call accounted for.
    expect(generationModels.length).toBeGreaterThanOrEqual(1);
    for (const model of generationModels) {
      expect(model).toMatchObject({ provider: "gemini", promptVersion: PERSONA_PROMPT_VERSION });
      expect(model.modelVersion).toBe(`${model.model}-001`);
      expect(model.seed).not.toBeNull();
    }
    expect(generationModels.reduce((sum, m) => sum + m.calls, 0)).toBe(
      (JSON.parse(generation.usage) as { calls: number }).calls,
    );

    // Survey: asked for a pinned model; the fake says it answered as a version of it.
    fakes.control({ modelVersionSuffix: "-002" });
    const survey = await t.createSurvey();
    const surveyJob = await t.runToEnd(survey.id, { model: "gemini-2.5-pro" });
    expect(surveyJob.status).toBe("succeeded");
    const surveyExpected = expectedFrom(fakes.requests(), "-002", SURVEY_PROMPT_VERSION);
    expect(surveyExpected.every((m) => m.model === "gemini-2.5-pro")).toBe(true);
    expect(sorted(surveyJob.models)).toEqual(sorted(surveyExpected));
    expect(surveyJob.models.reduce((sum, m) => sum + m.calls, 0)).toBe(surveyJob.usage.calls);

    // Discussion with a pinned seed and temperature, then its analysis.
    fakes.reset();
    fakes.control({ modelVersionSuffix: "-003" });
    const fg = await t.invoke<FocusGroup>("focusGroups.create", {
      projectId: t.projectId,
      name: "Breakfast",
      participantIds: t.personas.map((p) => p.id),
      guide: [{ question: "What do you drink with breakfast, and why?" }],
      settings: { discussionRounds: 1, moderatorFollowUps: true, seed: 11, temperature: 0.6 },
    });
    await t.invoke("focusGroups.run", { id: fg.id });
    await t.app.services.jobs.idle();
    const ran = await t.invoke<FocusGroup>("focusGroups.get", { id: fg.id });
    expect(ran.status).toBe("completed");
    const discussion = await t.invoke<Job>("jobs.get", { id: ran.jobId! });
    const discussionExpected = expectedFrom(fakes.requests(), "-003", DISCUSSION_PROMPT_VERSION);
    // Answers and reactions at 0.6, the moderator's follow-up at its own 0.4: two entries, both seed 11.
    expect(discussionExpected.map((m) => [m.temperature, m.seed]).sort()).toEqual([
      [0.4, 11],
      [0.6, 11],
    ]);
    expect(sorted(discussion.models)).toEqual(sorted(discussionExpected));
    expect(discussion.models.reduce((sum, m) => sum + m.calls, 0)).toBe(discussion.usage.calls);

    fakes.reset();
    const { jobId: analysisId } = await t.invoke<{ jobId: string }>("focusGroups.analyze", { id: fg.id });
    await t.app.services.jobs.idle();
    const analysis = await t.invoke<Job>("jobs.get", { id: analysisId });
    expect(analysis.status).toBe("succeeded");
    expect(sorted(analysis.models)).toEqual(sorted(expectedFrom(fakes.requests(), "", ANALYSIS_PROMPT_VERSION)));
    expect(analysis.models.every((m) => m.modelVersion === m.model)).toBe(true);

    // The exports carry the same records: the JSON as data, the PDF's methodology page as text.
    const exported = async (format: "json" | "pdf", scope: "focusGroup" | "survey", id: string) => {
      const { jobId } = await t.invoke<{ jobId: string }>("exports.create", {
        projectId: t.projectId,
        format,
        scope,
        ids: [id],
        options: { language: "en" },
      });
      await t.app.services.jobs.idle();
      const job = await t.invoke<Job>("jobs.get", { id: jobId });
      expect(job.status, job.error?.message).toBe("succeeded");
      return (await t.app.services.exports.openDownload((job.result as { exportId: string }).exportId)).file;
    };
    const json = JSON.parse(fs.readFileSync(await exported("json", "focusGroup", fg.id), "utf8")) as ExportDocument;
    expect(json.focusGroups[0]!.models).toEqual({ discussion: discussion.models, analysis: analysis.models });
    const surveyJson = JSON.parse(
      fs.readFileSync(await exported("json", "survey", survey.id), "utf8"),
    ) as ExportDocument;
    expect(surveyJson.surveys[0]!.models).toEqual(surveyJob.models);

    const methodology = squash(
      pdfPages(await exported("pdf", "survey", survey.id)).find((page) => page.includes("Study settings"))!,
    );
    for (const model of surveyJob.models) {
      expect(methodology).toContain(
        squash(
          `gemini-2.5-pro (answered as gemini-2.5-pro-002) via Gemini, temperature ${model.temperature}, no seed, prompts ${SURVEY_PROMPT_VERSION}, ${model.calls} ${model.calls === 1 ? "call" : "calls"}`,
        ),
      );
    }
    expect(methodology).not.toContain("the provider's default model");
  }, 180_000);

  it("a row without models, or with a damaged value, reads as none recorded", () => {
    expect(readRunModels("[]")).toEqual([]);
    expect(readRunModels(undefined)).toEqual([]);
    expect(readRunModels("{not json")).toEqual([]);
    expect(readRunModels(JSON.stringify([{ provider: "gemini", model: "" }]))).toEqual([]);
  });
});
