import { afterEach, describe, expect, it, vi } from "vitest";
import {
  debounce,
  DEFAULT_SIZE,
  initialWindowState,
  isVisibleOnSomeDisplay,
} from "../../src/main/electron/window-state";

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: 0, width: 2560, height: 1415 };

describe("initial window state", () => {
  it("restores saved bounds that are on a current display", () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1400, height: 900 }, maximized: false };
    expect(initialWindowState(saved, [laptop, external])).toEqual({ bounds: saved.bounds, maximized: false });
  });

  it("falls back to the default size when the saved display is gone", () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1400, height: 900 }, maximized: true };
    expect(initialWindowState(saved, [laptop])).toEqual({ bounds: { ...DEFAULT_SIZE }, maximized: true });
  });

  it("treats a window whose title bar is off-screen as not visible", () => {
    expect(isVisibleOnSomeDisplay({ x: 100, y: -500, width: 800, height: 520 }, [laptop])).toBe(false);
    expect(isVisibleOnSomeDisplay({ x: -780, y: 10, width: 800, height: 600 }, [laptop])).toBe(false);
    expect(isVisibleOnSomeDisplay({ x: -600, y: 10, width: 800, height: 600 }, [laptop])).toBe(true);
  });

  it("clamps restored bounds to the minimum size", () => {
    const saved = { bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false };
    expect(initialWindowState(saved, [laptop]).bounds).toEqual({ x: 10, y: 10, width: 900, height: 600 });
  });

  it.each([
    null,
    "x",
    { bounds: { x: 0, y: 0, width: "1", height: 2 } },
    { bounds: { x: 0, y: 0, width: 0, height: 0 } },
    { bounds: { x: Number.NaN, y: 0, width: 900, height: 600 } },
  ])("ignores a damaged saved state %j", (saved) => {
    expect(initialWindowState(saved, [laptop])).toEqual({ bounds: { ...DEFAULT_SIZE }, maximized: false });
  });
});

describe("debounce", () => {
  afterEach(() => vi.useRealTimers());

  it("saves once after resizing stops, and flush saves a pending change at once", () => {
    vi.useFakeTimers();
    const save = vi.fn();
    const saveSoon = debounce(save, 500);
    saveSoon();
    saveSoon();
    vi.advanceTimersByTime(499);
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(save).toHaveBeenCalledTimes(1);
    saveSoon();
    saveSoon.flush();
    expect(save).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(save).toHaveBeenCalledTimes(2);
  });
});
