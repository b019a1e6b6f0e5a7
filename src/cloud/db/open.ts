import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import type { Logger } from "../../main/services/logger";
import { PrismaClient } from "./generated/client";

/**
 * The Cloud's database: a real PostgreSQL server when DATABASE_URL is set (production, tests),
 * otherwise an embedded PGlite database in the data folder, so `npm run cloud` starts on a fresh
 * machine with one command. Both speak PostgreSQL, so the same migrations and queries run on both.
 */
export interface CloudDatabase {
  prisma: PrismaClient;
  /** Raw SQL for the migration runner (multi-statement scripts, advisory locks). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` on one connection inside BEGIN/COMMIT (the migration runner needs one session). */
  transactionRaw<T>(fn: (query: CloudDatabase["query"]) => Promise<T>): Promise<T>;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

export async function openCloudDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  logger: Pick<Logger, "warn">;
}): Promise<CloudDatabase> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.logger);
  return openPglite(path.join(options.dataDir, "pglite"));
}

async function openPostgres(connectionString: string, logger: Pick<Logger, "warn">): Promise<CloudDatabase> {
  // A connection the server ends while it sits idle (a restart, a failover, pg_terminate_backend,
  // DROP DATABASE ... WITH FORCE) is an 'error' event on its pool; without a listener Node throws
  // it and the whole Cloud goes down. The pool has already dropped that client and opens a new
  // one on the next query, so the event is only worth a log line.
  const idleError = (pool: string) => (error: Error) =>
    logger.warn("cloud.db_connection_lost", { pool, code: (error as { code?: string }).code, error: error.message });
  // One pool for raw SQL and one inside Prisma's adapter: the runner's advisory lock must hold one session.
  const pool = new pg.Pool({ connectionString, max: 4 });
  pool.on("error", idleError("raw"));
  const prisma = new PrismaClient({
    adapter: new PrismaPg(
      { connectionString, max: 10 },
      { onPoolError: idleError("prisma"), onConnectionError: idleError("prisma-transaction") },
    ),
  });
  const query: CloudDatabase["query"] = async (sql, params) => (await pool.query(sql, params as unknown[])).rows;
  return {
    kind: "postgres",
    prisma,
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    async transactionRaw(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(async (sql, params) => (await client.query(sql, params as unknown[])).rows);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dir: string): Promise<CloudDatabase> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const client = await PGlite.create(dir);
  // pglite-prisma-adapter is typed against an older @prisma/driver-adapter-utils; the interface it
  // implements is the same (checked by the Cloud tests, which run on PGlite too).
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) as unknown as PrismaPg });
  const query: CloudDatabase["query"] = async <T>(sql: string, params?: unknown[]) =>
    (await client.query<T>(sql, params as unknown[])).rows;
  return {
    kind: "pglite",
    prisma,
    query,
    async exec(sql) {
      await client.exec(sql);
    },
    async transactionRaw(fn) {
      return client.transaction(async (tx) =>
        fn(async <T>(sql: string, params?: unknown[]) =>
          // Without parameters a script may hold several statements, which only exec runs.
          params === undefined
            ? (((await tx.exec(sql)).at(-1)?.rows ?? []) as T[])
            : (await tx.query<T>(sql, params)).rows,
        ),
      );
    },
    async close() {
      await prisma.$disconnect();
      await client.close();
    },
  };
}
