import ElectronStore from "electron-store";
import { ipcMain } from "electron";
import { DEFAULT_PREFERENCES, preferencesSchema, type Preferences } from "../../shared/contract";
import type { PreferencesStore } from "../services/settings/preferences-store";
import { parseWindowState, type WindowState } from "./window-state";

interface StoreShape extends Record<string, unknown> {
  preferences: Partial<Preferences>;
  windowState?: WindowState;
}

export interface DesktopStores {
  preferences: PreferencesStore;
  windowState: { load(): WindowState | null; save(state: WindowState): void };
}

/** Each field falls back to its default on its own, so one bad value never resets the rest. */
export function lenientPreferences(raw: unknown): Preferences {
  const source = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const merged = { ...DEFAULT_PREFERENCES };
  for (const key of Object.keys(DEFAULT_PREFERENCES) as (keyof Preferences)[]) {
    const field = preferencesSchema.shape[key].safeParse(source[key]);
    if (field.success) (merged as Record<string, unknown>)[key] = field.data;
  }
  return merged;
}

/**
 * Preferences and window state in electron-store (userData/preferences.json, mode 0600,
 * written atomically by conf). A damaged file is reset rather than crashing startup.
 */
export function createDesktopStores(): DesktopStores {
  const store = new ElectronStore<StoreShape>({
    name: "preferences",
    defaults: { preferences: { ...DEFAULT_PREFERENCES } },
    clearInvalidConfig: true,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  });
  // electron-store answers a sync IPC channel of its own for renderer-side stores. Our renderer
  // has no store and no raw ipcRenderer; keep the app at exactly its two channels.
  ipcMain.removeAllListeners("electron-store-get-data");

  return {
    preferences: {
      get: () => lenientPreferences(store.get("preferences")),
      set(patch) {
        const next = preferencesSchema.parse({ ...lenientPreferences(store.get("preferences")), ...patch });
        store.set("preferences", next);
        return next;
      },
    },
    windowState: {
      load: () => parseWindowState(store.get("windowState")),
      save: (state) => store.set("windowState", state),
    },
  };
}
