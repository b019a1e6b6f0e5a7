import type { Client } from "@libsql/client";

/** A structural description of a SQLite schema: tables, columns, foreign keys and indexes. */
export async function describeSchema(raw: Client, ignore: string[] = []): Promise<Record<string, unknown>> {
  const tables = await raw.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const out: Record<string, unknown> = {};
  for (const row of tables.rows) {
    const table = String(row.name);
    if (ignore.includes(table)) continue;
    const columns = (await raw.execute(`PRAGMA table_info("${table}")`)).rows.map((c) => ({
      name: c.name,
      type: String(c.type).toUpperCase(),
      notnull: c.notnull,
      default: c.dflt_value,
      pk: c.pk,
    }));
    const foreignKeys = (await raw.execute(`PRAGMA foreign_key_list("${table}")`)).rows
      .map((f) => ({ table: f.table, from: f.from, to: f.to, onUpdate: f.on_update, onDelete: f.on_delete }))
      .sort((a, b) => String(a.from).localeCompare(String(b.from)));
    const indexes = [];
    for (const index of (await raw.execute(`PRAGMA index_list("${table}")`)).rows) {
      const cols = (await raw.execute(`PRAGMA index_info("${String(index.name)}")`)).rows.map((c) => c.name);
      indexes.push({ name: index.name, unique: index.unique, origin: index.origin, columns: cols });
    }
    indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)));
    out[table] = { columns, foreignKeys, indexes };
  }
  return out;
}
