import path from "node:path";
import { APP_HOST, APP_SCHEME } from "./app-origin";
import { hasUnsafeUrlCharacters } from "./url-policy";

/**
 * Maps an app://sight/... request to a file under `root` (out/renderer), or null.
 *
 * Chromium normalises standard-scheme URLs before the handler sees them, but the guard does not
 * rely on that: it refuses anything that could name a file outside the root in any spelling
 * (dot segments, percent-encoded dots or separators, backslashes, NUL, drive letters, empty
 * segments that would make an absolute path) and then checks containment on the resolved path.
 */
const MAX_URL_LENGTH = 2048;
const SEGMENT = /^[A-Za-z0-9._@~+-]+$/;
const FORBIDDEN_ENCODED = /%5c|%2f|%2e|%00/i;

export function resolveAssetPath(root: string, requestUrl: string): string | null {
  if (typeof requestUrl !== "string" || requestUrl.length > MAX_URL_LENGTH) return null;
  if (hasUnsafeUrlCharacters(requestUrl) || FORBIDDEN_ENCODED.test(requestUrl)) return null;
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  if (url.username !== "" || url.password !== "" || url.port !== "") return null;

  // The raw path, before the parser resolved any dot segments: "a/../b" is refused, not rewritten.
  const afterHost = requestUrl.slice(`${APP_SCHEME}://${APP_HOST}`.length);
  const rawPath = afterHost.split(/[?#]/, 1)[0] ?? "";
  if (rawPath === "" || rawPath === "/") return path.join(path.resolve(root), "index.html");
  if (!rawPath.startsWith("/")) return null;

  const segments = rawPath.slice(1).split("/");
  const decoded: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return null;
    }
    // Empty segments ("//etc"), dot segments, and anything beyond a plain file-name alphabet
    // (":" for drive letters and streams, "%" left after decoding, spaces, control characters).
    if (name === "" || name === "." || name === ".." || !SEGMENT.test(name)) return null;
    decoded.push(name);
  }

  const base = path.resolve(root);
  const file = path.resolve(base, ...decoded);
  const relative = path.relative(base, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return null;
  return file;
}

const MIME_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

/** Content type by extension; unknown types are served as opaque bytes (and nosniff). */
export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}
