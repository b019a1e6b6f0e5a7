import fs from "node:fs";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "./generated/client";

/**
 * SQLite driver: libsql. Its npm package ships a prebuilt N-API binary, so the same
 * node_modules loads under Node (tests, headless host) and Electron (desktop) without
 * rebuilding for Electron's ABI, which better-sqlite3 would need (and whose headers cannot
 * be downloaded on our build machines). Bulk paths use the raw client, not the ORM.
 */
export interface Database {
  prisma: PrismaClient;
  /** The raw libsql client, for migrations, PRAGMAs and bulk reads/writes. */
  raw: RawClient;
  file: string;
  close(): Promise<void>;
}

/** What the services use of libsql's client; the database worker forwards exactly these. */
export type RawClient = Pick<Client, "execute" | "batch" | "executeMultiple">;

/** Prisma's libsql adapter, made to reuse our client instead of opening another connection. */
class SharedClientAdapter extends PrismaLibSQL {
  readonly #client: Client;
  constructor(client: Client, url: string) {
    super({ url });
    this.#client = client;
  }
  // The adapter pins an older @libsql/client in its own types; the runtime API it calls
  // (execute, batch, transaction) is the same in the version we ship.
  override createClient(): ReturnType<PrismaLibSQL["createClient"]> {
    return this.#client as unknown as ReturnType<PrismaLibSQL["createClient"]>;
  }
}

export function fileUrl(file: string): string {
  return `file:${file}`;
}

export async function openRawClient(file: string): Promise<Client> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // `timeout` is the busy timeout of every pooled connection; WAL persists in the file.
  // libsql turns foreign keys on for each connection it opens.
  const raw = createClient({ url: fileUrl(file), timeout: 5000 });
  await raw.execute("PRAGMA journal_mode = WAL");
  await raw.execute("PRAGMA synchronous = NORMAL");
  return raw;
}

export async function openDatabase(file: string, raw?: Client): Promise<Database> {
  const client = raw ?? (await openRawClient(file));
  const prisma = new PrismaClient({ adapter: new SharedClientAdapter(client, fileUrl(file)) });
  await prisma.$connect();
  return {
    prisma,
    raw: client,
    file,
    async close() {
      await prisma.$disconnect();
      client.close();
    },
  };
}
