import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRouter, type Router } from "../../src/main/api/router";
import { createServices, type ServiceDeps, type Services } from "../../src/main/services/create-services";
import { silentLogger } from "../../src/main/services/logger";
import { createMemorySecretStore } from "../../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../../src/main/services/settings/preferences-store";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");

export function tempDir(prefix = "sight-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestApp {
  services: Services;
  router: Router;
  dataDir: string;
  close(): Promise<void>;
}

/** The app's own arrangement: the database and the provider calls in worker threads. */
export const IN_WORKERS = { databaseThread: "worker", llmThread: "worker" } as const satisfies Partial<ServiceDeps>;

/**
 * Real services on a real SQLite file in a fresh temporary folder. The database and the provider
 * calls run on the test's own thread unless a suite asks for IN_WORKERS: a worker thread costs
 * about a second to start from TypeScript sources, and hundreds of apps are started here. The
 * workers themselves are tested in tests/services/db-worker.test.ts and
 * tests/llm/worker-adapters.test.ts, the job and discussion engines run in them, and every e2e
 * test runs the headless host as shipped (in workers).
 */
export async function startTestApp(overrides: Partial<ServiceDeps> = {}): Promise<TestApp> {
  const dataDir = overrides.dataDir ?? tempDir();
  const services = await createServices({
    dataDir,
    migrationsDir: MIGRATIONS_DIR,
    host: "headless",
    version: "0.0.0-test",
    logger: silentLogger,
    preferences: createMemoryPreferencesStore(),
    secrets: createMemorySecretStore(),
    databaseThread: "main",
    llmThread: "main",
    ...overrides,
  });
  const router = createRouter(services, silentLogger);
  return {
    services,
    router,
    dataDir,
    async close() {
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Unwraps an invoke result, failing the test with the error when there is one. */
export function data<T>(result: { data: T } | { error: { code: string; message: string } }): T {
  if ("error" in result) throw new Error(`expected data, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}
