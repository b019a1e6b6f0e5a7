import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { request as playwrightRequest, type APIRequestContext, type Download, type Locator } from "@playwright/test";
import Papa from "papaparse";
import { EXPORT_SCHEMA_VERSION, SYNTHETIC_DATA_LABEL } from "../../src/shared/contract/exports";
import { call, expect, generatePersonas, studiesApi, test, waitForJob } from "../support/studies-fixtures";

/**
 * Exports through the UI, against the studies host: a finished focus group (with its analysis)
 * and a finished survey are seeded through REST, then each format is exported from its page and
 * the downloaded file is opened. The project is deleted at the end, so its two personas do not
 * count against the Free plan of the studies suite that runs next on this host.
 */

interface Persona {
  id: string;
  name: string;
}

const SURVEY_QUESTIONS = [
  { id: "drink", type: "multiple_choice", text: "Which drink do you have at breakfast?", options: ["Coffee", "Tea"] },
  { id: "oat", type: "rating_scale", text: "How likely are you to try an oat drink?", min: 1, max: 5 },
] as const;

async function bytesOf(download: Download): Promise<Buffer> {
  return fs.promises.readFile(await download.path());
}

/** Clicks the link or button that downloads, and returns the browser's download. */
async function download(trigger: Locator): Promise<Download> {
  const [file] = await Promise.all([trigger.page().waitForEvent("download"), trigger.click()]);
  return file;
}

function parseCsv(bytes: Buffer): string[][] {
  const parsed = Papa.parse<string[]>(bytes.toString("utf8").replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

test.describe.serial("exports through the UI", () => {
  const suffix = Date.now().toString(36);
  const projectName = `Exports ${suffix}`;
  const groupName = `Oat drink talk ${suffix}`;
  const surveyName = `Breakfast poll ${suffix}`;
  let api: APIRequestContext;
  let projectId: string;
  let groupId: string;
  let surveyId: string;
  let personas: Persona[];

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    api = await studiesApi();
    projectId = (
      await call<{ id: string }>(api, "POST", "/projects", {
        name: projectName,
        targetSampleSize: 2,
        targetDemographics: { gender: { female: 0.5, male: 0.5 } },
      })
    ).id;
    await generatePersonas(api, projectId, 2);
    personas = (await call<{ items: Persona[] }>(api, "GET", `/projects/${projectId}/personas?limit=10`)).items;

    // The smallest finished focus group: one question, answers only, then its analysis.
    const group = await call<{ id: string }>(api, "POST", `/projects/${projectId}/focus-groups`, {
      name: groupName,
      participantIds: personas.map((persona) => persona.id),
      guide: [{ question: "What would make you try an oat drink?" }],
      settings: { discussionRounds: 0, moderatorFollowUps: false },
    });
    groupId = group.id;
    await waitForJob(api, (await call<{ jobId: string }>(api, "POST", `/focus-groups/${groupId}/run`)).jobId);
    await waitForJob(api, (await call<{ jobId: string }>(api, "POST", `/focus-groups/${groupId}/analysis`)).jobId);

    const survey = await call<{ id: string }>(api, "POST", `/projects/${projectId}/surveys`, {
      name: surveyName,
      questions: SURVEY_QUESTIONS,
    });
    surveyId = survey.id;
    await waitForJob(api, (await call<{ jobId: string }>(api, "POST", `/surveys/${surveyId}/run`)).jobId);
  });

  test.afterAll(async () => {
    if (projectId) await call(api, "DELETE", `/projects/${projectId}`);
    await api.dispose();
  });

  test("a focus group as a PDF report, downloaded from its page", async ({ app }) => {
    // Before anything is exported, the Exports page says how to make one.
    await app.goto("/#/exports");
    await expect(app.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
    await app.getByLabel("Project", { exact: true }).selectOption({ label: projectName });
    await expect(app.getByText("No exports from this project yet")).toBeVisible();

    await app.goto(`/#/focus-groups/${groupId}`);
    await app.getByRole("button", { name: "Export", exact: true }).click();
    const dialog = app.getByRole("dialog", { name: `Export focus group “${groupName}”` });
    await expect(dialog.getByRole("radio", { name: "PDF report" })).toBeChecked();
    await expect(dialog.getByRole("radio")).toHaveCount(3);
    await expect(dialog.getByLabel("Report language")).toHaveValue("en");
    await expect(dialog.getByRole("checkbox", { name: "Include the full transcript" })).toBeChecked();
    await dialog.getByRole("button", { name: "Export", exact: true }).click();

    await expect(dialog.getByTestId("export-ready")).toBeVisible({ timeout: 30_000 });
    await expect(dialog.getByTestId("export-cached")).toBeHidden();
    const pdf = await download(dialog.getByRole("link", { name: "Download" }));
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = await bytesOf(pdf);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", await pdf.path(), "-"], { encoding: "utf8" }).replace(
      /\s+/g,
      " ",
    );
    expect(text).toContain(groupName);
    expect(text).toContain(personas[0]!.name);
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
  });

  test("a survey as CSV, long with a BOM and wide", async ({ app }) => {
    await app.goto(`/#/surveys/${surveyId}`);
    const exportAs = async (layout: "Long" | "Wide", bom: boolean) => {
      await app.getByRole("button", { name: "Export", exact: true }).click();
      const dialog = app.getByRole("dialog", { name: `Export survey “${surveyName}”` });
      await dialog.getByRole("radio", { name: "CSV table" }).check();
      await dialog.getByRole("radio", { name: layout, exact: true }).check();
      if (bom) await dialog.getByRole("checkbox", { name: "Excel-friendly (BOM)" }).check();
      await dialog.getByRole("button", { name: "Export", exact: true }).click();
      await expect(dialog.getByTestId("export-ready")).toBeVisible({ timeout: 30_000 });
      const file = await download(dialog.getByRole("link", { name: "Download" }));
      await dialog.getByRole("button", { name: "Close" }).click();
      expect(file.suggestedFilename()).toMatch(/\.csv$/);
      return bytesOf(file);
    };

    // Long: one row per persona and question, the BOM first so Excel reads UTF-8.
    const long = await exportAs("Long", true);
    expect([...long.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(long);
    expect(header!.slice(0, 5)).toEqual(["synthetic", "partial", "study_status", "survey_id", "survey_name"]);
    expect(header).toEqual(expect.arrayContaining(["persona_name", "question_text", "answer"]));
    expect(rows).toHaveLength(personas.length * SURVEY_QUESTIONS.length);
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(["true"]));
    const names = rows.map((row) => row[header!.indexOf("persona_name")]);
    expect(new Set(names)).toEqual(new Set(personas.map((persona) => persona.name)));

    // Wide: one row per persona, one column per question.
    const wide = await exportAs("Wide", false);
    expect(wide[0]).not.toBe(0xef);
    const [wideHeader, ...wideRows] = parseCsv(wide);
    expect(wideRows).toHaveLength(personas.length);
    for (const question of SURVEY_QUESTIONS) expect(wideHeader).toContain(`${question.id}: ${question.text}`);
  });

  test("the project as JSON, then an identical export comes from the cache", async ({ app }) => {
    await app.goto(`/#/projects/${projectId}`);
    const exportJson = async () => {
      await app.getByRole("button", { name: "Export", exact: true }).click();
      const dialog = app.getByRole("dialog", { name: `Export project “${projectName}”` });
      // A whole project does not fit one CSV table: PDF and JSON only.
      await expect(dialog.getByRole("radio")).toHaveCount(2);
      await dialog.getByRole("radio", { name: "JSON data" }).check();
      await dialog.getByRole("button", { name: "Export", exact: true }).click();
      await expect(dialog.getByTestId("export-ready")).toBeVisible({ timeout: 30_000 });
      return dialog;
    };

    const first = await exportJson();
    await expect(first.getByTestId("export-cached")).toBeHidden();
    const json = JSON.parse((await bytesOf(await download(first.getByRole("link", { name: "Download" })))).toString());
    expect(json.metadata.schemaVersion).toBe(EXPORT_SCHEMA_VERSION);
    expect(json.metadata.syntheticDataLabel).toBe(SYNTHETIC_DATA_LABEL);
    expect(json.project.name).toBe(projectName);
    await first.getByRole("button", { name: "Close" }).click();

    // The same request again: the stored file, said so, and "Export again" builds a new one.
    const second = await exportJson();
    const cached = second.getByTestId("export-cached");
    await expect(cached).toContainText(/^Reused an identical export from \d+ seconds? ago\./);
    await cached.getByRole("button", { name: "Export again" }).click();
    await expect(cached).toBeHidden({ timeout: 30_000 });
    await expect(second.getByTestId("export-ready")).toBeVisible({ timeout: 30_000 });
    await expect(cached).toBeHidden();
    await second.getByRole("button", { name: "Close" }).click();
  });

  test("the Exports page: a share link with its expiry that a teammate can fetch, and delete", async ({ app }) => {
    await app.goto(`/#/projects/${projectId}`);
    await app.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exports" }).click();
    await expect(app.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
    await app.getByLabel("Project", { exact: true }).selectOption({ label: projectName });
    // PDF, CSV long, CSV wide, JSON, JSON exported again (the cached one is the first JSON).
    await expect(app.getByTestId("exports-count")).toHaveText("Showing 5 of 5");
    const rows = app.getByTestId("export-row");
    const pdfRow = rows.filter({ has: app.getByTestId("format-badge").getByText("PDF", { exact: true }) });
    await expect(pdfRow).toHaveCount(1);
    await expect(pdfRow).toContainText(projectName);
    await expect(pdfRow.getByTestId("export-size")).toHaveText(/^\d+(\.\d)? (byte|kB|MB)$/);

    // A signed link, 24 hours unless asked otherwise, shown with when it expires.
    await pdfRow.getByRole("button", { name: "Share link" }).click();
    const share = app.getByRole("dialog", { name: "Share link" });
    await expect(share.getByRole("radio", { name: "24 hours" })).toBeChecked();
    await share.getByRole("button", { name: "Create link" }).click();
    const url = await share.getByTestId("share-url").inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/shared\/exports\/[^/?]+\?/);
    await expect(share.getByTestId("share-expiry")).toHaveText(/^Expires in (23|24) hours · .+\d/);
    const expiresAt = Date.parse((await share.getByTestId("share-expiry").locator("time").getAttribute("datetime"))!);
    expect(Math.abs(expiresAt - Date.now() - 24 * 3_600_000)).toBeLessThan(120_000);
    await expect(share).toContainText("can download the file until it expires, without signing in");
    await share.getByRole("button", { name: "Close" }).click();

    // Fetched without any session, it is the same file the Download link gives.
    const teammate = await playwrightRequest.newContext();
    const shared = await teammate.get(url);
    expect(shared.status()).toBe(200);
    const mine = await bytesOf(await download(pdfRow.getByRole("link", { name: "Download" })));
    expect(Buffer.compare(await shared.body(), mine)).toBe(0);

    // A leaked link: revoking every link stops it at once.
    const links = app.getByTestId("share-links");
    await links.getByRole("button", { name: "Revoke all share links" }).click();
    const revoke = app.getByRole("alertdialog", { name: "Revoke every share link?" });
    await revoke.getByRole("button", { name: "Revoke all share links" }).click();
    await expect(revoke).toBeHidden();
    expect((await teammate.get(url)).status()).toBe(403);
    await teammate.dispose();

    // Delete asks first, then the row goes.
    const csvRows = rows.filter({ has: app.getByTestId("format-badge").getByText("CSV", { exact: true }) });
    await expect(csvRows).toHaveCount(2);
    await csvRows.first().getByRole("button", { name: "Delete" }).click();
    const confirm = app.getByRole("alertdialog");
    await expect(confirm).toContainText("Copies you have already saved or downloaded are not touched.");
    await confirm.getByRole("button", { name: "Delete export" }).click();
    await expect(confirm).toBeHidden();
    await expect(csvRows).toHaveCount(1);
    await expect(app.getByTestId("exports-count")).toHaveText("Showing 4 of 4");
  });
});
