import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BillingStatus, Job } from "../../src/shared/contract";
import { startFakes, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { pdfText } from "../support/pdf-tools";
import { data, startTestApp, tempDir, type TestApp } from "../support/services";
import {
  licenceFor,
  makeSigningKey,
  readStoredLicence,
  storeSignIn,
  unreachableCloud,
  type TestSigningKey,
} from "./support";

/**
 * The plan is read at every use: a licence that changes it applies to the next request, without a
 * restart. Licences are signed here with a key the app is told to trust, for the account signed
 * in; the Cloud URL answers nothing, so every plan change comes from the licence alone.
 */

let fakes: RunningFakes;
let key: TestSigningKey;
let foreign: TestSigningKey;
const apps: TestApp[] = [];
const ctx = { transport: "rest" as const };
const TARGET = { gender: { female: 0.5, male: 0.5 }, age_group: { "18-34": 0.5, "35+": 0.5 } };

beforeAll(async () => {
  fakes = await startFakes();
  key = await makeSigningKey("cloud-test");
  foreign = await makeSigningKey("not-ours");
});
afterAll(async () => fakes.close());
afterEach(async () => {
  fakes.reset();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(dataDir = tempDir()) {
  const app = await startTestApp({
    dataDir,
    secrets: storeSignIn(dataDir),
    env: fakes.env,
    llmPolicy: FAST_POLICY,
    cloud: await unreachableCloud([key.publicJwk]),
  });
  apps.push(app);
  // The start-up refresh meets no Cloud; let it finish so the test sees only its own changes.
  await app.services.billing.settled();
  const call = (name: string, input: unknown = {}) => app.router.invoke(name, input, ctx);
  const invoke = async <T>(name: string, input: unknown = {}) => data(await call(name, input)) as T;
  const project = await invoke<{ id: string }>("projects.create", { name: "Oat drink", targetDemographics: TARGET });
  const generate = async (count: number) => {
    const result = await call("personas.generate", { projectId: project.id, count, seed: count });
    if ("error" in result) return result;
    await app.services.jobs.idle();
    return { data: await invoke<Job>("jobs.get", { id: (result.data as { jobId: string }).jobId }) };
  };
  const quota = () =>
    invoke<{ plan: string; limit: number | null; used: number; remaining: number | null }>("personas.quota");
  const personaCount = () => app.services.db.prisma.persona.count();
  return { app, call, invoke, generate, quota, personaCount, projectId: project.id };
}

describe("plan changes apply at once", () => {
  it("starts on Free without a licence: 5 personas, app.info and billing.status say free", async () => {
    const t = await start();
    expect(await t.quota()).toMatchObject({ plan: "free", limit: 5, remaining: 5 });
    expect(await t.invoke("app.info")).toMatchObject({ plan: "free" });
    expect(await t.invoke("billing.status")).toMatchObject({
      cloudConfigured: true,
      plan: "free",
      personaLimit: 5,
      licence: null,
      problem: null,
    });
  });

  it("with a Professional licence the quota becomes 50 and a 6th persona can be generated", async () => {
    const t = await start();
    expect(await t.generate(5)).toMatchObject({ data: { status: "succeeded" } });
    expect(await t.generate(1)).toMatchObject({ error: { code: "QUOTA_EXCEEDED" } });

    await t.app.services.billing.acceptLicence(await licenceFor(key, "professional"));

    expect(await t.quota()).toMatchObject({ plan: "professional", limit: 50, used: 5, remaining: 45 });
    expect(await t.generate(1)).toMatchObject({ data: { status: "succeeded" } });
    expect(await t.personaCount()).toBe(6);
    expect(await t.invoke("app.info")).toMatchObject({ plan: "professional" });
  });

  it("with an Enterprise licence the persona quota is unlimited", async () => {
    const t = await start();
    await t.app.services.billing.acceptLicence(await licenceFor(key, "enterprise"));
    expect(await t.quota()).toMatchObject({ plan: "enterprise", limit: null, remaining: null });
  });

  it("a licence replaced by a Free one brings the quota back to 5, keeps every persona and refuses new ones", async () => {
    const t = await start();
    await t.app.services.billing.acceptLicence(await licenceFor(key, "professional"));
    expect(await t.generate(7)).toMatchObject({ data: { status: "succeeded" } });

    await t.app.services.billing.acceptLicence(await licenceFor(key, "free"));

    expect(await t.quota()).toMatchObject({ plan: "free", limit: 5, used: 7, remaining: 0 });
    expect(await t.personaCount()).toBe(7);
    expect(await t.generate(1)).toMatchObject({
      error: {
        code: "QUOTA_EXCEEDED",
        message:
          "The Free plan allows 5 personas and this workspace already has 7. " +
          "All 7 are kept; to add 1 more, delete 3 personas or move to a larger plan.",
        details: { plan: "free", limit: 5, used: 7, remaining: 0, requested: 1 },
      },
    });
    expect(await t.personaCount()).toBe(7);
  });

  it("announces a change with billing.changed carrying the full status, and db.changed for Billing", async () => {
    const t = await start();
    const changes: BillingStatus[] = [];
    const tables: string[][] = [];
    t.app.services.bus.on("billing.changed", (status) => changes.push(status));
    t.app.services.bus.on("db.changed", ({ tables: changed }) => tables.push(changed));

    const status = await t.app.services.billing.acceptLicence(await licenceFor(key, "professional"));

    expect(changes).toEqual([status]);
    expect(status).toMatchObject({
      plan: "professional",
      personaLimit: 50,
      licence: { status: "active", subscribedTier: "professional" },
      problem: null,
    });
    expect(tables).toContainEqual(["Billing"]);
  });

  it("applies the new plan's survey question limit to the next save", async () => {
    const t = await start();
    const questions = Array.from({ length: 11 }, (_, i) => ({ type: "open_ended", text: `Question ${i + 1}` }));
    const survey = { projectId: t.projectId, name: "Long", questions };
    expect(await t.call("surveys.create", survey)).toMatchObject({
      error: { code: "VALIDATION_FAILED", details: { limit: 10 } },
    });
    await t.app.services.billing.acceptLicence(await licenceFor(key, "professional"));
    expect((await t.invoke<{ questions: unknown[] }>("surveys.create", survey)).questions).toHaveLength(11);
  });

  it("builds a PDF exported after an upgrade anew, without the 'Sight Free' mark", async () => {
    const t = await start();
    expect(await t.generate(2)).toMatchObject({ data: { status: "succeeded" } });
    const exportPdf = async () => {
      const { jobId } = await t.invoke<{ jobId: string }>("exports.create", {
        projectId: t.projectId,
        format: "pdf",
        scope: "personas",
      });
      await t.app.services.jobs.idle();
      const job = await t.invoke<Job>("jobs.get", { id: jobId });
      const result = job.result as { exportId: string; cached: boolean };
      const file = await t.app.services.exports.openDownload(result.exportId);
      return { ...result, text: pdfText(file.file) };
    };
    const onFree = await exportPdf();
    expect(onFree.text).toContain("Sight Free");

    await t.app.services.billing.acceptLicence(await licenceFor(key, "professional"));

    const onProfessional = await exportPdf();
    expect(onProfessional.cached).toBe(false);
    expect(onProfessional.exportId).not.toBe(onFree.exportId);
    expect(onProfessional.text).not.toContain("Sight Free");
  });

  it("keeps the licence in force when the Cloud sends one signed by a foreign key, and says why", async () => {
    const t = await start();
    await t.app.services.billing.acceptLicence(await licenceFor(key, "professional"));
    const status = await t.app.services.billing.acceptLicence(await licenceFor(foreign, "enterprise"));
    expect(status).toMatchObject({ plan: "professional", problem: { code: "licence_invalid" } });
    expect(await t.quota()).toMatchObject({ plan: "professional", limit: 50 });
  });

  it("does not put in force a genuine licence issued to another account, nor save it", async () => {
    const t = await start();
    const status = await t.app.services.billing.acceptLicence(
      await licenceFor(key, "enterprise", new Date(), { sub: "acct_someone_else" }),
    );
    expect(status).toMatchObject({ plan: "free", licence: null });
    expect(await t.quota()).toMatchObject({ plan: "free", limit: 5 });
    expect(readStoredLicence(t.app.dataDir)).toBeNull();
  });

  it("saves an accepted licence as licence.jwt, so the next start is on the same plan", async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const licence = await licenceFor(key, "enterprise");
    await first.app.services.billing.acceptLicence(licence);
    expect(readStoredLicence(dataDir)).toBe(licence);
    await first.app.services.close();
    apps.splice(apps.indexOf(first.app), 1);

    const again = await start(dataDir);
    expect(await again.invoke("billing.status")).toMatchObject({ plan: "enterprise", problem: null });
  });

  it("never returns the licence or a token in a route's output", async () => {
    const t = await start();
    const licence = await licenceFor(key, "professional");
    await t.app.services.billing.acceptLicence(licence);
    const outputs = await Promise.all(["billing.status", "app.info"].map((name) => t.invoke(name)));
    const text = JSON.stringify(outputs);
    expect(text).toContain("professional");
    for (const part of licence.split(".")) expect(text).not.toContain(part);
  });
});
