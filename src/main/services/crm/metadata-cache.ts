/** CRM metadata (properties, describe) changes rarely; the mapping screen asks often. */
export const METADATA_TTL_MS = 5 * 60_000;

/**
 * One value per key for `ttlMs`, loaded once even when many callers ask at the same time.
 * A failed load is not cached.
 */
export class MetadataCache<T> {
  private entries = new Map<string, { value: Promise<T>; loadedAt: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = METADATA_TTL_MS,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.value;
    const value = load();
    this.entries.set(key, { value, loadedAt: this.now() });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
