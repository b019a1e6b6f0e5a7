#!/usr/bin/env node
// A throwaway Redis server for the live-session relay's tests, started on 127.0.0.1 from Debian's
// binary (`apt-get install redis-server`; .ci/run installs it). Never assumes one is running:
// `start` reuses a server already answering on the port (one an earlier, killed run left), or
// starts one daemonized with no persistence in a temporary folder, and prints its URL; `stop`
// shuts it down and removes the folder.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const TEST_REDIS_PORT = Number(process.env.SIGHT_TEST_REDIS_PORT ?? 56379);
const dir = path.join(os.tmpdir(), `sight-test-redis-${TEST_REDIS_PORT}`);
const pidFile = path.join(dir, "redis.pid");

function serverBinary() {
  for (const candidate of ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  const which = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(
    "Redis is not installed: apt-get install -y redis-server (the live relay's tests run against a real server).",
  );
}

// One PING over a raw socket in a child process (spawnSync keeps `start` synchronous, as vitest's
// setup and .ci/run want it; redis-cli may not be installed).
const PING = `
const net = require("node:net");
const socket = net.connect(Number(process.argv[1]), "127.0.0.1");
const timer = setTimeout(() => process.exit(1), 1000);
socket.on("connect", () => socket.write("PING\\r\\n"));
socket.on("data", (data) => { clearTimeout(timer); socket.destroy(); process.exit(String(data).startsWith("+PONG") ? 0 : 1); });
socket.on("error", () => process.exit(1));
`;

function answers() {
  return spawnSync(process.execPath, ["-e", PING, String(TEST_REDIS_PORT)]).status === 0;
}

export function testRedisUrl() {
  return `redis://127.0.0.1:${TEST_REDIS_PORT}`;
}

export function startTestRedis() {
  const bin = serverBinary();
  if (answers()) return { url: testRedisUrl(), started: false };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const result = spawnSync(
    bin,
    [
      "--bind",
      "127.0.0.1",
      "--port",
      String(TEST_REDIS_PORT),
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--daemonize",
      "yes",
      "--pidfile",
      pidFile,
      "--logfile",
      path.join(dir, "redis.log"),
    ],
    { encoding: "utf8", cwd: dir },
  );
  if (result.status !== 0) throw new Error(`redis-server failed: ${result.stderr || result.stdout}`);
  for (let i = 0; i < 100; i += 1) {
    if (answers()) return { url: testRedisUrl(), started: true };
    spawnSync("sleep", ["0.05"]);
  }
  const log = fs.existsSync(path.join(dir, "redis.log")) ? fs.readFileSync(path.join(dir, "redis.log"), "utf8") : "";
  throw new Error(`redis-server did not answer on 127.0.0.1:${TEST_REDIS_PORT}: ${log.slice(-2000)}`);
}

export function stopTestRedis() {
  if (!fs.existsSync(dir)) return;
  try {
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").trim()) : NaN;
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
      for (let i = 0; i < 100 && answers(); i += 1) spawnSync("sleep", ["0.05"]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2];
  if (command === "start") console.log(startTestRedis().url);
  else if (command === "stop") stopTestRedis();
  else {
    console.error("Usage: node scripts/test-redis.mjs start|stop");
    process.exit(2);
  }
}
