import { test as base, expect, type Page } from "@playwright/test";
import { E2E_TOKEN } from "./host";

/** A page signed in through the printed URL (token → HttpOnly cookie), like a real user. */
export const test = base.extend<{ app: Page }>({
  app: async ({ page }, use) => {
    await page.goto(`/?token=${E2E_TOKEN}`);
    await expect(page).toHaveURL(/\/(#.*)?$/);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await use(page);
  },
});

export { expect };

/** Unique names per test so tests never see each other's projects in the shared host. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

export async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${E2E_TOKEN}`, "Content-Type": "application/json" },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok()) throw new Error(`${method} ${path} → ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}
