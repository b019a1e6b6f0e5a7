#!/usr/bin/env node
// A throwaway PostgreSQL server for the Cloud's tests, started on 127.0.0.1 from Debian's
// binaries (`apt-get install postgresql`; .ci/run installs it). Never assumes one is running:
// `start` initialises a cluster in a temporary folder (as the postgres user when run as root,
// since PostgreSQL refuses to run as root), trusts loopback connections only, and prints the
// admin URL; `stop` shuts it down and removes the folder.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const TEST_PG_PORT = Number(process.env.SIGHT_TEST_PG_PORT ?? 55432);
const dataDir = path.join(os.tmpdir(), `sight-test-pg-${TEST_PG_PORT}`);

function binDir() {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  }
  throw new Error(
    "PostgreSQL is not installed: apt-get install -y postgresql (the Cloud's tests run against a real server).",
  );
}

function run(bin, args) {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const result = spawnSync(cmd, argv, { encoding: "utf8", cwd: os.tmpdir() });
  if (result.status !== 0) throw new Error(`${path.basename(bin)} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

export function adminUrl() {
  return `postgresql://postgres@127.0.0.1:${TEST_PG_PORT}/postgres`;
}

export function startTestPostgres() {
  const bin = binDir();
  if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
    // A server from an earlier run that was killed: reuse it if it answers.
    const ready = spawnSync(path.join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(TEST_PG_PORT)]);
    if (ready.status === 0) return { url: adminUrl(), started: false };
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dataDir]);
  run(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  run(path.join(bin, "pg_ctl"), [
    "-D",
    dataDir,
    "-l",
    path.join(dataDir, "server.log"),
    "-w",
    "-o",
    `-c listen_addresses=127.0.0.1 -p ${TEST_PG_PORT} -k ${dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    "start",
  ]);
  return { url: adminUrl(), started: true };
}

export function stopTestPostgres() {
  if (!fs.existsSync(dataDir)) return;
  try {
    run(path.join(binDir(), "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2];
  if (command === "start") console.log(startTestPostgres().url);
  else if (command === "stop") stopTestPostgres();
  else {
    console.error("Usage: node scripts/test-postgres.mjs start|stop");
    process.exit(2);
  }
}
