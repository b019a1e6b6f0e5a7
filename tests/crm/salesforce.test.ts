import { describe, expect, it } from "vitest";
import { upsertInBatches } from "../../src/main/services/crm/crm-provider";
import { capturingLogger, counting, personas, rejection, salesforceWorld } from "./support";

const leadFields = (i: number) => ({
  FirstName: `Persona ${i + 1}`,
  LastName: "Synthetic",
  Company: "Sight synthetic panel",
  Age__c: 20 + (i % 50),
  sight_synthetic__c: true,
});

describe("Salesforce provider against the loopback fake", () => {
  it("upserts 1,000 personas twice in 5 collection calls each: all created, then all updated, no duplicates", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    const records = personas(1000, leadFields);

    const first = await upsertInBatches(provider, records);
    expect(counting(first.map((o) => o.status))).toEqual(new Map([["created", 1000]]));
    expect(world.state().counts["collections.upsert"]).toBe(5);

    const second = await upsertInBatches(
      provider,
      records.map((r) => ({ ...r, fields: { ...r.fields, Title: "Researcher" } })),
    );
    expect(counting(second.map((o) => o.status))).toEqual(new Map([["updated", 1000]]));

    const state = world.state();
    expect(state.counts["collections.upsert"]).toBe(10);
    expect(state.duplicateExternalIds).toEqual([]);
    expect(state.leads).toHaveLength(1000);
    expect(new Set(state.leads.map((l) => l.fields.sight_persona_id__c)).size).toBe(1000);
    expect(state.leads.every((l) => l.fields.Title === "Researcher")).toBe(true);
  });

  it("reports per-record failures in request order with Salesforce's status code", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    const records = personas(3, leadFields);
    delete records[0]!.fields.LastName;
    records[2]!.fields.Industry = "Astrology";
    const outcomes = await provider.upsertPersonaBatch(records);
    expect(outcomes.map((o) => o.status)).toEqual(["failed", "created", "failed"]);
    expect(outcomes[0]).toMatchObject({
      code: "REQUIRED_FIELD_MISSING",
      message: "Required fields are missing: [LastName]",
    });
    expect(outcomes[2]).toMatchObject({ code: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" });
    expect(world.state().leads).toHaveLength(1);
  });

  it("marks every record failed when Salesforce refuses the whole request", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    const records = personas(2, (i) => ({ ...leadFields(i), NoSuchField__c: "x" }));
    const outcomes = await provider.upsertPersonaBatch(records);
    expect(outcomes.every((o) => o.status === "failed" && /No such column 'NoSuchField__c'/.test(o.message))).toBe(
      true,
    );
  });

  it("refreshes once on INVALID_SESSION_ID for five concurrent calls, then retries each", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    world.fake.control.expireTokens();
    const results = await Promise.all(Array.from({ length: 5 }, () => provider.listTargets("account", "ac")));
    expect(results.map((r) => r.map((t) => t.name))).toEqual(Array(5).fill(["Acme Corp"]));
    const state = world.state();
    expect(state.oauth.refreshes).toBe(1);
    expect(state.counts.query).toBe(10); // five refused, five retried with the one new token
    expect(world.persisted).toHaveLength(1);
  });

  it("hands a rotated refresh token to the persist callback", async () => {
    const world = await salesforceWorld({ rotateRefreshTokens: true });
    const tokens = await world.connect();
    const provider = await world.provider({ tokens });
    world.fake.control.expireTokens();
    await provider.account();
    expect(world.persisted[0]!.refreshToken).not.toBe(tokens.refreshToken);
    expect(world.persisted[0]!.instanceUrl).toBe(world.fake.url);
  });

  it("asks to reconnect when the refresh token is revoked", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    await provider.revoke();
    const error = await rejection(provider.listFields());
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.details).toMatchObject({ provider: "salesforce", reason: "reconnect_required" });
    expect(world.state().oauth.refreshes).toBe(1);
  });

  it("opens the breaker on REQUEST_LIMIT_EXCEEDED and stops calling until the pause is over", async () => {
    let now = Date.now();
    const world = await salesforceWorld();
    const provider = await world.provider({ now: () => now, policy: { dailyLimitPauseMs: 60_000 } });
    world.fake.control.setFaults({ dailyApiRemaining: 0 });
    const first = await rejection(provider.listTargets("account", ""));
    expect(first.code).toBe("PROVIDER_UNAVAILABLE");
    expect(first.details).toMatchObject({ reason: "daily_limit", crmCode: "REQUEST_LIMIT_EXCEEDED", attempts: 1 });
    expect(provider.breakerState()).toBe("daily-limit");
    const second = await rejection(provider.listTargets("account", ""));
    expect(second.details).toMatchObject({ reason: "daily_limit" });
    expect(world.state().counts.query).toBe(1);

    world.fake.control.setFaults({ dailyApiRemaining: 100 });
    now += 60_000;
    expect(await provider.listTargets("account", "glo")).toEqual([expect.objectContaining({ name: "Globex" })]);
    expect(provider.breakerState()).toBe("closed");
  });

  it("retries a 503 and succeeds within the budget", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    world.fake.control.setFaults({ fail5xx: 2, status5xx: 503 });
    const fields = await provider.listFields();
    expect(fields.find((f) => f.name === "sight_persona_id__c")).toMatchObject({
      unique: true,
      kind: "text",
      maxLength: 64,
    });
    expect(fields.find((f) => f.name === "LastName")).toMatchObject({ required: true });
    expect(fields.find((f) => f.name === "Id")).toMatchObject({ writable: false, kind: "id" });
    expect(world.state().counts["lead.describe"]).toBe(3);
  });

  it("creates a ContentNote linked to the picked Account", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    const [acme] = await provider.listTargets("account", "acme");
    const result = await provider.createInsightNote({
      title: "Survey: pricing",
      body: "Themes and quotes.\n\nSynthetic data: generated by Sight.",
      studyUrl: "https://sight.example/studies/sv_2",
      target: { kind: "account", id: acme!.id },
    });
    expect(result.kind).toBe("note");
    const state = world.state();
    expect(state.notes).toHaveLength(1);
    expect(Buffer.from(String(state.notes[0]!.fields.Content), "base64").toString()).toContain(
      "https://sight.example/studies/sv_2",
    );
    expect(state.links).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ ContentDocumentId: result.crmId, LinkedEntityId: acme!.id }),
      }),
    ]);
  });

  it("falls back to a Task on the Opportunity where Notes are off", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    world.fake.control.setFaults({ notesEnabled: false });
    const [deal] = await provider.listTargets("opportunity", "renewal");
    const result = await provider.createInsightNote({
      title: "Focus group: onboarding",
      body: "Summary.",
      studyUrl: "https://sight.example/studies/fg_3",
      target: { kind: "opportunity", id: deal!.id },
    });
    expect(result.kind).toBe("task");
    const state = world.state();
    expect(state.notes).toEqual([]);
    expect(state.tasks).toEqual([
      expect.objectContaining({ id: result.crmId, fields: expect.objectContaining({ WhatId: deal!.id }) }),
    ]);
  });

  it("escapes the picker's search inside SOQL", async () => {
    const world = await salesforceWorld();
    const provider = await world.provider();
    expect(await provider.listTargets("account", "x' OR Name LIKE '")).toEqual([]);
    expect(world.state().counts.query).toBe(1);
  });

  it("never hands a token to the logger", async () => {
    const world = await salesforceWorld({ rotateRefreshTokens: true });
    const logger = capturingLogger();
    const provider = await world.provider({ logger });
    world.fake.control.expireTokens();
    world.fake.control.setFaults({ fail5xx: 1 });
    await provider.account();
    await provider.revoke();
    await provider.listFields().catch(() => undefined);
    const logged = JSON.stringify(logger.lines);
    expect(logger.lines.map((l) => l.event)).toEqual(
      expect.arrayContaining(["crm.token_refreshed", "crm.retry", "crm.call_failed"]),
    );
    for (const token of world.state().issuedTokens) expect(logged).not.toContain(token);
  });
});
