// vitest globalSetup: a real PostgreSQL server for the Cloud's tests (scripts/test-postgres.mjs),
// unless SIGHT_TEST_DATABASE_URL names one, and a real Redis server for the live relay's tests
// (scripts/test-redis.mjs), unless SIGHT_TEST_REDIS_URL names one. When either is not installed
// the other tests still run and the tests that need it fail with the reason (never skipped: CI
// installs both).
// @ts-expect-error a plain .mjs script shared with .ci/run
import { startTestPostgres, stopTestPostgres } from "../../scripts/test-postgres.mjs";
// @ts-expect-error a plain .mjs script shared with .ci/run
import { startTestRedis, stopTestRedis } from "../../scripts/test-redis.mjs";

export default function setup() {
  const teardown: Array<() => void> = [];
  if (!process.env.SIGHT_TEST_DATABASE_URL) {
    try {
      const { url, started } = startTestPostgres() as { url: string; started: boolean };
      process.env.SIGHT_TEST_DATABASE_URL = url;
      if (started) teardown.push(() => stopTestPostgres());
    } catch (error) {
      process.env.SIGHT_TEST_DATABASE_ERROR = error instanceof Error ? error.message : String(error);
    }
  }
  if (!process.env.SIGHT_TEST_REDIS_URL) {
    try {
      const { url, started } = startTestRedis() as { url: string; started: boolean };
      process.env.SIGHT_TEST_REDIS_URL = url;
      if (started) teardown.push(() => stopTestRedis());
    } catch (error) {
      process.env.SIGHT_TEST_REDIS_ERROR = error instanceof Error ? error.message : String(error);
    }
  }
  if (!teardown.length) return undefined;
  return () => {
    const errors: unknown[] = [];
    for (const stop of teardown) {
      try {
        stop();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length) throw errors[0];
  };
}
