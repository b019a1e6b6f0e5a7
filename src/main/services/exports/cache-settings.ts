import fs from "node:fs";
import { z } from "zod";
import { EXPORT_CACHE_DEFAULT_MB } from "../../../shared/contract";
import { writeFileAtomic } from "../fs/atomic-write";

const settingsSchema = z.object({ limitMb: z.number().int().min(50).max(100_000) });
export type ExportCacheLimits = z.infer<typeof settingsSchema>;

export interface ExportCacheSettings {
  read(): ExportCacheLimits;
  write(value: ExportCacheLimits): void;
}

/** `<dataDir>/exports-settings.json`; a damaged file falls back to the default limit. */
export function createExportCacheSettings(file: string): ExportCacheSettings {
  let cached: ExportCacheLimits | null = null;
  return {
    read() {
      if (cached) return { ...cached };
      try {
        const parsed = settingsSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
        cached = parsed.success ? parsed.data : { limitMb: EXPORT_CACHE_DEFAULT_MB };
      } catch {
        cached = { limitMb: EXPORT_CACHE_DEFAULT_MB };
      }
      return { ...cached };
    },
    write(value) {
      const parsed = settingsSchema.parse(value);
      writeFileAtomic(file, JSON.stringify(parsed, null, 2), 0o600);
      cached = parsed;
    },
  };
}
