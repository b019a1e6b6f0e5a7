import type { DeepLink } from "./deeplink";

/**
 * Deep links can arrive before anything can handle them (macOS sends `open-url` before `ready`;
 * Windows/Linux pass the first link in process.argv). The inbox buffers them until the window
 * and services exist, then delivers each one, in order, through the same function.
 */
export interface DeepLinkInbox {
  push(link: DeepLink): void;
  /** Starts delivering: flushes the buffer, then delivers new links immediately. */
  attach(deliver: (link: DeepLink) => void): void;
  detach(): void;
  readonly pending: number;
}

const MAX_BUFFERED = 16;

export function createDeepLinkInbox(): DeepLinkInbox {
  const buffer: DeepLink[] = [];
  let deliver: ((link: DeepLink) => void) | null = null;
  return {
    push(link) {
      if (deliver) deliver(link);
      // A flood of links before the window exists keeps only the newest few.
      else if (buffer.push(link) > MAX_BUFFERED) buffer.shift();
    },
    attach(fn) {
      deliver = fn;
      for (const link of buffer.splice(0)) fn(link);
    },
    detach() {
      deliver = null;
    },
    get pending() {
      return buffer.length;
    },
  };
}
