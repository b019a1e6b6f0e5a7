import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ANALYSIS_PROMPT_VERSION } from "../../src/main/services/focus-groups/analysis-job";
import { DISCUSSION_PROMPT_VERSION } from "../../src/main/services/focus-groups/prompts";
import { PERSONA_PROMPT_VERSION } from "../../src/main/services/personas/prompt";
import { SURVEY_PROMPT_VERSION } from "../../src/main/services/surveys/prompt";

const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * Every run records the version of the prompt templates it sent, so a study's methodology can say
 * which wording produced it. A version is only honest if it changes with the wording: this pins,
 * per version, a digest of the text literals of the modules that hold those templates (comments,
 * formatting and code around them do not count). Changing a prompt's words without bumping its
 * version fails here; bump the version, then pin the new digest.
 */
const PINNED: { version: string; files: string[]; digest: string }[] = [
  {
    version: PERSONA_PROMPT_VERSION,
    files: ["src/main/services/personas/prompt.ts"],
    digest: "7e8fd21202e482f7",
  },
  {
    version: DISCUSSION_PROMPT_VERSION,
    files: ["src/main/services/focus-groups/prompts.ts"],
    digest: "31709fbd393f8b93",
  },
  {
    version: ANALYSIS_PROMPT_VERSION,
    files: ["src/main/services/focus-groups/analysis-job.ts"],
    digest: "70a457a80626a3e4",
  },
  {
    version: SURVEY_PROMPT_VERSION,
    files: ["src/main/services/surveys/prompt.ts", "src/main/services/surveys/open-themes.ts"],
    digest: "e52c1dbc8b521b8a",
  },
];

/** The texts of a module's string and template literals, in order, import paths left out. */
function literalTexts(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      texts.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

function digestOf(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) for (const text of literalTexts(file)) hash.update(`${text}\u0000`);
  return hash.digest("hex").slice(0, 16);
}

describe("prompt template versions", () => {
  it.each(PINNED)("$version matches the wording of its templates", ({ version, files, digest }) => {
    expect(
      digestOf(files),
      `The text in ${files.join(", ")} changed. If the prompts sent changed, bump the version (now ${version}); then pin the new digest in this test.`,
    ).toBe(digest);
  });

  it("the digest changes with a prompt's words and not with formatting", () => {
    const file = path.join(root, ".tmp", "prompt-version-probe.ts");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const rel = path.relative(root, file);
    try {
      fs.writeFileSync(file, 'import x from "./a";\nexport const p = (n: string) => `Hello ${n}, answer briefly.`;\n');
      const first = digestOf([rel]);
      fs.writeFileSync(
        file,
        'import x from "./b";\n// a comment\nexport const p = (name: string) =>\n  `Hello ${name}, answer briefly.`;\n',
      );
      expect(digestOf([rel])).toBe(first);
      fs.writeFileSync(file, "export const p = (n: string) => `Hello ${n}, answer at length.`;\n");
      expect(digestOf([rel])).not.toBe(first);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("every version names its family and a number", () => {
    for (const { version } of PINNED) expect(version).toMatch(/^[a-z-]+\/\d+$/);
    expect(new Set(PINNED.map((p) => p.version)).size).toBe(PINNED.length);
  });
});
