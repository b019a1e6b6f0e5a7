import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readmeCommands, README_COMMANDS } from "../../e2e/support/readme-commands";

/** The README is the front door: its links lead somewhere and every command in it is run by a test. */

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const DOCS = ["README.md", "docs/ARCHITECTURE.md"];

/** Markdown links and images whose target is a path (not a URL or an in-page anchor). */
function localLinks(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"));
}

describe("the README", () => {
  for (const doc of DOCS) {
    it(`${doc}: every link and image points at a file in the repository`, () => {
      const links = localLinks(read(doc));
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        const target = path.resolve(path.dirname(path.join(ROOT, doc)), link.split("#")[0]!);
        expect(target.startsWith(ROOT + path.sep), `${doc} → ${link} leaves the repository`).toBe(true);
        expect(fs.existsSync(target), `${doc} → ${link}`).toBe(true);
      }
    });
  }

  it("has every shell command accounted for: run as written by the README e2e, or said where it runs", () => {
    const commands = readmeCommands(read("README.md"));
    expect(commands).toContain('eval "$(npm run -s fakes -- --detach)" && npm run web');
    for (const command of commands)
      expect(README_COMMANDS, `not checked anywhere: ${command}`).toHaveProperty([command]);
    for (const command of Object.keys(README_COMMANDS)) {
      expect(commands, `listed but no longer in the README: ${command}`).toContain(command);
    }
  });

  it("names tests that exist in e2e/web/readme.spec.ts", () => {
    const spec = read("e2e/web/readme.spec.ts");
    for (const check of Object.values(README_COMMANDS)) {
      if (check.runBy === "e2e/web/readme.spec.ts") expect(spec, check.test).toContain(JSON.stringify(check.test));
    }
  });

  it("names a benchmark that exists: npm run bench personas", () => {
    const benches = fs.readdirSync(path.join(ROOT, "bench")).filter((file) => file.endsWith(".bench.ts"));
    expect(benches.some((file) => file.startsWith("personas"))).toBe(true);
  });

  it("links the architecture kept in the repository, not a folder outside it", () => {
    expect(read("README.md")).toContain("[`docs/ARCHITECTURE.md`](docs/ARCHITECTURE.md)");
    expect(read("README.md")).not.toContain("../shared/docs");
  });
});
