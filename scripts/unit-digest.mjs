// The unit step's errors in a few lines each, from test-results/vitest-errors.json (written by
// tests/support/error-digest-reporter.ts): `npm test` prints them after vitest's summary, so the
// last lines of a CI log say what broke, not only that something did.

/** @param {{ unhandled?: any[]; failedModules?: any[]; failedTests?: any[] } | null} digest */
export function formatUnitDigest(digest) {
  if (!digest) return "";
  const lines = [];
  for (const e of digest.unhandled ?? []) {
    lines.push(`  uncaught, while ${e.file ?? "no test file"} ran: ${e.error}`);
    for (const frame of e.frames ?? []) lines.push(`      ${frame}`);
  }
  for (const m of digest.failedModules ?? []) lines.push(`  ${m.file} did not run: ${m.error}`);
  const tests = digest.failedTests ?? [];
  for (const t of tests.slice(0, 20)) lines.push(`  ${t.file} > ${t.test}: ${t.error}`);
  if (tests.length > 20) lines.push(`  … and ${tests.length - 20} more failed tests (see above)`);
  return lines.length ? `What failed in the unit step:\n${lines.join("\n")}` : "";
}
