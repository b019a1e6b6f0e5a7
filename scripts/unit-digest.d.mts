/** Types of unit-digest.mjs (a plain script, imported by scripts/test.mjs). */
export function formatUnitDigest(
  digest: {
    unhandled?: Array<{ file?: string; error: string; frames?: string[] }>;
    failedModules?: Array<{ file: string; error: string }>;
    failedTests?: Array<{ file: string; test: string; error: string }>;
  } | null,
): string;
