import type { ResultSet, Row } from "@libsql/client";

/**
 * The messages between the main thread and the database worker (db-worker.ts). Both ends are
 * Sight's own code in one process, so this is a typed internal protocol, not a trust boundary:
 * what crosses it has already been validated by the contract router or a service.
 */

/** One Prisma model call: `prisma[model][method](args)`. */
export interface QueryCall {
  model: string;
  method: string;
  args: unknown;
}

export interface TransactionOptions {
  maxWait?: number;
  timeout?: number;
}

export type RawMethod = "execute" | "batch" | "executeMultiple";

export type DbRequest =
  /** A model call, inside interactive transaction `tx` when not null. */
  | { id: number; op: "query"; tx: number | null; call: QueryCall }
  /** `$transaction([...])`: the calls in one transaction, in order. */
  | { id: number; op: "batch"; calls: QueryCall[] }
  /** Opens an interactive transaction; answers with its number. */
  | { id: number; op: "begin"; options?: TransactionOptions }
  /** Commits or rolls back an interactive transaction; answers once it has. */
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "raw"; method: RawMethod; args: unknown[] }
  | { id: number; op: "close" };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Prisma's P-codes, libsql's SQLITE_* codes. */
  code?: string;
  rawCode?: number;
  meta?: unknown;
  clientVersion?: string;
}

export type DbReply =
  | { type: "reply"; id: number; ok: true; value: unknown }
  | { type: "reply"; id: number; ok: false; error: SerializedError };

export type WorkerEvent = { type: "ready" } | { type: "failed"; error: SerializedError } | DbReply;

export interface DbWorkerData {
  file: string;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const e = error as Error & { code?: unknown; rawCode?: unknown; meta?: unknown; clientVersion?: unknown };
  const out: SerializedError = { name: e.name, message: e.message, stack: e.stack };
  if (typeof e.code === "string") out.code = e.code;
  if (typeof e.rawCode === "number") out.rawCode = e.rawCode;
  if (e.meta !== undefined) out.meta = structuredCloneable(e.meta);
  if (typeof e.clientVersion === "string") out.clientVersion = e.clientVersion;
  return out;
}

function structuredCloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

/** The worker's error, rebuilt on the main thread with its name, code and meta. */
export function deserializeError(error: SerializedError): Error {
  const e = new Error(error.message) as Error & Omit<SerializedError, "name" | "message">;
  e.name = error.name;
  if (error.stack) e.stack = error.stack;
  if (error.code !== undefined) e.code = error.code;
  if (error.rawCode !== undefined) e.rawCode = error.rawCode;
  if (error.meta !== undefined) e.meta = error.meta;
  if (error.clientVersion !== undefined) e.clientVersion = error.clientVersion;
  return e;
}

/** A libsql result as plain arrays: its rows carry their values on non-enumerable index keys. */
export interface WireResultSet {
  columns: string[];
  columnTypes: string[];
  rows: unknown[][];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
}

export function toWireResultSet(result: ResultSet): WireResultSet {
  return {
    columns: result.columns,
    columnTypes: result.columnTypes,
    rows: result.rows.map((row) => Array.from({ length: row.length }, (_, i) => row[i])),
    rowsAffected: result.rowsAffected,
    lastInsertRowid: result.lastInsertRowid,
  };
}

/** Rebuilds a ResultSet shaped as libsql's own (rowFromSql in @libsql/client's sqlite3 driver). */
export function fromWireResultSet(wire: WireResultSet): ResultSet {
  const rows = wire.rows.map((values) => {
    const row: Record<string | number, unknown> = {};
    Object.defineProperty(row, "length", { value: values.length });
    values.forEach((value, i) => {
      Object.defineProperty(row, i, { value });
      const column = wire.columns[i]!;
      if (!Object.hasOwn(row, column)) {
        Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
      }
    });
    return row as unknown as Row;
  });
  return {
    columns: wire.columns,
    columnTypes: wire.columnTypes,
    rows,
    rowsAffected: wire.rowsAffected,
    lastInsertRowid: wire.lastInsertRowid,
    toJSON() {
      return {
        columns: wire.columns,
        columnTypes: wire.columnTypes,
        rows: wire.rows.map((values) => values.map((value) => (typeof value === "bigint" ? `${value}` : value))),
        rowsAffected: wire.rowsAffected,
        lastInsertRowid: wire.lastInsertRowid === undefined ? null : `${wire.lastInsertRowid}`,
      };
    },
  };
}
