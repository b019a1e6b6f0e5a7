import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    // A real PostgreSQL server for the Cloud's tests (started here, stopped after the run).
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Two cores: run files in parallel on both, never more.
    maxWorkers: 2,
  },
});
