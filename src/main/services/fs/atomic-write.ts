import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Writes to a temporary file beside the target, fsyncs it, then renames over the target. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString("hex")}.tmp`);
  const fd = fs.openSync(temp, "w", mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
