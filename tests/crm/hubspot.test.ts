import { describe, expect, it } from "vitest";
import { upsertInBatches } from "../../src/main/services/crm/crm-provider";
import { capturingLogger, counting, hubspotWorld, personas, rejection } from "./support";

const contactFields = (i: number) => ({
  firstname: `Persona ${i + 1}`,
  lastname: "Synthetic",
  jobtitle: i % 2 ? "Buyer" : "Planner",
  age: 20 + (i % 50),
  sight_synthetic: true,
});

describe("HubSpot provider against the loopback fake", () => {
  it("upserts 1,000 personas twice in 10 batch calls each: all created, then all updated, no duplicates", async () => {
    const world = await hubspotWorld();
    const provider = await world.provider();
    const records = personas(1000, contactFields);

    const first = await upsertInBatches(provider, records);
    expect(counting(first.map((o) => o.status))).toEqual(new Map([["created", 1000]]));
    expect(world.state().counts["contacts.batchUpsert"]).toBe(10);

    const second = await upsertInBatches(
      provider,
      records.map((r) => ({ ...r, fields: { ...r.fields, jobtitle: "Researcher" } })),
    );
    expect(counting(second.map((o) => o.status))).toEqual(new Map([["updated", 1000]]));
    expect(second.map((o) => o.status === "updated" && o.crmId)).toEqual(
      first.map((o) => o.status === "created" && o.crmId),
    );

    const state = world.state();
    expect(state.counts["contacts.batchUpsert"]).toBe(20);
    expect(state.duplicateExternalIds).toEqual([]);
    const synced = state.contacts.filter((c) => c.fields.sight_persona_id);
    expect(synced).toHaveLength(1000);
    expect(new Set(synced.map((c) => c.fields.sight_persona_id)).size).toBe(1000);
    expect(synced.every((c) => c.fields.jobtitle === "Researcher" && c.fields.sight_synthetic === "true")).toBe(true);
  });

  it("reports a record HubSpot refuses as failed with HubSpot's message, and upserts the rest", async () => {
    const world = await hubspotWorld();
    const provider = await world.provider();
    const records = personas(3, contactFields);
    records[1]!.fields.email = "not-an-email";
    const outcomes = await provider.upsertPersonaBatch(records);
    expect(outcomes.map((o) => o.status)).toEqual(["created", "failed", "created"]);
    expect(outcomes[1]).toMatchObject({ externalId: "persona-0002", code: "VALIDATION_ERROR" });
    expect(outcomes[1]!.status === "failed" && outcomes[1]!.message).toMatch(/Email address not-an-email is invalid/);
    expect(world.state().contacts.filter((c) => c.fields.sight_persona_id)).toHaveLength(2);
  });

  it("rides out a 429 storm within the retry budget, waiting the Retry-After", async () => {
    const world = await hubspotWorld();
    const provider = await world.provider();
    world.fake.control.setFaults({ fail429: 2, retryAfterSeconds: 1 });
    const started = Date.now();
    const fields = await provider.listFields();
    expect(fields.map((f) => f.name)).toContain("sight_persona_id");
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(world.state().counts["properties.list"]).toBe(3);
  });

  it("gives up with RATE_LIMITED after 3 attempts when the storm outlasts the budget", async () => {
    const world = await hubspotWorld();
    const provider = await world.provider();
    world.fake.control.setFaults({ fail429: 10, retryAfterSeconds: 0 });
    const error = await rejection(provider.listTargets("company", ""));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.details).toMatchObject({ provider: "hubspot", reason: "rate_limited", attempts: 3 });
    expect(world.state().counts["objects.search"]).toBe(3);
  });

  it("refreshes ahead of expires_in exactly once for five concurrent calls", async () => {
    const world = await hubspotWorld();
    const tokens = await world.connect();
    // Four minutes left: inside the five-minute refresh-ahead window.
    const provider = await world.provider({ tokens: { ...tokens, expiresAt: Date.now() + 4 * 60_000 } });
    const results = await Promise.all(Array.from({ length: 5 }, () => provider.listTargets("company", "")));
    expect(results.every((r) => r.length === 3)).toBe(true);
    const state = world.state();
    expect(state.oauth.refreshes).toBe(1);
    expect(state.counts["objects.search"]).toBe(5); // no call was sent with the old token
    expect(world.persisted).toHaveLength(1);
  });

  it("refreshes once on 401 when HubSpot expired the token early, for five concurrent calls", async () => {
    const world = await hubspotWorld();
    const provider = await world.provider();
    world.fake.control.expireTokens();
    const results = await Promise.all(Array.from({ length: 5 }, () => provider.listTargets("deal", "acme")));
    expect(results.map((r) => r.map((t) => t.name))).toEqual(Array(5).fill(["Acme renewal 2026"]));
    expect(world.state().oauth.refreshes).toBe(1);
  });

  it("hands a rotated refresh token to the persist callback, and uses it next time", async () => {
    const world = await hubspotWorld({ rotateRefreshTokens: true });
    const tokens = await world.connect();
    const provider = await world.provider({ tokens: { ...tokens, expiresAt: Date.now() - 1 } });
    await provider.account();
    expect(world.persisted).toHaveLength(1);
    expect(world.persisted[0]!.refreshToken).not.toBe(tokens.refreshToken);
    // The old one is retired in the fake: only the persisted one refreshes now.
    await expect(world.endpoint.refresh(tokens.refreshToken)).rejects.toMatchObject({ kind: "auth" });
    await expect(world.endpoint.refresh(world.persisted[0]!.refreshToken)).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it("opens the breaker after repeated 5xx and then fails fast without calling HubSpot", async () => {
    const world = await hubspotWorld();
    const provider = await world.provider({ policy: { breakerThreshold: 5 } });
    world.fake.control.setFaults({ fail5xx: 100, status5xx: 503 });
    const first = await rejection(provider.listTargets("company", ""));
    expect(first.details).toMatchObject({ reason: "unavailable", status: 503, attempts: 3 });
    const second = await rejection(provider.listTargets("company", ""));
    expect(second.code).toBe("PROVIDER_UNAVAILABLE");
    expect(second.details).toMatchObject({ provider: "hubspot", reason: "circuit_open" });
    expect(world.state().counts["objects.search"]).toBe(5);
    const third = await rejection(provider.listTargets("company", ""));
    expect(third.details).toMatchObject({ reason: "circuit_open", attempts: 1 });
    expect(world.state().counts["objects.search"]).toBe(5);
    expect(provider.breakerState()).toBe("open");
  });

  it("spaces calls under the rolling limit: no 429 from the fake where a burst would get them", async () => {
    const world = await hubspotWorld({ rateLimit: { max: 5, intervalMs: 1_000 } });
    const provider = await world.provider({ rateLimit: { max: 5, intervalMs: 1_000 } });
    const calls = await Promise.all(Array.from({ length: 12 }, () => provider.listTargets("company", "")));
    expect(calls).toHaveLength(12);
    // One request per call: nothing was refused and retried.
    expect(world.state().counts["objects.search"]).toBe(12);
  });

  it("caches the property list for 5 minutes", async () => {
    let now = Date.now();
    const world = await hubspotWorld();
    const provider = await world.provider({ now: () => now });
    await provider.listFields();
    now += 4 * 60_000;
    await provider.listFields();
    expect(world.state().counts["properties.list"]).toBe(1);
    now += 60_000;
    await provider.listFields();
    expect(world.state().counts["properties.list"]).toBe(2);
  });

  it("reads field types for the mapping screen", async () => {
    const world = await hubspotWorld();
    const fields = await (await world.provider()).listFields();
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get("age")).toMatchObject({ kind: "number", writable: true });
    expect(byName.get("gender")).toMatchObject({
      kind: "picklist",
      options: ["female", "male", "non_binary", "unspecified"],
    });
    expect(byName.get("sight_persona_id")).toMatchObject({ kind: "text", unique: true });
    expect(byName.get("hs_object_id")).toMatchObject({ writable: false });
  });

  it("creates an insight note associated with the picked company (type 190), linking back to the study", async () => {
    const world = await hubspotWorld();
    const provider = await world.provider();
    const [acme] = await provider.listTargets("company", "acme");
    expect(acme).toMatchObject({ kind: "company", name: "Acme Corp" });
    const result = await provider.createInsightNote({
      title: "Focus group: checkout friction",
      body: "Summary <b>not HTML</b>\n\nSynthetic data: generated by Sight.",
      studyUrl: "https://sight.example/studies/fg_1",
      target: { kind: "company", id: acme!.id },
    });
    const [note] = world.state().notes;
    expect(note!.id).toBe(result.crmId);
    expect(note!.associations).toEqual([{ type: 190, toObjectType: "companies", toId: acme!.id }]);
    expect(String(note!.fields.hs_note_body)).toContain("https://sight.example/studies/fg_1");
    expect(String(note!.fields.hs_note_body)).toContain("&#60;b&#62;not HTML");
  });

  it("shows the connected portal and revokes the connection on disconnect", async () => {
    const world = await hubspotWorld();
    const provider = await world.provider();
    expect(await provider.account()).toEqual({
      provider: "hubspot",
      accountId: String(world.fake.hubId),
      accountName: "sight-test.hubspot.com",
      userEmail: "researcher@example.com",
    });
    await provider.revoke();
    world.fake.control.expireTokens();
    const error = await rejection(provider.listTargets("company", ""));
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.details).toMatchObject({ reason: "reconnect_required" });
  });

  it("never hands a token to the logger, through connect, refresh, retries and failures", async () => {
    const world = await hubspotWorld({ rotateRefreshTokens: true });
    const logger = capturingLogger();
    const provider = await world.provider({ logger });
    world.fake.control.expireTokens();
    world.fake.control.setFaults({ fail429: 1, retryAfterSeconds: 0 });
    await provider.listFields();
    await provider.revoke();
    world.fake.control.expireTokens();
    await provider.account().catch(() => undefined);
    const logged = JSON.stringify(logger.lines);
    expect(logger.lines.map((l) => l.event)).toEqual(
      expect.arrayContaining(["crm.token_refreshed", "crm.retry", "crm.call_failed"]),
    );
    const tokens = world.state().issuedTokens;
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    for (const token of tokens) expect(logged).not.toContain(token);
  });
});
