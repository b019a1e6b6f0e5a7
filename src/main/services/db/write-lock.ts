import type { InStatement } from "@libsql/client";

/**
 * One writer at a time, across Prisma and raw SQL, in the database worker. Prisma's adapter
 * serialises its own work (an open transaction holds its lock until it ends), but a raw write
 * would take a second connection and wait in SQLite's busy handler, synchronously, on the
 * worker's only thread, for a lock that only that thread's next Prisma call can release. So
 * Prisma calls, transactions (begin to end) and raw writes take turns; raw reads never wait
 * (WAL), and the calls inside an open transaction run under its turn.
 */
export function createWriteLock() {
  let tail: Promise<void> = Promise.resolve();
  return async function acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => held);
    await previous;
    return release;
  };
}

/** A statement that only reads (reads never wait for the writer in WAL mode). */
export function isReadOnly(statement: InStatement): boolean {
  const sql = typeof statement === "string" ? statement : statement.sql;
  // WITH may lead to an INSERT; a PRAGMA with a value sets something.
  return /^\s*(SELECT|EXPLAIN)\b/i.test(sql) || /^\s*PRAGMA\s+\w+\s*;?\s*$/i.test(sql);
}
