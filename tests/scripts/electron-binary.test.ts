import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findElectronBinary } from "../../scripts/electron-binary.mjs";

/** `npm start` looks for the Electron binary the way the electron package does, without downloading it. */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function electronPackage(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-electron-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe("findElectronBinary", () => {
  it("finds dist/<path.txt> once the download succeeded", () => {
    const dir = electronPackage({ "path.txt": "electron", "dist/electron": "" });
    expect(findElectronBinary({ electronDir: dir, env: {} })).toBe(path.join(dir, "dist", "electron"));
  });

  it("finds nothing when the binary was never downloaded (no path.txt), without trying to", () => {
    const dir = electronPackage({ "index.js": "throw new Error('must not be loaded')" });
    expect(findElectronBinary({ electronDir: dir, env: {} })).toBeNull();
  });

  it("finds nothing when path.txt names a binary that is gone", () => {
    const dir = electronPackage({ "path.txt": "electron" });
    expect(findElectronBinary({ electronDir: dir, env: {} })).toBeNull();
  });

  it("honours ELECTRON_OVERRIDE_DIST_PATH, as the electron package does", () => {
    const dir = electronPackage({});
    const dist = electronPackage({ electron: "" });
    expect(findElectronBinary({ electronDir: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: dist } })).toBe(
      path.join(dist, "electron"),
    );
  });
});
