/**
 * The CRM service through the router (every input and output validated by the contract),
 * against the loopback HubSpot and Salesforce fakes: connecting, the loopback callback's
 * refusals, the mapping's checks, previews, durable syncs and their ledger, disconnecting.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CRM_TOKEN_KEYS } from "../../src/main/services/crm/crm-service";
import { createFileSecretStore } from "../../src/main/services/secrets/file-secret-store";
import type { TestApp } from "../support/services";
import { tempDir } from "../support/services";
import { seedProject } from "../exports/seed";
import { call, connectCrm, refusal, seedPersonas, useCrmWorld } from "./app-support";
import { capturingLogger, pressAllow } from "./support";

const world = useCrmWorld();
const { hubspotState, salesforceState } = world;
let app: TestApp;

async function waitForJob(jobId: string) {
  await app.services.jobs.idle();
  return app.services.jobs.get(jobId);
}

describe("connecting", () => {
  it("connects HubSpot through the consent page and the loopback callback; no route answers a token", async () => {
    const logger = capturingLogger();
    app = await world.start({ logger });
    const before = await call(app, "crm.status", {});
    expect(before.providers.map((p) => [p.provider, p.configured, p.connected])).toEqual([
      ["hubspot", true, false],
      ["salesforce", true, false],
    ]);

    const { started, callback, page } = await connectCrm(app, "hubspot");
    const authorize = new URL(started.url);
    expect(authorize.origin + authorize.pathname).toBe(`${world.fakes.hubspot.url}/oauth/authorize`);
    expect(authorize.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:47999/oauth/callback");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.opened).toBe(false);
    expect(callback.origin + callback.pathname).toBe("http://127.0.0.1:47999/oauth/callback");
    expect(page).toEqual({
      ok: true,
      title: "Connected to HubSpot",
      message: "Sight is connected to sight-test.hubspot.com. You can close this tab and go back to Sight.",
    });

    const after = await call(app, "crm.status", {});
    const hubspot = after.providers[0]!;
    expect(hubspot).toMatchObject({
      provider: "hubspot",
      connected: true,
      account: { provider: "hubspot", accountId: "4242", accountName: "sight-test.hubspot.com" },
      pendingUntil: null,
      breaker: "closed",
      problem: null,
    });
    const stored = JSON.parse((await app.services.deps.secrets.get(CRM_TOKEN_KEYS.hubspot))!) as {
      accessToken: string;
      refreshToken: string;
    };
    const issued = hubspotState().issuedTokens;
    expect(issued).toContain(stored.accessToken);
    expect(issued).toContain(stored.refreshToken);
    // Nothing the renderer or the logs get holds a token.
    const outputs = JSON.stringify([after, await call(app, "crm.mapping", { provider: "hubspot" }), started]);
    const logged = JSON.stringify(logger.lines);
    for (const token of issued) {
      expect(outputs).not.toContain(token);
      expect(logged).not.toContain(token);
    }
  });

  it("refuses a replayed callback, keeps the attempt pending on a wrong state, and says when access was denied", async () => {
    app = await world.start();
    const first = await connectCrm(app, "hubspot");
    expect(first.page.ok).toBe(true);
    const replay = await app.services.crm.callbackPage(Object.fromEntries(first.callback.searchParams));
    expect(replay).toMatchObject({ ok: false, message: "This sign-in link was already used; start connecting again." });

    const second = await call(app, "crm.connect", { provider: "hubspot" });
    const forged = await app.services.crm.callbackPage({ state: "A".repeat(43), code: "forged-code" });
    expect(forged.ok).toBe(false);
    // A stray answer does not end the researcher's attempt: the real one still completes.
    expect((await call(app, "crm.status", {})).providers[0]!.pendingUntil).not.toBeNull();
    const real = await pressAllow(second.url);
    expect((await app.services.crm.callbackPage(Object.fromEntries(real.searchParams))).ok).toBe(true);

    await call(app, "crm.connect", { provider: "salesforce" });
    const pending = (await call(app, "crm.status", {})).providers[1]!;
    expect(Date.parse(pending.pendingUntil!) - Date.now()).toBeGreaterThan(9 * 60_000);
    const state = new URL((await call(app, "crm.connect", { provider: "salesforce" })).url).searchParams.get("state")!;
    const denied = await app.services.crm.callbackPage({ state, error: "access_denied" });
    expect(denied).toMatchObject({ ok: false, message: "Access was not granted in the browser." });
    const status = (await call(app, "crm.status", {})).providers[1]!;
    expect(status).toMatchObject({ connected: false, pendingUntil: null, problem: { code: "denied" } });
    // A malformed answer is refused before any flow is looked at.
    expect((await app.services.crm.callbackPage({ state: "short", code: "x" })).ok).toBe(false);
  });

  it("connects Salesforce as a public client with the chosen login host, and refuses a non-https host", async () => {
    app = await world.start();
    const bad = await refusal(app, "crm.connect", { provider: "salesforce", loginUrl: "http://login.example.com" });
    expect(bad.code).toBe("VALIDATION_FAILED");
    const { page, started } = await connectCrm(app, "salesforce");
    expect(new URL(started.url).origin).toBe(world.fakes.salesforce.url);
    expect(page.ok).toBe(true);
    const status = (await call(app, "crm.status", {})).providers[1]!;
    expect(status.account).toMatchObject({ provider: "salesforce", accountId: expect.stringMatching(/^00D/) });
    expect(salesforceState().oauth.codeExchanges).toBe(1);
    // Through the build's default host: Reconnect sends none. Through another, the status names it.
    expect(status.loginUrl).toBeNull();
    await app.services.db.prisma.crmConnection.update({
      where: { provider: "salesforce" },
      data: { loginUrl: "https://acme--uat.sandbox.my.salesforce.com" },
    });
    const sandbox = (await call(app, "crm.status", {})).providers[1]!;
    expect(sandbox.loginUrl).toBe("https://acme--uat.sandbox.my.salesforce.com");
    expect((await call(app, "crm.status", {})).providers[0]!.loginUrl).toBeNull();
  });

  it("disconnect revokes the refresh token at the CRM and deletes it here", async () => {
    app = await world.start();
    await connectCrm(app, "hubspot");
    const stored = JSON.parse((await app.services.deps.secrets.get(CRM_TOKEN_KEYS.hubspot))!) as {
      refreshToken: string;
    };
    expect(await call(app, "crm.disconnect", { provider: "hubspot" })).toEqual({ revoked: true, message: null });
    expect(await app.services.deps.secrets.has(CRM_TOKEN_KEYS.hubspot)).toBe(false);
    expect((await call(app, "crm.status", {})).providers[0]).toMatchObject({ connected: false, account: null });
    // The fake no longer accepts the refresh token.
    const refresh = await fetch(`${world.fakes.hubspot.url}/oauth/v1/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: stored.refreshToken,
        client_id: world.fakes.hubspot.clientId,
        client_secret: world.fakes.hubspot.clientSecret,
      }),
    });
    expect(refresh.status).toBe(400);
    expect((await refusal(app, "crm.fields", { provider: "hubspot" })).details).toMatchObject({
      reason: "not_connected",
    });
  });
});

describe("mapping", () => {
  it("starts from defaults that fit HubSpot's properties, and refuses a mapping with errors", async () => {
    app = await world.start();
    const offline = await call(app, "crm.mapping", { provider: "hubspot" });
    expect(offline).toMatchObject({ isDefault: true, object: "contact", problems: [], savedAt: null });
    await connectCrm(app, "hubspot");
    const mapping = await call(app, "crm.mapping", { provider: "hubspot" });
    expect(mapping.problems).toEqual([]);
    expect(mapping.fixed).toEqual({ externalId: "sight_persona_id", synthetic: "sight_synthetic" });

    const refused = await refusal(app, "crm.saveMapping", {
      provider: "hubspot",
      entries: [
        { source: "name", target: "age" },
        { source: "occupation", target: "sight_persona_id" },
        { source: "location", target: "no_such_property" },
        { source: "age", target: "createdate" },
      ],
    });
    expect(refused.code).toBe("VALIDATION_FAILED");
    expect((refused.details!.problems as { code: string; target: string }[]).map((p) => [p.target, p.code])).toEqual([
      ["age", "type_mismatch"],
      ["sight_persona_id", "reserved"],
      ["no_such_property", "unknown_field"],
      ["createdate", "read_only"],
    ]);
    expect(fs.existsSync(path.join(app.dataDir, "crm-settings.json"))).toBe(false);

    const saved = await call(app, "crm.saveMapping", {
      provider: "hubspot",
      entries: [
        { source: "lastName", target: "lastname" },
        { source: "age", target: "age" },
        { source: "occupation", target: "email" },
      ],
    });
    expect(saved.isDefault).toBe(false);
    expect(saved.problems).toEqual([expect.objectContaining({ target: "email", severity: "warning" })]);
    expect((await call(app, "crm.mapping", { provider: "hubspot" })).entries).toHaveLength(3);
    const reset = await call(app, "crm.resetMapping", { provider: "hubspot" });
    expect(reset).toMatchObject({ isDefault: true, savedAt: null });
  });

  it("lists Salesforce's required Company and refuses a mapping that leaves it out", async () => {
    app = await world.start();
    await connectCrm(app, "salesforce");
    const fields = await call(app, "crm.fields", { provider: "salesforce" });
    expect(fields.fields.find((f) => f.name === "Company")).toMatchObject({ required: true, kind: "text" });
    const refused = await refusal(app, "crm.saveMapping", {
      provider: "salesforce",
      entries: [{ source: "lastName", target: "LastName" }],
    });
    expect(refused.details!.problems).toEqual([
      expect.objectContaining({ target: "Company", code: "required_unmapped", severity: "error" }),
    ]);
  });
});

describe("syncing personas", () => {
  it("previews, syncs in batches, then a re-sync skips what is unchanged and updates what changed", async () => {
    app = await world.start();
    await connectCrm(app, "hubspot");
    const { projectId, personaIds } = await seedPersonas(app, 250);

    const preview = await call(app, "crm.preview", { kind: "personas", provider: "hubspot", projectId });
    expect(preview.counts).toEqual({ create: 250, update: 0, skip: 0 });
    expect(preview.items[0]).toMatchObject({
      key: personaIds[0],
      label: "Persona0 Tester0",
      action: "create",
      fields: { firstname: "Persona0", lastname: "Tester0", age: 20, gender: "female", sight_synthetic: true },
    });
    // The preview calls no write API.
    expect(hubspotState().counts["contacts.batchUpsert"] ?? 0).toBe(0);

    const { jobId, syncId } = await call(app, "crm.sync", { kind: "personas", provider: "hubspot", projectId });
    const job = await waitForJob(jobId);
    expect(job.status).toBe("succeeded");
    expect(hubspotState().counts["contacts.batchUpsert"]).toBe(3);
    const synced = () => hubspotState().contacts.filter((c) => c.fields.sight_persona_id);
    expect(synced()).toHaveLength(250);
    expect(hubspotState().duplicateExternalIds).toEqual([]);
    const contact = hubspotState().contacts.find((c) => c.fields.sight_persona_id === personaIds[7])!;
    expect(contact.fields).toMatchObject({ firstname: "Persona7", lastname: "Tester7", sight_synthetic: "true" });

    const history = await call(app, "crm.history", {});
    expect(history.items[0]).toMatchObject({
      id: syncId,
      provider: "hubspot",
      kind: "personas",
      status: "succeeded",
      subject: "250 personas of CRM sync study",
      counts: { total: 250, created: 250, updated: 0, skipped: 0, failed: 0 },
    });

    await app.services.db.prisma.persona.update({ where: { id: personaIds[3]! }, data: { occupation: "Baker" } });
    const again = await call(app, "crm.preview", { kind: "personas", provider: "hubspot", projectId });
    expect(again.counts).toEqual({ create: 0, update: 1, skip: 249 });
    expect(again.items.find((item) => item.key === personaIds[3])).toMatchObject({ action: "update" });
    const second = await call(app, "crm.sync", { kind: "personas", provider: "hubspot", projectId });
    expect((await waitForJob(second.jobId)).status).toBe("succeeded");
    // The unchanged 249 never reach HubSpot: one more batch call, for one record.
    expect(hubspotState().counts["contacts.batchUpsert"]).toBe(4);
    expect(synced()).toHaveLength(250);
    expect(synced().find((c) => c.fields.sight_persona_id === personaIds[3])!.fields.jobtitle).toBe("Baker");
    const records = await call(app, "crm.syncRecords", { id: second.syncId, outcome: "updated" });
    expect(records.items).toEqual([
      expect.objectContaining({
        key: personaIds[3],
        label: "Persona3 Tester3",
        outcome: "updated",
        crmId: synced().find((c) => c.fields.sight_persona_id === personaIds[3])!.id,
      }),
    ]);
    expect(records.sync.counts).toEqual({ total: 250, created: 0, updated: 1, skipped: 249, failed: 0 });
    const page = await call(app, "crm.syncRecords", { id: second.syncId, outcome: "skipped", limit: 100 });
    expect(page.total).toBe(249);
    expect(page.items).toHaveLength(100);
    const next = await call(app, "crm.syncRecords", {
      id: second.syncId,
      outcome: "skipped",
      limit: 200,
      cursor: page.nextCursor!,
    });
    expect(next.items).toHaveLength(149);
    expect(next.nextCursor).toBeNull();
    expect(new Set([...page.items, ...next.items].map((item) => item.key)).size).toBe(249);
  });

  it("keeps each record's own failure, with the CRM's message, and goes on", async () => {
    app = await world.start();
    await connectCrm(app, "hubspot");
    const { projectId } = await seedPersonas(app, 3);
    await call(app, "crm.saveMapping", {
      provider: "hubspot",
      entries: [
        { source: "lastName", target: "lastname" },
        { source: "occupation", target: "email" },
      ],
    });
    const { jobId, syncId } = await call(app, "crm.sync", { kind: "personas", provider: "hubspot", projectId });
    expect((await waitForJob(jobId)).status).toBe("succeeded");
    const records = await call(app, "crm.syncRecords", { id: syncId });
    expect(records.sync.counts).toMatchObject({ total: 3, failed: 3, created: 0 });
    // HubSpot refuses the whole batch for one bad value, naming it: every record keeps that message.
    expect(records.items.map((item) => [item.label, item.outcome])).toEqual([
      ["Persona0 Tester0", "failed"],
      ["Persona1 Tester1", "failed"],
      ["Persona2 Tester2", "failed"],
    ]);
    expect(records.items[0]!.message).toMatch(
      /^Property values were not valid: Email address Occupation \d is invalid$/,
    );
  });

  it("sends unchanged personas again when asked: a contact deleted in HubSpot comes back, none is duplicated", async () => {
    app = await world.start();
    await connectCrm(app, "hubspot");
    const { projectId, personaIds } = await seedPersonas(app, 5);
    const first = await call(app, "crm.sync", { kind: "personas", provider: "hubspot", projectId });
    expect((await waitForJob(first.jobId)).status).toBe("succeeded");
    const synced = () => hubspotState().contacts.filter((c) => c.fields.sight_persona_id);
    const deleted = synced().find((c) => c.fields.sight_persona_id === personaIds[1])!;
    // Someone deletes the contact in HubSpot (its table, as HubSpot's own UI would).
    expect(world.fakes.hubspot.store.tables.contacts.delete(deleted.id)).toBe(true);
    expect(synced()).toHaveLength(4);

    // The ledger cannot know: a plain re-sync skips all five and sends nothing.
    const plain = await call(app, "crm.preview", { kind: "personas", provider: "hubspot", projectId });
    expect(plain.counts).toEqual({ create: 0, update: 0, skip: 5 });
    expect(plain.items[0]).toMatchObject({ action: "skip", reasonCode: "unchanged" });
    const skipped = await call(app, "crm.sync", { kind: "personas", provider: "hubspot", projectId });
    expect((await waitForJob(skipped.jobId)).status).toBe("succeeded");
    expect(hubspotState().counts["contacts.batchUpsert"]).toBe(1);
    expect(synced()).toHaveLength(4);

    const again = { kind: "personas" as const, provider: "hubspot" as const, projectId, sendUnchanged: true };
    const preview = await call(app, "crm.preview", again);
    expect(preview.counts).toEqual({ create: 0, update: 5, skip: 0 });
    expect(preview.items.map((item) => item.reasonCode)).toEqual(Array(5).fill("resend"));
    expect(preview.items[0]!.reason).toMatch(/sent again as asked/);
    const resent = await call(app, "crm.sync", again);
    expect((await waitForJob(resent.jobId)).status).toBe("succeeded");
    expect(hubspotState().counts["contacts.batchUpsert"]).toBe(2);
    expect(synced()).toHaveLength(5);
    expect(hubspotState().duplicateExternalIds).toEqual([]);
    const records = await call(app, "crm.syncRecords", { id: resent.syncId });
    expect(records.sync.counts).toEqual({ total: 5, created: 1, updated: 4, skipped: 0, failed: 0 });
    const recreated = records.items.find((item) => item.key === personaIds[1])!;
    expect(recreated).toMatchObject({ outcome: "created" });
    expect(recreated.crmId).toBe(synced().find((c) => c.fields.sight_persona_id === personaIds[1])!.id);
    expect(recreated.crmId).not.toBe(deleted.id);
  });

  it("refuses to sync with mapping errors, and to sync an unconnected CRM", async () => {
    app = await world.start();
    const { projectId } = await seedPersonas(app, 2);
    expect((await refusal(app, "crm.sync", { kind: "personas", provider: "salesforce", projectId })).code).toBe(
      "CONFLICT",
    );
    await connectCrm(app, "salesforce");
    fs.writeFileSync(
      path.join(app.dataDir, "crm-settings.json"),
      JSON.stringify({
        mappings: {
          salesforce: { entries: [{ source: "lastName", target: "LastName" }], savedAt: new Date().toISOString() },
        },
      }),
    );
    const refused = await refusal(app, "crm.sync", { kind: "personas", provider: "salesforce", projectId });
    expect(refused).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await app.services.db.prisma.crmSync.count()).toBe(0);
  });

  it("syncs personas to Salesforce as leads with the defaults (Company from the project)", async () => {
    app = await world.start();
    await connectCrm(app, "salesforce");
    const { projectId, personaIds } = await seedPersonas(app, 5, "Oat milk");
    const { jobId, syncId } = await call(app, "crm.sync", { kind: "personas", provider: "salesforce", projectId });
    expect((await waitForJob(jobId)).status).toBe("succeeded");
    const leads = salesforceState().leads;
    expect(leads).toHaveLength(5);
    expect(leads.find((lead) => lead.fields.sight_persona_id__c === personaIds[1])!.fields).toMatchObject({
      LastName: "Tester1",
      Company: "Oat milk",
      sight_synthetic__c: true,
      Gender__c: "Male",
    });
    expect((await call(app, "crm.syncRecords", { id: syncId })).sync.counts.created).toBe(5);
  });
});

describe("syncing insights", () => {
  it("writes a focus group's findings as a HubSpot note on the chosen company, with the link back and the label", async () => {
    app = await world.start();
    await connectCrm(app, "hubspot");
    const seeded = await seedProject(app.services);
    const targets = await call(app, "crm.targets", { provider: "hubspot", kind: "company", q: "" });
    expect(targets.items.length).toBeGreaterThan(0);
    const target = targets.items[0]!;
    const request = {
      kind: "insights" as const,
      provider: "hubspot" as const,
      studyKind: "focusGroup" as const,
      studyId: seeded.focusGroupId,
      target,
    };
    const preview = await call(app, "crm.preview", request);
    expect(preview.note!.body).toContain("Synthetic data:");
    expect(preview.note!.body).toContain("Themes");
    expect(preview.note!.sentBefore).toBeNull();
    const { jobId, syncId } = await call(app, "crm.sync", request);
    expect((await waitForJob(jobId)).status).toBe("succeeded");
    // Syncing again would add a second note: the preview says when the first was written.
    const again = await call(app, "crm.preview", request);
    expect(again.counts).toEqual({ create: 1, update: 0, skip: 0 });
    expect(again.note!.sentBefore).toEqual({ syncId, at: expect.any(String) });
    expect(Date.now() - Date.parse(again.note!.sentBefore!.at)).toBeLessThan(60_000);
    // Another record, or another study, has no note from this one.
    const other = targets.items.find((item) => item.id !== target.id)!;
    expect((await call(app, "crm.preview", { ...request, target: other })).note!.sentBefore).toBeNull();
    expect(
      (await call(app, "crm.preview", { ...request, studyKind: "survey", studyId: seeded.surveyId })).note!.sentBefore,
    ).toBeNull();
    const notes = hubspotState().notes;
    expect(notes).toHaveLength(1);
    expect(String(notes[0]!.fields.hs_note_body)).toContain(
      `sight://open-project/${seeded.projectId}?focusGroup=${seeded.focusGroupId}`,
    );
    expect(notes[0]!.associations).toEqual([expect.objectContaining({ toObjectType: "companies", toId: target.id })]);
    const records = await call(app, "crm.syncRecords", { id: syncId });
    expect(records.items).toEqual([expect.objectContaining({ key: "note", outcome: "created", crmId: notes[0]!.id })]);
    // A deal target is HubSpot's; an account is Salesforce's.
    expect((await refusal(app, "crm.preview", { ...request, target: { ...target, kind: "account" } })).code).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("writes a survey's results to Salesforce as a ContentNote, or a Task where notes are off", async () => {
    app = await world.start();
    await connectCrm(app, "salesforce");
    const seeded = await seedProject(app.services);
    const [account] = (await call(app, "crm.targets", { provider: "salesforce", kind: "account", q: "" })).items;
    const request = {
      kind: "insights" as const,
      provider: "salesforce" as const,
      studyKind: "survey" as const,
      studyId: seeded.surveyId,
      target: account!,
    };
    const first = await call(app, "crm.sync", request);
    expect((await waitForJob(first.jobId)).status).toBe("succeeded");
    expect((await call(app, "crm.syncRecords", { id: first.syncId })).items[0]).toMatchObject({
      outcome: "created",
      message: null,
    });
    world.fakes.salesforce.control.setFaults({ notesEnabled: false });
    const second = await call(app, "crm.sync", request);
    expect((await waitForJob(second.jobId)).status).toBe("succeeded");
    expect((await call(app, "crm.syncRecords", { id: second.syncId })).items[0]).toMatchObject({
      outcome: "created",
      label: `Task on ${account!.name}`,
    });
  });
});

describe("tokens at rest", () => {
  it("are encrypted on disk by the headless host's file store", async () => {
    const dataDir = tempDir();
    app = await world.start({ dataDir, secrets: createFileSecretStore(path.join(dataDir, "secrets")) });
    await connectCrm(app, "hubspot");
    const onDisk = fs
      .readdirSync(path.join(dataDir, "secrets"))
      .map((name) => fs.readFileSync(path.join(dataDir, "secrets", name), "utf8"))
      .join("\n");
    for (const token of hubspotState().issuedTokens) expect(onDisk).not.toContain(token);
  });
});
