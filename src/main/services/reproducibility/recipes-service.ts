import fs from "node:fs";
import path from "node:path";
import {
  AppError,
  MAX_STUDY_BUNDLE_BYTES,
  type BundleImportResult,
  type ExportFormat,
  type StudyKind,
} from "../../../shared/contract";
import { writeAtomically, type AtomicFs } from "../exports/atomic-file";
import { buildStudyBundle, type BuildDeps, type BuiltBundle } from "./build-bundle";
import { importStudyBundle, tooLarge, type ImportDeps } from "./import-bundle";

export interface RecipesDeps extends BuildDeps, ImportDeps {
  /** Sight's export cache: a file saved there would be swept as unknown. */
  exportsFolder: string;
  atomicFs?: AtomicFs;
  /** Desktop: the native save dialog (the exports'); resolves to the chosen path, or null when cancelled. */
  chooseSavePath?: (defaultName: string, format: ExportFormat) => Promise<string | null>;
  /** Desktop: the native open dialog for a study bundle; resolves to the chosen path, or null when cancelled. */
  chooseOpenPath?: () => Promise<string | null>;
}

/**
 * Reproducibility bundles ("study recipes"): export a study's full recipe as one JSON file, and
 * import one into this workspace as a new project with its personas and the study, ready to rerun.
 */
export function createRecipesService(deps: RecipesDeps) {
  const serialise = (built: BuiltBundle) => {
    const text = `${JSON.stringify(built.bundle, null, 2)}\n`;
    if (Buffer.byteLength(text, "utf8") > MAX_STUDY_BUNDLE_BYTES) {
      throw new AppError(
        "CONFLICT",
        `This study's bundle would be larger than ${MAX_STUDY_BUNDLE_BYTES / (1024 * 1024)} MB, more than an import accepts.`,
      );
    }
    return text;
  };

  /** Reads a bundle file without trusting its size: at most MAX_STUDY_BUNDLE_BYTES are read. */
  const readBundleFile = async (file: string): Promise<string> => {
    if (!path.isAbsolute(file)) throw new AppError("VALIDATION_FAILED", "The bundle's path must be absolute.");
    const handle = await fs.promises.open(file, "r");
    try {
      const { size } = await handle.stat();
      if (size > MAX_STUDY_BUNDLE_BYTES) throw tooLarge(size);
      const buffer = Buffer.alloc(MAX_STUDY_BUNDLE_BYTES + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        // The file grew while it was read.
        if (length > MAX_STUDY_BUNDLE_BYTES) throw tooLarge(length);
      }
      return buffer.subarray(0, length).toString("utf8");
    } finally {
      await handle.close();
    }
  };

  const writeBuilt = async (built: BuiltBundle, target: string): Promise<{ saved: true; path: string }> => {
    if (!path.isAbsolute(target)) throw new AppError("VALIDATION_FAILED", "The save path must be absolute.");
    const parent = await fs.promises.realpath(path.dirname(target)).catch(() => path.dirname(target));
    const cache = await fs.promises.realpath(deps.exportsFolder).catch(() => deps.exportsFolder);
    if (parent === cache) {
      throw new AppError("VALIDATION_FAILED", "Choose another folder: this one is Sight's export cache.", {
        path: target,
      });
    }
    const text = serialise(built);
    await writeAtomically(target, (temp) => fs.promises.writeFile(temp, text, { flag: "wx" }), deps.atomicFs);
    return { saved: true, path: target };
  };

  const service = {
    build: (kind: StudyKind, id: string): Promise<BuiltBundle> => buildStudyBundle(deps, kind, id),

    /** Writes the bundle to `target` atomically (no half-written file is ever left there). */
    writeTo: async (kind: StudyKind, id: string, target: string) => writeBuilt(await service.build(kind, id), target),

    async saveAs(kind: StudyKind, id: string): Promise<{ saved: boolean; path: string | null }> {
      if (!deps.chooseSavePath) {
        throw new AppError("CONFLICT", "Saving with a dialog needs the desktop app; download the recipe instead.");
      }
      // Built first: a study that cannot be exported is refused before the dialog opens.
      const built = await service.build(kind, id);
      const target = await deps.chooseSavePath(built.fileName, "json");
      if (!target) return { saved: false, path: null };
      return writeBuilt(built, target);
    },

    importText: (text: string): Promise<BundleImportResult> => importStudyBundle(deps, text),

    async importFile(): Promise<{ imported: boolean; result: BundleImportResult | null }> {
      if (!deps.chooseOpenPath) {
        throw new AppError(
          "CONFLICT",
          "Opening a file with a dialog needs the desktop app; upload the recipe instead.",
        );
      }
      const file = await deps.chooseOpenPath();
      if (!file) return { imported: false, result: null };
      return { imported: true, result: await service.importPath(file) };
    },

    /** Imports the bundle file at `file` (the desktop dialog's choice). */
    importPath: async (file: string): Promise<BundleImportResult> =>
      importStudyBundle(deps, await readBundleFile(file)),
  };
  return service;
}

export type RecipesService = ReturnType<typeof createRecipesService>;
