/**
 * Child process for the crash test: starts a slow diagnostics job, logs each unit it executes to
 * a file, and waits to be killed with SIGKILL mid-job.
 */
import fs from "node:fs";
import { createServices } from "../../src/main/services/create-services";
import { silentLogger } from "../../src/main/services/logger";
import { createMemorySecretStore } from "../../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../../src/main/services/settings/preferences-store";

const [dataDir, migrationsDir, logFile] = process.argv.slice(2) as [string, string, string];
const services = await createServices({
  dataDir,
  migrationsDir,
  host: "headless",
  version: "test",
  logger: silentLogger,
  preferences: createMemoryPreferencesStore(),
  secrets: createMemorySecretStore(),
  diagnosticJobs: (unit) => fs.appendFileSync(logFile, `${unit}\n`),
});
const job = await services.jobs.enqueue("diagnostics.count", { units: 20, delayMs: 100 });
process.stdout.write(`${job.id}\n`);
setInterval(() => undefined, 1000);
