/**
 * The database worker (a worker thread): owns Sight's SQLite database, its libsql connection and
 * the Prisma client with its query compiler, and answers the main thread's calls (worker-client.ts).
 * Prisma's query planning and libsql's synchronous native calls were the largest share of the
 * main thread's busy time while studies ran; here they never delay an IPC answer or a token.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { InStatement } from "@libsql/client";
import { openDatabase, type Database } from "./open";
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
  const transactions = new Map<number, OpenTransaction>();
  /** Each open transaction's outcome, awaited by its "end". */
  const pending = new Map<number, Promise<void>>();
  let nextTx = 1;

  const handle = async (request: DbRequest): Promise<void> => {
    switch (request.op) {
      case "query": {
        const target = request.tx === null ? db.prisma : transactions.get(request.tx)?.client;
        if (!target) throw new Error(`Transaction ${request.tx} is not open.`);
        return reply(request.id, await delegateCall(target, request.call));
      }
      case "batch": {
        const calls = request.calls.map((call) => delegateCall(db.prisma, call));
        return reply(
          request.id,
          await db.prisma.$transaction(calls as Parameters<Database["prisma"]["$transaction"]>[0] & unknown[]),
        );
      }
      case "begin": {
        const tx = nextTx++;
        let finish!: (commit: boolean) => void;
        const decided = new Promise<boolean>((resolve) => (finish = resolve));
        let opened = false;
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
          );
        // maxWait passed before a connection was free: the transaction never opened.
        settled.catch((error: unknown) => {
          if (!opened) fail(request.id, error);
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
        if (request.method === "execute") {
          return reply(request.id, toWireResultSet(await db.raw.execute(request.args[0] as InStatement)));
        }
        if (request.method === "batch") {
          const [statements, mode] = request.args as [InStatement[], "write" | "read" | "deferred" | undefined];
          return reply(request.id, (await db.raw.batch(statements, mode)).map(toWireResultSet));
        }
        await db.raw.executeMultiple(request.args[0] as string);
        return reply(request.id, null);
      }
      case "close": {
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
