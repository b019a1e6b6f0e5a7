/**
 * The one policy for URLs leaving the app (links, window.open, navigation attempts): only plain
 * http(s) URLs to a named host, with no credentials, open in the user's browser. Decided on the
 * parsed URL, never by substring, so `https://evil.example/?next=app://sight/` is just an
 * external https link and `app://sight.evil.example` is not ours.
 */
const EXTERNAL_PROTOCOLS = new Set(["http:", "https:"]);
const MAX_URL_LENGTH = 2048;

export function isAllowedExternalUrl(url: unknown): boolean {
  if (typeof url !== "string" || url.length === 0 || url.length > MAX_URL_LENGTH) return false;
  // Control characters and whitespace are stripped by the URL parser; refuse them instead of
  // letting "java\tscript:" or a newline-split URL turn into something else.
  if (hasUnsafeUrlCharacters(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!EXTERNAL_PROTOCOLS.has(parsed.protocol)) return false;
  if (parsed.username !== "" || parsed.password !== "") return false;
  if (parsed.hostname === "") return false;
  return true;
}

/** Whitespace, C0/C1 control characters and backslashes, which URL parsers strip or rewrite. */
export function hasUnsafeUrlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x5c) return true;
  }
  return false;
}
