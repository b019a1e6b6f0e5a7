import fs from "node:fs";
import { createRequire } from "node:module";
import { Font } from "@react-pdf/renderer";
import { FONT_FAMILY } from "./styles";

/** Noto Sans from @expo-google-fonts/noto-sans: Latin Extended (Polish…), Greek, Cyrillic. */
const FACES = [
  { file: "400Regular/NotoSans_400Regular.ttf", fontWeight: 400, fontStyle: "normal" },
  { file: "400Regular_Italic/NotoSans_400Regular_Italic.ttf", fontWeight: 400, fontStyle: "italic" },
  { file: "700Bold/NotoSans_700Bold.ttf", fontWeight: 700, fontStyle: "normal" },
  { file: "700Bold_Italic/NotoSans_700Bold_Italic.ttf", fontWeight: 700, fontStyle: "italic" },
] as const;

/**
 * Where a font file is on disk. In the packaged app node_modules sits inside app.asar; the
 * fonts are also unpacked beside it (electron-builder `asarUnpack`), and the real file is
 * preferred so reading it never depends on asar support inside a worker thread.
 */
export function fontPath(file: string): string {
  const resolved = createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-sans/${file}`);
  const unpacked = resolved.replace(/\.asar([\\/])/, ".asar.unpacked$1");
  return unpacked !== resolved && fs.existsSync(unpacked) ? unpacked : resolved;
}

let registered = false;

/** Registers the embedded Unicode fonts (never fetched: local files shipped with the app). */
export function registerFonts(): void {
  if (registered) return;
  for (const face of FACES) {
    Font.register({
      family: FONT_FAMILY,
      src: fontPath(face.file),
      fontWeight: face.fontWeight,
      fontStyle: face.fontStyle,
    });
  }
  // No hyphenation: react-pdf's English rules split Polish words in odd places (and add soft hyphens).
  Font.registerHyphenationCallback((word) => [word]);
  registered = true;
}
