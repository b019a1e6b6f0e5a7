import type { APIRequestContext, Page } from "@playwright/test";
import { isCatalogueText, RAW_VALIDATION_TEXT, shownProblems } from "../support/catalogue";
import { call, expect, generatePersonas, studiesApi, test } from "../support/studies-fixtures";

/**
 * Every form, submitted empty (or with what a hurried user leaves in it): each problem is said
 * once, beside what it is about, in the UI's own words from the catalogue; zod's English never
 * shows, and no toast repeats what the form already says. The project is deleted at the end, so
 * its personas do not count against the studies suite's Free plan.
 */

interface Persona {
  id: string;
}

/** Submits, then checks what the page says: catalogue words only, one message per problem, no toast. */
async function expectOnlyOwnWords(page: Page, expected: string[]) {
  await expect(page.locator(".form-error").first()).toBeVisible();
  const shown = await shownProblems(page);
  for (const line of shown) {
    expect(isCatalogueText(line), `not from the catalogue: ${line}`).toBe(true);
    expect(line, "raw validation text").not.toMatch(RAW_VALIDATION_TEXT);
  }
  for (const line of expected) expect(shown, `missing: ${line}`).toContain(line);
  await expect(page.getByTestId("toast")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(RAW_VALIDATION_TEXT);
}

test.describe.serial("forms submitted empty", () => {
  let api: APIRequestContext;
  let projectId: string;
  let personaId: string;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    api = await studiesApi();
    projectId = (
      await call<{ id: string }>(api, "POST", "/projects", {
        name: `Forms ${Date.now().toString(36)}`,
        targetSampleSize: 2,
        targetDemographics: { gender: { female: 0.5, male: 0.5 }, age_group: { "18-34": 0.5, "35-64": 0.5 } },
      })
    ).id;
    await generatePersonas(api, projectId, 2);
    personaId = (await call<{ items: Persona[] }>(api, "GET", `/projects/${projectId}/personas?limit=10`)).items[0]!.id;
  });

  test.afterAll(async () => {
    await call(api, "DELETE", `/projects/${projectId}`);
    await api.dispose();
  });

  test("new project: the name, the sample size, an unnamed category and a sum in percent", async ({ app }) => {
    await app.goto("/#/projects/new");
    await app.getByLabel("Target sample size", { exact: true }).fill("");
    const editor = app.getByTestId("demographics-editor");
    await editor.getByLabel("Dimension to add").selectOption("gender");
    await editor.getByRole("button", { name: "Add dimension" }).click();
    const gender = app.getByTestId("dimension-gender");
    await gender.getByLabel("Weight (%)").first().fill("40");
    await gender.getByRole("button", { name: "Add category" }).click();
    // While editing, the sum is a warning, in percent, said once.
    await expect(gender.getByTestId("dimension-message")).toHaveText("The weights sum to 90%; they must sum to 100%.");
    await app.getByRole("button", { name: "Create project", exact: true }).click();
    await expectOnlyOwnWords(app, [
      "The project was not saved. Check the highlighted fields.",
      "Enter a name of up to 120 characters.",
      "Enter a whole number from 1 to 1000.",
      "Name this category, or remove it.",
      "The weights sum to 90%; they must sum to 100%.",
    ]);
    // The refusal is the same message, not a second one beside it.
    await expect(gender.getByTestId("dimension-message")).toHaveCount(1);
    await expect(gender.getByText(/sum to 90%/)).toHaveCount(1);
    // Fixing a problem takes its message away at once.
    await app.getByLabel("Name", { exact: true }).fill("Named now");
    await expect(app.getByText("Enter a name of up to 120 characters.")).toHaveCount(0);
    await gender.getByRole("button", { name: "Normalise to 100%" }).click();
    await expect(gender.getByTestId("dimension-message")).toHaveCount(0);
  });

  test("edit project: a name emptied", async ({ app }) => {
    await app.goto(`/#/projects/${projectId}/edit`);
    await app.getByLabel("Name", { exact: true }).fill("   ");
    await app.getByRole("button", { name: "Save changes", exact: true }).click();
    await expectOnlyOwnWords(app, ["Enter a name of up to 120 characters."]);
  });

  test("persona: every field emptied", async ({ app }) => {
    await app.goto(`/#/personas/${personaId}`);
    await app.getByRole("button", { name: "Edit", exact: true }).click();
    const form = app.getByRole("form", { name: "Edit persona" });
    for (const field of await form.locator("input[type=text], textarea").all()) await field.fill("");
    await form.getByLabel("Age", { exact: true }).fill("");
    await form.getByLabel("Openness").fill("");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expectOnlyOwnWords(app, [
      "The persona was not saved. Check the highlighted fields.",
      "Enter 1 to 12 lines of up to 200 characters.",
      "Enter each trait as a number from 0 to 100.",
    ]);
    const shown = await shownProblems(app);
    expect(
      shown.some((line) => /^Enter an age from \d+ to \d+: the age group of the slot this persona fills\.$/.test(line)),
    ).toBe(true);
    expect(shown.some((line) => /^Enter between 1 and \d+ characters\.$/.test(line))).toBe(true);
  });

  test("generate personas: no count", async ({ app }) => {
    await app.goto(`/#/projects/${projectId}/personas`);
    await app.getByRole("button", { name: "Generate personas" }).first().click();
    const wizard = app.getByRole("dialog", { name: "Generate personas" });
    await wizard.getByLabel("How many").fill("");
    await wizard.getByLabel("Seed (optional)").fill("-1");
    await wizard.getByRole("button", { name: "Generate", exact: true }).click();
    await expect(wizard.locator(".field__error")).toHaveCount(2);
    for (const line of await shownProblems(wizard)) {
      expect(isCatalogueText(line), line).toBe(true);
      expect(line).not.toMatch(RAW_VALIDATION_TEXT);
    }
    await expect(wizard).toContainText("Enter a whole number from 1 to 1,000.");
    await expect(wizard).toContainText("Enter a whole number from 0 to 2147483647, or leave it empty.");
    await expect(app.getByTestId("toast")).toHaveCount(0);
  });

  test("new focus group: no name, no participants, an empty question", async ({ app }) => {
    await app.goto(`/#/projects/${projectId}/focus-groups/new`);
    await app.getByLabel("Temperature").fill("");
    await app.getByRole("button", { name: "Create focus group" }).click();
    await expectOnlyOwnWords(app, [
      "The focus group was not saved. Check the highlighted fields.",
      "Enter a name.",
      "Choose at least 2 participants.",
      "Enter the question, or remove it.",
      "Enter a number from 0 to 2.",
    ]);
  });

  test("new survey: no name, a blank question with blank options", async ({ app }) => {
    await app.goto(`/#/projects/${projectId}/surveys/new`);
    await app.getByRole("button", { name: "Create survey" }).click();
    await expectOnlyOwnWords(app, [
      "The survey was not saved. Check the highlighted questions.",
      "Enter a name.",
      "Enter the question, or remove it.",
      "Enter the option, or remove it.",
    ]);
    // Two blank options are two blanks, not also "two options say the same".
    await expect(app.getByText("Two options say the same; make each one different.")).toHaveCount(0);
    // A scale whose ends are the wrong way round, in words.
    const question = app.getByTestId("question-editor").first();
    await question.getByLabel("Question type").selectOption("rating_scale");
    await question.getByLabel("Scale from").fill("5");
    await question.getByLabel("Scale to").fill("1");
    await app.getByRole("button", { name: "Create survey" }).click();
    await expect(question).toContainText("The lowest point must be below the highest.");
    await expect(app.locator("body")).not.toContainText(RAW_VALIDATION_TEXT);
  });

  test("Settings → AI provider: models, addresses and numbers emptied", async ({ app }) => {
    await app.goto("/#/settings");
    const form = app.getByRole("form", { name: "AI provider settings" });
    await form.getByLabel("Persona generation").fill("");
    await form.getByLabel("Gemini base URL").fill("not a url");
    await form.getByLabel("Parallel requests").fill("");
    await form.getByLabel("Request timeout (seconds)").fill("");
    await form.getByRole("button", { name: "Save AI provider settings" }).click();
    await expectOnlyOwnWords(app, [
      "The settings were not saved. Check the highlighted fields.",
      "Enter a model name.",
      "Enter an http(s) URL, or leave it empty for the default.",
      "Enter a whole number from 1 to 64.",
      "Enter a number of seconds from 1 to 600.",
    ]);
  });

  test("Exports → cache limit emptied", async ({ app }) => {
    await app.goto("/#/exports");
    const cache = app.getByTestId("export-cache");
    await cache.getByLabel("Size limit (MB)").fill("");
    await cache.getByRole("button", { name: "Save limit" }).click();
    await expect(cache.locator(".field__error")).toHaveText("Enter a whole number of megabytes from 50 to 100,000.");
    await expect(app.getByTestId("toast")).toHaveCount(0);
  });

  test("a toast on screen follows a change of language", async ({ app }) => {
    const name = `Toast ${Date.now().toString(36)}`;
    await app.goto("/#/projects/new");
    await app.getByLabel("Name", { exact: true }).fill(name);
    await app.getByRole("button", { name: "Create project", exact: true }).click();
    const toast = app.getByTestId("toast").filter({ hasText: name });
    await expect(toast).toContainText("Project created");
    await call(api, "PATCH", "/settings", { language: "pl" });
    try {
      await expect(toast).toContainText("Utworzono projekt");
      await expect(toast).not.toContainText("Project created");
    } finally {
      await call(api, "PATCH", "/settings", { language: "en" });
      const created = await call<{ items: { id: string; name: string }[] }>(
        api,
        "GET",
        `/projects?q=${encodeURIComponent(name)}`,
      );
      for (const project of created.items) await call(api, "DELETE", `/projects/${project.id}`);
    }
  });

  test("the same empty survey in Polish: Polish words, still none of zod's", async ({ app }) => {
    await call(api, "PATCH", "/settings", { language: "pl" });
    try {
      await app.goto(`/#/projects/${projectId}/surveys/new`);
      await app.reload();
      await app.getByRole("button", { name: "Utwórz ankietę" }).click();
      await expect(app.locator(".form-error")).toBeVisible();
      const shown = await shownProblems(app);
      expect(shown).toContain("Wpisz nazwę.");
      expect(shown).toContain("Wpisz treść pytania albo je usuń.");
      for (const line of shown) expect(isCatalogueText(line, "pl"), line).toBe(true);
      await expect(app.locator("body")).not.toContainText(RAW_VALIDATION_TEXT);
    } finally {
      await call(api, "PATCH", "/settings", { language: "en" });
    }
  });
});
