import { originOf } from "./app-origin";

/** The parts of Electron's WebFrameMain the check reads (kept structural so it is testable). */
export interface FrameLike {
  readonly url: string;
  readonly detached?: boolean;
}

export interface SenderCheckInput {
  /** event.senderFrame: null when the frame navigated away or was destroyed. */
  senderFrame: FrameLike | null | undefined;
  /** Our window's webContents.mainFrame, or null when there is no window. */
  mainFrame: FrameLike | null | undefined;
  /** "app://sight", or the loopback dev-server origin in development. */
  expectedOrigin: string;
}

/**
 * True only for the main frame of our own window showing our own origin. Iframes, other
 * windows, frames left over from a navigation (detached) and pages that navigated elsewhere
 * are refused before any route runs.
 */
export function isTrustedSender({ senderFrame, mainFrame, expectedOrigin }: SenderCheckInput): boolean {
  if (!senderFrame || !mainFrame) return false;
  if (senderFrame !== mainFrame) return false;
  if (senderFrame.detached === true) return false;
  if (!expectedOrigin || expectedOrigin === "null") return false;
  let url: string;
  try {
    url = senderFrame.url;
  } catch {
    // WebFrameMain throws when its render frame was disposed mid-call.
    return false;
  }
  return originOf(url) === expectedOrigin;
}
