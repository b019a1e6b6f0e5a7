#!/usr/bin/env node
// `npm start`: the desktop app. Where no Electron binary can be had (it is downloaded from
// GitHub on install), say so in one line and start the same app in the browser instead.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
let electronBinary = null;
try {
  const candidate = createRequire(import.meta.url)("electron");
  if (typeof candidate === "string" && fs.existsSync(candidate)) electronBinary = candidate;
} catch {
  electronBinary = null; // the electron package throws when its binary was never downloaded
}

if (!electronBinary) {
  console.log(
    "No Electron binary on this machine (it could not be downloaded); starting Sight in your browser via the headless host.",
  );
  const child = spawn(process.execPath, [path.join(root, "scripts/web.mjs"), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  child.on("exit", (code) => process.exit(code ?? 0));
} else {
  const built = spawnSync("npx", ["electron-vite", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const child = spawn(electronBinary, [root, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 0));
}
