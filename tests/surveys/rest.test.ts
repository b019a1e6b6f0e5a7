import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakes, type RunningFakes } from "../../fakes";
import type { RunningHost } from "../../src/main/headless/host";
import { startTestHost } from "../support/test-host";
import { FAST_POLICY } from "../llm/harness";
import { QUESTIONS, TARGET } from "./setup";

const TOKEN = "survey-rest-token-0123456789";
let fakes: RunningFakes;
let host: RunningHost;
let base: string;
let dataDir: string;

beforeAll(async () => {
  fakes = await startFakes();
  ({ host, dataDir } = await startTestHost({ token: TOKEN, deps: { env: fakes.env, llmPolicy: FAST_POLICY } }));
  base = `${host.server.url}/api/v1`;
});
afterAll(async () => {
  await host.close();
  await fakes.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function rest(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("surveys over REST (headless host)", () => {
  it("creates, runs and reads results with a cross-tab; typed errors map to HTTP statuses", async () => {
    const project = await rest("POST", "/projects", { name: "REST survey", targetDemographics: TARGET });
    expect(project.status).toBe(201);
    const projectId = project.body.id as string;

    const created = await rest("POST", `/projects/${projectId}/surveys`, { name: "Breakfast", questions: QUESTIONS });
    expect(created).toMatchObject({
      status: 201,
      body: { status: "draft", questions: [{ id: "q1" }, { id: "q2" }, { id: "q3" }, { id: "q4" }] },
    });
    const id = created.body.id as string;

    const noPersonas = await rest("POST", `/surveys/${id}/run`, {});
    expect(noPersonas).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED", message: expect.stringMatching(/generate personas first/) } },
    });

    expect((await rest("POST", `/projects/${projectId}/personas/generate`, { count: 4, seed: 2 })).status).toBe(202);
    await host.services.jobs.idle();
    const run = await rest("POST", `/surveys/${id}/run`, {});
    expect(run.status).toBe(202);
    await host.services.jobs.idle();
    expect(await rest("GET", `/jobs/${run.body.jobId}`)).toMatchObject({ status: 200, body: { status: "succeeded" } });

    const responses = await rest("GET", `/surveys/${id}/responses?limit=2`);
    expect(responses).toMatchObject({ status: 200, body: { total: 4 } });
    expect(responses.body.items).toHaveLength(2);
    expect(responses.body.nextCursor).not.toBeNull();

    const results = await rest("GET", `/surveys/${id}/results?crosstab=gender`);
    expect(results).toMatchObject({ status: 200, body: { respondents: 4 } });
    expect(results.body.crosstabs.map((c: { questionId: string }) => c.questionId)).toEqual(["q1", "q2", "q4"]);

    expect(await rest("GET", `/surveys/${id}/results?crosstab=income`)).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED", details: { dimension: "income" } } },
    });
    expect(await rest("PATCH", `/surveys/${id}`, { name: "Renamed" })).toMatchObject({
      status: 200,
      body: { name: "Renamed", status: "completed" },
    });
    // Losing the responses takes a confirmation, over REST too.
    expect(
      await rest("PATCH", `/surveys/${id}`, { name: "Other", questions: [{ type: "open_ended", text: "Why?" }] }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: "CONFLICT", details: { reason: "responses_would_be_deleted", responses: 4 } } },
    });
    expect(await rest("POST", `/surveys/${id}/run`, {})).toMatchObject({
      status: 409,
      body: { error: { code: "CONFLICT", details: { reason: "responses_would_be_replaced", responses: 4 } } },
    });
    expect(await rest("GET", `/projects/${projectId}/surveys`)).toMatchObject({
      status: 200,
      body: { total: 1, items: [{ id, name: "Renamed" }] },
    });
    expect(await rest("DELETE", `/surveys/${id}`)).toMatchObject({ status: 200, body: { ok: true } });
    expect((await rest("GET", `/surveys/${id}`)).status).toBe(404);
  });
});
