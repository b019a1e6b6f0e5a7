import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../support/cloud";

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(async () => {
  await cloud?.dispose();
});

let counter = 0;
const email = () => `researcher${Date.now()}-${(counter += 1)}@example.com`;

async function call(method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${cloud.url}/api/v1${path}`, {
    method,
    headers: {
      ...(body ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe("Sight Cloud accounts on PostgreSQL", () => {
  it("runs on a real PostgreSQL server, not the embedded one", () => {
    expect(cloud.db.kind).toBe("postgres");
  });

  it("signs up, stores the password as an scrypt hash and the refresh token only as its SHA-256", async () => {
    const address = email();
    const signUp = await call("POST", "/auth/sign-up", {
      email: address.toUpperCase(),
      password: "correct horse battery",
    });
    expect(signUp.status).toBe(201);
    expect(signUp.body.account.email).toBe(address);
    const row = await cloud.db.prisma.account.findUnique({ where: { email: address } });
    expect(row?.passwordHash).toMatch(/^scrypt\$\d+\$8\$\d\$[\w-]+\$[\w-]+$/);
    expect(row?.passwordHash).not.toContain("correct horse");
    const tokens = await cloud.db.prisma.refreshToken.findMany({ where: { accountId: row!.id } });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[0]!.tokenHash).not.toBe(signUp.body.refreshToken);
  });

  it("refuses a second account with the same email with CONFLICT", async () => {
    const address = email();
    await call("POST", "/auth/sign-up", { email: address, password: "correct horse battery" });
    const again = await call("POST", "/auth/sign-up", { email: address, password: "another password" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");
  });

  it("refuses a short password and a malformed email with VALIDATION_FAILED and creates nothing", async () => {
    const before = await cloud.db.prisma.account.count();
    const short = await call("POST", "/auth/sign-up", { email: email(), password: "short" });
    const bad = await call("POST", "/auth/sign-up", { email: "not-an-email", password: "long enough pass" });
    expect([short.status, bad.status]).toEqual([400, 400]);
    expect(short.body.error.details.issues[0].path).toEqual(["password"]);
    expect(await cloud.db.prisma.account.count()).toBe(before);
  });

  it("signs in with the right password and refuses the wrong one with UNAUTHORIZED", async () => {
    const address = email();
    await call("POST", "/auth/sign-up", { email: address, password: "correct horse battery" });
    const ok = await call("POST", "/auth/sign-in", { email: address, password: "correct horse battery" });
    const wrong = await call("POST", "/auth/sign-in", { email: address, password: "wrong horse battery" });
    const unknown = await call("POST", "/auth/sign-in", { email: email(), password: "correct horse battery" });
    expect(ok.status).toBe(200);
    expect(ok.body.accessToken.split(".")).toHaveLength(3);
    expect([wrong.status, wrong.body.error.code]).toEqual([401, "UNAUTHORIZED"]);
    // An unknown email answers exactly like a wrong password: no account enumeration.
    expect(unknown.body.error).toEqual(wrong.body.error);
  });

  it("rate-limits failed sign-ins per email after 10 attempts, with Retry-After, across the database", async () => {
    const address = email();
    await call("POST", "/auth/sign-up", { email: address, password: "correct horse battery" });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1)
      statuses.push((await call("POST", "/auth/sign-in", { email: address, password: `nope${i}xxxx` })).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const limited = await call("POST", "/auth/sign-in", { email: address, password: "correct horse battery" });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(800);
    const row = await cloud.db.prisma.rateLimit.findUnique({ where: { key: `signin:email:${address}` } });
    // The refused attempt was counted too (counted before checking, so bursts cannot slip through).
    expect(row?.count).toBe(11);
  });

  it("counts a burst of 30 parallel wrong sign-ins before checking any: at most 10 are even tried", async () => {
    const address = email();
    await call("POST", "/auth/sign-up", { email: address, password: "correct horse battery" });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call("POST", "/auth/sign-in", { email: address, password: `burst-${i}-xxxx` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it("rotates refresh tokens: the new one works, the old one is refused", async () => {
    const first = await call("POST", "/auth/sign-up", { email: email(), password: "correct horse battery" });
    const second = await call("POST", "/auth/refresh", { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    const third = await call("POST", "/auth/refresh", { refreshToken: second.body.refreshToken });
    expect(third.status).toBe(200);
  });

  it("revokes the whole family when a rotated refresh token is presented again", async () => {
    const first = await call("POST", "/auth/sign-up", { email: email(), password: "correct horse battery" });
    const second = await call("POST", "/auth/refresh", { refreshToken: first.body.refreshToken });
    const replayed = await call("POST", "/auth/refresh", { refreshToken: first.body.refreshToken });
    expect([replayed.status, replayed.body.error.details.reason]).toEqual([401, "reuse"]);
    // The legitimate holder's newer token dies with the family.
    const legit = await call("POST", "/auth/refresh", { refreshToken: second.body.refreshToken });
    expect([legit.status, legit.body.error.details.reason]).toEqual([401, "revoked"]);
    const family = await cloud.db.prisma.refreshToken.findMany({ where: { accountId: first.body.account.id } });
    expect(family.every((token) => token.revokedAt !== null)).toBe(true);
  });

  it("lets only one of two concurrent refreshes with the same token win", async () => {
    const first = await call("POST", "/auth/sign-up", { email: email(), password: "correct horse battery" });
    const results = await Promise.all([
      call("POST", "/auth/refresh", { refreshToken: first.body.refreshToken }),
      call("POST", "/auth/refresh", { refreshToken: first.body.refreshToken }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("keeps a second desktop signed in when the first signs out", async () => {
    const address = email();
    await call("POST", "/auth/sign-up", { email: address, password: "correct horse battery" });
    const laptop = await call("POST", "/auth/sign-in", {
      email: address,
      password: "correct horse battery",
      device: "laptop",
    });
    const desktop = await call("POST", "/auth/sign-in", {
      email: address,
      password: "correct horse battery",
      device: "desktop",
    });
    expect((await call("POST", "/auth/sign-out", { refreshToken: laptop.body.refreshToken })).status).toBe(200);
    expect((await call("POST", "/auth/refresh", { refreshToken: laptop.body.refreshToken })).status).toBe(401);
    const stillIn = await call("POST", "/auth/refresh", { refreshToken: desktop.body.refreshToken });
    expect(stillIn.status).toBe(200);
    expect((await call("GET", "/licence", undefined, stillIn.body.accessToken)).body.claims.email).toBe(address);
  });

  it("refuses authenticated routes without, with a forged or with an expired access token", async () => {
    const session = await call("POST", "/auth/sign-up", { email: email(), password: "correct horse battery" });
    expect((await call("GET", "/licence")).status).toBe(401);
    const [h, p] = session.body.accessToken.split(".");
    expect((await call("GET", "/licence", undefined, `${h}.${p}.AAAA`)).status).toBe(401);
    const forged = Buffer.from(JSON.stringify({ sub: "acct_someone_else" })).toString("base64url");
    expect(
      (await call("GET", "/licence", undefined, `${h}.${forged}.${session.body.accessToken.split(".")[2]}`)).status,
    ).toBe(401);
  });

  it("deletes an account: the password is checked, every sign-in ends, the email is forgotten and can sign up again", async () => {
    const address = email();
    const session = await call("POST", "/auth/sign-up", { email: address, password: "correct horse battery" });
    const wrong = await call("POST", "/account/delete", { password: "not it at all" }, session.body.accessToken);
    expect(wrong.status).toBe(401);
    const deleted = await call(
      "POST",
      "/account/delete",
      { password: "correct horse battery" },
      session.body.accessToken,
    );
    expect(deleted.body).toEqual({ deleted: true });
    expect((await call("GET", "/account", undefined, session.body.accessToken)).status).toBe(401);
    expect((await call("POST", "/auth/refresh", { refreshToken: session.body.refreshToken })).status).toBe(401);
    const row = await cloud.db.prisma.account.findUnique({ where: { id: session.body.account.id } });
    expect([row?.email, row?.passwordHash, row?.deletedAt instanceof Date]).toEqual([null, null, true]);
    expect((await call("POST", "/auth/sign-up", { email: address, password: "correct horse battery" })).status).toBe(
      201,
    );
  });

  it("serves an OpenAPI document generated from the Cloud's contract", async () => {
    const doc = (await call("GET", "/openapi.json")).body;
    expect(doc.info.title).toBe("Sight Cloud API");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/auth/sign-in",
        "/api/v1/billing/create-checkout",
        "/api/v1/billing/webhook",
        "/api/v1/licence",
      ]),
    );
    expect(doc.paths["/api/v1/auth/sign-in"].post.security).toEqual([]);
  });
});
