import path from "node:path";
import type { SaveDialogOptions } from "electron";
import type { ExportFormat } from "../../shared/contract";

const FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  pdf: { name: "PDF report", extensions: ["pdf"] },
  csv: { name: "CSV (spreadsheet)", extensions: ["csv"] },
  json: { name: "JSON", extensions: ["json"] },
};

/**
 * Options of the native save dialog for an export: the suggested name (already neutralised by
 * the exports service) in the Downloads folder, filtered to the format, overwrite confirmed by the OS.
 */
export function exportSaveDialogOptions(
  defaultName: string,
  format: ExportFormat,
  downloads: string,
): SaveDialogOptions {
  return {
    title: "Save export",
    defaultPath: path.join(downloads, path.basename(defaultName)),
    buttonLabel: "Save",
    filters: [FILTERS[format], { name: "All files", extensions: ["*"] }],
    properties: ["createDirectory", "showOverwriteConfirmation"],
  };
}

/** The dialog's answer: a path to write, or null when the user cancelled. */
export function chosenPath(result: { canceled: boolean; filePath?: string }): string | null {
  if (result.canceled || !result.filePath) return null;
  return path.isAbsolute(result.filePath) ? result.filePath : null;
}
