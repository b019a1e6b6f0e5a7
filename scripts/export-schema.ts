// `node --import tsx scripts/export-schema.ts`: writes schemas/export.schema.json, the JSON Schema
// (draft 2020-12) of the JSON export, from the zod schema in src/shared/contract/export-document.ts.
// `--check` only compares and exits 1 when the committed file is out of date.
// tests/exports/json.test.ts fails when the committed file differs from the generated schema.
import fs from "node:fs";
import path from "node:path";
import prettier from "prettier";
import { buildExportJsonSchema } from "../src/shared/contract/export-document";

const EXPORT_SCHEMA_FILE = path.resolve(import.meta.dirname, "..", "schemas", "export.schema.json");

const options = (await prettier.resolveConfig(EXPORT_SCHEMA_FILE)) ?? {};
const text = await prettier.format(JSON.stringify(buildExportJsonSchema()), { ...options, parser: "json" });
const current = fs.existsSync(EXPORT_SCHEMA_FILE) ? fs.readFileSync(EXPORT_SCHEMA_FILE, "utf8") : null;
if (process.argv.includes("--check")) {
  if (current !== text) {
    console.error(
      `${path.relative(process.cwd(), EXPORT_SCHEMA_FILE)} is out of date: run node --import tsx scripts/export-schema.ts`,
    );
    process.exit(1);
  }
  console.log("schemas/export.schema.json is up to date");
} else if (current === text) {
  console.log("schemas/export.schema.json is up to date");
} else {
  fs.mkdirSync(path.dirname(EXPORT_SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(EXPORT_SCHEMA_FILE, text);
  console.log(`wrote ${path.relative(process.cwd(), EXPORT_SCHEMA_FILE)}`);
}
