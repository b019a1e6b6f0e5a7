import fs from "node:fs";
import path from "node:path";
import { DEFAULT_PREFERENCES, preferencesSchema, type Preferences } from "../../../shared/contract";
import { writeFileAtomic } from "../fs/atomic-write";

/** Where preferences live: electron-store in the desktop app, a JSON file in the headless host. */
export interface PreferencesStore {
  get(): Preferences;
  set(patch: Partial<Preferences>): Preferences;
}

/** Reads leniently (a damaged file falls back to defaults per field) and writes atomically. */
export function createJsonPreferencesStore(file: string): PreferencesStore {
  const read = (): Preferences => {
    try {
      const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      const merged = { ...DEFAULT_PREFERENCES };
      for (const key of Object.keys(DEFAULT_PREFERENCES) as (keyof Preferences)[]) {
        const field = preferencesSchema.shape[key].safeParse(raw[key]);
        if (field.success) (merged as Record<string, unknown>)[key] = field.data;
      }
      return merged;
    } catch {
      return { ...DEFAULT_PREFERENCES };
    }
  };
  return {
    get: read,
    set(patch) {
      const next = preferencesSchema.parse({ ...read(), ...patch });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      return next;
    },
  };
}

export function createMemoryPreferencesStore(initial: Partial<Preferences> = {}): PreferencesStore {
  let value: Preferences = { ...DEFAULT_PREFERENCES, ...initial };
  return {
    get: () => ({ ...value }),
    set(patch) {
      value = preferencesSchema.parse({ ...value, ...patch });
      return { ...value };
    },
  };
}
