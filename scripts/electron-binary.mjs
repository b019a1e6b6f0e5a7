// Where the Electron binary is, found the way node_modules/electron/index.js finds it but
// without its side effect: requiring the `electron` package downloads the binary when it is
// missing (printing "Downloading Electron binary…" and, offline, a `fetch failed` stack).
import fs from "node:fs";
import path from "node:path";

/**
 * @param {{ electronDir: string, env?: Record<string, string | undefined> }} options
 *   electronDir: the installed package (node_modules/electron)
 * @returns {string | null} the executable's path, or null when there is none to run
 */
export function findElectronBinary({ electronDir, env = process.env }) {
  const pathFile = path.join(electronDir, "path.txt");
  // path.txt names the executable inside dist/; it is written once the download succeeded.
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, "utf8").trim() : "";
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? path.join(override, relative || "electron")
    : relative
      ? path.join(electronDir, "dist", relative)
      : null;
  return candidate && fs.existsSync(candidate) ? candidate : null;
}
