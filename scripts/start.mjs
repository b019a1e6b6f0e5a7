#!/usr/bin/env node
// `npm start`: the desktop app. Where no Electron binary exists, say so in one line (with the way
// to fetch it) and start the same app in the browser through the headless host instead. Electron
// 45 fetches its binary from GitHub only when asked (`npx install-electron`) or when its package
// is loaded, so the binary is looked for without loading the package: offline, loading it prints
// "Downloading Electron binary…" and a `fetch failed` stack before anything useful.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { findElectronBinary } from "./electron-binary.mjs";

const root = path.resolve(import.meta.dirname, "..");
const electronBinary = findElectronBinary({ electronDir: path.join(root, "node_modules", "electron") });

if (!electronBinary) {
  console.log(
    "No Electron binary on this machine (`npx install-electron` fetches it from GitHub), so Sight starts in your browser through the headless host.",
  );
  const child = spawn(process.execPath, [path.join(root, "scripts/web.mjs"), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
} else {
  const built = spawnSync("npx", ["electron-vite", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const child = spawn(electronBinary, [root, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 0));
}
