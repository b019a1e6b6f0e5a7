/**
 * CRM records as both fakes keep them: one table per object type, ids issued in order, and an
 * index on one external-id field so an upsert finds the record it updates. `duplicates()` is
 * what tests assert on: an external id held by more than one record.
 */
export interface StoredRecord {
  id: string;
  fields: Record<string, string | number | boolean | null>;
  createdAt: string;
  updatedAt: string;
}

export class RecordTable {
  private rows = new Map<string, StoredRecord>();
  private byExternal = new Map<string, string>();
  private next = 1;

  constructor(
    private readonly newId: (n: number) => string,
    private readonly externalField: string | null,
    private readonly now: () => number,
  ) {}

  insert(fields: StoredRecord["fields"]): StoredRecord {
    const at = new Date(this.now()).toISOString();
    const record: StoredRecord = { id: this.newId(this.next++), fields: { ...fields }, createdAt: at, updatedAt: at };
    this.rows.set(record.id, record);
    const external = this.externalOf(record);
    if (external !== null && !this.byExternal.has(external)) this.byExternal.set(external, record.id);
    return record;
  }

  /** Updates the record holding `external`, or inserts one; says which it did. */
  upsert(external: string, fields: StoredRecord["fields"]): { record: StoredRecord; created: boolean } {
    const id = this.byExternal.get(external);
    const existing = id ? this.rows.get(id) : undefined;
    if (!existing)
      return {
        record: this.insert({ ...fields, ...(this.externalField ? { [this.externalField]: external } : {}) }),
        created: true,
      };
    Object.assign(existing.fields, fields);
    existing.updatedAt = new Date(this.now()).toISOString();
    return { record: existing, created: false };
  }

  get(id: string): StoredRecord | undefined {
    return this.rows.get(id);
  }

  /** Deletes a record; false when there is none with this id. */
  delete(id: string): boolean {
    const record = this.rows.get(id);
    if (!record) return false;
    const external = this.externalOf(record);
    if (external !== null && this.byExternal.get(external) === id) this.byExternal.delete(external);
    return this.rows.delete(id);
  }

  findByExternal(external: string): StoredRecord | undefined {
    const id = this.byExternal.get(external);
    return id ? this.rows.get(id) : undefined;
  }

  all(): StoredRecord[] {
    return [...this.rows.values()];
  }

  /** External ids that more than one record holds. */
  duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const record of this.rows.values()) {
      const external = this.externalOf(record);
      if (external !== null) seen.set(external, (seen.get(external) ?? 0) + 1);
    }
    return [...seen].filter(([, n]) => n > 1).map(([external]) => external);
  }

  clear(): void {
    this.rows.clear();
    this.byExternal.clear();
    this.next = 1;
  }

  private externalOf(record: StoredRecord): string | null {
    const value = this.externalField ? record.fields[this.externalField] : null;
    return value === null || value === undefined || value === "" ? null : String(value);
  }
}

/** Case-insensitive substring match over the given fields, then keyset-free offset paging. */
export function searchRecords(
  table: RecordTable,
  fields: string[],
  query: string,
  limit: number,
  offset: number,
): { page: StoredRecord[]; total: number } {
  const needle = query.trim().toLowerCase();
  const matched = table.all().filter(
    (record) =>
      !needle ||
      fields.some((field) =>
        String(record.fields[field] ?? "")
          .toLowerCase()
          .includes(needle),
      ),
  );
  return { page: matched.slice(offset, offset + limit), total: matched.length };
}
