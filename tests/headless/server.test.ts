import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { RunningHost } from "../../src/main/headless/host";
import { startTestHost } from "../support/test-host";

const TOKEN = "server-test-token-0123456789";
let host: RunningHost;
let base: string;
let dataDir: string;
const auth = { Authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  ({ host, dataDir } = await startTestHost({
    token: TOKEN,
    renderer: {
      "index.html": "<!doctype html><title>Sight test page</title>",
      // A file whose name starts like socket.io's path: the guard must not wave it through.
      "socket.io-notes.txt": "guarded file",
    },
  }));
  base = host.server.url;
});
afterAll(async () => {
  await host.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as any };
}

describe("headless REST", () => {
  it("answers 401 UNAUTHORIZED without the bearer token", async () => {
    expect(await json(await fetch(`${base}/api/v1/projects`))).toEqual({
      status: 401,
      body: { error: { code: "UNAUTHORIZED", message: "Missing or invalid token." } },
    });
    expect((await fetch(`${base}/api/v1/projects`, { headers: { Authorization: "Bearer wrong" } })).status).toBe(401);
  });

  it("creates, lists, patches and deletes a project over REST", async () => {
    const created = await json(
      await fetch(`${base}/api/v1/projects`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({
          name: "REST project",
          targetDemographics: { gender: { female: 0.5, male: 0.5 } },
          targetSampleSize: 20,
        }),
      }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const list = await json(await fetch(`${base}/api/v1/projects?limit=5&q=rest&sort=name`, { headers: auth }));
    expect(list).toMatchObject({
      status: 200,
      body: { total: 1, nextCursor: null, items: [{ id, name: "REST project" }] },
    });
    const patched = await json(
      await fetch(`${base}/api/v1/projects/${id}`, {
        method: "PATCH",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ description: "changed" }),
      }),
    );
    expect(patched).toMatchObject({ status: 200, body: { id, description: "changed" } });
    expect(
      (await json(await fetch(`${base}/api/v1/projects/${id}`, { method: "DELETE", headers: auth }))).body,
    ).toEqual({ ok: true });
    expect((await fetch(`${base}/api/v1/projects/${id}`, { headers: auth })).status).toBe(404);
  });

  it("maps typed errors to HTTP statuses", async () => {
    const bad = await json(
      await fetch(`${base}/api/v1/projects`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ name: "x", targetDemographics: { gender: { female: 0.2 } } }),
      }),
    );
    expect(bad).toMatchObject({
      status: 422,
      body: { error: { code: "INVALID_DEMOGRAPHICS", details: { dimension: "gender" } } },
    });
    const invalid = await json(await fetch(`${base}/api/v1/projects?limit=500`, { headers: auth }));
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    const malformed = await json(
      await fetch(`${base}/api/v1/projects`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: "{not json",
      }),
    );
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    const unknown = await json(await fetch(`${base}/api/v1/nothing-here`, { headers: auth }));
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
  });

  it("refuses a foreign Origin and an unexpected Host even with the token", async () => {
    const foreign = await fetch(`${base}/api/v1/projects`, { headers: { ...auth, Origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    const http = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        `${base}/api/v1/projects`,
        { headers: { ...auth, Host: "evil.example" } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end();
    });
    expect(status).toBe(403);
  });

  it("trades the printed URL's token for an HttpOnly session cookie and strips it from the address", async () => {
    const login = await fetch(host.server.loginUrl, { redirect: "manual" });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/");
    const setCookie = login.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(";")[0]!;
    // Named after the port: a second host on another port keeps its own cookie.
    expect(cookie).toMatch(new RegExp(`^sight_session_${host.server.port}=`));
    const page = await fetch(`${base}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sight test page");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    // Valid only with a live sign-in: never shown again from the browser's cache.
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect((await fetch(`${base}/api/v1/projects`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await fetch(`${base}/?token=wrong`, { redirect: "manual" })).status).toBe(401);
    expect((await fetch(`${base}/`)).status).toBe(401);
  });

  it("guards paths that only look like socket.io's (/socket.io-…), serving them only with credentials", async () => {
    const anonymous = await fetch(`${base}/socket.io-notes.txt`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain("guarded file");
    const authorised = await fetch(`${base}/socket.io-notes.txt`, { headers: auth });
    expect(authorised.status).toBe(200);
    expect(await authorised.text()).toBe("guarded file");
  });

  it("serves an OpenAPI document generated from the contract", async () => {
    const { status, body } = await json(await fetch(`${base}/api/v1/openapi.json`, { headers: auth }));
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    expect(body.info.version).toBe("9.9.9");
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(["/api/v1/projects", "/api/v1/projects/{id}", "/api/v1/jobs/{id}"]),
    );
    const list = body.paths["/api/v1/projects"].get;
    expect(list.operationId).toBe("projects.list");
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["limit", "cursor", "q", "status", "sort"]),
    );
    const create = body.paths["/api/v1/projects"].post;
    expect(create.requestBody.content["application/json"].schema.properties.name.maxLength).toBe(120);
    expect(Object.keys(create.responses)).toContain("201");
    expect(body.paths["/api/v1/projects/{id}"].patch.parameters[0]).toMatchObject({
      name: "id",
      in: "path",
      required: true,
    });
  });
});

describe("headless socket.io", () => {
  function open(options: Parameters<typeof connect>[1]): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(base, { path: "/socket.io", transports: ["websocket"], reconnection: false, ...options });
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  it("refuses a socket without credentials", async () => {
    await expect(open({})).rejects.toThrow(/Missing or invalid token/);
  });

  it("refuses a socket from a foreign origin", async () => {
    await expect(open({ auth: { token: TOKEN }, extraHeaders: { Origin: "https://evil.example" } })).rejects.toThrow();
  });

  it("invokes routes and pushes db.changed events to subscribers", async () => {
    const socket = await open({ auth: { token: TOKEN } });
    try {
      const events: { name: string; payload: unknown }[] = [];
      socket.on("event", (event) => events.push(event));
      const created = await socket
        .timeout(5000)
        .emitWithAck("invoke", { name: "projects.create", input: { name: "Socket project" } });
      expect(created.data).toMatchObject({ name: "Socket project", status: "active" });
      const invalid = await socket
        .timeout(5000)
        .emitWithAck("invoke", { name: "projects.create", input: { name: "" } });
      expect(invalid.error.code).toBe("VALIDATION_FAILED");
      const unknown = await socket.timeout(5000).emitWithAck("invoke", { name: "fs.readFile", input: {} });
      expect(unknown.error.code).toBe("NOT_FOUND");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events).toContainEqual({ name: "db.changed", payload: { tables: ["Project"] } });
    } finally {
      socket.close();
    }
  });
});
