// Reads the `export KEY='value'` lines the loopback fakes print (fakes/env-lines.ts writes them),
// so `npm run web -- --fakes` can start them itself without a shell in between.

const LINE = /^export ([A-Za-z_][A-Za-z0-9_]*)='((?:[^']|'\\'')*)'$/;

/**
 * @param {string} text
 * @returns {Record<string, string>} the variables, in order; lines that are not exports are ignored
 */
export function parseShellExports(text) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const line of text.split(/\r?\n/)) {
    const match = LINE.exec(line.trim());
    if (match) env[match[1]] = match[2].replaceAll(`'\\''`, "'");
  }
  return env;
}
