import { api, expect, test, uniqueName } from "../support/fixtures";

test.describe("projects through the UI", () => {
  test("creates a project with target demographics and sees it in the list and detail", async ({ app }) => {
    const name = uniqueName("Oat drink launch");
    await app.goto("/#/projects/new");
    await app.getByLabel("Name", { exact: true }).fill(name);
    await app.getByLabel("Description", { exact: true }).fill("Plant-based milk for young families in Poland");
    await app.getByLabel("Research goal", { exact: true }).fill("Which claims make parents switch?");
    await app.getByLabel("Target audience", { exact: true }).fill("Parents of children under 10");
    await app.getByLabel("Target sample size", { exact: true }).fill("24");

    const editor = app.getByTestId("demographics-editor");
    await editor.getByLabel("Dimension to add").selectOption("gender");
    await editor.getByRole("button", { name: "Add dimension" }).click();
    const gender = app.getByTestId("dimension-gender");
    await expect(gender).toBeVisible();
    await expect(gender.getByText("Total: 100%")).toBeVisible();

    await app.getByRole("button", { name: "Create project", exact: true }).click();
    await expect(app.getByRole("heading", { name })).toBeVisible();
    await expect(app.getByText("Which claims make parents switch?")).toBeVisible();

    await app.goto("/#/projects");
    await app.getByLabel("Search projects").fill(name);
    await expect(app.getByTestId("project-row")).toHaveCount(1);
    await expect(app.getByTestId("project-row").first()).toContainText(name);
  });

  test("refuses weights that do not sum to 100% and offers the normalised fix", async ({ app }) => {
    const name = uniqueName("Weights");
    await app.goto("/#/projects/new");
    await app.getByLabel("Name", { exact: true }).fill(name);
    const editor = app.getByTestId("demographics-editor");
    await editor.getByLabel("Dimension to add").selectOption("gender");
    await editor.getByRole("button", { name: "Add dimension" }).click();
    const gender = app.getByTestId("dimension-gender");
    await gender.getByLabel("Weight (%)").first().fill("70");
    await expect(gender.getByText(/Total: 1[0-9]{2}%/)).toBeVisible();
    await app.getByRole("button", { name: "Create project", exact: true }).click();
    // Refused before anything is sent: once, in percent, beside the dimension; no toast repeats it.
    await expect(app.getByText("The project was not saved. Check the highlighted fields.")).toBeVisible();
    await expect(gender.getByTestId("dimension-message")).toHaveText(
      /^The weights sum to 1[0-9]{2}%; they must sum to 100%\.$/,
    );
    await expect(app.getByTestId("toast")).toHaveCount(0);
    await gender.getByRole("button", { name: "Normalise to 100%" }).click();
    await expect(gender.getByText("Total: 100%")).toBeVisible();
    await expect(gender.getByTestId("dimension-message")).toHaveCount(0);
    await app.getByRole("button", { name: "Create project", exact: true }).click();
    await expect(app.getByRole("heading", { name })).toBeVisible();
  });

  test("edits a project", async ({ app }) => {
    const name = uniqueName("Before edit");
    const project = await api<{ id: string }>(app, "POST", "/projects", { name });
    await app.goto(`/#/projects/${project.id}`);
    await app.getByRole("button", { name: "Edit", exact: true }).click();
    const renamed = `${name} renamed`;
    await app.getByLabel("Name", { exact: true }).fill(renamed);
    await app.getByRole("button", { name: "Save changes", exact: true }).click();
    await expect(app.getByRole("heading", { name: renamed })).toBeVisible();
    expect((await api<{ name: string }>(app, "GET", `/projects/${project.id}`)).name).toBe(renamed);
  });

  test("searches and paginates with Load more", async ({ app }) => {
    const tag = uniqueName("Paginated");
    for (let i = 0; i < 23; i++) await api(app, "POST", "/projects", { name: `${tag} #${String(i).padStart(2, "0")}` });
    await app.goto("/#/projects");
    await app.getByLabel("Search projects").fill(tag);
    await expect(app.getByTestId("projects-count")).toContainText("23");
    const rows = app.getByTestId("project-row");
    await expect(rows).toHaveCount(20);
    await app.getByRole("button", { name: "Load more" }).click();
    await expect(rows).toHaveCount(23);
    await expect(app.getByRole("button", { name: "Load more" })).toHaveCount(0);
    // Sorted by name, the first row is #00.
    await app.getByLabel("Sort by").selectOption("name");
    await expect(rows.first()).toContainText(`${tag} #00`);
  });

  test("archives, finds under Archived, unarchives", async ({ app }) => {
    const name = uniqueName("Archivable");
    const project = await api<{ id: string }>(app, "POST", "/projects", { name });
    await app.goto(`/#/projects/${project.id}`);
    await app.getByRole("button", { name: "Archive", exact: true }).click();
    await expect(app.getByRole("button", { name: "Unarchive", exact: true })).toBeVisible();
    await app.goto("/#/projects");
    await app.getByLabel("Search projects").fill(name);
    await expect(app.getByText(/No projects match/)).toBeVisible();
    await app.getByLabel("Status").selectOption("archived");
    await expect(app.getByTestId("project-row")).toHaveCount(1);
    await expect(app.getByTestId("project-row").first()).toContainText("Archived");
    await app.getByTestId("project-row").first().getByRole("link").first().click();
    await app.getByRole("button", { name: "Unarchive", exact: true }).click();
    await expect(app.getByRole("button", { name: "Archive", exact: true })).toBeVisible();
  });

  test("duplicates a project", async ({ app }) => {
    const name = uniqueName("Original");
    const project = await api<{ id: string }>(app, "POST", "/projects", {
      name,
      targetDemographics: { gender: { female: 0.6, male: 0.4 } },
    });
    await app.goto(`/#/projects/${project.id}`);
    await app.getByRole("button", { name: "Duplicate", exact: true }).click();
    await expect(app.getByRole("heading", { name: `${name} (copy)` })).toBeVisible();
  });

  test("proposes the personas' locale from the country the target names, shown on the project and changeable", async ({
    app,
  }) => {
    const name = uniqueName("Kraków bakeries");
    const project = await api<{ id: string }>(app, "POST", "/projects", {
      name,
      targetDemographics: { location: { Kraków: 0.6, Gdańsk: 0.4 } },
    });
    await app.goto(`/#/projects/${project.id}`);
    const locale = app.getByTestId("project-persona-locale");
    // The UI is English, but the audience lives in Poland.
    await expect(locale).toContainText("Polish (Poland) (proposed from the location “Kraków”)");
    await app.getByRole("button", { name: "Generate personas" }).first().click();
    const wizard = app.getByRole("dialog", { name: "Generate personas" });
    await expect(wizard.getByLabel("Language and country")).toHaveValue("pl-PL");
    await app.keyboard.press("Escape");

    await locale.getByRole("link", { name: /Change/ }).click();
    const select = app.getByLabel("Personas' language and country");
    await expect(select).toHaveValue("");
    await expect(select.locator("option").first()).toHaveText(
      "Follow the target: Polish (Poland) (proposed from the location “Kraków”)",
    );
    await select.selectOption("en-GB");
    await app.getByRole("button", { name: "Save changes", exact: true }).click();
    await expect(locale).toContainText("English (United Kingdom) (chosen for this project)");
    expect((await api<{ personaLocale: string | null }>(app, "GET", `/projects/${project.id}`)).personaLocale).toBe(
      "en-GB",
    );
    await app.getByRole("button", { name: "Generate personas" }).first().click();
    await expect(wizard.getByLabel("Language and country")).toHaveValue("en-GB");
  });

  test("deletes a project only after confirming with its name", async ({ app }) => {
    const name = uniqueName("Doomed");
    const project = await api<{ id: string }>(app, "POST", "/projects", { name });
    await app.goto(`/#/projects/${project.id}`);
    await app.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = app.getByRole("alertdialog");
    await expect(dialog).toBeVisible();
    const confirm = dialog.getByRole("button", { name: "Delete project", exact: true });
    await expect(confirm).toBeDisabled();
    await app.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await app.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.getByLabel("Type the project name to confirm").fill(name);
    await confirm.click();
    await expect(app).toHaveURL(/#\/projects$/);
    const response = await app.request.get(`/api/v1/projects/${project.id}`, {
      headers: { Authorization: "Bearer e2e-token-0123456789abcdef" },
    });
    expect(response.status()).toBe(404);
  });

  test("shows an empty state that says what to do for a search with no results", async ({ app }) => {
    await app.goto("/#/projects");
    await app.getByLabel("Search projects").fill("zzz-nothing-matches-this");
    await expect(app.getByText(/No projects match/)).toBeVisible();
    await expect(app.getByRole("button", { name: "Clear search" })).toBeVisible();
  });
});

test.describe("app shell in the browser", () => {
  test("the page has no require or process globals", async ({ app }) => {
    const globals = await app.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      module: typeof (globalThis as Record<string, unknown>).module,
    }));
    expect(globals).toEqual({ require: "undefined", process: "undefined", module: "undefined" });
  });

  test("an unauthorised REST call gets 401 UNAUTHORIZED", async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    const response = await anonymous.get("/api/v1/projects");
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    await anonymous.dispose();
  });

  test("switches to Polish and dark theme from Settings, and back", async ({ app }) => {
    await app.goto("/#/settings");
    await app.getByLabel("Language").selectOption("pl");
    await expect(app.getByRole("navigation").getByText("Projekty")).toBeVisible();
    await app.getByLabel(/Motyw|Theme/).selectOption("dark");
    await expect(app.locator("html")).toHaveAttribute("data-theme", "dark");
    await app.getByLabel(/Język|Language/).selectOption("en");
    await app.getByLabel("Theme").selectOption("system");
    await expect(app.getByRole("navigation").getByText("Projects")).toBeVisible();
  });

  test("stores an API key without ever showing it back", async ({ app }) => {
    await app.goto("/#/settings");
    const status = app.getByTestId("secret-status-llm.openai.apiKey");
    await app.getByLabel("OpenAI-compatible API key").fill("sk-test-e2e-secret-value");
    await app.getByRole("button", { name: "Save OpenAI-compatible API key" }).click();
    await expect(status).toHaveText("Stored");
    await app.reload();
    await expect(app.getByLabel("OpenAI-compatible API key")).toHaveValue("");
    expect(await app.content()).not.toContain("sk-test-e2e-secret-value");
    await app.getByRole("button", { name: "Remove OpenAI-compatible API key" }).click();
    await expect(status).toHaveText("Not set");
  });

  test("Integrations and Exports are built pages, not placeholders", async ({ app }) => {
    const nav = app.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Integrations" }).click();
    await expect(app).toHaveURL(/#\/integrations$/);
    await expect(app.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
    await expect(app.getByTestId("integrations-page")).toBeVisible();
    await expect(app.getByRole("heading", { level: 2, name: "Sync history" })).toBeVisible();
    await expect(app.getByRole("main")).not.toContainText(/coming soon|not built yet/i);
    await nav.getByRole("link", { name: "Exports" }).click();
    await expect(app.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
    await expect(app.getByRole("main")).not.toContainText(/coming soon|not built yet/i);
    await expect(app.getByTestId("export-cache")).toContainText("Export cache");
  });
});
