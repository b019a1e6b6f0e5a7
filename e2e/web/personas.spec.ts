import type { APIRequestContext } from "@playwright/test";
import { api, expect, test, uniqueName } from "../support/fixtures";
import { E2E_FAKES_URL } from "../support/host";

/**
 * The persona limit counts per workspace and the e2e data folder is shared by every web test,
 * so this is the only e2e file that generates personas (others create projects only).
 */

async function controlFakes(request: APIRequestContext, path: "/__control" | "/__reset", body?: unknown) {
  const response = await request.post(`${E2E_FAKES_URL}${path}`, body === undefined ? {} : { data: body });
  expect(response.ok(), `POST ${path} → ${response.status()}`).toBe(true);
}

const VERDICT = /^(Consistent with|Differs from) your target \(χ² = \d+\.\d\d, df = \d+, p (=|<) \d\.\d+\)$/;

test.describe("personas through the UI", () => {
  test("generates personas live, reads and edits one, checks the validation, meets the Free plan limit", async ({
    app,
    request,
  }) => {
    test.setTimeout(120_000);
    // A slower fake, one call at a time: the run stays on screen long enough to watch the first
    // four personas arrive (one call fills four slots) before the fifth.
    await controlFakes(request, "/__control", { latencyMs: 1500 });
    const settings = await api<{ concurrency: number }>(app, "GET", "/llm/settings");
    await api(app, "PATCH", "/llm/settings", { concurrency: 1 });
    try {
      const name = uniqueName("Persona panel");
      const project = await api<{ id: string }>(app, "POST", "/projects", {
        name,
        targetSampleSize: 5,
        targetDemographics: {
          gender: { female: 0.5, male: 0.5 },
          age_group: { "18-34": 0.3333333, "35-54": 0.3333333, "55+": 0.3333334 },
        },
      });

      await app.goto(`/#/projects/${project.id}/personas`);
      await expect(app.getByRole("heading", { level: 1, name: "Personas" })).toBeVisible();
      await expect(app.getByTestId("provider-status")).toContainText("Test provider (fake)");
      await expect(app.getByTestId("persona-quota")).toHaveText("Free plan: 5 personas in your workspace, 5 left");
      await expect(app.getByText("No personas yet — generate them to match your target audience")).toBeVisible();

      // The wizard: count, seed, model and locale, with the quota and the provider in view.
      await app.getByRole("button", { name: "Generate personas" }).first().click();
      const wizard = app.getByRole("dialog", { name: "Generate personas" });
      await expect(wizard.getByTestId("provider-status")).toContainText("Test provider (fake)");
      // More than the plan allows: said in the plan's terms with Upgrade, not as a bad number.
      await wizard.getByLabel("How many").fill("6");
      const overLimit = wizard.getByTestId("generate-limit");
      await expect(overLimit).toContainText("Plan limit reached");
      await expect(overLimit).toContainText(
        "The Free plan allows 5 personas; 0 are used, so 5 more can be generated (you asked for 6).",
      );
      await expect(overLimit.getByTestId("generate-upgrade")).toHaveText("Upgrade to Professional");
      await wizard.getByRole("button", { name: "Generate", exact: true }).click();
      await expect(wizard).toBeVisible();
      await expect(wizard).not.toContainText("Enter a whole number");
      await expect(wizard.getByRole("alert")).toContainText("The Free plan allows 5 personas");
      await expect(wizard.getByLabel("Language and country")).toHaveValue("en-US");
      await wizard.getByLabel("How many").fill("5");
      await wizard.getByLabel("Seed (optional)").fill("42");
      await wizard.getByRole("button", { name: "Generate", exact: true }).click();
      await expect(wizard).toHaveCount(0);

      // Live progress while the run goes: the personas saved so far, newest first, as they arrive;
      // the list below grows with them, and no empty state contradicts the count.
      const progress = app.getByTestId("generation-progress");
      await expect(progress).toBeVisible();
      await expect(progress.getByRole("progressbar")).toBeVisible();
      await expect(progress.getByRole("button", { name: "Cancel" })).toBeVisible();
      await expect(progress.getByTestId("generation-count")).toContainText(/of 5 personas|Waiting to start/);
      await expect(progress.getByTestId("generation-waiting")).toHaveText(
        "Each one appears here as soon as it is saved.",
      );
      await expect(app.getByText("No personas yet")).toHaveCount(0);
      // Mid-run: some of the five saved, and the arrivals and the list agree with the count. How
      // many come with the first call depends on the drafts the check refuses (a repeated name,
      // a near-duplicate story), so any of 1–4 is right; the run then waits on the next call.
      // One DOM snapshot per poll, so a persona arriving between two reads cannot split the view.
      type Snapshot = { count: string; arrivals: { href: string; name: string; text: string }[]; cards: string[] };
      let mid: Snapshot | null = null;
      await expect
        .poll(
          async () => {
            const snap = await app.evaluate((): Snapshot => {
              // The page's DOM, typed as far as used here (the e2e code compiles without lib.dom).
              interface El {
                textContent: string | null;
                getAttribute(name: string): string | null;
                querySelector(selector: string): El | null;
                querySelectorAll(selector: string): Iterable<El>;
              }
              const document = (globalThis as unknown as { document: El }).document;
              const panel = document.querySelector('[data-testid="generation-progress"]');
              return {
                count: panel?.querySelector('[data-testid="generation-count"]')?.textContent ?? "",
                arrivals: [...(panel?.querySelectorAll('[data-testid="generation-arrival"]') ?? [])].map((row) => ({
                  href: row.querySelector("a")?.getAttribute("href") ?? "",
                  name: row.querySelector("a")?.textContent?.trim() ?? "",
                  text: row.textContent ?? "",
                })),
                cards: [...document.querySelectorAll('[data-testid="persona-card"] a')].map(
                  (link) => link.textContent?.trim() ?? "",
                ),
              };
            });
            const saved = Number(/^([1-4]) of 5 personas$/.exec(snap.count)?.[1] ?? 0);
            if (saved > 0 && snap.arrivals.length === saved && snap.cards.length === saved) mid = snap;
            return mid !== null;
          },
          // Every 100 ms: the mid-run state lasts about one call of the slowed fake (1.5 s).
          { timeout: 30_000, intervals: [100] },
        )
        .toBe(true);
      const seen = mid as unknown as Snapshot;
      for (const arrival of seen.arrivals) {
        expect(arrival.href).toMatch(/^#\/personas\//);
        expect(arrival.text).toMatch(/Age \d+ · (Female|Male) · \S/);
      }
      expect(seen.arrivals.map((a) => a.name).sort()).toEqual([...seen.cards].sort());
      const cards = app.getByTestId("persona-card");
      await expect(cards).toHaveCount(5, { timeout: 45_000 });
      await expect(progress).toHaveCount(0);
      await expect(app.getByTestId("toast").filter({ hasText: "5 personas generated" })).toContainText(
        /Tokens: [\d,]+ · Cost: \$/,
      );
      await expect(app.getByTestId("personas-count")).toHaveText("Showing 5 of 5");
      await expect(app.getByTestId("persona-quota").first()).toContainText(
        "Free plan: 5 personas in your workspace, 0 left",
      );

      // A filter per target dimension.
      await app.getByLabel("Gender", { exact: true }).selectOption("female");
      await expect(app.getByTestId("personas-count")).toHaveText(/Showing [1-4] of [1-4]/);
      for (const card of await cards.all()) await expect(card).toContainText("Female");
      await app.getByRole("button", { name: "Clear filters" }).first().click();
      await expect(cards).toHaveCount(5);

      // One persona: profile, Big Five chart, story.
      const first = cards.first().getByRole("link");
      const personaName = (await first.textContent())!.trim();
      await first.click();
      await expect(app.getByRole("heading", { level: 1, name: personaName })).toBeVisible();
      const bigFive = app.getByTestId("big-five-chart");
      // All five traits are charted and labelled (a trait at 0% draws no bar, so count the labels).
      for (const trait of ["Openness", "Conscientiousness", "Extraversion", "Agreeableness", "Neuroticism"]) {
        await expect(bigFive).toHaveAttribute("aria-label", new RegExp(`${trait} \\d+%`));
      }
      await expect(bigFive.locator(".recharts-bar-rectangle").first()).toBeVisible();
      await expect(app.getByTestId("persona-story")).toContainText(/\w{3,}/);
      await expect(app.getByTestId("persona-profile")).toContainText("Occupation");

      // Editing: the age must stay in the slot's bracket, said before anything is sent.
      await app.getByRole("button", { name: "Edit", exact: true }).click();
      await app.getByLabel("Age", { exact: true }).fill("17");
      await app.getByRole("button", { name: "Save changes" }).click();
      await expect(
        app.getByText(/^Enter an age from \d+ to \d+: the age group of the slot this persona fills\.$/),
      ).toBeVisible();
      await expect(app.getByText(/must be between/)).toHaveCount(0);
      await expect(app.getByLabel("Age", { exact: true })).toHaveAttribute("aria-invalid", "true");
      await app.getByRole("button", { name: "Cancel", exact: true }).click();
      await expect(bigFive).toBeVisible();

      // Back to the list, and the validation panel: a verdict and a p-value per dimension.
      await app.getByRole("link", { name: `← Personas of ${name}` }).click();
      await expect(cards).toHaveCount(5);
      const panel = app.getByTestId("validation-panel");
      await expect(panel).toContainText("Based on 5 personas");
      for (const dimension of ["gender", "age_group"]) {
        const verdict = panel.getByTestId(`validation-${dimension}`).getByTestId("validation-verdict");
        await expect(verdict).toHaveText(VERDICT);
      }
      await expect(panel.getByTestId("validation-gender")).toContainText("df = 1");
      await expect(panel.getByTestId("validation-age_group")).toContainText("df = 2");
      await expect(panel.getByTestId("validation-age_group")).toContainText("this test is approximate");
      // Every draft the fake wrote agreed with its slot: the panel says none was refused.
      await expect(panel.getByTestId("refused-drafts-summary")).toHaveText(
        "The model wrote 5 drafts and none was refused: each agreed with its quota slot and repeated no other persona.",
      );

      // The sixth persona: the dialog says the Free plan is full, in words, and offers Upgrade.
      await app.getByRole("button", { name: "Generate personas" }).first().click();
      await wizard.getByLabel("How many").fill("1");
      const limit = wizard.getByTestId("generate-limit");
      await expect(limit).toContainText("Plan limit reached");
      await expect(limit).toContainText("The Free plan allows 5 personas; 5 are used.");
      await expect(limit.getByTestId("generate-upgrade")).toHaveAttribute("href", "#/plan");
      await app.keyboard.press("Escape");
      await expect(wizard).toHaveCount(0);
      await expect(cards).toHaveCount(5);

      // The sidebar's Personas returns to this project; deleting a persona asks first, then goes back.
      await app.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
      await app.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Personas" }).click();
      await expect(app).toHaveURL(new RegExp(`#/projects/${project.id}/personas$`));
      await cards.first().getByRole("link").click();
      await app.getByRole("button", { name: "Delete", exact: true }).click();
      const confirm = app.getByRole("alertdialog");
      await expect(confirm).toContainText("Delete “");
      await confirm.getByRole("button", { name: "Delete persona" }).click();
      await expect(app).toHaveURL(new RegExp(`#/projects/${project.id}/personas$`));
      await expect(cards).toHaveCount(4);
      await expect(app.getByTestId("persona-quota")).toContainText("1 left");
    } finally {
      await controlFakes(request, "/__reset");
      await api(app, "PATCH", "/llm/settings", { concurrency: settings.concurrency });
    }
  });

  test("Settings → AI provider shows the test fake, tests the connection and names a bad field", async ({ app }) => {
    await app.goto("/#/settings");
    const card = app.getByTestId("provider-card");
    await expect(card).toContainText("Test provider (fake)");
    await expect(card).toContainText("Ready");
    await expect(card).toContainText("from the environment");
    await card.getByRole("button", { name: "Test connection" }).click();
    const result = card.getByTestId("connection-result");
    await expect(result).toContainText(/Connected \(\d+ ms\)/);
    await expect(result).toContainText("Sight's test fake");

    // A bad field is named and nothing is saved.
    await app.getByLabel("Gemini base URL").fill("not a url");
    await app.getByRole("button", { name: "Save AI provider settings" }).click();
    await expect(app.getByText("The settings were not saved. Check the highlighted fields.")).toBeVisible();
    await expect(app.getByText("Enter an http(s) URL, or leave it empty for the default.")).toBeVisible();
    await expect(app.getByLabel("Gemini base URL")).toHaveAttribute("aria-invalid", "true");
  });
});
