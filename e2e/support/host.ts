import os from "node:os";
import path from "node:path";

/** The headless host Playwright starts for the web suite: fixed token, throw-away data folder. */
export const E2E_PORT = Number(process.env.SIGHT_E2E_PORT ?? 5183);
export const E2E_TOKEN = "e2e-token-0123456789abcdef";
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_DATA_DIR = path.join(os.tmpdir(), `sight-e2e-${E2E_PORT}`);

/** The loopback LLM fakes the e2e host talks to (npm run fakes on a fixed port). */
export const E2E_FAKES_PORT = E2E_PORT + 1;
export const E2E_FAKES_URL = `http://127.0.0.1:${E2E_FAKES_PORT}`;
export const E2E_FAKES_ENV: Record<string, string> = {
  GEMINI_API_KEY: "fake-gemini-key",
  SIGHT_GEMINI_BASE_URL: E2E_FAKES_URL,
  SIGHT_OPENAI_BASE_URL: `${E2E_FAKES_URL}/v1`,
  SIGHT_OPENAI_API_KEY: "fake-openai-key",
  SIGHT_LLM_FAKE: "1",
};

/**
 * A second headless host for the studies suite (focus groups, surveys), with its own data folder:
 * the personas suite spends the Free plan's personas in the first one.
 */
export const E2E_STUDIES_PORT = E2E_PORT + 2;
export const E2E_STUDIES_BASE_URL = `http://127.0.0.1:${E2E_STUDIES_PORT}`;
export const E2E_STUDIES_DATA_DIR = `${E2E_DATA_DIR}-studies`;

/**
 * Billing end to end: a third headless host signed in to a real Sight Cloud (embedded PGlite),
 * which talks to the loopback Stripe fake; the fake delivers signed webhooks back to the Cloud.
 */
export const E2E_BILLING_PORT = E2E_PORT + 3;
export const E2E_BILLING_BASE_URL = `http://127.0.0.1:${E2E_BILLING_PORT}`;
export const E2E_BILLING_DATA_DIR = `${E2E_DATA_DIR}-billing`;
export const E2E_CLOUD_PORT = E2E_PORT + 4;
export const E2E_CLOUD_URL = `http://127.0.0.1:${E2E_CLOUD_PORT}`;
export const E2E_CLOUD_DATA_DIR = `${E2E_DATA_DIR}-cloud`;
export const E2E_STRIPE_PORT = E2E_PORT + 5;
export const E2E_STRIPE_URL = `http://127.0.0.1:${E2E_STRIPE_PORT}`;
// Loopback-only test values: the Stripe fake accepts exactly these.
export const E2E_STRIPE_KEY = "sk_test_e2eLoopbackFake0001";
export const E2E_WEBHOOK_SECRET = "whsec_e2eLoopbackFake0001";
/** The fake's seeded prices (fakes/stripe/store.ts). */
export const E2E_PRICES = {
  professional: "price_1SightProfessionalMonthly",
  enterprise: "price_1SightEnterpriseMonthly",
};

/**
 * CRM sync end to end: a host of its own (its personas do not count against the studies host's
 * Free plan), the loopback HubSpot and Salesforce fakes, and Sight Cloud's HubSpot broker (the
 * billing suite's Cloud, configured with the HubSpot fake's app and secret).
 */
export const E2E_CRM_PORT = E2E_PORT + 6;
export const E2E_CRM_BASE_URL = `http://127.0.0.1:${E2E_CRM_PORT}`;
export const E2E_CRM_DATA_DIR = `${E2E_DATA_DIR}-crm`;
export const E2E_HUBSPOT_PORT = E2E_PORT + 7;
export const E2E_HUBSPOT_URL = `http://127.0.0.1:${E2E_HUBSPOT_PORT}`;
export const E2E_SALESFORCE_PORT = E2E_PORT + 8;
export const E2E_SALESFORCE_URL = `http://127.0.0.1:${E2E_SALESFORCE_PORT}`;
/** The fakes' default app registration (fakes/crm/cli.ts); only the Cloud knows the secret. */
export const E2E_HUBSPOT_APP = { clientId: "hubspot-fake-client", clientSecret: "hubspot-fake-secret" };
export const E2E_SALESFORCE_CLIENT_ID = "salesforce-fake-consumer-key";
