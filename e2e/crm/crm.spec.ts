import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { E2E_CLOUD_URL, E2E_CRM_BASE_URL, E2E_HUBSPOT_URL } from "../support/host";
import { call, generatePersonas, hostApi, waitForJob } from "../support/studies-fixtures";

/**
 * CRM sync end to end in Chromium: HubSpot connected through the fake's consent page (which
 * returns to Sight Cloud's callback page, then to this host; the code exchanged by the Cloud's
 * broker, which alone holds the client secret), the field mapping
 * changed and saved, a focus group's insights and the personas synced, then both in the history
 * and in the fake. The host, the Cloud and the fakes are real processes on loopback.
 */

interface FakeRecord {
  id: string;
  fields: Record<string, string>;
}
interface HubspotFakeState {
  contacts: FakeRecord[];
  notes: (FakeRecord & { associations: { toObjectType: string; toId: string }[] })[];
  duplicateExternalIds: string[];
  counts: Record<string, number>;
}

async function hubspotState(api: APIRequestContext): Promise<HubspotFakeState> {
  const response = await api.get(`${E2E_HUBSPOT_URL}/__control/state`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as HubspotFakeState;
}

test.describe.serial("CRM sync through the UI", () => {
  let api: APIRequestContext;
  let projectId: string;
  let groupId: string;
  const groupName = "Oat drink launch";

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    api = await hostApi(E2E_CRM_BASE_URL);
    projectId = (
      await call<{ id: string }>(api, "POST", "/projects", {
        name: "CRM launch study",
        targetSampleSize: 3,
        targetDemographics: { gender: { female: 0.5, male: 0.5 } },
      })
    ).id;
    await generatePersonas(api, projectId, 3);
    const personas = (await call<{ items: { id: string }[] }>(api, "GET", `/projects/${projectId}/personas?limit=10`))
      .items;
    const group = await call<{ id: string }>(api, "POST", `/projects/${projectId}/focus-groups`, {
      name: groupName,
      participantIds: personas.map((persona) => persona.id),
      guide: [{ question: "What would make you try an oat drink?" }],
      settings: { discussionRounds: 0, moderatorFollowUps: false },
    });
    groupId = group.id;
    await waitForJob(api, (await call<{ jobId: string }>(api, "POST", `/focus-groups/${groupId}/run`)).jobId);
    await waitForJob(api, (await call<{ jobId: string }>(api, "POST", `/focus-groups/${groupId}/analysis`)).jobId);
  });

  test.afterAll(async () => {
    await api.dispose();
  });

  test("connect HubSpot through its consent page", async ({ app }) => {
    await app.goto("/#/integrations");
    await expect(app.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
    await expect(app.getByTestId("crm-history-empty")).toBeVisible();
    const card = app.getByTestId("crm-provider-hubspot");
    await expect(card.getByTestId("crm-connect-hubspot")).toBeEnabled();

    // The consent page opens in a tab of its own, as the system browser would show it.
    const [consent] = await Promise.all([
      app.context().waitForEvent("page"),
      card.getByTestId("crm-connect-hubspot").click(),
    ]);
    await consent.waitForLoadState();
    await expect(consent.getByRole("heading", { name: /Allow Sight to access/ })).toBeVisible();
    const authorize = new URL(consent.url());
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    // HubSpot takes only https redirect URLs: it returns to the Cloud's page, which hands the
    // answer on to this host's loopback callback (the state says where).
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${E2E_CLOUD_URL}/api/v1/oauth/hubspot/callback`);
    expect(authorize.searchParams.get("state")).toMatch(/^loop\d+-/);
    await expect(card.getByTestId("crm-pending-hubspot")).toBeVisible();
    await consent.getByTestId("hubspot-fake-allow").click();
    // Back on the host's loopback callback: it says what happened.
    await expect(consent.getByTestId("oauth-result")).toHaveText("Connected to HubSpot");
    expect(new URL(consent.url()).pathname).toBe("/oauth/callback");
    await consent.close();

    await expect(card.getByTestId("crm-account-hubspot")).toHaveText("sight-test.hubspot.com");
    await expect(card.getByTestId("crm-state-hubspot")).toHaveText("Connected");
    // The page the renderer got holds no token.
    const status = await app.evaluate(async () => (await fetch("/api/v1/integrations/crm")).text());
    expect(status).not.toMatch(/access|refresh/i);
  });

  test("map a persona field to a HubSpot property", async ({ app }) => {
    await app.goto("/#/integrations");
    await app.getByTestId("crm-mapping-open-hubspot").click();
    const mapping = app.getByTestId("crm-mapping");
    await expect(mapping).toBeVisible();
    await expect(mapping.getByTestId("crm-mapping-fixed")).toContainText("sight_persona_id");
    const rows = mapping.getByTestId("crm-mapping-row");
    const before = await rows.count();
    expect(before).toBeGreaterThan(3);

    // A wrong choice is caught before saving: the persona's name is text, Date of birth a date.
    await mapping.getByTestId("crm-mapping-add").click();
    await expect(rows).toHaveCount(before + 1);
    const added = rows.last();
    await added.getByTestId("crm-mapping-source").selectOption("name");
    await added.getByTestId("crm-mapping-target").selectOption("date_of_birth");
    await expect(mapping.getByTestId("crm-mapping-problem").first()).toHaveAttribute("data-code", "type_mismatch");
    await expect(mapping.getByTestId("crm-mapping-save")).toBeDisabled();
    await added.getByTestId("crm-mapping-target").selectOption("industry");
    await added.getByTestId("crm-mapping-source").selectOption("interests");
    await expect(mapping.getByTestId("crm-mapping-problem")).toHaveCount(0);
    await mapping.getByTestId("crm-mapping-save").click();
    await expect(mapping).not.toHaveAttribute("data-dirty", "true");

    // Saved: it is what the page shows after a reload.
    await app.reload();
    await expect(app.getByTestId("crm-mapping-row").last()).toHaveAttribute("data-target", "industry");
    await expect(app.getByTestId("crm-mapping-row").last()).toHaveAttribute("data-source", "interests");
  });

  async function syncDialog(app: Page) {
    await app.getByTestId("crm-sync-open").click();
    const dialog = app.getByRole("dialog");
    await expect(dialog.getByTestId("crm-sync-dialog")).toBeVisible();
    await dialog.getByTestId("crm-sync-provider-hubspot").check();
    return dialog;
  }

  async function previewNoteOnGlobex(dialog: Locator) {
    await dialog.getByTestId("crm-target-kind").selectOption("company");
    await dialog.getByTestId("crm-target-search").fill("Glob");
    await dialog.getByTestId("crm-target-option").filter({ hasText: "Globex" }).click();
    await expect(dialog.getByTestId("crm-target-chosen")).toContainText("Globex");
    await dialog.getByTestId("crm-sync-preview").click();
  }

  test("sync the focus group's insights as a note on a company", async ({ app }) => {
    await app.goto(`/#/focus-groups/${groupId}`);
    const dialog = await syncDialog(app);
    await previewNoteOnGlobex(dialog);
    await expect(dialog.getByTestId("crm-preview-sent-before")).toHaveCount(0);
    await expect(dialog.getByTestId("crm-preview-note")).toContainText(`Sight focus group: ${groupName}`);
    await expect(dialog.getByTestId("crm-preview-note")).toContainText("Synthetic data:");
    await dialog.getByTestId("crm-sync-start").click();
    await expect(dialog.getByTestId("crm-sync-done")).toBeVisible({ timeout: 30_000 });

    const state = await hubspotState(api);
    expect(state.notes).toHaveLength(1);
    const globex = state.notes[0]!.associations.find((a) => a.toObjectType === "companies");
    expect(globex).toBeDefined();
    expect(state.notes[0]!.fields.hs_note_body).toContain(`sight://open-project/${projectId}?focusGroup=${groupId}`);
    expect(state.notes[0]!.fields.hs_note_body).toContain("Synthetic data:");

    // Syncing again would add a second note: the preview says Globex has one already.
    await app.keyboard.press("Escape");
    await expect(dialog.getByTestId("crm-sync-dialog")).toHaveCount(0);
    const again = await syncDialog(app);
    await previewNoteOnGlobex(again);
    await expect(again.getByTestId("crm-preview-sent-before")).toContainText(
      "Globex already has a note from this study, written",
    );
    expect((await hubspotState(api)).notes).toHaveLength(1);
  });

  test("preview and sync the personas as contacts, then see both syncs in the history", async ({ app }) => {
    await app.goto(`/#/projects/${projectId}/personas`);
    const dialog = await syncDialog(app);
    await dialog.getByTestId("crm-sync-preview").click();
    const items = dialog.getByTestId("crm-preview-item");
    await expect(items).toHaveCount(3);
    await expect(items.first()).toHaveAttribute("data-action", "create");
    await dialog.getByTestId("crm-sync-start").click();
    await expect(dialog.getByTestId("crm-sync-done")).toBeVisible({ timeout: 30_000 });

    const state = await hubspotState(api);
    const synced = state.contacts.filter((contact) => contact.fields.sight_persona_id);
    expect(synced).toHaveLength(3);
    expect(state.duplicateExternalIds).toEqual([]);
    for (const contact of synced) {
      expect(contact.fields.sight_synthetic).toBe("true");
      expect(contact.fields.industry).not.toBe("");
    }
    expect(state.counts["contacts.batchUpsert"]).toBe(1);

    await app.goto("/#/integrations");
    const history = app.getByTestId("crm-history-row");
    await expect(history).toHaveCount(2);
    await expect(history.first()).toHaveAttribute("data-status", "succeeded");
    await history.first().getByRole("link").first().click();
    await expect(app.getByTestId("crm-sync-detail")).toBeVisible();
    const records = app.getByTestId("crm-record-row");
    await expect(records).toHaveCount(3);
    for (const row of await records.all()) await expect(row).toHaveAttribute("data-outcome", "created");

    // Again: nothing changed, so nothing is sent and each persona is skipped.
    await app.goto(`/#/projects/${projectId}/personas`);
    const again = await syncDialog(app);
    await again.getByTestId("crm-sync-preview").click();
    await expect(again.getByTestId("crm-preview-item").first()).toHaveAttribute("data-action", "skip");
    expect((await hubspotState(api)).counts["contacts.batchUpsert"]).toBe(1);

    // Asked to send them anyway, the preview goes stale, then says each is sent again, and the
    // sync updates the same three contacts.
    await again.getByLabel("Send unchanged personas again").check();
    await expect(again.getByTestId("crm-preview-item")).toHaveCount(0);
    await expect(again.getByTestId("crm-sync-start")).toBeDisabled();
    await again.getByTestId("crm-sync-preview").click();
    const resend = again.getByTestId("crm-preview-item");
    await expect(resend).toHaveCount(3);
    for (const row of await resend.all()) {
      await expect(row).toHaveAttribute("data-action", "update");
      await expect(row).toContainText("sent again as asked");
    }
    await again.getByTestId("crm-sync-start").click();
    await expect(again.getByTestId("crm-sync-done")).toBeVisible({ timeout: 30_000 });
    const after = await hubspotState(api);
    expect(after.counts["contacts.batchUpsert"]).toBe(2);
    expect(after.contacts.filter((contact) => contact.fields.sight_persona_id)).toHaveLength(3);
    expect(after.duplicateExternalIds).toEqual([]);
  });
});
