import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError, isAppError } from "../../../shared/contract";

/** errno → what the user is told; anything else is a plain write failure. */
const REASONS: Record<string, { reason: string; message: string }> = {
  ENOSPC: { reason: "disk_full", message: "The disk is full" },
  EDQUOT: { reason: "disk_full", message: "The disk quota is exhausted" },
  EACCES: { reason: "permission_denied", message: "Permission denied" },
  EPERM: { reason: "permission_denied", message: "Permission denied" },
  EROFS: { reason: "read_only", message: "The folder is on a read-only disk" },
  ENOENT: { reason: "missing_folder", message: "The folder does not exist" },
  ENOTDIR: { reason: "missing_folder", message: "A part of the path is not a folder" },
  EISDIR: { reason: "is_folder", message: "A folder with that name exists" },
  ENAMETOOLONG: { reason: "name_too_long", message: "The file name is too long" },
  EMFILE: { reason: "too_many_open_files", message: "Too many files are open" },
  EIO: { reason: "io_error", message: "The disk reported an input/output error" },
};

/** Turns a file-system error into WRITE_FAILED with a reason; AppErrors (e.g. CANCELLED) pass through. */
export function writeFailure(error: unknown, target: string): unknown {
  if (isAppError(error)) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) return error;
  const known = REASONS[code] ?? { reason: "io_error", message: `The file could not be written (${code})` };
  return new AppError("WRITE_FAILED", `${known.message}: ${target} was not written. Nothing partial was left.`, {
    reason: known.reason,
    errno: code,
    path: target,
  });
}

export function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(6).toString("hex")}.tmp`);
}

export function isTemporaryName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(name);
}

/** The seams tests use to inject failures at each step. */
export interface AtomicFs {
  fsync(file: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export const realAtomicFs: AtomicFs = {
  async fsync(file) {
    const handle = await fs.promises.open(file, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fs.promises.rename(from, to),
};

/**
 * Runs `write(temp)` against a temporary file beside `target`, fsyncs it and renames it over
 * `target`. On any failure or cancellation the temporary file is removed and `target` is left as
 * it was: either absent or the previous complete file, never half a file.
 */
export async function writeAtomically(
  target: string,
  write: (temp: string) => Promise<void>,
  atomicFs: AtomicFs = realAtomicFs,
  /** Runs after the complete file is durable and before it appears under its name (e.g. record it). */
  beforeRename?: (temp: string) => Promise<void>,
): Promise<void> {
  const temp = temporaryPathFor(target);
  try {
    await write(temp);
    await atomicFs.fsync(temp);
    await beforeRename?.(temp);
    await atomicFs.rename(temp, target);
  } catch (error) {
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw writeFailure(error, target);
  }
}

/** Copies `source` to `target` atomically (the desktop "Save as…"). */
export async function copyAtomically(source: string, target: string, atomicFs: AtomicFs = realAtomicFs): Promise<void> {
  await writeAtomically(target, (temp) => fs.promises.copyFile(source, temp, fs.constants.COPYFILE_EXCL), atomicFs);
}
