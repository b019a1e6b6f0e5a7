/**
 * The CRM service when things go wrong: a network failure that would have put a token in a
 * message, disconnecting while a sync runs, a note refused before it was written and then
 * resumed, a Salesforce note whose link fails, two syncs at once.
 */
import { describe, expect, it } from "vitest";
import { CRM_TOKEN_KEYS } from "../../src/main/services/crm/crm-service";
import { hubspotTokenEndpoint } from "../../src/main/services/crm/hubspot-oauth";
import type { TestApp } from "../support/services";
import { seedProject } from "../exports/seed";
import { call, connectCrm, crmDeps, refusal, seedPersonas, useCrmWorld } from "./app-support";
import { capturingLogger } from "./support";

const world = useCrmWorld();
const { hubspotState, salesforceState } = world;
let app: TestApp;

describe("tokens in failures", () => {
  it("a network failure right after the code exchange names no token, on the page, in status or in the log", async () => {
    const logger = capturingLogger();
    const deps = crmDeps(world.fakes);
    // Tokens come from the fake; the API calls go to a closed port (HubSpot's account call has the token in its URL).
    deps.apps!.hubspot = {
      ...deps.apps!.hubspot!,
      apiBaseUrl: "http://127.0.0.1:9",
      tokenEndpoint: hubspotTokenEndpoint({
        apiBaseUrl: world.fakes.hubspot.url,
        clientId: world.fakes.hubspot.clientId,
        clientSecret: world.fakes.hubspot.clientSecret,
      }),
    };
    app = await world.start({ logger, crm: { ...deps, policy: { baseDelayMs: 1, maxDelayMs: 2 } } });
    const { page } = await connectCrm(app, "hubspot");
    expect(page.ok).toBe(false);
    expect(page.message).toBe("HubSpot cannot be reached (ECONNREFUSED).");
    const status = await call(app, "crm.status", {});
    expect(status.providers[0]).toMatchObject({
      connected: false,
      problem: {
        code: "exchange_failed",
        message: "HubSpot did not complete the connection: HubSpot cannot be reached (ECONNREFUSED).",
      },
    });
    const issued = hubspotState().issuedTokens;
    expect(issued.length).toBeGreaterThan(0);
    const seen = JSON.stringify([page, status, logger.lines]);
    for (const token of issued) expect(seen).not.toContain(token);
    expect(await app.services.deps.secrets.has(CRM_TOKEN_KEYS.hubspot)).toBe(false);
  });
});

describe("disconnecting during a sync", () => {
  it("cancels the running sync first; no token is written back afterwards", async () => {
    app = await world.start();
    await connectCrm(app, "hubspot");
    const { projectId } = await seedPersonas(app, 1000);
    world.fakes.hubspot.control.setFaults({ holdReplyMs: 150 });
    const { jobId } = await call(app, "crm.sync", { kind: "personas", provider: "hubspot", projectId });
    await expect
      .poll(() => hubspotState().counts["contacts.batchUpsert"] ?? 0, { timeout: 10_000, interval: 20 })
      .toBeGreaterThan(0);
    // A second sync to the same CRM waits its turn.
    const twice = await refusal(app, "crm.sync", { kind: "personas", provider: "hubspot", projectId });
    expect(twice).toMatchObject({ code: "CONFLICT", details: { reason: "sync_running", jobId } });

    expect((await call(app, "crm.disconnect", { provider: "hubspot" })).revoked).toBe(true);
    await app.services.jobs.idle();
    expect((await app.services.jobs.get(jobId)).status).toBe("cancelled");
    const calls = hubspotState().counts["contacts.batchUpsert"];
    expect(calls).toBeLessThan(10);
    world.fakes.hubspot.control.setFaults({ holdReplyMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hubspotState().counts["contacts.batchUpsert"]).toBe(calls);
    expect(await app.services.deps.secrets.has(CRM_TOKEN_KEYS.hubspot)).toBe(false);
    expect((await call(app, "crm.history", {})).items[0]).toMatchObject({ status: "cancelled" });
  });
});

describe("insight notes", () => {
  it("a note refused by a rate limit before it was written is written on resume, once", async () => {
    app = await world.start();
    await connectCrm(app, "hubspot");
    const seeded = await seedProject(app.services);
    const [company] = (await call(app, "crm.targets", { provider: "hubspot", kind: "company", q: "" })).items;
    world.fakes.hubspot.control.setFaults({ fail429: 100, retryAfterSeconds: 0 });
    const { jobId, syncId } = await call(app, "crm.sync", {
      kind: "insights",
      provider: "hubspot",
      studyKind: "focusGroup",
      studyId: seeded.focusGroupId,
      target: company!,
    });
    await app.services.jobs.idle();
    const failed = await app.services.jobs.get(jobId);
    expect(failed).toMatchObject({ status: "failed", error: { code: "RATE_LIMITED" } });
    expect(hubspotState().notes).toHaveLength(0);

    world.fakes.hubspot.control.setFaults({ fail429: 0 });
    await call(app, "jobs.resume", { id: jobId });
    await app.services.jobs.idle();
    expect(await app.services.jobs.get(jobId)).toMatchObject({ status: "succeeded", error: null });
    expect(hubspotState().notes).toHaveLength(1);
    expect((await call(app, "crm.syncRecords", { id: syncId })).items).toEqual([
      expect.objectContaining({ key: "note", outcome: "created", crmId: hubspotState().notes[0]!.id }),
    ]);
  });

  it("a Salesforce note whose link is refused is deleted again and fails with Salesforce's message", async () => {
    app = await world.start();
    await connectCrm(app, "salesforce");
    const seeded = await seedProject(app.services);
    const { jobId, syncId } = await call(app, "crm.sync", {
      kind: "insights",
      provider: "salesforce",
      studyKind: "survey",
      studyId: seeded.surveyId,
      target: { kind: "account", id: "001000000000NoSuch", name: "Deleted account" },
    });
    await app.services.jobs.idle();
    expect((await app.services.jobs.get(jobId)).status).toBe("succeeded");
    const [record] = (await call(app, "crm.syncRecords", { id: syncId })).items;
    expect(record).toMatchObject({
      outcome: "failed",
      crmId: null,
      code: "INVALID_CROSS_REFERENCE_KEY",
      message: expect.stringContaining("invalid cross reference id"),
    });
    expect(salesforceState().notes).toHaveLength(0);
    expect(salesforceState().links).toHaveLength(0);
  });
});
