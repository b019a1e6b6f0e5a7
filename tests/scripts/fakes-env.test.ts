import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { exportLines, shellQuote } from "../../fakes/env-lines";
import { parseShellExports } from "../../scripts/shell-exports.mjs";

/** What the fakes print must reach the command after `&&` in the README: exported, and quoted. */

const ENV = {
  GEMINI_API_KEY: "fake-gemini-key",
  SIGHT_GEMINI_BASE_URL: "http://127.0.0.1:41234",
  TRICKY: `it's $HOME and "quotes" and \`ticks\` and a;semicolon`,
  SIGHT_LLM_FAKE: "1",
};

describe("the fakes' environment lines", () => {
  it("are `export KEY='value'` lines, SIGHT_LLM_FAKE last", () => {
    const lines = exportLines(ENV).trimEnd().split("\n");
    expect(lines[0]).toBe("export GEMINI_API_KEY='fake-gemini-key'");
    expect(lines.at(-1)).toBe("export SIGHT_LLM_FAKE='1'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("reach a child process of the shell that evaluates them, unexpanded (sh as the oracle)", () => {
    const script = `eval "$LINES" && node -e 'process.stdout.write(JSON.stringify({ key: process.env.GEMINI_API_KEY, url: process.env.SIGHT_GEMINI_BASE_URL, tricky: process.env.TRICKY, fake: process.env.SIGHT_LLM_FAKE }))'`;
    const out = execFileSync("sh", ["-c", script], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, LINES: exportLines(ENV) },
    });
    expect(JSON.parse(out)).toEqual({
      key: ENV.GEMINI_API_KEY,
      url: ENV.SIGHT_GEMINI_BASE_URL,
      tricky: ENV.TRICKY,
      fake: "1",
    });
  });

  it("are read back by `npm run web -- --fakes` exactly as written, ignoring other lines", () => {
    expect(parseShellExports(`fakes: listening\n${exportLines(ENV)}not an export\n`)).toEqual(ENV);
  });

  it("refuse a key the shell could not export", () => {
    expect(() => exportLines({ "BAD-KEY": "x" })).toThrow(/Not a shell variable name/);
  });
});
