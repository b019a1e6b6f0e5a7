import { execSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { defineConfig } from "@playwright/test";
import {
  E2E_BILLING_BASE_URL,
  E2E_BILLING_DATA_DIR,
  E2E_BILLING_PORT,
  E2E_CLOUD_DATA_DIR,
  E2E_CLOUD_PORT,
  E2E_CLOUD_URL,
  E2E_PRICES,
  E2E_STRIPE_KEY,
  E2E_STRIPE_PORT,
  E2E_STRIPE_URL,
  E2E_WEBHOOK_SECRET,
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
  E2E_CRM_BASE_URL,
  E2E_CRM_DATA_DIR,
  E2E_CRM_PORT,
  E2E_HUBSPOT_APP,
  E2E_HUBSPOT_PORT,
  E2E_HUBSPOT_URL,
  E2E_SALESFORCE_CLIENT_ID,
  E2E_SALESFORCE_PORT,
  E2E_SALESFORCE_URL,
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
  fs.rmSync(E2E_BILLING_DATA_DIR, { recursive: true, force: true });
  fs.rmSync(E2E_CLOUD_DATA_DIR, { recursive: true, force: true });
  fs.rmSync(E2E_CRM_DATA_DIR, { recursive: true, force: true });
}

// A licence key pair made for this run: the Cloud signs with the private half, the billing host
// trusts only the public half (as a release build trusts the key embedded in it).
const licenceKey = crypto.generateKeyPairSync("ed25519");
const licencePrivateJwk = JSON.stringify({ ...licenceKey.privateKey.export({ format: "jwk" }), kid: "e2e" });
const licencePublicJwk = JSON.stringify({
  ...licenceKey.publicKey.export({ format: "jwk" }),
  kid: "e2e",
  alg: "EdDSA",
});

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
    {
      // Plan & billing against a real Sight Cloud and the Stripe fake, on its own host.
      name: "web-billing",
      testDir: "e2e/billing",
      use: { browserName: "chromium", launchOptions: chromiumLaunch, baseURL: E2E_BILLING_BASE_URL },
    },
    {
      // CRM sync: its own host, the HubSpot and Salesforce fakes, and the Cloud's HubSpot broker.
      name: "web-crm",
      testDir: "e2e/crm",
      use: { browserName: "chromium", launchOptions: chromiumLaunch, baseURL: E2E_CRM_BASE_URL },
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
    {
      command: `node --import tsx fakes/stripe/cli.ts --port ${E2E_STRIPE_PORT} --webhook-url ${E2E_CLOUD_URL}/api/v1/billing/webhook --webhook-secret ${E2E_WEBHOOK_SECRET} --api-key ${E2E_STRIPE_KEY} --retry-delays-ms 200,500,1000,2000`,
      url: `${E2E_STRIPE_URL}/__control/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // No DATABASE_URL: the embedded PGlite database, as `npm run cloud` on a fresh machine.
      command: `node --import tsx src/cloud/cli.ts --port ${E2E_CLOUD_PORT} --data-dir ${E2E_CLOUD_DATA_DIR} --public-url ${E2E_CLOUD_URL}`,
      url: `${E2E_CLOUD_URL}/api/v1/health`,
      env: {
        DATABASE_URL: "",
        STRIPE_SECRET_KEY: E2E_STRIPE_KEY,
        STRIPE_WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
        STRIPE_API_BASE: E2E_STRIPE_URL,
        STRIPE_PRICE_PROFESSIONAL: E2E_PRICES.professional,
        STRIPE_PRICE_ENTERPRISE: E2E_PRICES.enterprise,
        SIGHT_CLOUD_LICENCE_KEY: licencePrivateJwk,
        // The HubSpot fake's app: the client secret lives here only, never in a desktop host.
        HUBSPOT_CLIENT_ID: E2E_HUBSPOT_APP.clientId,
        HUBSPOT_CLIENT_SECRET: E2E_HUBSPOT_APP.clientSecret,
        HUBSPOT_API_BASE: E2E_HUBSPOT_URL,
        HUBSPOT_AUTHORIZE_URL: `${E2E_HUBSPOT_URL}/oauth/authorize`,
        SIGHT_CLOUD_LOG_FILE: `${E2E_CLOUD_DATA_DIR}.log`,
      },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `node --import tsx src/main/headless/cli.ts --port ${E2E_BILLING_PORT} --data-dir ${E2E_BILLING_DATA_DIR} --token ${E2E_TOKEN} --cloud-url ${E2E_CLOUD_URL}`,
      url: `${E2E_BILLING_BASE_URL}/api/v1/openapi.json`,
      env: { ...E2E_FAKES_ENV, SIGHT_LICENCE_PUBLIC_KEY: licencePublicJwk },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `node --import tsx fakes/crm/cli.ts --hubspot-port ${E2E_HUBSPOT_PORT} --salesforce-port ${E2E_SALESFORCE_PORT}`,
      url: `${E2E_HUBSPOT_URL}/__control/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // HubSpot through the Cloud's broker (no client secret here); Salesforce as a public client.
      command: `node --import tsx src/main/headless/cli.ts --port ${E2E_CRM_PORT} --data-dir ${E2E_CRM_DATA_DIR} --token ${E2E_TOKEN}`,
      url: `${E2E_CRM_BASE_URL}/api/v1/openapi.json`,
      env: {
        ...E2E_FAKES_ENV,
        SIGHT_HUBSPOT_BROKER_URL: E2E_CLOUD_URL,
        SIGHT_HUBSPOT_API_URL: E2E_HUBSPOT_URL,
        SIGHT_SALESFORCE_CLIENT_ID: E2E_SALESFORCE_CLIENT_ID,
        SIGHT_SALESFORCE_LOGIN_URL: E2E_SALESFORCE_URL,
      },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
