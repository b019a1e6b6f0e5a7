#!/usr/bin/env node
// `npm run web`: the headless host (plain Node) serving the built renderer to a browser.
// Builds the app first when out/renderer is missing or --build is given.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const build = args.includes("--build");
const hostArgs = args.filter((arg) => arg !== "--build");
if (build || !fs.existsSync(path.join(root, "out", "renderer", "index.html"))) {
  console.log("Building the app (electron-vite build)…");
  const result = spawnSync("npx", ["electron-vite", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/main/headless/cli.ts"), ...hostArgs], {
  cwd: root,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
