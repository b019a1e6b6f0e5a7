#!/usr/bin/env node
// `npm test`: type check, lint, unit/integration tests (vitest), build, security scan of the
// shell, then end-to-end tests in Chromium against the headless host. Prints one closing line
// "N passed, N failed, N skipped" summed over vitest and Playwright. A failing step that reports
// no failed test (type errors, lint, build, a test file that cannot load, a crash) counts as one
// failure, so a red run never ends with "0 failed".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { formatUnitDigest } from "./unit-digest.mjs";

const root = path.resolve(import.meta.dirname, "..");
const reports = path.join(root, "test-results");
fs.mkdirSync(reports, { recursive: true });
// A report left by an earlier run must not be counted as this run's.
for (const file of ["vitest.json", "vitest-errors.json", "playwright.json"])
  fs.rmSync(path.join(reports, file), { force: true });
const only = process.argv.slice(2);
const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: "1" };

const steps = [
  ["typecheck", "npm", ["run", "-s", "typecheck"]],
  ["lint", "npm", ["run", "-s", "lint"]],
  [
    "unit",
    "npx",
    [
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${path.join(reports, "vitest.json")}`,
      // test-results/vitest-errors.json: what went wrong, printed again at the end (see below).
      "--reporter=./tests/support/error-digest-reporter.ts",
    ],
  ],
  ["build", "npx", ["electron-vite", "build"]],
  ["security", "node", ["scripts/electronegativity.mjs"]],
  ["e2e", "npx", ["playwright", "test"]],
];

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedStep = null;
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  const started = Date.now();
  console.log(`\n▶ ${name}: ${cmd} ${args.join(" ")}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  console.log(`■ ${name} ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const failedBefore = totals.failed;
  if (name === "unit") count(readJson("vitest.json"), "vitest");
  if (name === "e2e") count(readJson("playwright.json"), "playwright");
  if (result.status !== 0) {
    if (totals.failed === failedBefore) totals.failed += 1;
    failedStep = name;
    break;
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(reports, file), "utf8"));
  } catch {
    return null;
  }
}

function count(report, kind) {
  if (!report) return;
  if (kind === "vitest") {
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += (report.numFailedTests ?? 0) + failedSuitesWithoutFailedTests(report);
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  } else {
    const s = report.stats ?? {};
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    totals.failed += s.unexpected ?? 0;
    totals.skipped += s.skipped ?? 0;
  }
}

/**
 * Test files that failed on their own (an import error, a throw at the top level, a failing
 * hook): vitest counts them in numFailedTestSuites but not in numFailedTests. Files that failed
 * because a test failed are already counted through that test.
 */
function failedSuitesWithoutFailedTests(report) {
  if (!Array.isArray(report.testResults))
    return (report.numFailedTests ?? 0) > 0 ? 0 : (report.numFailedTestSuites ?? 0);
  return report.testResults.filter(
    (suite) => suite.status === "failed" && !(suite.assertionResults ?? []).some((test) => test.status === "failed"),
  ).length;
}

// A CI log is often read from its end: repeat the unit step's uncaught errors and failed tests.
function printUnitDigest() {
  const text = formatUnitDigest(readJson("vitest-errors.json"));
  if (text) console.log(`\n${text}`);
}

if (failedStep === "unit") printUnitDigest();
if (failedStep) console.log(`\nnpm test stopped at the ${failedStep} step.`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStep || totals.failed > 0 ? 1 : 0);
