import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../support/cloud";
import { capturingLogger } from "../support/logger";

// PostgreSQL ends connections on its own: a restart, a failover, an administrator's
// pg_terminate_backend. An idle connection that goes that way is an 'error' event on its pool,
// which crashed the whole Cloud while nobody listened for it.
const logger = capturingLogger();
const connectionsLost = () => logger.lines.filter((line) => line.event === "cloud.db_connection_lost");

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud({ logger });
});
afterAll(async () => {
  await cloud?.dispose();
});

async function terminateBackends(databaseUrl: string): Promise<number> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.SIGHT_TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [name],
    );
    return rows.filter((row) => row.ended === true).length;
  } finally {
    await admin.end();
  }
}

describe("the Cloud's PostgreSQL connections", () => {
  it("survive the server ending its idle connections: a log line each, and the next request works", async () => {
    // One idle connection in each pool (raw SQL, and Prisma's).
    expect(await cloud.db.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    expect(await cloud.db.prisma.account.count()).toBe(0);

    expect(await terminateBackends(cloud.config.databaseUrl!)).toBeGreaterThanOrEqual(2);
    for (let waited = 0; waited < 5_000 && connectionsLost().length < 2; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const lost = connectionsLost();
    expect(new Set(lost.map((w) => w.fields?.pool))).toEqual(new Set(["raw", "prisma"]));
    // 57P01: admin_shutdown, what the server sends a backend it terminates.
    expect(lost.every((w) => w.fields?.code === "57P01")).toBe(true);

    // Both pools open new connections: a sign-up (Prisma) and raw SQL go through.
    const signUp = await fetch(`${cloud.url}/api/v1/auth/sign-up`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `after-restart-${Date.now()}@example.com`, password: "correct horse battery" }),
    });
    expect(signUp.status).toBe(201);
    expect(await cloud.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "Account"`)).toEqual([{ n: "1" }]);
  });
});
