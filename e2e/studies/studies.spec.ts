import type { APIRequestContext } from "@playwright/test";
import { call, controlFakes, expect, generatePersonas, studiesApi, test } from "../support/studies-fixtures";

/**
 * Focus groups and surveys through the UI, against the studies host (its own data folder). One
 * project with four personas serves both tests, so they run in order.
 */

interface Persona {
  id: string;
  name: string;
}

const STATS =
  /^χ² = \d+\.\d\d, df = \d+, p (=|<) \d\.\d+$|^Not testable|^Several answers per respondent: the counts are selections/;

test.describe.serial("studies through the UI", () => {
  let api: APIRequestContext;
  let projectId: string;
  let personas: Persona[];

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    api = await studiesApi();
    const project = await call<{ id: string }>(api, "POST", "/projects", {
      name: `Studies ${Date.now().toString(36)}`,
      targetSampleSize: 4,
      targetDemographics: {
        gender: { female: 0.5, male: 0.5 },
        age_group: { "18-34": 0.5, "35-64": 0.5 },
      },
    });
    projectId = project.id;
    await generatePersonas(api, projectId, 4);
    personas = (await call<{ items: Persona[] }>(api, "GET", `/projects/${projectId}/personas?limit=10`)).items;
    expect(personas).toHaveLength(4);
  });

  test.afterAll(async () => {
    await controlFakes(api, "/__reset");
    await api.dispose();
  });

  test("a focus group: set up, streamed live, paused and resumed, then analysed", async ({ app }) => {
    test.setTimeout(150_000);
    const name = "Breakfast drinks, round 1";

    // From the project page to an empty list that says what to do.
    await app.goto(`/#/projects/${projectId}`);
    await app.getByTestId("project-focus-groups").getByRole("link", { name: "View focus groups" }).click();
    await expect(app.getByRole("heading", { level: 1, name: "Focus groups" })).toBeVisible();
    await expect(app.getByText("No focus groups yet — set one up")).toBeVisible();
    await app.getByRole("link", { name: "New focus group" }).first().click();
    await expect(app.getByRole("heading", { level: 1, name: "New focus group" })).toBeVisible();

    // Setup: name, one participant too few, a two-question guide reordered by keyboard.
    await app.getByLabel("Name", { exact: true }).fill(name);
    await app.getByRole("checkbox", { name: personas[0]!.name, exact: true }).check();
    await expect(app.getByTestId("participants-count")).toHaveText("1 of 4 selected");
    await app.getByLabel("Question 1 text").fill("Would you pay 20% more for an oat drink?");
    await app.getByRole("button", { name: "Add probe" }).click();
    await app.getByLabel("Probe 1 of question 1").fill("price versus taste");
    await app.getByRole("button", { name: "Add question" }).click();
    await app.getByLabel("Question 2 text").fill("What do you usually drink with breakfast?");
    const guide = app.getByTestId("guide-item");
    await guide.nth(1).getByRole("button", { name: "Move up" }).click();
    await expect(app.getByLabel("Question 1 text")).toHaveValue("What do you usually drink with breakfast?");
    // At the top "Move up" is disabled, so focus went to "Move down": Enter moves it back.
    await expect(guide.nth(0).getByRole("button", { name: "Move down" })).toBeFocused();
    await app.keyboard.press("Enter");
    await expect(app.getByLabel("Question 1 text")).toHaveValue("Would you pay 20% more for an oat drink?");
    await expect(app.getByLabel("Discussion rounds")).toHaveValue("1");
    await expect(app.getByRole("checkbox", { name: "The moderator probes chosen participants" })).toBeChecked();

    await app.getByRole("button", { name: "Create focus group" }).click();
    await expect(app.getByTestId("participants-error")).toHaveText("Choose at least 2 participants.");
    await app.getByRole("button", { name: "Select all" }).click();
    await expect(app.getByTestId("participants-count")).toHaveText("4 of 4 selected");
    await app.getByRole("button", { name: "Create focus group" }).click();

    // The draft: setup, the estimate before running, Run.
    await expect(app.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(app.getByTestId("study-status")).toHaveText("Draft");
    const estimate = app.getByTestId("estimate");
    await expect(estimate).toContainText("Model calls");
    await expect(estimate.getByTestId("estimate-time")).toHaveText(/^about \d+ (s|min)/);
    await expect(app.getByTestId("setup-summary")).toContainText("price versus taste");

    // A slower fake keeps tokens streaming long enough to watch them arrive.
    await controlFakes(api, "/__control", { latencyMs: 400, streamChunkDelayMs: 60 });
    await app.getByRole("button", { name: "Run discussion" }).first().click();
    await expect(app.getByTestId("study-status")).toHaveText("Running");
    const progress = app.getByTestId("discussion-progress");
    await expect(progress.getByRole("progressbar")).toBeVisible();
    await expect(progress.getByTestId("discussion-count")).toHaveText(/^\d+ of 24 messages$/);

    // A message being written: an in-progress bubble with partial text, before it is saved.
    const transcript = app.getByTestId("transcript");
    const messages = transcript.getByTestId("message");
    const draft = transcript.getByTestId("draft-message").first();
    await expect(draft.getByTestId("draft-text")).toHaveText(/\S{3,}/);
    expect(await messages.count()).toBeLessThan(24);

    // Reading further up stops the autoscroll; "Jump to latest" comes back down.
    const scroller = transcript.getByRole("region", { name: "Transcript, newest at the end" });
    // The region is a <div>; this config has no DOM lib, so the callbacks (run in the page) name the fields.
    type Scrollable = { scrollHeight: number; clientHeight: number; scrollTop: number };
    await expect
      .poll(
        () =>
          scroller.evaluate(
            (element) =>
              (element as unknown as Scrollable).scrollHeight - (element as unknown as Scrollable).clientHeight,
          ),
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThan(200);
    await expect(app.getByTestId("study-status")).toHaveText("Running");
    await scroller.evaluate((element) => {
      (element as unknown as Scrollable).scrollTop = 0;
    });
    const jump = transcript.getByRole("button", { name: /^Jump to latest/ });
    await expect(jump).toBeVisible();
    await jump.click();
    await expect(jump).toBeHidden();

    // Pause and resume once.
    await app.getByRole("button", { name: "Pause", exact: true }).click();
    await expect(app.getByTestId("study-status")).toHaveText("Paused", { timeout: 20_000 });
    await expect(progress).toContainText("Resume continues from the last saved message.");
    await expect(transcript.getByTestId("draft-message")).toHaveCount(0);
    const paused = await messages.count();
    expect(paused).toBeLessThan(24);
    await app.getByRole("button", { name: "Resume", exact: true }).click();
    await expect(app.getByTestId("study-status")).toHaveText(/Running|Completed/);

    // All 24 lines: 2 questions × (question + 4 answers + 4 reactions + follow-up + 2 answers).
    await expect(app.getByTestId("study-status")).toHaveText("Completed", { timeout: 60_000 });
    await expect(messages).toHaveCount(24);
    await expect(transcript.getByTestId("transcript-question")).toHaveCount(2);
    for (const persona of personas) {
      await expect(transcript.getByRole("link", { name: persona.name, exact: true }).first()).toBeVisible();
    }
    const followUps = transcript.locator('[data-testid="message"][data-phase="followup"]');
    await expect(followUps).toHaveCount(2);
    await expect(followUps.first()).toContainText("Moderator");
    await expect(followUps.first()).toContainText("Follow-up probe");
    const reactions = transcript.locator('[data-testid="message"][data-phase="reaction"]');
    await expect(reactions).toHaveCount(8);
    await expect(reactions.first()).toContainText(/replying to \S+/);
    await expect(transcript.getByTestId("transcript-announcer")).toHaveText(/^.+: .+/);

    // The analysis: progress, then findings as they arrive.
    const analysis = app.getByTestId("analysis");
    await analysis.getByRole("button", { name: "Analyse", exact: true }).click();
    await expect(analysis.getByTestId("analysis-progress")).toBeVisible();
    await expect(analysis.getByTestId("insight-executive_summary")).toContainText(
      "The synthetic participants are open to the product",
      { timeout: 30_000 },
    );
    // The fake finds "Price versus trust" under both questions: one theme, tagged Q1 and Q2, with
    // the quotes of both; the filter shows one question's own themes.
    const themes = analysis.getByTestId("insights-theme");
    const theme = themes.getByTestId("insight-theme").filter({ hasText: "Price versus trust" });
    await expect(theme).toHaveCount(1);
    await expect(theme.getByTestId("insight-questions")).toHaveText("Q1Q2");
    const mergedQuotes = await theme.getByTestId("evidence-quote").count();
    const filter = themes.getByTestId("themes-filter");
    await expect(filter.locator("option")).toHaveText([
      "All questions, the same theme merged",
      /^Question 1: /,
      /^Question 2: /,
    ]);
    await filter.selectOption("1");
    await expect(theme).toHaveCount(1);
    await expect(theme.getByTestId("insight-questions")).toHaveText("Q2");
    await filter.selectOption("");
    await expect(theme.getByTestId("insight-questions")).toHaveText("Q1Q2");
    expect(mergedQuotes).toBeGreaterThan(0);
    const quote = theme.getByTestId("evidence-quote").first();
    await expect(quote.getByTestId("quote-speaker")).toHaveText(new RegExp(personas.map((p) => p.name).join("|")));
    await expect(quote).toContainText(/Age \d+ · (Female|Male)/);
    await quote.getByRole("button", { name: "Show in transcript" }).click();
    const highlighted = transcript.locator(".message--highlighted");
    await expect(highlighted).toBeVisible();
    await expect(highlighted).toBeFocused();
    await expect(analysis.getByTestId("insights-recommendation")).toContainText("Lead with proof");
    await expect(
      analysis.getByTestId("insights-disagreement").or(analysis.getByTestId("insights-agreement")).first(),
    ).toBeVisible();

    const byQuestion = analysis.getByTestId("sentiment-by-question");
    await expect(byQuestion).toHaveAttribute("aria-label", /Q1 [+−]?\d\.\d\d, Q2 [+−]?\d\.\d\d/);
    await expect(byQuestion.locator(".recharts-bar-rectangle")).toHaveCount(2);
    await expect(analysis.getByTestId("sentiment-by-persona").locator(".recharts-bar-rectangle")).toHaveCount(4);
    await expect(transcript.getByTestId("sentiment-dot").first()).toBeVisible();
    await expect(analysis.getByTestId("usage-discussion")).toContainText(/tokens in/);
    await expect(analysis.getByTestId("usage-analysis")).toContainText(/tokens in/);
    await expect(analysis.getByRole("button", { name: "Re-analyse" })).toBeEnabled();
    await controlFakes(api, "/__reset");

    // The sidebar's Focus groups returns to this project's list: status and message count.
    await app.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Focus groups" }).click();
    await expect(app).toHaveURL(new RegExp(`#/projects/${projectId}/focus-groups$`));
    const listed = app.getByTestId("focus-group-row").filter({ hasText: name });
    await expect(listed.getByTestId("study-status")).toHaveText("Completed");
    await expect(listed.getByTestId("message-count")).toHaveText("Messages: 24");
  });

  test("a survey with all four question types: run, charts, cross-tab by gender", async ({ app }) => {
    test.setTimeout(120_000);
    await app.goto(`/#/projects/${projectId}`);
    await app.getByTestId("project-surveys").getByRole("link", { name: "New survey" }).click();
    await expect(app.getByRole("heading", { level: 1, name: "New survey" })).toBeVisible();
    await app.getByLabel("Survey name").fill("Breakfast habits");

    const question = (index: number) => app.getByTestId("question-editor").nth(index);
    const row = (index: number, name: string) => question(index).getByRole("textbox", { name, exact: true });

    await question(0).getByLabel("Question text").fill("Which drinks do you have at breakfast?");
    await row(0, "Option 1").fill("Coffee");
    await row(0, "Option 2").fill("Tea");
    await question(0).getByRole("button", { name: "Add option" }).click();
    await row(0, "Option 3").fill("Juice");
    await question(0).getByLabel("Several answers").check();
    await question(0).getByLabel("At most").fill("2");

    await app.getByRole("button", { name: "Add question" }).click();
    await question(1).getByLabel("Question type").selectOption("rating_scale");
    await question(1).getByLabel("Question text").fill("How likely are you to try an oat drink?");
    await question(1).getByLabel("Label of the lowest point").fill("Not at all");
    await question(1).getByLabel("Label of the highest point").fill("Certainly");

    await app.getByRole("button", { name: "Add question" }).click();
    await question(2).getByLabel("Question type").selectOption("ranking");
    await question(2).getByLabel("Question text").fill("Rank what matters most");
    await row(2, "Item 1").fill("Price");
    await row(2, "Item 2").fill("Taste");
    await question(2).getByRole("button", { name: "Add item" }).click();
    await row(2, "Item 3").fill("price");

    await app.getByRole("button", { name: "Add question" }).click();
    await question(3).getByLabel("Question type").selectOption("open_ended");
    await question(3).getByLabel("Question text").fill("What would make you switch?");

    // Duplicate items are refused before anything is sent, in words, beside the ranking's items.
    await app.getByRole("button", { name: "Create survey" }).click();
    await expect(question(2)).toContainText("Two items say the same; make each one different.");
    await expect(question(2)).not.toContainText("items must be unique");
    await expect(question(0)).not.toContainText("must");
    await row(2, "Item 3").fill("Health");
    await app.getByRole("button", { name: "Create survey" }).click();
    await expect(app.getByRole("heading", { level: 1, name: "Breakfast habits" })).toBeVisible();

    // Run over every persona of the project (the default), watching progress.
    await controlFakes(api, "/__control", { latencyMs: 800 });
    const run = app.getByTestId("survey-run");
    await expect(run.getByLabel("All personas of the project (4)")).toBeChecked();
    await run.getByRole("button", { name: "Run survey (4 personas)" }).click();
    const progress = app.getByTestId("survey-progress");
    await expect(progress.getByRole("progressbar")).toBeVisible();
    await expect(progress.getByRole("button", { name: "Cancel" })).toBeVisible();
    await expect(app.getByTestId("study-status")).toHaveText("Completed", { timeout: 60_000 });
    await controlFakes(api, "/__reset");

    // A chart for every question.
    const results = app.getByTestId("survey-results");
    await expect(results.getByTestId("respondents")).toHaveText("Respondents: 4");
    const cards = results.getByTestId("question-result");
    await expect(cards).toHaveCount(4);
    for (const card of await cards.all()) await expect(card.getByTestId("result-chart")).toBeVisible();
    // One bar per option that was chosen at all (the fake's answers depend on the personas drawn).
    const surveyId = /surveys\/([^/?#]+)/.exec(app.url())![1]!;
    const computed = await call<{ questions: { counts: { count: number }[] }[] }>(
      api,
      "GET",
      `/surveys/${surveyId}/results`,
    );
    const chosenOptions = computed.questions[0]!.counts.filter((row) => row.count > 0).length;
    expect(chosenOptions).toBeGreaterThan(0);
    await expect(cards.nth(0).locator(".recharts-bar-rectangle")).toHaveCount(chosenOptions);
    await expect(cards.nth(1).getByTestId("rating-stats")).toContainText(/Mean\s*\d\.\d\d/);
    // Four answers are too few for a response-style warning, and the panel says what one would need.
    const responseStyle = cards.nth(1).getByTestId("response-style");
    await expect(responseStyle).toContainText("No warning (one needs at least 10 answers and p < 0.01).");
    await expect(responseStyle.getByRole("columnheader", { name: "Human benchmark" })).toBeVisible();
    await expect(cards.nth(2)).toContainText("First choice");
    await expect(cards.nth(3).getByTestId("open-theme").first()).toBeVisible();

    // The cross-tab by gender: counts, χ²/df/p, and the small-counts warning.
    const crosstabs = app.getByTestId("crosstab-panel");
    await crosstabs.getByLabel("Compare by", { exact: true }).selectOption("gender");
    const tables = crosstabs.getByTestId("crosstab");
    await expect(tables).toHaveCount(3);
    await expect(tables.first().getByRole("columnheader", { name: "Female" })).toBeVisible();
    // The ranking is cross-tabulated by first choices only, and its table says so.
    const ranking = tables.filter({ hasText: "Rank what matters most" });
    await expect(ranking.getByTestId("crosstab-note")).toHaveText(
      "Counts each respondent's first choice: the item they ranked at the top.",
    );
    await expect(ranking.getByRole("columnheader", { name: "First choice" })).toBeVisible();
    for (const table of await tables.all()) await expect(table.getByTestId("crosstab-stats")).toHaveText(STATS);
    // Several answers per respondent: no test, and it says why (not "one category").
    await expect(tables.first().getByTestId("crosstab-stats")).toHaveText(
      "Several answers per respondent: the counts are selections, not people, so there is no chi-square test.",
    );
    await expect(
      crosstabs
        .getByTestId("crosstab-stats")
        .filter({ hasText: /^χ² = / })
        .first(),
    ).toBeVisible();
    await expect(crosstabs.getByTestId("crosstab-warning").first()).toContainText("Expected counts below 5 (lowest");
    await expect(crosstabs.getByTestId("crosstab-warning").first()).toContainText("treat the test as indicative");

    // One compact response per persona.
    await app.getByTestId("responses").getByText("Responses (4)").click();
    await expect(app.getByTestId("response")).toHaveCount(4);

    // Running again asks first and offers the export; cancelling changes nothing.
    await run.getByRole("button", { name: "Run again", exact: true }).click();
    await run.getByRole("button", { name: "Run again (4 personas)" }).click();
    const confirm = app.getByRole("alertdialog", { name: "Replace the responses of the last run?" });
    await expect(confirm).toContainText("Running again replaces the 4 responses of the last run");
    await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
    await expect(confirm.getByRole("button", { name: "Replace 4 responses" })).toBeVisible();
    await confirm.getByRole("button", { name: "Export responses first" }).click();
    await expect(app.getByRole("dialog", { name: "Export survey “Breakfast habits”" })).toBeVisible();
    await app.keyboard.press("Escape");
    await expect(confirm).toBeVisible();
    await app.keyboard.press("Escape");
    await expect(confirm).toBeHidden();
    await expect(results.getByTestId("respondents")).toHaveText("Respondents: 4");
    expect((await call<{ total: number }>(api, "GET", `/surveys/${surveyId}/responses`)).total).toBe(4);
  });
  test("the survey's recorded model, exported as a recipe and imported as a new project", async ({ app }, testInfo) => {
    test.setTimeout(90_000);
    const surveys = await call<{ items: { id: string; name: string }[] }>(api, "GET", `/projects/${projectId}/surveys`);
    const survey = surveys.items.find((item) => item.name === "Breakfast habits")!;
    await app.goto(`/#/surveys/${survey.id}`);

    // What the run recorded: the model asked for, its temperature, no seed, the prompts' version.
    const recorded = app.getByTestId("run-models");
    await expect(recorded).toContainText("Model used:");
    await expect(recorded).toContainText("gemini-2.5-flash");
    await expect(recorded).toContainText("prompts surveys/1");
    await expect(recorded).toContainText("no seed");

    // The recipe downloads as one JSON file in the browser.
    const downloading = app.waitForEvent("download");
    await app.getByRole("button", { name: "Export recipe" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/recipe.*\.json$/);
    const file = testInfo.outputPath("recipe.json");
    await download.saveAs(file);

    // Imported from the Projects page. The Free plan has room for 1 more persona, not 4: refused,
    // saying why, and nothing is created.
    const projectsBefore = (await call<{ total: number }>(api, "GET", "/projects?status=all")).total;
    await app.goto("/#/projects");
    await app.getByLabel("Import study recipe").setInputFiles(file);
    await expect(app.getByRole("alert").filter({ hasText: "Plan limit reached" })).toContainText(
      "The Free plan allows 5 personas",
    );
    expect((await call<{ total: number }>(api, "GET", "/projects?status=all")).total).toBe(projectsBefore);

    // With the original project deleted (the recipe holds all of it), it opens the new project's
    // survey, not yet run.
    await call(api, "DELETE", `/projects/${projectId}`);
    await app.getByLabel("Import study recipe").setInputFiles(file);
    await expect(app).toHaveURL(/#\/surveys\//);
    await expect(app).not.toHaveURL(new RegExp(survey.id));
    await expect(app.getByRole("heading", { level: 1, name: "Breakfast habits" })).toBeVisible();
    const importedId = /surveys\/([^/?#]+)/.exec(app.url())![1]!;
    expect(importedId).not.toBe(survey.id);
    const imported = await call<{ projectId: string; status: string }>(api, "GET", `/surveys/${importedId}`);
    expect(imported.status).toBe("draft");
    const importedPersonas = await call<{ items: Persona[] }>(
      api,
      "GET",
      `/projects/${imported.projectId}/personas?limit=10`,
    );
    expect(importedPersonas.items.map((p) => p.name).sort()).toEqual(personas.map((p) => p.name).sort());
  });
});
