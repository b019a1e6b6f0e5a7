import {
  test as base,
  expect,
  request as playwrightRequest,
  type APIRequestContext,
  type Page,
} from "@playwright/test";
import { E2E_FAKES_URL, E2E_STUDIES_BASE_URL, E2E_TOKEN } from "./host";

/**
 * Like fixtures.ts, but against the studies host (its own data folder, so its personas do not
 * count against the shared host's Free plan): a page signed in through the printed URL.
 */
export const test = base.extend<{ app: Page }>({
  app: async ({ page }, use) => {
    await page.goto(`${E2E_STUDIES_BASE_URL}/?token=${E2E_TOKEN}`);
    await expect(page).toHaveURL(/\/(#.*)?$/);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await use(page);
  },
});

export { expect };

/** The studies host's REST API with the bearer token, for setup that is not under test. */
export function studiesApi(): Promise<APIRequestContext> {
  return hostApi(E2E_STUDIES_BASE_URL);
}

/** A host's REST API (`<base>/api/v1/`) with the e2e bearer token. */
export function hostApi(baseUrl: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({
    baseURL: `${baseUrl}/api/v1/`,
    extraHTTPHeaders: { Authorization: `Bearer ${E2E_TOKEN}` },
  });
}

export async function call<T>(api: APIRequestContext, method: string, path: string, body?: unknown): Promise<T> {
  const response = await api.fetch(path.replace(/^\//, ""), {
    method,
    // No body, no Content-Type: the host refuses an empty JSON body.
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok()) throw new Error(`${method} ${path} → ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Generates personas for a project through the API and waits for the run to succeed. */
export async function generatePersonas(api: APIRequestContext, projectId: string, count: number): Promise<void> {
  const { jobId } = await call<{ jobId: string }>(api, "POST", `/projects/${projectId}/personas/generate`, { count });
  await waitForJob(api, jobId);
}

/** Waits for a job (generation, discussion, analysis, survey run) to succeed. */
export async function waitForJob(api: APIRequestContext, jobId: string): Promise<void> {
  await expect
    .poll(async () => (await call<{ status: string }>(api, "GET", `/jobs/${jobId}`)).status, {
      timeout: 45_000,
      intervals: [250, 500, 1000],
    })
    .toBe("succeeded");
}

/** POST /__control or /__reset to the loopback LLM fakes (shared by both hosts). */
export async function controlFakes(api: APIRequestContext, path: "/__control" | "/__reset", body?: unknown) {
  const response = await api.post(`${E2E_FAKES_URL}${path}`, body === undefined ? {} : { data: body });
  expect(response.ok(), `POST ${path} → ${response.status()}`).toBe(true);
}
