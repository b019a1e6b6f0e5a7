import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { Job, Persona, StudyBundle } from "../../src/shared/contract";
import type { LoggedRequest, RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { data, startTestApp, tempDir, type TestApp } from "../support/services";

export const ctx = { transport: "rest" as const };

export const TARGET = {
  gender: { female: 0.5, male: 0.5 },
  age_group: { "18-34": 0.5, "35-64": 0.5 },
};

const COUNTED_TABLES = [
  "Project",
  "Persona",
  "FocusGroup",
  "Survey",
  "SurveyResponse",
  "FocusGroupMessage",
  "Job",
] as const;
type CountedTable = (typeof COUNTED_TABLES)[number];

/** One workspace (its own data folder and services) against the shared fakes, with its save and open dialogs answered by the test. */
export interface Workspace {
  app: TestApp;
  invoke<T>(name: string, input: unknown): Promise<T>;
  call(name: string, input: unknown): Promise<unknown>;
  /** What the next save or open dialog answers. */
  dialogs: { savePath: string | null; openPath: string | null };
  /** Persona ids of a project in the order the app lists them. */
  personaIds(projectId: string): Promise<string[]>;
  generatePersonas(projectId: string, count: number, seed: number): Promise<Persona[]>;
  /** Rows per table, to prove that a refused import changed nothing. */
  counts(): Promise<Record<CountedTable, number>>;
}

export async function openWorkspace(
  fakes: RunningFakes,
  apps: TestApp[],
  overrides: Parameters<typeof startTestApp>[0] = {},
): Promise<Workspace> {
  const dialogs = { savePath: null as string | null, openPath: null as string | null };
  const app = await startTestApp({
    env: fakes.env,
    llmPolicy: FAST_POLICY,
    chooseSavePath: async () => dialogs.savePath,
    chooseOpenPath: async () => dialogs.openPath,
    ...overrides,
  });
  apps.push(app);
  const call = (name: string, input: unknown) => app.router.invoke(name, input, ctx);
  const invoke = async <T>(name: string, input: unknown) => data(await call(name, input)) as T;
  const personaIds = async (projectId: string) =>
    (await invoke<{ items: Persona[] }>("personas.list", { projectId, limit: 100 })).items.map((p) => p.id);
  return {
    app,
    invoke,
    call,
    dialogs,
    personaIds,
    async generatePersonas(projectId, count, seed) {
      const { jobId } = await invoke<{ jobId: string }>("personas.generate", { projectId, count, seed });
      await app.services.jobs.idle();
      expect((await invoke<Job>("jobs.get", { id: jobId })).status).toBe("succeeded");
      return (await invoke<{ items: Persona[] }>("personas.list", { projectId, limit: 100 })).items;
    },
    async counts() {
      const out = {} as Record<CountedTable, number>;
      for (const table of COUNTED_TABLES) {
        const result = await app.services.db.raw.execute(`SELECT COUNT(*) AS n FROM "${table}"`);
        out[table] = Number(result.rows[0]!.n);
      }
      return out;
    },
  };
}

/** Saves a study's recipe through recipes.saveAs (the dialog answered with a temporary path) and reads it back. */
export async function saveRecipe(
  workspace: Workspace,
  kind: "focusGroup" | "survey",
  id: string,
): Promise<{ file: string; text: string; bundle: StudyBundle }> {
  const file = path.join(tempDir("sight-recipe-"), "recipe.json");
  workspace.dialogs.savePath = file;
  const saved = await workspace.invoke<{ saved: boolean; path: string }>("recipes.saveAs", { kind, id });
  expect(saved).toEqual({ saved: true, path: file });
  const text = fs.readFileSync(file, "utf8");
  return { file, text, bundle: JSON.parse(text) as StudyBundle };
}

/** The provider calls a run made, as the model saw them (prompt, seed, temperature), in a stable order. */
export function promptsSent(requests: LoggedRequest[]): string[] {
  return requests
    .map((r) => JSON.stringify([r.system, r.messagesText, r.seed, r.temperature]))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
