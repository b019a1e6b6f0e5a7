/**
 * File names for exports: built from user-written project and study names, so they are
 * neutralised before they reach a save dialog, a Content-Disposition header or the disk.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const MAX_NAME_CHARS = 120;

/** One path segment that is safe on Windows, macOS and Linux; never empty, never a reserved name. */
export function safeFileStem(raw: string, fallback = "export", reservedCheck = true): string {
  let name = raw
    .normalize("NFC")
    // Path separators, Windows-forbidden characters and control characters.
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[/\\:*?"<>|\u0000-\u001f\u007f-\u009f]/g, " ")
    // Bidirectional overrides could disguise an extension ("report‮fdp.exe").
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    // Leading dots hide files on Unix and make "." or ".."; trailing dots and spaces vanish on Windows.
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  if (name.length > MAX_NAME_CHARS) name = name.slice(0, MAX_NAME_CHARS).replace(/[.\s]+$/, "");
  if (!name) name = fallback;
  const base = name.split(".")[0]!.trim();
  if (reservedCheck && WINDOWS_RESERVED.test(base)) name = `_${name}`;
  return name;
}

/** "Sight – Breakfast drinks – Survey 1 – 2026-11-26.csv" */
export function exportFileName(parts: string[], date: Date, extension: string): string {
  const day = date.toISOString().slice(0, 10);
  return `${safeFileStem(
    ["Sight", ...parts, day]
      .map((part) => safeFileStem(part, "", false))
      .filter(Boolean)
      .join(" - "),
  )}.${extension}`;
}

/** Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 8187). */
export function contentDisposition(fileName: string, type: "attachment" | "inline" = "attachment"): string {
  const ascii = fileName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
