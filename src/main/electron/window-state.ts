/**
 * Window size and position, remembered between runs. Restored only when the saved rectangle
 * is still reasonably visible on one of the current displays (a monitor may have been
 * unplugged); otherwise the window opens at the default size, centred by the OS.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 900, height: 600 } as const;
/** How much of the title-bar area must be on a display to count as visible. */
const MIN_VISIBLE = { width: 100, height: 40 } as const;

function isRect(value: unknown): value is Rect {
  if (!value || typeof value !== "object") return false;
  const r = value as Record<string, unknown>;
  return ["x", "y", "width", "height"].every((k) => typeof r[k] === "number" && Number.isFinite(r[k] as number));
}

export function parseWindowState(value: unknown): WindowState | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (!isRect(v.bounds) || v.bounds.width < 1 || v.bounds.height < 1) return null;
  return { bounds: { ...v.bounds }, maximized: v.maximized === true };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

export function isVisibleOnSomeDisplay(bounds: Rect, workAreas: readonly Rect[]): boolean {
  // The top strip is what the user needs to grab the window.
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, 60) };
  return workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return (
      o.width >= Math.min(MIN_VISIBLE.width, bounds.width) && o.height >= Math.min(MIN_VISIBLE.height, titleBar.height)
    );
  });
}

/** The bounds to open with: saved ones (clamped to the minimum size) when visible, else defaults. */
export function initialWindowState(
  saved: unknown,
  workAreas: readonly Rect[],
): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  const state = parseWindowState(saved);
  if (state && isVisibleOnSomeDisplay(state.bounds, workAreas)) {
    return {
      bounds: {
        x: Math.round(state.bounds.x),
        y: Math.round(state.bounds.y),
        width: Math.max(MIN_SIZE.width, Math.round(state.bounds.width)),
        height: Math.max(MIN_SIZE.height, Math.round(state.bounds.height)),
      },
      maximized: state.maximized,
    };
  }
  return { bounds: { ...DEFAULT_SIZE }, maximized: state?.maximized ?? false };
}

/** Calls `fn` once calls stop for `ms`; `flush` runs a pending call now (on close). */
export function debounce(fn: () => void, ms: number): { (): void; flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    fn();
  };
  const debounced = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  debounced.flush = () => {
    if (timer) {
      clearTimeout(timer);
      run();
    }
  };
  debounced.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return debounced;
}
