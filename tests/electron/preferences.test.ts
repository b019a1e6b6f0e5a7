import { beforeEach, describe, expect, it, vi } from "vitest";

const fake = vi.hoisted(() => ({
  data: new Map<string, unknown>(),
  options: [] as unknown[],
  removeAllListeners: vi.fn(),
}));

vi.mock("electron", () => ({ ipcMain: { removeAllListeners: fake.removeAllListeners } }));
vi.mock("electron-store", () => ({
  default: class FakeStore {
    constructor(options: { defaults: Record<string, unknown> }) {
      fake.options.push(options);
      for (const [key, value] of Object.entries(options.defaults)) if (!fake.data.has(key)) fake.data.set(key, value);
    }
    get(key: string) {
      return fake.data.get(key);
    }
    set(key: string, value: unknown) {
      fake.data.set(key, structuredClone(value));
    }
  },
}));

import { createDesktopStores, lenientPreferences } from "../../src/main/electron/preferences";

beforeEach(() => {
  fake.data.clear();
  fake.options.length = 0;
  fake.removeAllListeners.mockClear();
});

describe("desktop preferences (electron-store)", () => {
  it("creates a 0600 store that resets a damaged file, and removes electron-store's extra IPC channel", () => {
    createDesktopStores();
    expect(fake.options[0]).toMatchObject({ name: "preferences", configFileMode: 0o600, clearInvalidConfig: true });
    expect(fake.removeAllListeners).toHaveBeenCalledWith("electron-store-get-data");
  });

  it("reads defaults, validates updates and persists them", () => {
    const { preferences } = createDesktopStores();
    expect(preferences.get()).toEqual({ theme: "system", language: "en" });
    expect(preferences.set({ theme: "dark" })).toEqual({ theme: "dark", language: "en" });
    expect(createDesktopStores().preferences.get()).toEqual({ theme: "dark", language: "en" });
    expect(() => preferences.set({ language: "xx" as never })).toThrow();
    expect(preferences.get().language).toBe("en");
  });

  it("falls back per field when the stored value is damaged", () => {
    expect(lenientPreferences({ theme: "neon", language: "pl" })).toEqual({ theme: "system", language: "pl" });
    expect(lenientPreferences("garbage")).toEqual({ theme: "system", language: "en" });
  });

  it("remembers window bounds and ignores a damaged saved state", () => {
    const { windowState } = createDesktopStores();
    expect(windowState.load()).toBeNull();
    windowState.save({ bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: true });
    expect(windowState.load()).toEqual({ bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: true });
    fake.data.set("windowState", { bounds: "nope" });
    expect(windowState.load()).toBeNull();
  });
});
