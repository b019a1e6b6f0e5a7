#!/usr/bin/env node
// `npm run -s fakes`: the loopback Gemini and OpenAI-compatible fakes (fakes/cli.ts through tsx).
// stdout: only `export KEY='value'` lines (GEMINI_API_KEY, SIGHT_GEMINI_BASE_URL, ...); logs go
// to stderr. `--detach` starts them in the background and exits once they listen, for
// `eval "$(npm run -s fakes -- --detach)" && npm run web` (`-s`: plain `npm run` adds its own
// banner to stdout, which the shell would try to run).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const detach = args.includes("--detach");
const cliArgs = ["--import", "tsx", path.join(root, "fakes", "cli.ts"), ...args.filter((arg) => arg !== "--detach")];

if (!detach) {
  const child = spawn(process.execPath, cliArgs, { cwd: root, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
} else {
  const logFile = path.join(os.tmpdir(), `sight-fakes-${Date.now()}.log`);
  const logFd = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, cliArgs, { cwd: root, detached: true, stdio: ["ignore", "pipe", logFd] });
  let buffered = "";
  const fail = (message) => {
    process.stderr.write(`fakes: ${message} (log: ${logFile})\n`);
    process.exit(1);
  };
  child.on("exit", (code) => fail(`exited early with code ${code}`));
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    buffered += chunk;
    // The CLI prints SIGHT_LLM_FAKE last: once it is here, the fakes are listening.
    if (!/^export SIGHT_LLM_FAKE=.*$/m.test(buffered)) return;
    process.stdout.write(buffered);
    process.stderr.write(
      `fakes: running in the background as pid ${child.pid}; stop with: kill ${child.pid} (log: ${logFile})\n`,
    );
    child.removeAllListeners("exit");
    child.stdout.destroy();
    child.unref();
    process.exit(0);
  });
}
