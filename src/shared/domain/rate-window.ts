/**
 * Fixed-window attempt counters kept in memory, per key (a client's address): for limits one
 * process enforces alone, such as live-session handshakes. Counting comes first, so a burst of
 * parallel attempts cannot all pass a check made before any of them was counted.
 */
export interface RateWindowRule {
  limit: number;
  windowMs: number;
}

/** Live viewers' handshakes per address: generous for an office behind one NAT, not for a flood. */
export const LIVE_HANDSHAKE_RATE: RateWindowRule = { limit: 60, windowMs: 60_000 };

/** Beyond this many keys, windows that have passed are dropped before a new key is added. */
const MAX_KEYS = 10_000;

export function createRateWindow(rule: RateWindowRule, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  // A window is (re)inserted when it starts, so the map is in order of start: the ones that
  // have passed are at its front.
  const prune = (at: number) => {
    for (const [key, window] of windows) {
      if (at - window.start < rule.windowMs && windows.size < MAX_KEYS) break;
      // Passed, or still full (a flood of distinct keys): the oldest goes, so memory stays bounded.
      windows.delete(key);
    }
  };

  return {
    /** Counts one attempt for `key`; answers how long to wait (ms) when it is over the limit, else 0. */
    take(key: string): number {
      const at = now();
      let window = windows.get(key);
      if (!window || at - window.start >= rule.windowMs) {
        if (!window && windows.size >= MAX_KEYS) prune(at);
        window = { start: at, count: 0 };
        windows.delete(key);
        windows.set(key, window);
      }
      window.count += 1;
      return window.count > rule.limit ? Math.max(1, window.start + rule.windowMs - at) : 0;
    },
    size: () => windows.size,
  };
}
export type RateWindow = ReturnType<typeof createRateWindow>;

/** What a live viewer refused for too many handshakes from its address is told. */
export function tooManyHandshakes(waitMs: number): string {
  return `Too many connection attempts from this address: try again in ${Math.ceil(waitMs / 1000)} s.`;
}
