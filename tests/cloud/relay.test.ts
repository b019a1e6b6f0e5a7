import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIVE_HOST_NAMESPACE, LIVE_MSG, LIVE_VIEWER_NAMESPACE, RELAY_MSG } from "../../src/shared/contract/live";
import { startTestCloud, testRedis, type TestCloud } from "../support/cloud";
import {
  delta,
  hostKey,
  id,
  invite,
  refusal,
  signUp,
  snapshotBody,
  TestHost,
  TestViewer,
  until,
  type HostKey,
} from "../support/relay";

// Sight Cloud's live relay on one instance, against real servers (PostgreSQL, and Redis for the
// second run): the host publishes over socket.io, viewers join with invites signed by its key.
describe.each(["memory", "redis"] as const)("live relay (%s)", (mode) => {
  let cloud: TestCloud;
  let accessToken: string;
  let key: HostKey;
  const hosts: TestHost[] = [];
  const viewers: TestViewer[] = [];

  beforeAll(async () => {
    cloud = await startTestCloud({
      redis: mode === "redis" ? testRedis() : undefined,
      // Every viewer here comes from 127.0.0.1: the per-address handshake limit, tested on its
      // own in relay-handshakes.test.ts, would refuse this file's later tests.
      relay: { streamMaxLen: 200, handshakeRate: { limit: 10_000, windowMs: 60_000 } },
    });
    accessToken = (await signUp(cloud.url)).accessToken;
    key = await hostKey();
  });
  afterAll(async () => {
    for (const client of [...hosts, ...viewers]) client.close();
    await cloud?.dispose();
  });

  const expiresAt = () => new Date(Date.now() + 3_600_000).toISOString();
  /** A registered session with its host connected and an empty snapshot sent. */
  async function session(options: { snapshot?: boolean } = {}) {
    const sessionId = id("ls");
    const host = await TestHost.connect(cloud.url, {
      accessToken,
      sessionId,
      publicKey: key.publicJwk,
      expiresAt: expiresAt(),
    });
    hosts.push(host);
    if (options.snapshot !== false) expect(await host.snapshot()).toEqual({ ok: true, seq: 0 });
    return { sessionId, host };
  }
  async function viewer(
    sessionId: string,
    options: { role?: "viewer" | "co-moderator"; inviteId?: string; afterSeq?: number; name?: string } = {},
  ) {
    const token = await invite(key, { sessionId, role: options.role, inviteId: options.inviteId });
    const client = await TestViewer.connect(cloud.url, {
      token,
      name: options.name,
      afterSeq: options.afterSeq,
      sessionId,
    });
    viewers.push(client);
    return client;
  }

  it(`runs in ${mode} mode`, () => {
    expect(cloud.relay.mode).toBe(mode);
  });

  it("refuses viewers without a valid invite, each with its code", async () => {
    const { sessionId, host } = await session();
    const other = await hostKey();
    const viewerNs = LIVE_VIEWER_NAMESPACE;
    const revokedId = id("inv");
    expect(await host.send(RELAY_MSG.revoke, { inviteId: revokedId })).toEqual({ ok: true });
    const ended = await session();
    expect(await ended.host.send(RELAY_MSG.end, {})).toEqual({ ok: true });
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["no token", {}, "INVITE_MISSING"],
      ["malformed", { token: "not-a-token" }, "INVITE_INVALID"],
      ["signed by another key", { token: await invite(other, { sessionId }) }, "INVITE_INVALID"],
      ["another audience", { token: await invite(key, { sessionId, audience: "sight-cloud-api" }) }, "INVITE_INVALID"],
      ["expired", { token: await invite(key, { sessionId, expiresInS: -10 }) }, "INVITE_EXPIRED"],
      ["revoked", { token: await invite(key, { sessionId, inviteId: revokedId }) }, "INVITE_REVOKED"],
      ["another session's", { token: await invite(key, { sessionId: ended.sessionId }), sessionId }, "WRONG_SESSION"],
      ["an ended session's", { token: await invite(key, { sessionId: ended.sessionId }) }, "SESSION_ENDED"],
      ["an unknown session's", { token: await invite(key, { sessionId: id("ls") }) }, "INVITE_INVALID"],
      ["a bad name", { token: await invite(key, { sessionId }), name: "x".repeat(200) }, "VALIDATION_FAILED"],
    ];
    for (const [what, auth, code] of cases) {
      const refused = await refusal(cloud.url, viewerNs, auth);
      expect([what, refused.code], refused.message).toEqual([what, code]);
      expect(refused.message.length).toBeGreaterThan(10);
    }
    // And a valid one gets in.
    const ok = await viewer(sessionId);
    await until(() => ok.snapshots.length === 1, "the snapshot");
  });

  it("refuses a host without a valid access token, and a session id another account registered", async () => {
    const sessionId = id("ls");
    const auth = { accessToken: "x".repeat(40), sessionId, publicKey: key.publicJwk, expiresAt: expiresAt() };
    expect((await refusal(cloud.url, LIVE_HOST_NAMESPACE, auth)).code).toBe("UNAUTHORIZED");
    const { sessionId: taken } = await session();
    const stranger = (await signUp(cloud.url)).accessToken;
    const theirs = { ...auth, accessToken: stranger, sessionId: taken };
    expect((await refusal(cloud.url, LIVE_HOST_NAMESPACE, theirs)).code).toBe("FORBIDDEN");
    expect((await refusal(cloud.url, LIVE_HOST_NAMESPACE, { sessionId })).code).toBe("VALIDATION_FAILED");
    const row = await cloud.db.prisma.liveRelaySession.findUnique({ where: { id: taken } });
    expect(row?.publicKey).toEqual(key.publicJwk);
  });

  it("forgets sessions a day after they expired, with their revocations, and keeps the rest", async () => {
    const { accountId } = await signUp(cloud.url);
    const prisma = cloud.db.prisma;
    const publicKey = { kty: "OKP", crv: "Ed25519", x: "x".repeat(43) };
    const hour = 3_600_000;
    const rows = { old: id("ls"), recent: id("ls"), active: id("ls") };
    const expiries = { old: -25 * hour, recent: -1 * hour, active: 5 * hour };
    for (const [name, sessionId] of Object.entries(rows)) {
      const expiresAt = new Date(Date.now() + expiries[name as keyof typeof rows]);
      await prisma.liveRelaySession.create({ data: { id: sessionId, accountId, publicKey, expiresAt } });
      await prisma.liveRelayRevocation.create({ data: { sessionId, inviteId: id("inv") } });
    }
    expect(await cloud.relay.sessions.purgeExpired()).toBeGreaterThanOrEqual(1);
    const left = await prisma.liveRelaySession.findMany({ where: { id: { in: Object.values(rows) } } });
    expect(left.map((row) => row.id).sort()).toEqual([rows.recent, rows.active].sort());
    expect(await prisma.liveRelayRevocation.count({ where: { sessionId: rows.old } })).toBe(0);
    expect(await prisma.liveRelayRevocation.count({ where: { sessionId: rows.recent } })).toBe(1);
  });

  it("delivers the host's events in order with consecutive seqs", async () => {
    const { sessionId, host } = await session();
    const watcher = await viewer(sessionId);
    await until(() => watcher.snapshots.length === 1, "the snapshot");
    for (let batch = 0; batch < 4; batch += 1) expect((await host.publish(25)).ok).toBe(true);
    await until(() => watcher.text === host.text, "every event");
    const arrivedAfterSnapshot = watcher.arrived;
    expect(arrivedAfterSnapshot).toEqual(arrivedAfterSnapshot.map((_, i) => arrivedAfterSnapshot[0]! + i));
    expect(watcher.seqs).toEqual(watcher.seqs.map((_, i) => i + 1));
    expect(watcher.syncs).toBe(0);
    // Each host batch reached the viewer as one packet (its own join is a packet of one).
    expect(watcher.packets.filter((size) => size > 1)).toEqual([25, 25, 25, 25]);
  });

  it("applies a batch re-sent after a reconnect once, and the new part of an overlapping one", async () => {
    const { sessionId, host } = await session();
    const watcher = await viewer(sessionId);
    await until(() => watcher.snapshots.length === 1, "the snapshot");
    const batch = { events: [1, 2, 3, 4, 5].map(delta) };
    expect(await host.send(RELAY_MSG.publish, batch)).toEqual({ ok: true, lastHostSeq: 5 });
    host.socket.disconnect();
    host.socket.connect();
    await until(() => host.socket.connected, "the host to reconnect");
    expect(await host.send(RELAY_MSG.publish, batch)).toEqual({ ok: true, lastHostSeq: 5 });
    expect(await host.send(RELAY_MSG.publish, { events: [4, 5, 6, 7].map(delta) })).toEqual({
      ok: true,
      lastHostSeq: 7,
    });
    await until(() => watcher.text === "1,2,3,4,5,6,7,", "the seven events");
    const held = (await cloud.relay.store.eventsAfter(sessionId, 0))!;
    expect(held.filter((event) => event.name === "persona_responded").map((event) => event.delta)).toEqual([
      "1,",
      "2,",
      "3,",
      "4,",
      "5,",
      "6,",
      "7,",
    ]);
    expect(held.map((event) => event.seq)).toEqual(held.map((_, i) => i + 1));
  });

  it("gives a late joiner the snapshot and the events after it, no gap and no duplicate, while the host publishes", async () => {
    const { sessionId, host } = await session();
    let publishing = true;
    const publisher = (async () => {
      for (let round = 0; publishing || round < 20; round += 1) {
        await host.publish(3);
        if (round % 10 === 5) await host.snapshot();
      }
    })();
    const joiners: TestViewer[] = [];
    for (let i = 0; i < 6; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      joiners.push(await viewer(sessionId, { name: `Late ${i}` }));
    }
    publishing = false;
    await publisher;
    for (const late of joiners) {
      await until(() => late.text === host.text, "the joiner to catch up");
      expect(late.snapshots).toHaveLength(1);
      const base = late.snapshots[0]!.seq;
      expect(late.seqs).toEqual(late.seqs.map((_, i) => base + 1 + i));
      // Nothing but what the socket already had arrived twice (the relay re-reads after joining).
      expect(new Set(late.seqs).size).toBe(late.seqs.length);
    }
    expect(joiners.some((late) => late.snapshots[0]!.seq > 0)).toBe(true);
  });

  it("sends a reconnecting viewer exactly the events it missed, without a snapshot", async () => {
    const { sessionId, host } = await session();
    const first = await viewer(sessionId);
    await host.publish(10);
    await until(() => first.text === host.text, "ten events");
    const last = first.last!;
    first.close();
    await host.publish(7);
    const again = await viewer(sessionId, { afterSeq: last });
    await until(() => again.text.endsWith("17,"), "the missed events");
    expect(again.snapshots).toHaveLength(0);
    expect(again.arrived[0]).toBe(last + 1);
    expect(again.seqs).toEqual(again.seqs.map((_, i) => last + 1 + i));
    const deltas = again.applied.filter((event) => event.name === "persona_responded").map((event) => event.delta);
    expect(deltas).toEqual(["11,", "12,", "13,", "14,", "15,", "16,", "17,"]);
  });

  it("answers live:sync with events, or a snapshot once the stream no longer holds them", async () => {
    const { sessionId, host } = await session();
    const watcher = await viewer(sessionId);
    await host.publish(5);
    await until(() => watcher.text === host.text, "five events");
    const recent = (await watcher.socket.emitWithAck(LIVE_MSG.sync, { afterSeq: 2 })) as { events: { seq: number }[] };
    // Everything after seq 2, consecutive: at least what the watcher has applied, and possibly an
    // event (its own presence) that the relay stored before the watcher received it.
    const seqs = recent.events.map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 3 + i));
    expect(seqs.length).toBeGreaterThanOrEqual(watcher.last! - 2);
    expect(await watcher.socket.emitWithAck(LIVE_MSG.sync, { afterSeq: -1 })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    for (let i = 0; i < 5; i += 1) await host.publish(100);
    await host.snapshot();
    await until(() => watcher.text === host.text, "every event");
    const old = (await watcher.socket.emitWithAck(LIVE_MSG.sync, { afterSeq: 1 })) as {
      snapshot: { seq: number; you: string; sessionId: string; streaming: { text: string }[] };
    };
    expect(old.snapshot.sessionId).toBe(sessionId);
    expect(old.snapshot.you).toBe(watcher.socket.id);
    expect(old.snapshot.streaming[0]!.text).toBe(host.text);
    // A reconnect from that far back gets a snapshot too.
    const back = await viewer(sessionId, { afterSeq: 1 });
    await until(() => back.snapshots.length === 1, "a snapshot");
    expect(back.text).toBe(host.text);
  });

  it("gives a viewer that joined before the host's first snapshot its state when the snapshot comes", async () => {
    const { sessionId, host } = await session({ snapshot: false });
    const early = await viewer(sessionId);
    await host.publish(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(early.snapshots).toHaveLength(0);
    expect(await host.snapshot()).toMatchObject({ ok: true });
    await host.publish(2);
    await until(() => early.text === host.text, "the snapshot and the events after it");
    expect(early.snapshots).toHaveLength(1);
  });

  it("holds a snapshot that is ahead of the published events until they arrive, and no viewer misses one", async () => {
    // As the app does on (re)connecting: a snapshot of its state first, then its queued events.
    const { sessionId, host } = await session({ snapshot: false });
    const queued = host.queue(3);
    const early = await viewer(sessionId);
    expect(await host.snapshot()).toEqual({ ok: true, pending: true });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(early.snapshots).toHaveLength(0);
    expect(await host.send(RELAY_MSG.publish, { events: queued })).toEqual({ ok: true, lastHostSeq: 3 });
    await until(() => early.text === "1,2,3,", "the snapshot once its events are in");
    expect(early.snapshots).toHaveLength(1);

    // Live: a viewer who has been watching gets every event, whatever the snapshots say.
    const watching = early;
    const more = host.queue(4);
    expect(await host.snapshot()).toEqual({ ok: true, pending: true });
    const between = await viewer(sessionId);
    await until(() => between.snapshots.length === 1, "the previous snapshot");
    expect(await host.send(RELAY_MSG.publish, { events: more.slice(0, 2) })).toMatchObject({ lastHostSeq: 5 });
    expect(await host.send(RELAY_MSG.publish, { events: more.slice(2) })).toMatchObject({ lastHostSeq: 7 });
    const late = await viewer(sessionId);
    for (const each of [watching, between, late]) await until(() => each.text === host.text, "all seven");
    expect(late.snapshots[0]!.streaming[0]!.text).toBe(host.text);
    const held = (await cloud.relay.store.eventsAfter(sessionId, 0))!;
    const seqOfSeven = held.find((event) => event.name === "persona_responded" && event.delta === "7,")!.seq;
    expect(late.snapshots[0]!.seq).toBe(seqOfSeven);
    // An older snapshot than the stored one does not replace it.
    expect(await host.send(RELAY_MSG.snapshot, { hostSeq: 3, snapshot: snapshotBody("1,2,3,") })).toMatchObject({
      ok: true,
      stale: true,
    });
    const last = await viewer(sessionId);
    await until(() => last.snapshots.length === 1, "the snapshot");
    expect(last.text).toBe(host.text);
  });

  it("places an older snapshot at the seq of the last host event it covers, and refuses one the stream forgot", async () => {
    const store = cloud.relay.store;
    const sessionId = id("ls");
    const expiry = new Date(Date.now() + 3_600_000);
    const body = snapshotBody("");
    await store.publish(sessionId, [1, 2, 3].map(delta), expiry);
    const presence = await store.append(
      sessionId,
      {
        name: "presence",
        change: "joined",
        viewer: { id: "v1", name: "V", role: "viewer", state: "active", joinedAt: expiry.toISOString() },
      },
      expiry,
    );
    expect(presence?.seq).toBe(4);
    // Gaps in the host's counter are fine; only its order matters.
    await store.publish(sessionId, [5, 9, 10].map(delta), expiry);
    expect(await store.putSnapshot(sessionId, 3, body, expiry)).toEqual({ ok: true, seq: 3, stored: "active" });
    expect(await store.putSnapshot(sessionId, 8, body, expiry)).toEqual({ ok: true, seq: 5, stored: "active" });
    expect(await store.putSnapshot(sessionId, 5, body, expiry)).toEqual({ ok: true, seq: 5, stored: "stale" });
    expect(await store.putSnapshot(sessionId, 10, body, expiry)).toEqual({ ok: true, seq: 7, stored: "active" });
    expect((await store.getSnapshot(sessionId))?.seq).toBe(7);
    expect(await store.putSnapshot(sessionId, 0, body, expiry)).toEqual({ ok: true, seq: 0, stored: "stale" });
    // Once trimmed, a snapshot from before the stream's start cannot be placed.
    const long = id("ls");
    for (let i = 0; i < 6; i += 1)
      await store.publish(
        long,
        Array.from({ length: 100 }, (_, n) => delta(i * 100 + n + 1)),
        expiry,
      );
    expect(await store.putSnapshot(long, 2, body, expiry)).toEqual({ ok: false, reason: "too_old" });
    expect(await store.eventsAfter(long, 1)).toBeNull();
    expect((await store.eventsAfter(long, 1, { partial: true }))!.length).toBeGreaterThanOrEqual(200);
    expect(await store.eventsAfter(long, 600)).toEqual([]);
    expect(await store.eventsAfter(long, 700)).toBeNull();
  });

  it("lets a viewer call nothing but sync, presence and probe", async () => {
    const { sessionId, host } = await session();
    const bystander = await viewer(sessionId);
    const intruder = await viewer(sessionId);
    await until(() => bystander.snapshots.length === 1 && intruder.snapshots.length === 1, "both snapshots");
    const before = (await cloud.relay.store.eventsAfter(sessionId, 0))!.length;
    intruder.socket.emit(RELAY_MSG.publish, { events: [delta(1)] });
    await until(() => intruder.disconnected !== null, "the intruder to be dropped");
    expect(intruder.disconnected).toBe("io server disconnect");
    const other = await viewer(sessionId);
    other.socket.emit(RELAY_MSG.end, {});
    await until(() => other.disconnected !== null, "the second intruder to be dropped");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = (await cloud.relay.store.eventsAfter(sessionId, 0))!;
    expect(after.filter((event) => event.name !== "presence")).toHaveLength(0);
    expect(after.length).toBeGreaterThan(before);
    expect(await cloud.relay.store.isEnded(sessionId)).toBe(false);
    expect(bystander.text).toBe("");
    // The session goes on.
    await host.publish(1);
    await until(() => bystander.text === "1,", "the host's next event");
  });

  it("closes a viewer connection that sends an oversized message", async () => {
    const { sessionId, host } = await session();
    const comod = await viewer(sessionId, { role: "co-moderator" });
    await until(() => comod.snapshots.length === 1, "the snapshot");
    comod.socket.emit(LIVE_MSG.probe, { text: "x".repeat(20 * 1024) }, () => undefined);
    await until(() => comod.disconnected !== null, "the connection to close");
    expect(host.probes).toHaveLength(0);
  });

  it("forwards a co-moderator's probe to the host and acks with the host's answer; refuses viewers; rate-limits", async () => {
    const { sessionId, host } = await session();
    const comod = await viewer(sessionId, { role: "co-moderator", name: "Maya" });
    const plain = await viewer(sessionId, { role: "viewer" });
    const answer = (await comod.socket.emitWithAck(LIVE_MSG.probe, { text: "Ask about price" })) as {
      probe: { text: string; suggestedBy: string; status: string };
    };
    expect(answer.probe).toMatchObject({ text: "Ask about price", suggestedBy: "Maya", status: "queued" });
    expect(host.probes).toEqual([{ inviteId: expect.any(String), suggestedBy: "Maya", text: "Ask about price" }]);
    expect(await plain.socket.emitWithAck(LIVE_MSG.probe, { text: "Ask about price" })).toMatchObject({
      error: { code: "FORBIDDEN" },
    });
    expect(await comod.socket.emitWithAck(LIVE_MSG.probe, { text: "x" })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await comod.socket.emitWithAck(LIVE_MSG.probe, { text: "Ask about taste" })).toHaveProperty("probe");
    expect(await comod.socket.emitWithAck(LIVE_MSG.probe, { text: "Ask about brand" })).toMatchObject({
      error: { code: "RATE_LIMITED" },
    });
    expect(host.probes).toHaveLength(2);
    // The host's own refusal reaches the co-moderator as it is.
    host.probeAnswer = () => ({ error: { code: "VALIDATION_FAILED", message: "Probes are closed." } });
    const second = await viewer(sessionId, { role: "co-moderator" });
    expect(await second.socket.emitWithAck(LIVE_MSG.probe, { text: "One more thing" })).toEqual({
      error: { code: "VALIDATION_FAILED", message: "Probes are closed." },
    });
    // With the host gone, a probe cannot reach it.
    host.close();
    const third = await viewer(sessionId, { role: "co-moderator" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await third.socket.emitWithAck(LIVE_MSG.probe, { text: "Anyone there?" })).toMatchObject({
      error: { code: "HOST_UNAVAILABLE" },
    });
  });

  it("sequences presence changes for viewers and tells the host who is watching", async () => {
    const { sessionId, host } = await session();
    const names = () => host.presence.at(-1)?.viewers.map((v) => `${v.name}:${v.state}`) ?? [];
    const ana = await viewer(sessionId, { name: "Ana" });
    await until(() => names().join() === "Ana:active", "Ana in the host's list");
    const bo = await viewer(sessionId, { name: "Bo", role: "co-moderator" });
    await until(() => names().join() === "Ana:active,Bo:active", "Bo in the host's list");
    expect(host.presence.at(-1)!.viewers[1]).toMatchObject({ name: "Bo", role: "co-moderator", id: bo.socket.id });
    bo.socket.emit(LIVE_MSG.presence, { state: "idle" });
    await until(() => names().join() === "Ana:active,Bo:idle", "Bo idle at the host");
    bo.close();
    await until(() => names().join() === "Ana:active", "Bo gone from the host's list");
    // Ana gets each change as a sequenced event carrying only the viewer who changed.
    await until(() => ana.applied.filter((event) => event.name === "presence").length === 4, "Ana sees all four");
    const changes = ana.applied.flatMap((event) =>
      event.name === "presence" ? [`${event.change}:${event.viewer.name}`] : [],
    );
    expect(changes).toEqual(["joined:Ana", "joined:Bo", "idle:Bo", "left:Bo"]);
    expect(ana.applied.every((event) => !("viewers" in event))).toBe(true);
    expect(ana.seqs).toEqual(ana.seqs.map((_, i) => ana.snapshots[0]!.seq + 1 + i));
    expect(ana.watching()).toEqual(["Ana"]);
    const late = await viewer(sessionId, { name: "Cy" });
    await until(() => late.snapshots.length === 1, "the snapshot");
    expect(late.snapshots[0]!.viewers.map((v) => v.name)).toEqual(["Ana", "Cy"]);
    await until(() => ana.watching().join() === "Ana,Cy", "Ana sees Cy join");
  });

  it("disconnects a revoked invite's viewers and, at the end, everyone; refuses them after", async () => {
    const { sessionId, host } = await session();
    const inviteId = id("inv");
    const revoked = await viewer(sessionId, { inviteId });
    const sameInvite = await viewer(sessionId, { inviteId });
    const stays = await viewer(sessionId);
    expect(await host.send(RELAY_MSG.revoke, { inviteId })).toEqual({ ok: true });
    await until(() => revoked.disconnected !== null && sameInvite.disconnected !== null, "the revoked to go");
    expect(revoked.closed).toMatchObject({ reason: "revoked" });
    expect(stays.disconnected).toBeNull();
    const token = await invite(key, { sessionId, inviteId });
    expect((await refusal(cloud.url, LIVE_VIEWER_NAMESPACE, { token })).code).toBe("INVITE_REVOKED");
    expect(await host.send(RELAY_MSG.end, {})).toEqual({ ok: true });
    await until(() => stays.disconnected !== null, "everyone to go");
    expect(stays.closed).toMatchObject({ reason: "ended" });
    expect(await host.publish(1)).toMatchObject({ ok: false, error: { code: "SESSION_ENDED" } });
    const fresh = await invite(key, { sessionId });
    expect((await refusal(cloud.url, LIVE_VIEWER_NAMESPACE, { token: fresh })).code).toBe("SESSION_ENDED");
    const row = await cloud.db.prisma.liveRelaySession.findUnique({ where: { id: sessionId } });
    expect(row?.endedAt).toBeInstanceOf(Date);
    expect(await cloud.db.prisma.liveRelayRevocation.count({ where: { sessionId, inviteId } })).toBe(1);
  });

  it("closes a viewer when its invite expires", async () => {
    const { sessionId } = await session();
    const token = await invite(key, { sessionId, expiresInS: 2 });
    const brief = await TestViewer.connect(cloud.url, { token });
    viewers.push(brief);
    await until(() => brief.disconnected !== null, "the expiry", 4_000);
    expect([brief.disconnected, brief.closed]).toMatchObject(["io server disconnect", { reason: "expired" }]);
  });

  it("checks the origin of browsers and accepts its own public origin", async () => {
    const { sessionId } = await session();
    const token = await invite(key, { sessionId });
    const foreign = await refusal(cloud.url, LIVE_VIEWER_NAMESPACE, { token }, { origin: "https://evil.example" });
    expect(foreign.code).toBeUndefined();
    const own = await TestViewer.connect(cloud.url, { token }, { origin: new URL(cloud.publicUrl).origin });
    viewers.push(own);
    await until(() => own.snapshots.length === 1, "the snapshot");
  });
});
