import path from "node:path";
import type { OpenDialogOptions } from "electron";

/** Options of the native open dialog for a study bundle (a reproducibility recipe): one JSON file. */
export function studyBundleOpenDialogOptions(documents: string): OpenDialogOptions {
  return {
    title: "Import study recipe",
    defaultPath: documents,
    buttonLabel: "Import",
    filters: [
      { name: "Sight study recipe (JSON)", extensions: ["json"] },
      { name: "All files", extensions: ["*"] },
    ],
    properties: ["openFile"],
  };
}

/** The dialog's answer: one absolute path to read, or null when the user cancelled. */
export function chosenOpenPath(result: { canceled: boolean; filePaths: string[] }): string | null {
  const [file] = result.filePaths;
  if (result.canceled || !file) return null;
  return path.isAbsolute(file) ? file : null;
}
