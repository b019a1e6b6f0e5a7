import { execSync } from "node:child_process";
import fs from "node:fs";
import { defineConfig } from "@playwright/test";
import {
  E2E_BASE_URL,
  E2E_DATA_DIR,
  E2E_FAKES_ENV,
  E2E_FAKES_PORT,
  E2E_FAKES_URL,
  E2E_PORT,
  E2E_STUDIES_BASE_URL,
  E2E_STUDIES_DATA_DIR,
  E2E_STUDIES_PORT,
  E2E_TOKEN,
} from "./e2e/support/host";

/** Debian's chromium (Playwright cannot download its own browsers here). */
function chromiumPath(): string | undefined {
  if (process.env.SIGHT_CHROMIUM) return process.env.SIGHT_CHROMIUM;
  try {
    return (
      execSync("command -v chromium || command -v chromium-browser", { encoding: "utf8", shell: "/bin/sh" }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

// Workers load this file again while the hosts are running: only the runner itself (no
// TEST_WORKER_INDEX) starts from empty data folders, or the hosts would lose their databases mid-run.
if (process.env.TEST_WORKER_INDEX === undefined) {
  fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
  fs.rmSync(E2E_STUDIES_DATA_DIR, { recursive: true, force: true });
}

const chromiumLaunch = {
  executablePath: chromiumPath(),
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: { baseURL: E2E_BASE_URL, trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    {
      name: "web",
      testDir: "e2e/web",
      use: { browserName: "chromium", launchOptions: chromiumLaunch },
    },
    {
      // Focus groups and surveys, against their own host (see E2E_STUDIES_PORT).
      name: "web-studies",
      testDir: "e2e/studies",
      use: { browserName: "chromium", launchOptions: chromiumLaunch, baseURL: E2E_STUDIES_BASE_URL },
    },
    { name: "electron", testDir: "e2e/electron" },
  ],
  webServer: [
    {
      // The loopback Gemini/OpenAI-compatible fakes: no test needs the internet or a real key.
      command: `node --import tsx fakes/cli.ts --port ${E2E_FAKES_PORT}`,
      url: `${E2E_FAKES_URL}/__control`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `node --import tsx src/main/headless/cli.ts --port ${E2E_PORT} --data-dir ${E2E_DATA_DIR} --token ${E2E_TOKEN}`,
      url: `${E2E_BASE_URL}/api/v1/openapi.json`,
      env: { ...E2E_FAKES_ENV },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `node --import tsx src/main/headless/cli.ts --port ${E2E_STUDIES_PORT} --data-dir ${E2E_STUDIES_DATA_DIR} --token ${E2E_TOKEN}`,
      url: `${E2E_STUDIES_BASE_URL}/api/v1/openapi.json`,
      env: { ...E2E_FAKES_ENV },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
