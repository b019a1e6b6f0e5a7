import type { InStatement } from "@libsql/client";
import { AppError } from "../../../shared/contract";
import { locateWorkerEntry, startWorker, type WorkerSpec } from "../workers/locate";
import type { Database, RawClient } from "./open";
import type { PrismaClient } from "./generated/client";
import {
  deserializeError,
  fromWireResultSet,
  type DbRequest,
  type DbWorkerData,
  type QueryCall,
  type TransactionOptions,
  type WireResultSet,
  type WorkerEvent,
} from "./worker-protocol";

/** The file name of the worker entry in the main build (electron.vite.config.ts, `main` input `db-worker`). */
export const BUILT_DB_WORKER_FILE = "db-worker.js";

export function locateDbWorker(moduleUrl: string = import.meta.url): WorkerSpec {
  return locateWorkerEntry(moduleUrl, {
    source: "db-worker.ts",
    built: BUILT_DB_WORKER_FILE,
    label: "The database worker",
  });
}

type Request = DbRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/**
 * A model call that runs when first awaited, like Prisma's own PrismaPromise: so
 * `prisma.$transaction([prisma.a.update(…), prisma.b.create(…)])` can collect the calls unrun
 * and send them as one batch.
 */
class PendingQuery<T> implements PromiseLike<T> {
  #promise: Promise<T> | undefined;
  constructor(
    readonly call: QueryCall,
    private readonly run: (call: QueryCall) => Promise<T>,
  ) {}
  #start(): Promise<T> {
    return (this.#promise ??= this.run(this.call));
  }
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#start().then(onFulfilled, onRejected);
  }
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#start().catch(onRejected);
  }
  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.#start().finally(onFinally);
  }
  get [Symbol.toStringTag]() {
    return "PrismaPromise";
  }
}

export interface WorkerDatabaseOptions {
  /** Called once if the worker dies (every pending and later call then fails with INTERNAL). */
  onCrash?: (error: Error) => void;
  spec?: WorkerSpec;
}

/**
 * Opens the database in a worker thread and returns the same `Database` the services use
 * in-process: `prisma` is a stand-in with the client's model API (`prisma.persona.findMany(…)`,
 * both forms of `$transaction`), `raw` forwards libsql's execute, batch and executeMultiple.
 * Results cross by structured clone (Dates, BigInts and blobs survive); errors keep their name,
 * code and meta. The worker holds the process open only while a call is outstanding.
 */
export async function openDatabaseInWorker(file: string, options: WorkerDatabaseOptions = {}): Promise<Database> {
  const worker = startWorker(options.spec ?? locateDbWorker(), { workerData: { file } satisfies DbWorkerData });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 1;
  let dead: Error | null = null;
  let closed = false;
  let exited = false;

  const die = (error: Error) => {
    if (dead) return;
    dead = error;
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
    worker.unref();
    if (!closed) options.onCrash?.(error);
  };

  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (event: WorkerEvent) => {
      if (event.type === "ready") return resolve();
      if (event.type === "failed") return reject(deserializeError(event.error));
      const call = waiting.get(event.id);
      if (!call) return;
      waiting.delete(event.id);
      if (waiting.size === 0) worker.unref();
      if (event.ok) call.resolve(event.value);
      else call.reject(deserializeError(event.error));
    });
    worker.on("error", (error) => {
      reject(error);
      die(new AppError("INTERNAL", `The database worker failed: ${error.message}`));
    });
    worker.on("exit", (code) => {
      exited = true;
      const error = new AppError(
        "INTERNAL",
        closed ? "The database is closed." : `The database worker stopped (exit code ${code}); restart Sight.`,
      );
      reject(error);
      die(error);
    });
  });
  try {
    await ready;
  } catch (error) {
    closed = true;
    await worker.terminate();
    throw error;
  }
  worker.unref();

  const send = <T>(request: Request): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      try {
        // Throws (DataCloneError) before anything is queued when an argument cannot be cloned.
        worker.postMessage({ ...request, id } as DbRequest);
      } catch (error) {
        reject(error);
        return;
      }
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  };

  const prisma = prismaStandIn(send);
  const raw: RawClient = {
    execute: (statement: InStatement) =>
      send<WireResultSet>({ op: "raw", method: "execute", args: [statement] }).then(fromWireResultSet),
    batch: (statements: InStatement[], mode?: "write" | "read" | "deferred") =>
      send<WireResultSet[]>({ op: "raw", method: "batch", args: [statements, mode] }).then((results) =>
        results.map(fromWireResultSet),
      ),
    executeMultiple: (sql: string) => send<void>({ op: "raw", method: "executeMultiple", args: [sql] }),
  } as RawClient;

  return {
    prisma,
    raw,
    file,
    async close() {
      if (closed) return;
      // A worker that already died has nothing left to close.
      if (exited) {
        closed = true;
        return;
      }
      const exit = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      try {
        if (!dead) await send({ op: "close" });
        closed = true;
        // The worker exits by itself once the database is closed; a stuck one is stopped.
        const timer = setTimeout(() => void worker.terminate(), 2000);
        if (!exited) await exit;
        clearTimeout(timer);
      } finally {
        closed = true;
        await worker.terminate();
      }
    },
  };
}

type Send = <T>(request: Request) => Promise<T>;

/** Model delegates (`prisma.persona`, `tx.job`) whose methods become worker calls. */
function delegates(send: Send, tx: number | null): Record<string, unknown> {
  const cache = new Map<string, object>();
  const run = (call: QueryCall) => send<unknown>({ op: "query", tx, call });
  return new Proxy(
    {},
    {
      get(_, model) {
        // Not a thenable, not inspectable as a delegate: only string model names are.
        if (typeof model !== "string" || model === "then" || model.startsWith("$")) return undefined;
        let delegate = cache.get(model);
        if (!delegate) {
          delegate = new Proxy(
            {},
            {
              get(__, method) {
                if (typeof method !== "string" || method === "then") return undefined;
                return (args?: unknown) => new PendingQuery({ model, method, args }, run);
              },
            },
          );
          cache.set(model, delegate);
        }
        return delegate;
      },
    },
  );
}

function prismaStandIn(send: Send): PrismaClient {
  const models = delegates(send, null);
  async function $transaction(
    input: PendingQuery<unknown>[] | ((tx: unknown) => Promise<unknown>),
    options?: TransactionOptions,
  ): Promise<unknown> {
    if (Array.isArray(input)) {
      const calls = input.map((query) => {
        if (!(query instanceof PendingQuery)) throw new TypeError("$transaction([...]) takes database calls only.");
        return query.call;
      });
      return send({ op: "batch", calls });
    }
    const tx = await send<number>({ op: "begin", options });
    let value: unknown;
    try {
      value = await input(delegates(send, tx));
    } catch (error) {
      await send({ op: "end", tx, commit: false }).catch(() => undefined);
      throw error;
    }
    await send({ op: "end", tx, commit: true });
    return value;
  }
  const special: Record<string, unknown> = {
    $transaction,
    // The worker connects when it opens and disconnects when the database is closed.
    $connect: async () => undefined,
    $disconnect: async () => undefined,
  };
  return new Proxy(models, {
    get(target, key) {
      if (typeof key === "string" && Object.hasOwn(special, key)) return special[key];
      if (typeof key === "string" && key.startsWith("$")) {
        throw new TypeError(`prisma.${key} is not available through the database worker.`);
      }
      return Reflect.get(target, key);
    },
  }) as unknown as PrismaClient;
}
