import fs from "node:fs";
import path from "node:path";
import {
  DEFAULT_RESPONSE_STYLE_SETTINGS,
  responseStyleSettingsSchema,
  type ResponseStyleSettings,
} from "../../../shared/contract";
import { writeFileAtomic } from "../fs/atomic-write";

/**
 * The human benchmarks and thresholds of the response-style warnings. They live in the data
 * folder, beside the data they judge, so the desktop app and a headless host on the same folder
 * agree, and an export made by either shows the same flags.
 */
export interface ResponseStyleStore {
  get(): ResponseStyleSettings;
  /** Validates the merged result; throws a ZodError on a bad value (the route validates first). */
  update(patch: Partial<ResponseStyleSettings>): ResponseStyleSettings;
}

const defaults = (): ResponseStyleSettings => structuredClone(DEFAULT_RESPONSE_STYLE_SETTINGS);

/** A damaged or hand-edited file falls back to the default per field rather than failing. */
function readLeniently(file: string): ResponseStyleSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return defaults();
  }
  const merged = defaults();
  if (!raw || typeof raw !== "object") return merged;
  for (const key of Object.keys(merged) as (keyof ResponseStyleSettings)[]) {
    const field = responseStyleSettingsSchema.shape[key].safeParse((raw as Record<string, unknown>)[key]);
    if (field.success) (merged as Record<string, unknown>)[key] = field.data;
  }
  return merged;
}

/** `<dataDir>/response-style.json`, written atomically, cached in memory (this process is its only writer). */
export function createResponseStyleStore(file: string): ResponseStyleStore {
  let cached: ResponseStyleSettings | null = null;
  return {
    get() {
      cached ??= readLeniently(file);
      return structuredClone(cached);
    },
    update(patch) {
      const next = responseStyleSettingsSchema.parse({ ...this.get(), ...patch });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      cached = next;
      return structuredClone(next);
    },
  };
}
