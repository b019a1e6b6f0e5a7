/** Types of shell-exports.mjs (a plain script, so `npm run web` runs without a build or tsx). */
export function parseShellExports(text: string): Record<string, string>;
