#!/usr/bin/env node
// `npm run web`: the headless host (plain Node) serving the built renderer to a browser.
// Builds the app first when out/renderer is missing or --build is given. --fakes starts the
// loopback Gemini/OpenAI-compatible fakes beside it and points the host at them, so every AI
// feature works without a key; they stop with the host.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseShellExports } from "./shell-exports.mjs";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const OWN_FLAGS = new Set(["--build", "--fakes"]);
const build = args.includes("--build");
const withFakes = args.includes("--fakes");
const help = args.includes("--help") || args.includes("-h");
const hostArgs = args.filter((arg) => !OWN_FLAGS.has(arg));
const tsx = ["--import", "tsx"];

/** Children to stop when the host stops (or this script is told to). */
const children = [];
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

// --help needs no renderer: answer at once instead of building first.
if (!help && (build || !fs.existsSync(path.join(root, "out", "renderer", "index.html")))) {
  console.log("Building the app (electron-vite build)…");
  const result = spawnSync("npx", ["electron-vite", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const env = { ...process.env, ...(withFakes && !help ? await startFakes() : {}) };
const host = spawn(process.execPath, [...tsx, path.join(root, "src/main/headless/cli.ts"), ...hostArgs], {
  cwd: root,
  env,
  stdio: "inherit",
});
children.push(host);
host.on("exit", (code) => {
  for (const child of children) if (child !== host) child.kill("SIGTERM");
  process.exit(code ?? 0);
});

/** Starts fakes/cli.ts on a free port and resolves with the environment it prints. */
function startFakes() {
  return new Promise((resolve, reject) => {
    const fakes = spawn(process.execPath, [...tsx, path.join(root, "fakes", "cli.ts"), "--port", "0"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(fakes);
    let stdout = "";
    let stderr = "";
    fakes.stderr.setEncoding("utf8");
    fakes.stderr.on("data", (chunk) => (stderr += chunk));
    fakes.on("exit", (code) => reject(new Error(`The AI fakes stopped early (exit code ${code}).\n${stderr}`)));
    fakes.stdout.setEncoding("utf8");
    fakes.stdout.on("data", (chunk) => {
      stdout += chunk;
      // SIGHT_LLM_FAKE comes last: once it is here, the fakes listen.
      if (!/^export SIGHT_LLM_FAKE=/m.test(stdout)) return;
      const fakesEnv = parseShellExports(stdout);
      fakes.removeAllListeners("exit");
      fakes.on("exit", (code) => {
        if (code)
          console.error(`The AI fakes stopped (exit code ${code}); AI features will fail until the host restarts.`);
      });
      console.log(`Using the loopback AI fakes at ${fakesEnv.SIGHT_GEMINI_BASE_URL} (no API key needed).`);
      resolve(fakesEnv);
    });
  }).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
