// `node --import tsx scripts/export-schema.ts`: writes the committed JSON Schemas (draft 2020-12)
// from their zod schemas: schemas/export.schema.json (the JSON export, src/shared/contract/export-document.ts)
// and schemas/study-bundle.schema.json (the reproducibility bundle, src/shared/contract/reproducibility.ts).
// `--check` only compares and exits 1 when a committed file is out of date.
// tests/exports/json.test.ts and tests/reproducibility/bundle-schema.test.ts fail when a committed file
// differs from the generated schema.
import fs from "node:fs";
import path from "node:path";
import prettier from "prettier";
import { buildExportJsonSchema } from "../src/shared/contract/export-document";
import { buildStudyBundleJsonSchema } from "../src/shared/contract/reproducibility";

const SCHEMAS: [file: string, build: () => Record<string, unknown>][] = [
  ["export.schema.json", buildExportJsonSchema],
  ["study-bundle.schema.json", buildStudyBundleJsonSchema],
];

let stale = false;
for (const [name, build] of SCHEMAS) {
  const file = path.resolve(import.meta.dirname, "..", "schemas", name);
  const shown = path.relative(process.cwd(), file);
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(build()), { ...options, parser: "json" });
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  if (current === text) {
    console.log(`${shown} is up to date`);
  } else if (process.argv.includes("--check")) {
    console.error(`${shown} is out of date: run node --import tsx scripts/export-schema.ts`);
    stale = true;
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${shown}`);
  }
}
if (stale) process.exit(1);
