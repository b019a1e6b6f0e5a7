import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findElectronBinary } from "../../scripts/electron-binary.mjs";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const hasElectron = findElectronBinary({ electronDir: path.join(ROOT, "node_modules", "electron") }) !== null;

describe("npm start without an Electron binary", () => {
  it.skipIf(hasElectron)("says so in one clean line and starts the headless host (no download, no stack trace)", () => {
    // --help: the host answers with its usage and exits, so the test needs no port or build.
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "start.mjs"), "--help"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: "" },
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(
      "No Electron binary on this machine (`npx install-electron` fetches it from GitHub), so Sight starts in your browser through the headless host.",
    );
    expect(lines[1]).toMatch(/^Usage: npm run web -- \[options\]$/);
    expect(run.stderr).toBe("");
    expect(run.stdout + run.stderr).not.toMatch(/Downloading Electron|TypeError|fetch failed|at .+:\d+:\d+/);
  });
});
