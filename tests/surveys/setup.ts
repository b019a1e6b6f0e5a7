import { expect } from "vitest";
import type { Job, Persona, Survey } from "../../src/shared/contract";
import type { RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { data, startTestApp, type TestApp } from "../support/services";

export const ctx = { transport: "rest" as const };

export const TARGET = {
  gender: { female: 0.5, male: 0.5 },
  age_group: { "18-34": 0.4, "35-54": 0.4, "55+": 0.2 },
};

/** One of each question type, with ids left for the service to assign (q1…q4). */
export const QUESTIONS = [
  {
    type: "multiple_choice",
    text: "Which drink do you have with breakfast?",
    options: ["Coffee", "Tea", "Juice", "Water"],
  },
  {
    type: "rating_scale",
    text: "How likely are you to try an oat drink?",
    min: 1,
    max: 5,
    minLabel: "Not at all",
    maxLabel: "Very",
  },
  { type: "open_ended", text: "What would make you switch?" },
  { type: "ranking", text: "Rank what matters most", items: ["Price", "Taste", "Health", "Sustainability"] },
];

export interface SurveyTest {
  app: TestApp;
  projectId: string;
  personas: Persona[];
  invoke<T>(name: string, input: unknown): Promise<T>;
  /** The raw result (data or error), for refusals. */
  call(name: string, input: unknown): Promise<unknown>;
  createSurvey(input?: Record<string, unknown>): Promise<Survey>;
  /** Starts a run, waits for the job to settle, and returns the job. */
  runToEnd(surveyId: string, input?: Record<string, unknown>): Promise<Job>;
}

/** Real services against the fakes, a project with `personaCount` generated personas, and a clean request log. */
export async function startSurveyTest(
  fakes: RunningFakes,
  apps: TestApp[],
  options: { personaCount?: number; overrides?: Parameters<typeof startTestApp>[0] } = {},
): Promise<SurveyTest> {
  const app = await startTestApp({ env: fakes.env, llmPolicy: FAST_POLICY, ...options.overrides });
  apps.push(app);
  const call = (name: string, input: unknown) => app.router.invoke(name, input, ctx);
  const invoke = async <T>(name: string, input: unknown) => data(await call(name, input)) as T;
  const project = await invoke<{ id: string }>("projects.create", { name: "Oat drink", targetDemographics: TARGET });
  let personas: Persona[] = [];
  const count = options.personaCount ?? 5;
  if (count > 0) {
    const { jobId } = await invoke<{ jobId: string }>("personas.generate", { projectId: project.id, count, seed: 7 });
    await app.services.jobs.idle();
    expect((await invoke<Job>("jobs.get", { id: jobId })).status).toBe("succeeded");
    personas = (await invoke<{ items: Persona[] }>("personas.list", { projectId: project.id, limit: 100 })).items;
  }
  fakes.reset();
  return {
    app,
    projectId: project.id,
    personas,
    invoke,
    call,
    createSurvey: (input = {}) =>
      invoke<Survey>("surveys.create", {
        projectId: project.id,
        name: "Breakfast habits",
        questions: QUESTIONS,
        ...input,
      }),
    async runToEnd(surveyId, input = {}) {
      const { jobId } = await invoke<{ jobId: string }>("surveys.run", { id: surveyId, ...input });
      await app.services.jobs.idle();
      return invoke<Job>("jobs.get", { id: jobId });
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
