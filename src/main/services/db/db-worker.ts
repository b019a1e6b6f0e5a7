/**
 * The database worker (a worker thread): owns Sight's SQLite database, its libsql connection and
 * the Prisma client with its query compiler, and answers the main thread's calls (worker-client.ts).
 * Prisma's query planning and libsql's synchronous native calls were the largest share of the
 * main thread's busy time while studies ran; here they never delay an IPC answer or a token.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { InStatement } from "@libsql/client";
import { openDatabase, type Database } from "./open";
import { createWriteLock, isReadOnly } from "./write-lock";
import {
  serializeError,
  toWireResultSet,
  type DbReply,
  type DbRequest,
  type DbWorkerData,
  type QueryCall,
  type WorkerEvent,
} from "./worker-protocol";

type TxClient = Parameters<Parameters<Database["prisma"]["$transaction"]>[0]>[0];

const port = parentPort!;
const post = (event: WorkerEvent) => port.postMessage(event);
const reply = (id: number, value: unknown) => post({ type: "reply", id, ok: true, value } satisfies DbReply);
const fail = (id: number, error: unknown) => post({ type: "reply", id, ok: false, error: serializeError(error) });

/** Thrown inside an interactive transaction to roll it back on the main thread's word. */
const ROLLBACK = Symbol("rollback");

interface OpenTransaction {
  client: TxClient;
  finish(commit: boolean): void;
}

function delegateCall(target: object, call: QueryCall): unknown {
  const delegate = (target as Record<string, unknown>)[call.model];
  const method =
    delegate && typeof delegate === "object" && !call.model.startsWith("$")
      ? (delegate as Record<string, unknown>)[call.method]
      : undefined;
  if (typeof method !== "function") throw new TypeError(`No database operation ${call.model}.${call.method}.`);
  return (method as (args: unknown) => unknown).call(delegate, call.args);
}

async function main() {
  const { file } = workerData as DbWorkerData;
  let db: Database;
  try {
    db = await openDatabase(file);
  } catch (error) {
    post({ type: "failed", error: serializeError(error) });
    return;
  }
  const writeLock = createWriteLock();
  const transactions = new Map<number, OpenTransaction>();
  /** Each open transaction's outcome, awaited by its "end". */
  const pending = new Map<number, Promise<void>>();
  let nextTx = 1;

  const handle = async (request: DbRequest): Promise<void> => {
    switch (request.op) {
      case "query": {
        if (request.tx !== null) {
          // Inside an open transaction, which holds the write lock for all of its calls.
          const client = transactions.get(request.tx)?.client;
          if (!client) throw new Error(`Transaction ${request.tx} is not open.`);
          return reply(request.id, await delegateCall(client, request.call));
        }
        // A single call may still be several statements in a transaction of Prisma's own.
        const release = await writeLock();
        try {
          return reply(request.id, await delegateCall(db.prisma, request.call));
        } finally {
          release();
        }
      }
      case "batch": {
        const release = await writeLock();
        try {
          const calls = request.calls.map((call) => delegateCall(db.prisma, call));
          const value = await db.prisma.$transaction(
            calls as Parameters<Database["prisma"]["$transaction"]>[0] & unknown[],
          );
          return reply(request.id, value);
        } finally {
          release();
        }
      }
      case "begin": {
        const tx = nextTx++;
        let finish!: (commit: boolean) => void;
        const decided = new Promise<boolean>((resolve) => (finish = resolve));
        let opened = false;
        const release = await writeLock();
        const settled = db.prisma
          .$transaction(async (client) => {
            opened = true;
            transactions.set(tx, { client, finish });
            reply(request.id, tx);
            if (!(await decided)) throw ROLLBACK;
          }, request.options)
          .then(
            () => undefined,
            (error: unknown) => {
              if (error !== ROLLBACK) throw error;
            },
          )
          .finally(release);
        // maxWait passed before a connection was free: the transaction never opened.
        settled.catch((error: unknown) => {
          if (opened) return;
          pending.delete(tx);
          fail(request.id, error);
        });
        pending.set(tx, settled);
        return;
      }
      case "end": {
        const open = transactions.get(request.tx);
        const settled = pending.get(request.tx);
        if (!open || !settled) throw new Error(`Transaction ${request.tx} is not open.`);
        open.finish(request.commit);
        try {
          await settled;
        } finally {
          transactions.delete(request.tx);
          pending.delete(request.tx);
        }
        return reply(request.id, null);
      }
      case "raw": {
        const reads =
          request.method === "execute"
            ? isReadOnly(request.args[0] as InStatement)
            : request.method === "batch" && request.args[1] === "read";
        const release = reads ? null : await writeLock();
        try {
          if (request.method === "execute") {
            return reply(request.id, toWireResultSet(await db.raw.execute(request.args[0] as InStatement)));
          }
          if (request.method === "batch") {
            const [statements, mode] = request.args as [InStatement[], "write" | "read" | "deferred" | undefined];
            return reply(request.id, (await db.raw.batch(statements, mode)).map(toWireResultSet));
          }
          await db.raw.executeMultiple(request.args[0] as string);
          return reply(request.id, null);
        } finally {
          release?.();
        }
      }
      case "close": {
        (await writeLock())();
        await db.close();
        reply(request.id, null);
        port.close();
        return;
      }
    }
  };
  port.on("message", (request: DbRequest) => {
    handle(request).catch((error: unknown) => fail(request.id, error));
  });
  post({ type: "ready" });
}

void main();
