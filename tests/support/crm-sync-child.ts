/**
 * Child process for the CRM crash test: opens the app on a data folder already connected to the
 * HubSpot fake, starts a personas sync, prints its job id and waits to be killed with SIGKILL.
 */
import path from "node:path";
import { createServices } from "../../src/main/services/create-services";
import { hubspotTokenEndpoint } from "../../src/main/services/crm/hubspot-oauth";
import { silentLogger } from "../../src/main/services/logger";
import { createFileSecretStore } from "../../src/main/services/secrets/file-secret-store";
import { createMemoryPreferencesStore } from "../../src/main/services/settings/preferences-store";

const [dataDir, migrationsDir, hubspotUrl, clientId, clientSecret, projectId] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const services = await createServices({
  dataDir,
  migrationsDir,
  host: "headless",
  version: "test",
  logger: silentLogger,
  preferences: createMemoryPreferencesStore(),
  secrets: createFileSecretStore(path.join(dataDir, "secrets")),
  databaseThread: "main",
  llmThread: "main",
  crm: {
    apps: {
      hubspot: {
        clientId,
        authorizeUrl: `${hubspotUrl}/oauth/authorize`,
        apiBaseUrl: hubspotUrl,
        tokenEndpoint: hubspotTokenEndpoint({ apiBaseUrl: hubspotUrl, clientId, clientSecret }),
      },
      salesforce: null,
    },
  },
});
const { jobId } = await services.crm.startSync({
  kind: "personas",
  provider: "hubspot",
  projectId,
  sendUnchanged: false,
});
process.stdout.write(`${jobId}\n`);
setInterval(() => undefined, 1000);
