import type { APIRequestContext } from "@playwright/test";
import { call, controlFakes, expect, generatePersonas, studiesApi, test } from "../support/studies-fixtures";

/**
 * A live session with two browser contexts: the researcher (signed in to the studies host) invites
 * a co-moderator, who joins from the browser link in a context of their own (no host cookie); both
 * appear in presence, tokens stream to the viewer, the co-moderator's probe is approved and asked,
 * attributed in both transcripts.
 */

interface Persona {
  id: string;
  name: string;
}

test.describe.serial("a live session with a teammate", () => {
  let api: APIRequestContext;
  let focusGroupId: string;
  let projectId: string;
  let personas: Persona[];

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    api = await studiesApi();
    const project = await call<{ id: string }>(api, "POST", "/projects", {
      name: `Live ${Date.now().toString(36)}`,
      targetSampleSize: 3,
      targetDemographics: { gender: { female: 0.5, male: 0.5 } },
    });
    projectId = project.id;
    await generatePersonas(api, project.id, 3);
    personas = (await call<{ items: Persona[] }>(api, "GET", `/projects/${project.id}/personas?limit=10`)).items;
    const fg = await call<{ id: string }>(api, "POST", `/projects/${project.id}/focus-groups`, {
      projectId: project.id,
      name: "Oat drink, watched live",
      participantIds: personas.map((p) => p.id),
      guide: [{ question: "What do you drink with breakfast?" }, { question: "What would make you switch?" }],
      settings: { discussionRounds: 1, moderatorFollowUps: false },
    });
    focusGroupId = fg.id;
  });

  test.afterAll(async () => {
    await controlFakes(api, "/__reset");
    // Its personas count against the studies host's Free plan, which the other studies share.
    await call(api, "DELETE", `/projects/${projectId}`);
    await api.dispose();
  });

  test("invite, watch it stream, whisper a probe the host approves, then end it", async ({ app, browser }) => {
    test.setTimeout(150_000);
    await app.goto(`/#/focus-groups/${focusGroupId}`);
    await expect(app.getByRole("heading", { level: 1, name: "Oat drink, watched live" })).toBeVisible();

    // The host: serve on loopback, invite a co-moderator.
    await app.getByTestId("live-open").click();
    const panel = app.getByTestId("live-panel");
    await expect(panel.getByTestId("live-state")).toHaveText("Not started");
    await panel.getByTestId("live-interface").selectOption({ label: "127.0.0.1 (lo, this computer only)" });
    await panel.getByRole("radio", { name: /Co-moderator/ }).check();
    await panel.getByTestId("live-label").fill("Brand team");
    await panel.getByTestId("live-create-invite").click();
    const link = panel.getByTestId("live-browser-link");
    await expect(link).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/live\/[0-9a-z]+#token=[\w-]+\.[\w-]+\.[\w-]+$/);
    const browserLink = await link.inputValue();
    await expect(panel.getByTestId("live-app-link")).toHaveValue(/^sight(-dev)?:\/\/join-session\/.+&via=http/);
    await expect(panel.getByTestId("live-state")).toHaveText("Live");
    await expect(panel.getByTestId("live-invite")).toContainText("Brand team");

    // The teammate: another browser context, with nothing of the host's sign-in.
    const teammate = await browser.newContext();
    const viewer = await teammate.newPage();
    await viewer.goto(browserLink);
    // The token leaves the address bar as soon as it is read.
    await expect(viewer).not.toHaveURL(/token=/);
    await viewer.getByLabel("Your name").fill("Ola");
    await viewer.getByRole("button", { name: "Join" }).click();
    await expect(viewer.getByTestId("viewer-live")).toBeVisible();
    await expect(viewer.getByTestId("viewer-participant")).toHaveCount(3);
    await expect(viewer.getByTestId("viewer-participants")).toContainText(personas[0]!.name);
    // The viewer reaches none of the workspace: no navigation, and the host's API refuses it.
    await expect(viewer.getByRole("navigation", { name: "Main" })).toHaveCount(0);
    const origin = new URL(browserLink).origin;
    expect((await viewer.request.get(`${origin}/api/v1/projects`)).status()).toBe(404);

    // Both appear in presence: the host sees Ola watching, Ola sees themself.
    await expect(panel.getByTestId("live-watcher")).toContainText("Ola");
    await expect(viewer.getByTestId("presence-viewer")).toHaveAttribute("aria-label", "Ola (you) · Co-moderator");

    // A whispered probe: queued on the host, approved there.
    await viewer.getByTestId("probe-input").fill("Does the price per litre matter to you?");
    await viewer.getByTestId("probe-input").press("Enter");
    await expect(viewer.getByTestId("probe-sent")).toBeVisible();
    const queued = panel.getByTestId("live-queued-probe");
    await expect(queued).toContainText("Does the price per litre matter to you?");
    await queued.getByRole("button", { name: /^Approve/ }).click();
    await expect(queued).toHaveCount(0);

    // The host runs the discussion; a slower fake keeps tokens streaming long enough to see.
    await controlFakes(api, "/__control", { latencyMs: 300, streamChunkDelayMs: 60 });
    await app.getByRole("button", { name: "Run discussion" }).first().click();
    await expect(viewer.getByTestId("live-streaming").first()).toBeVisible({ timeout: 20_000 });
    await expect(viewer.getByTestId("viewer-question")).toContainText("What do you drink with breakfast?");
    await controlFakes(api, "/__control", { latencyMs: 0, streamChunkDelayMs: 0 });

    // Everything said reaches the viewer: 2 × (question + 3 answers + 3 reactions) + the probe and its 3 answers.
    await expect(app.getByTestId("study-status")).toHaveText("Completed", { timeout: 60_000 });
    await expect(viewer.getByTestId("live-message")).toHaveCount(18, { timeout: 20_000 });
    // Attributed, in the viewer's transcript and in the host's.
    await expect(viewer.getByTestId("suggested-by")).toHaveText("Suggested by Ola");
    await expect(app.getByTestId("transcript").getByTestId("suggested-by")).toHaveText("Suggested by Ola");
    await expect(viewer.getByTestId("viewer-status")).toContainText(/Completed/i);

    // Ending the session tells the viewer and disconnects them.
    await panel.getByTestId("live-end").click();
    await app.getByRole("alertdialog").getByRole("button", { name: "End session" }).click();
    await expect(viewer.getByTestId("viewer-closed")).toContainText("The live session has ended");
    await expect(panel.getByTestId("live-state")).toHaveText("Ended");
    await teammate.close();
  });
});
