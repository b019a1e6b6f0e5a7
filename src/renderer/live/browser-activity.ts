import type { ActivitySource } from "./live-connection";

const INPUT = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart"] as const;

/** The page's input and visibility, for a live connection's idle detection. */
export function browserActivity(): ActivitySource {
  return {
    onActivity(callback) {
      for (const name of INPUT) window.addEventListener(name, callback, { passive: true });
      return () => {
        for (const name of INPUT) window.removeEventListener(name, callback);
      };
    },
    hidden: () => document.visibilityState === "hidden",
    onVisibilityChange(callback) {
      document.addEventListener("visibilitychange", callback);
      return () => document.removeEventListener("visibilitychange", callback);
    },
  };
}

/** One change notification per frame: streamed tokens arrive far faster than the screen redraws. */
export function nextAnimationFrame(callback: () => void): void {
  window.requestAnimationFrame(callback);
}
