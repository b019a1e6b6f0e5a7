// vitest globalSetup: a real PostgreSQL server for the Cloud's tests (scripts/test-postgres.mjs),
// unless SIGHT_TEST_DATABASE_URL names one. When PostgreSQL is not installed the other tests still
// run and the Cloud's tests fail with the reason (never skipped: CI installs it).
// @ts-expect-error a plain .mjs script shared with .ci/run
import { startTestPostgres, stopTestPostgres } from "../../scripts/test-postgres.mjs";

export default function setup() {
  if (process.env.SIGHT_TEST_DATABASE_URL) return undefined;
  try {
    const { url, started } = startTestPostgres() as { url: string; started: boolean };
    process.env.SIGHT_TEST_DATABASE_URL = url;
    return started ? () => stopTestPostgres() : undefined;
  } catch (error) {
    process.env.SIGHT_TEST_DATABASE_ERROR = error instanceof Error ? error.message : String(error);
    return undefined;
  }
}
