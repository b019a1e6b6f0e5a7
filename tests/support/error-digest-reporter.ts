import fs from "node:fs";
import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Writes what made the unit step red, in a few lines each, to test-results/vitest-errors.json:
 * errors no test caught (an unhandled rejection, an 'error' event nobody listened for) and the
 * failed tests. `npm test` (scripts/test.mjs) prints it after the summary, so the last lines of a
 * CI log name the cause, not only that there was one.
 */
export default class ErrorDigestReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const root = process.cwd();
    const digest = (error: unknown) => {
      const e = (error ?? {}) as { name?: string; message?: string; stack?: string; code?: unknown } & Record<
        string,
        unknown
      >;
      const file = typeof e.VITEST_TEST_PATH === "string" ? path.relative(root, e.VITEST_TEST_PATH) : undefined;
      const frames = (e.stack ?? "")
        .split("\n")
        .filter((line) => /^\s+at /.test(line))
        .slice(0, 6)
        .map((line) => line.trim());
      const code = typeof e.code === "string" || typeof e.code === "number" ? ` [${e.code}]` : "";
      return { file, error: `${e.name ?? "Error"}${code}: ${(e.message ?? String(error)).slice(0, 400)}`, frames };
    };
    const failedTests = testModules.flatMap((module) =>
      [...module.children.allTests("failed")].map((test) => ({
        file: path.relative(root, module.moduleId),
        test: test.fullName,
        error: (test.result().errors ?? []).map((error) => (error.message ?? "").split("\n")[0]).join(" | "),
      })),
    );
    const failedModules = testModules
      .filter((module) => module.state() === "failed" && module.errors().length > 0)
      .map((module) => ({ ...digest(module.errors()[0]), file: path.relative(root, module.moduleId) }));
    const out = process.env.SIGHT_ERROR_DIGEST_FILE ?? path.join(root, "test-results", "vitest-errors.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      JSON.stringify({ unhandled: unhandledErrors.map(digest), failedModules, failedTests }, null, 2),
    );
  }
}
