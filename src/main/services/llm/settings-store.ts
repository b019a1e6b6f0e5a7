import fs from "node:fs";
import path from "node:path";
import { DEFAULT_LLM_SETTINGS, llmSettingsSchema, type LlmSettings } from "../../../shared/contract";
import { writeFileAtomic } from "../fs/atomic-write";

/** LLM provider settings (never keys: those live in the SecretStore). */
export interface LlmSettingsStore {
  get(): LlmSettings;
  /** Validates the merged result; throws a ZodError on a bad value (the route validates first). */
  update(patch: Partial<LlmSettings>): LlmSettings;
}

function defaults(): LlmSettings {
  return structuredClone(DEFAULT_LLM_SETTINGS);
}

/** A damaged or hand-edited file falls back to the default per field rather than failing. */
function readLeniently(file: string): LlmSettings {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return defaults();
  }
  const merged = defaults();
  if (!raw || typeof raw !== "object") return merged;
  for (const key of Object.keys(merged) as (keyof LlmSettings)[]) {
    const field = llmSettingsSchema.shape[key].safeParse(raw[key]);
    if (field.success) (merged as Record<string, unknown>)[key] = field.data;
  }
  return merged;
}

/** `<dataDir>/llm-settings.json`, written atomically, cached in memory (this process is its only writer). */
export function createLlmSettingsStore(file: string): LlmSettingsStore {
  let cached: LlmSettings | null = null;
  return {
    get() {
      cached ??= readLeniently(file);
      return structuredClone(cached);
    },
    update(patch) {
      const next = llmSettingsSchema.parse({ ...this.get(), ...patch });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      cached = next;
      return structuredClone(next);
    },
  };
}

export function createMemoryLlmSettingsStore(initial: Partial<LlmSettings> = {}): LlmSettingsStore {
  let value = llmSettingsSchema.parse({ ...defaults(), ...initial });
  return {
    get: () => structuredClone(value),
    update(patch) {
      value = llmSettingsSchema.parse({ ...value, ...patch });
      return structuredClone(value);
    },
  };
}
