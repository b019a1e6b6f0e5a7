import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * A sandboxed preload runs without Node's module loader: besides "electron" it can require only
 * a few built-ins, so every other runtime import must be bundled. Dependencies are external in
 * the build (electron-vite), so the preload's runtime import graph may reach no package at all.
 */
function runtimeImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = fs.readFileSync(file, "utf8");
  const specifiers = [...source.matchAll(/^\s*(import|export)\s+(?!type\b)[^;]*?from\s+["']([^"']+)["']/gm)].map(
    (m) => m[2]!,
  );
  const bare: string[] = [];
  for (const spec of specifiers) {
    if (spec.startsWith(".")) {
      const base = path.resolve(path.dirname(file), spec);
      const resolved = [`${base}.ts`, path.join(base, "index.ts"), base].find(
        (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
      );
      if (!resolved) throw new Error(`cannot resolve ${spec} from ${file}`);
      bare.push(...runtimeImports(resolved, seen));
    } else bare.push(spec);
  }
  return bare;
}

describe("preload bundle for a sandboxed renderer", () => {
  it("imports nothing at run time but electron", () => {
    const imports = runtimeImports(path.resolve("src/preload/index.ts"));
    expect([...new Set(imports)]).toEqual(["electron"]);
  });
});
