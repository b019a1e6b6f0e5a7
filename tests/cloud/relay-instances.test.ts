import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloud, type Cloud } from "../../src/cloud/cloud";
import { silentLogger } from "../../src/main/services/logger";
import { LIVE_MSG, RELAY_MSG } from "../../src/shared/contract/live";
import { startTestCloud, TEST_SCRYPT, testRedis, type TestCloud } from "../support/cloud";
import { hostKey, id, invite, signUp, TestHost, TestViewer, until, type HostKey } from "../support/relay";

// Two Cloud instances on one PostgreSQL database and one Redis server, as behind a load balancer:
// the host publishes on one, viewers watch on the other, and when that one goes away they resume
// on the first with afterSeq and miss nothing.
let a: TestCloud;
let b: Cloud;
let bUrl: string;
let bOpen = true;
let accessToken: string;
let key: HostKey;
const clients: Array<{ close(): void }> = [];

beforeAll(async () => {
  a = await startTestCloud({ redis: testRedis() });
  b = await createCloud(
    { ...a.config, port: 0, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "sight-cloud-b-")) },
    { logger: silentLogger, scrypt: TEST_SCRYPT },
  );
  bUrl = await b.listen();
  accessToken = (await signUp(a.url)).accessToken;
  key = await hostKey();
});
afterAll(async () => {
  for (const client of clients) client.close();
  if (bOpen) await b?.close();
  if (b) fs.rmSync(b.config.dataDir, { recursive: true, force: true });
  await a?.dispose();
});

async function hostOn(url: string) {
  const sessionId = id("ls");
  const host = await TestHost.connect(url, {
    accessToken,
    sessionId,
    publicKey: key.publicJwk,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  clients.push(host);
  expect(await host.snapshot()).toEqual({ ok: true, seq: 0 });
  return { sessionId, host };
}

async function viewerOn(
  url: string,
  sessionId: string,
  options: { role?: "viewer" | "co-moderator"; inviteId?: string; afterSeq?: number; name?: string } = {},
) {
  const token = await invite(key, { sessionId, role: options.role, inviteId: options.inviteId });
  const viewer = await TestViewer.connect(url, { token, sessionId, afterSeq: options.afterSeq, name: options.name });
  clients.push(viewer);
  return viewer;
}

describe("the live relay on two Cloud instances sharing PostgreSQL and Redis", () => {
  it("runs both on Redis", () => {
    expect([a.relay.mode, b.relay.mode]).toEqual(["redis", "redis"]);
  });

  it("relays across instances: presence, probes and revocations reach the other one", async () => {
    const { sessionId, host } = await hostOn(a.url);
    const onB = await viewerOn(bUrl, sessionId, { name: "On B", role: "co-moderator" });
    const onA = await viewerOn(a.url, sessionId, { name: "On A" });
    await until(() => onA.snapshots.length === 1, "A's snapshot");
    // A's viewer sees B's in the snapshot's list (fetchSockets across instances).
    expect(onA.snapshots[0]!.viewers.map((viewer) => viewer.name).sort()).toEqual(["On A", "On B"]);
    await until(
      () =>
        host.presence
          .at(-1)
          ?.viewers.map((viewer) => viewer.name)
          .sort()
          .join() === "On A,On B",
      "both viewers in the host's list",
    );
    // A probe from B reaches the host connected to A, and the host's answer comes back.
    const answer = (await onB.socket.emitWithAck(LIVE_MSG.probe, { text: "Ask about price" })) as {
      probe: { suggestedBy: string };
    };
    expect(answer.probe.suggestedBy).toBe("On B");
    // The host revokes B's invite on A: B's viewer is closed there.
    const inviteId = id("inv");
    const revoked = await viewerOn(bUrl, sessionId, { inviteId });
    expect(await host.send(RELAY_MSG.revoke, { inviteId })).toEqual({ ok: true });
    await until(() => revoked.disconnected !== null, "the revoked viewer on B to go");
    expect(revoked.closed).toMatchObject({ reason: "revoked" });
    expect(onB.disconnected).toBeNull();
  });

  it("a viewer waiting on B for the first snapshot gets it when the host's events reach A", async () => {
    const sessionId = id("ls");
    const host = await TestHost.connect(a.url, {
      accessToken,
      sessionId,
      publicKey: key.publicJwk,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    clients.push(host);
    const queued = host.queue(4);
    const waiting = await viewerOn(bUrl, sessionId);
    expect(await host.snapshot()).toEqual({ ok: true, pending: true });
    expect(await host.send(RELAY_MSG.publish, { events: queued })).toMatchObject({ ok: true, lastHostSeq: 4 });
    await until(() => waiting.snapshots.length === 1, "the snapshot on B");
    await host.publish(2);
    await until(() => waiting.text === host.text, "the events after it");
  });

  it("a viewer on B gets what the host publishes on A, then resumes on A with afterSeq when B goes away", async () => {
    const { sessionId, host } = await hostOn(a.url);
    const watchers = [await viewerOn(bUrl, sessionId, { name: "B1" }), await viewerOn(bUrl, sessionId, { name: "B2" })];
    await until(() => watchers.every((watcher) => watcher.snapshots.length === 1), "the snapshots");
    for (let i = 0; i < 10; i += 1) await host.publish(5);
    for (const watcher of watchers) await until(() => watcher.text === host.text, "B's viewers to catch up");

    // The host keeps publishing while B closes and its viewers come back on A.
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        await host.publish(4);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    bOpen = false;
    await b.close();
    for (const watcher of watchers) await until(() => watcher.disconnected !== null, "B's viewers to be dropped");
    expect(watchers.map((watcher) => watcher.disconnected)).toEqual(["transport close", "transport close"]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const resumed = await Promise.all(
      watchers.map((watcher) => viewerOn(a.url, sessionId, { afterSeq: watcher.last!, name: "again" })),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    publishing = false;
    await publisher;
    await host.publish(3);
    for (const [i, again] of resumed.entries()) {
      await until(() => again.text.endsWith(`${host.hostSeq},`), "the resumed viewer to catch up");
      // No snapshot: exactly the events after the last one seen on B.
      expect(again.snapshots).toHaveLength(0);
      const before = watchers[i]!;
      const seen = [...before.seqs, ...again.seqs];
      const last = again.last!;
      expect(seen).toEqual(Array.from({ length: last }, (_, n) => n + 1));
      // Before and after the move, the viewer's text is exactly the host's: nothing lost or doubled.
      expect(before.text + again.text).toBe(host.text);
    }
    const held = (await a.relay.store.eventsAfter(sessionId, 0))!;
    expect(held.map((event) => event.seq)).toEqual(held.map((_, n) => n + 1));
  });

  it("a real instance killed with SIGKILL: its viewers resume on another with afterSeq and miss nothing", async () => {
    // Instance C is `npm run cloud` (src/cloud/cli.ts) in a process of its own, on the same
    // PostgreSQL, Redis and secrets as A, as a second replica behind a load balancer would be.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-cloud-c-"));
    const c = await startCloudProcess(dataDir);
    try {
      const { sessionId, host } = await hostOn(a.url);
      const watchers = await Promise.all(["C1", "C2", "C3"].map((name) => viewerOn(c.url, sessionId, { name })));
      await until(() => watchers.every((watcher) => watcher.snapshots.length === 1), "the snapshots on C", 15_000);
      for (let i = 0; i < 5; i += 1) await host.publish(5);
      for (const watcher of watchers) await until(() => watcher.text === host.text, "C's viewers to catch up");

      let publishing = true;
      const publisher = (async () => {
        while (publishing) {
          await host.publish(3);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      c.process.kill("SIGKILL");
      for (const watcher of watchers) await until(() => watcher.disconnected !== null, "C's viewers to be cut off");
      expect(watchers.map((watcher) => watcher.disconnected)).toEqual([
        "transport close",
        "transport close",
        "transport close",
      ]);
      const resumed = await Promise.all(
        watchers.map((watcher) => viewerOn(a.url, sessionId, { afterSeq: watcher.last!, name: "again" })),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      publishing = false;
      await publisher;
      await host.publish(2);
      for (const [i, again] of resumed.entries()) {
        await until(() => again.text.endsWith(`${host.hostSeq},`), "the resumed viewer to catch up");
        expect(again.snapshots).toHaveLength(0);
        const before = watchers[i]!;
        // Every seq once, across the kill: nothing lost, nothing doubled.
        expect([...before.seqs, ...again.seqs]).toEqual(Array.from({ length: again.last! }, (_, n) => n + 1));
        expect(before.text + again.text).toBe(host.text);
      }
    } finally {
      c.process.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** `npm run cloud` as its own process, on A's database, Redis and secrets; resolves once it listens. */
async function startCloudProcess(dataDir: string): Promise<{ process: ChildProcess; url: string }> {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "src/cloud/cli.ts"), "serve", "--port", "0", "--data-dir", dataDir],
    {
      cwd: root,
      env: definedOnly({
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: a.config.databaseUrl,
        SIGHT_CLOUD_LICENCE_KEY: a.config.licenceKey,
        SIGHT_CLOUD_ACCESS_TOKEN_SECRET: a.config.accessTokenSecret,
        REDIS_URL: a.config.redisUrl,
        SIGHT_CLOUD_REDIS_PREFIX: a.config.redisPrefix,
        SIGHT_CLOUD_LOG_LEVEL: "error",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`instance C did not start: ${stderr}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /Sight Cloud on (http:\/\/\S+)/.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`instance C exited with ${code}: ${stderr}`));
    });
  });
  return { process: child, url };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
