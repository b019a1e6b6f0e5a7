import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatUnitDigest } from "../../scripts/unit-digest.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");

describe("npm test's digest of a red unit step", () => {
  it("names the uncaught error with its code and file, and the failed test, in its last lines", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sight-digest-")), "errors.json");
    const run = spawnSync(
      "npx",
      [
        "vitest",
        "run",
        "--config",
        "tests/fixtures/error-digest/vitest.config.ts",
        "--reporter=./tests/support/error-digest-reporter.ts",
      ],
      { cwd: root, env: { ...process.env, SIGHT_ERROR_DIGEST_FILE: out }, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.status).toBe(1);
    const digest = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(digest.unhandled).toHaveLength(1);
    expect(digest.unhandled[0]).toMatchObject({
      file: "tests/fixtures/error-digest/broken.spec.ts",
      error: "Error [57P01]: terminating connection",
    });
    expect(digest.failedTests).toEqual([
      {
        file: "tests/fixtures/error-digest/broken.spec.ts",
        test: "fails on purpose",
        error: "expected 'actual' to be 'expected' // Object.is equality",
      },
    ]);
    const text = formatUnitDigest(digest).split("\n");
    expect(text[0]).toBe("What failed in the unit step:");
    expect(text[1]).toBe(
      "  uncaught, while tests/fixtures/error-digest/broken.spec.ts ran: Error [57P01]: terminating connection",
    );
    expect(text.at(-1)).toBe(
      "  tests/fixtures/error-digest/broken.spec.ts > fails on purpose: expected 'actual' to be 'expected' // Object.is equality",
    );
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it("says nothing when nothing failed, and folds a long list of failed tests", () => {
    expect(formatUnitDigest(null)).toBe("");
    expect(formatUnitDigest({ unhandled: [], failedModules: [], failedTests: [] })).toBe("");
    const failedTests = Array.from({ length: 23 }, (_, i) => ({ file: "a.test.ts", test: `t${i}`, error: "no" }));
    const lines = formatUnitDigest({ failedTests }).split("\n");
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines.at(-1)).toBe("  … and 3 more failed tests (see above)");
  });
});
