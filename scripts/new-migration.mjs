#!/usr/bin/env node
// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that takes the schema of the last migration (schema.snapshot.prisma) to the current
// prisma/schema.prisma, then updates the snapshot. Runs offline (Prisma 6.19 JS engine).
// `npm run cloud:migration -- <name>` does the same for Sight Cloud's prisma/cloud/schema.prisma.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const cloud = args.includes("--cloud");
const name = args.find((arg) => !arg.startsWith("--"));
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error(`Usage: npm run ${cloud ? "cloud:migration" : "db:migration"} -- <snake_case_name>`);
  process.exit(2);
}
const prismaDir = cloud ? path.join(root, "prisma", "cloud") : path.join(root, "prisma");
const migrations = path.join(prismaDir, "migrations");
const snapshot = path.join(migrations, "schema.snapshot.prisma");
const schema = path.join(prismaDir, "schema.prisma");
const from = fs.existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
const sql = execFileSync(
  path.join(root, "node_modules", ".bin", "prisma"),
  ["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
if (!/\b(CREATE|ALTER|DROP|INSERT|PRAGMA)\b/.test(sql)) {
  console.log("schema.prisma matches the last migration; nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(migrations, `${stamp}_${name}`);
fs.mkdirSync(dir);
fs.writeFileSync(path.join(dir, "migration.sql"), sql);
fs.copyFileSync(schema, snapshot);
console.log(`Wrote ${path.relative(root, dir)}/migration.sql`);
