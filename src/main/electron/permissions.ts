import { originOf } from "./app-origin";

/**
 * Deny-by-default permission table. A permission not listed here is refused, for requests
 * (setPermissionRequestHandler) and checks (setPermissionCheckHandler) alike, and a listed one
 * is granted only to our own origin. Sight needs no camera, microphone, location,
 * notifications, MIDI, HID or serial access; the only grant is writing plain text to the
 * clipboard ("copy quote").
 */
export const PERMISSION_TABLE: Readonly<Record<string, "allow-own-origin">> = {
  "clipboard-sanitized-write": "allow-own-origin",
};

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  expectedOrigin: string,
): boolean {
  if (!Object.hasOwn(PERMISSION_TABLE, permission)) return false;
  if (!requestingUrl) return false;
  return originOf(requestingUrl) === expectedOrigin;
}
