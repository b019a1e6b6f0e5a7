import { execFileSync, spawnSync } from "node:child_process";

/**
 * Poppler and qpdf (Debian's poppler-utils and qpdf, installed by .ci/run): independent readers
 * of the PDFs we write.
 */

/** The text of the whole document, or of one page (1-based), as pdftotext extracts it (UTF-8). */
export function pdfText(file: string, page?: number, options: { layout?: boolean } = {}): string {
  const args = [...(page ? ["-f", String(page), "-l", String(page)] : []), ...(options.layout ? ["-layout"] : [])];
  return execFileSync("pdftotext", ["-enc", "UTF-8", ...args, file, "-"], { encoding: "utf8" });
}

/** Every page's text, in order. */
export function pdfPages(file: string): string[] {
  // pdftotext separates pages with a form feed.
  const pages = pdfText(file).split("\f");
  return pages.slice(0, pdfInfo(file).pages);
}

export interface PdfInfo {
  pages: number;
  fields: Record<string, string>;
}

export function pdfInfo(file: string): PdfInfo {
  const output = execFileSync("pdfinfo", ["-enc", "UTF-8", file], { encoding: "utf8" });
  const fields: Record<string, string> = {};
  for (const line of output.split("\n")) {
    const match = /^([A-Za-z ]+):\s+(.*)$/.exec(line);
    if (match) fields[match[1]!.trim()] = match[2]!.trim();
  }
  return { pages: Number(fields.Pages), fields };
}

/** `qpdf --check`: exit status and output (0 = no errors, 3 = warnings only). */
export function qpdfCheck(file: string): { status: number | null; output: string } {
  const result = spawnSync("qpdf", ["--check", file], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Collapses runs of whitespace (pdftotext breaks lines where the PDF wraps them). */
export const squash = (text: string) => text.replace(/\s+/g, " ").trim();
