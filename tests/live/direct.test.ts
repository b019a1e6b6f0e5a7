import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { io } from "socket.io-client";
import { startFakes, type RunningFakes } from "../../fakes";
import { newId } from "../../src/main/services/ids";
import { LIVE_HANDSHAKE_RATE } from "../../src/shared/domain/rate-window";
import { createInviteSigner } from "../../src/main/services/live/invite-tokens";
import { PROBE_RATE } from "../../src/main/services/live/live-service";
import { createMemorySecretStore } from "../../src/main/services/secrets/secret-store";
import { APP_ORIGIN } from "../../src/main/electron/app-origin";
import { DESKTOP_APP_ORIGIN } from "../../src/main/services/live/direct-server";
import { LIVE_MSG, LIVE_SOCKET_PATH, type LiveEvent, type LiveProbe } from "../../src/shared/contract";
import { expectConsecutive, liveWorld, TestViewer, until, viewerMessages, type LiveWorld } from "./live-support";

let fakes: RunningFakes;
const worlds: LiveWorld[] = [];
const viewers: TestViewer[] = [];
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
afterEach(async () => {
  for (const viewer of viewers.splice(0)) viewer.close();
  fakes.reset();
  await Promise.all(worlds.splice(0).map((world) => world.app.close()));
});

async function world() {
  const w = await liveWorld(fakes);
  worlds.push(w);
  return w;
}
function viewer(url: string, auth: Record<string, unknown>, options: { origin?: string } = {}) {
  const v = new TestViewer(url, auth, options);
  viewers.push(v);
  return v;
}

/** A focus group served directly with a co-moderator, Maja, connected. */
async function coModerating() {
  const w = await world();
  const fg = await w.createFocusGroup();
  const { invite, token } = await w.invite(fg.id, "co-moderator");
  const url = (await w.serve(invite.sessionId)).direct!.url;
  const co = viewer(url, { token, name: "Maja (brand)" });
  await co.settled();
  return { w, fg, invite, co };
}

describe("live sessions served directly", () => {
  it("admits only a valid, unrevoked invite of this session, and says why it refuses", async () => {
    const w = await world();
    const fg = await w.createFocusGroup();
    const { invite, token, links } = await w.invite(fg.id);
    expect(links.browser).toEqual([]); // nothing serves it yet
    const served = await w.serve(invite.sessionId);
    const url = served.direct!.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The links name where it is served; the token travels in the fragment, never to a server.
    const again = await w.invite(fg.id);
    expect(again.invite.sessionId).toBe(invite.sessionId);
    expect(again.links.browser).toEqual([`${url}/live/${invite.sessionId}#token=${again.token}`]);
    expect(again.links.app[0]).toBe(
      `sight://join-session/${invite.sessionId}?code=${encodeURIComponent(again.token)}&via=${encodeURIComponent(url)}`,
    );

    const ok = viewer(url, { token, name: "Ada" });
    expect(await ok.settled()).toBe("connected");
    expect(ok.snapshot).toMatchObject({ sessionId: invite.sessionId, role: "viewer", seq: 1 });
    expect(ok.snapshot!.focusGroup).toMatchObject({ id: fg.id, name: fg.name, status: "draft" });
    expect(ok.snapshot!.participants.map((p) => p.id)).toEqual(w.personaIds);
    expect(ok.snapshot!.viewers.map((v) => v.name)).toEqual(["Ada"]);

    const refusedWith = async (auth: Record<string, unknown>, options: { origin?: string } = {}) => {
      const v = viewer(url, auth, options);
      expect(await v.settled()).toBe("refused");
      return v.connectError!;
    };
    expect((await refusedWith({})).code).toBe("INVITE_MISSING");
    expect((await refusedWith({ token: "not-a-token" })).code).toBe("INVITE_INVALID");
    // Signed by another install's key: the shape is right, the signature is not.
    const stranger = createInviteSigner(createMemorySecretStore());
    const forged = await stranger.sign({
      inviteId: invite.id,
      sessionId: invite.sessionId,
      role: "co-moderator",
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    expect((await refusedWith({ token: forged })).code).toBe("INVITE_INVALID");
    // A token this host signed, of a real invite, whose time is up.
    const expired = await w.app.services.live.signer.sign({
      inviteId: invite.id,
      sessionId: invite.sessionId,
      role: "viewer",
      expiresAt: new Date(Date.now() - 1_000),
    });
    expect((await refusedWith({ token: expired })).code).toBe("INVITE_EXPIRED");
    // Another focus group's session, on this session's server.
    const other = await w.invite((await w.createFocusGroup("Another group")).id);
    expect(other.invite.sessionId).not.toBe(invite.sessionId);
    expect((await refusedWith({ token: other.token })).code).toBe("WRONG_SESSION");
    // A browser page from elsewhere may not connect, even with a good invite.
    const handshake = await fetch(`${url}${LIVE_SOCKET_PATH}/?EIO=4&transport=polling`, {
      headers: { origin: "http://evil.example" },
    });
    expect(handshake.status).toBe(403);
    expect(await handshake.json()).toMatchObject({ message: "Origin not allowed" });
    expect(await refusedWith({ token }, { origin: "http://evil.example" })).toMatchObject({
      message: "websocket error",
    });
    expect(await viewer(url, { token: again.token }, { origin: DESKTOP_APP_ORIGIN }).settled()).toBe("connected");
    expect(DESKTOP_APP_ORIGIN).toBe(APP_ORIGIN);

    // Revoking: the connected viewer is told and dropped; the invite no longer joins.
    const revoked = await w.invoke<{ revokedAt: string | null }>("live.revokeInvite", { inviteId: invite.id });
    expect(revoked.revokedAt).not.toBeNull();
    await until(() => ok.closed !== null && !ok.socket.connected, 5_000, "the revoked viewer to be dropped");
    expect(ok.closed).toMatchObject({ reason: "revoked" });
    expect((await refusedWith({ token })).code).toBe("INVITE_REVOKED");

    // The default namespace serves nothing.
    const root = io(url, { path: LIVE_SOCKET_PATH, transports: ["websocket"], reconnection: false, forceNew: true });
    const rootError = await new Promise<string>((resolve) => root.on("connect_error", (e) => resolve(e.message)));
    root.close();
    expect(rootError).toMatch(/viewer namespace/);

    // Ending: everyone still connected is told and dropped, and the server stops.
    const last = viewer(url, { token: again.token });
    expect(await last.settled()).toBe("connected");
    const ended = await w.invoke<{ status: string; direct: unknown }>("live.end", { sessionId: invite.sessionId });
    expect(ended).toMatchObject({ status: "ended", direct: null });
    await until(() => last.closed !== null, 5_000, "the session end to reach the viewer");
    expect(last.closed).toMatchObject({ reason: "ended" });
    expect(await viewer(url, { token: again.token }).settled()).toBe("refused");
  });

  it("stopping the server drops every viewer at once, without telling each remaining one of each departure", async () => {
    const w = await world();
    const fg = await w.createFocusGroup();
    const { invite, token } = await w.invite(fg.id);
    const url = (await w.serve(invite.sessionId)).direct!.url;
    const watching = Array.from({ length: 5 }, (_, i) => viewer(url, { token, name: `V${i}` }));
    for (const v of watching) expect(await v.settled()).toBe("connected");
    const feed = w.app.services.live.feed(invite.sessionId);
    const before = feed.seq;
    const stopped = await w.invoke<{ direct: unknown; viewers: unknown[] }>("live.stopDirect", {
      sessionId: invite.sessionId,
    });
    expect(stopped).toMatchObject({ direct: null, viewers: [] });
    for (const v of watching) {
      await until(() => v.closed !== null, 5_000, "the stop to reach every viewer");
      expect(v.closed).toMatchObject({ reason: "ended" });
    }
    // n departures at once would otherwise be n presence events, each sent to everyone still there.
    expect(feed.since(before)!.filter((e) => e.name === "presence")).toEqual([]);
    // One viewer leaving on its own is still announced.
    const url2 = (await w.serve(invite.sessionId)).direct!.url;
    const [a, b] = [viewer(url2, { token, name: "A" }), viewer(url2, { token, name: "B" })];
    await a.settled();
    await b.settled();
    b.close();
    await until(
      () => a.events.some((e) => e.name === "presence" && e.change === "left" && e.viewer.name === "B"),
      5_000,
      "B's departure to reach A",
    );
    // A presence event names the viewer who changed, not the whole list (that is in the snapshot).
    const left = a.events.find((e) => e.name === "presence" && e.change === "left")!;
    expect(Object.keys(left).sort()).toEqual(["change", "name", "seq", "viewer"]);
  });

  it("sends the events published in one tick to every viewer as one packet", async () => {
    const w = await world();
    const fg = await w.createFocusGroup();
    const { invite, token } = await w.invite(fg.id);
    const url = (await w.serve(invite.sessionId)).direct!.url;
    const watching = [viewer(url, { token, name: "A" }), viewer(url, { token, name: "B" })];
    for (const v of watching) expect(await v.settled()).toBe("connected");
    const feed = w.app.services.live.feed(invite.sessionId);
    await until(() => watching.every((v) => (v.events.at(-1)?.seq ?? v.snapshot!.seq) === feed.seq), 5_000, "quiet");
    const first = feed.seq + 1;
    // One tick: three events (a token flush publishes one per streaming message like this).
    for (const delta of ["Price ", "is ", "fine."])
      feed.publish({ name: "persona_responded", unitKey: "u1", speakerName: "Ola", delta });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The next tick: one more, its own packet.
    feed.publish({ name: "persona_responded", unitKey: "u1", speakerName: "Ola", delta: " Mostly." });
    for (const v of watching) {
      await until(() => v.events.at(-1)?.seq === first + 3, 5_000, "the four events");
      expect(v.packets.slice(-2)).toEqual([[first, first + 1, first + 2], [first + 3]]);
    }
  });

  it("a viewer socket can call nothing but the viewer messages, and is dropped when it tries", async () => {
    const w = await world();
    const fg = await w.createFocusGroup();
    const { invite, token } = await w.invite(fg.id);
    const url = (await w.serve(invite.sessionId)).direct!.url;
    const v = viewer(url, { token });
    await v.settled();
    // The headless host's invoke message means nothing here.
    v.socket.emit("invoke", { name: "projects.list", input: {} }, () => undefined);
    await until(() => !v.socket.connected, 5_000, "the socket to be dropped");
    // A viewer (not a co-moderator) cannot suggest probes.
    const w2 = viewer(url, { token });
    await w2.settled();
    expect(await w2.emitWithAck(LIVE_MSG.probe, { text: "Ask about price" })).toMatchObject({
      error: { code: "FORBIDDEN" },
    });
    expect(await w2.emitWithAck(LIVE_MSG.sync, { afterSeq: -4 })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    const status = await w.invoke<{ session: { probes: unknown[] } }>("live.status", { focusGroupId: fg.id });
    expect(status.session.probes).toEqual([]);
  });

  it("streams the discussion in order; a late joiner and a reconnecting viewer miss nothing and see nothing twice", async () => {
    const w = await world();
    const fg = await w.createFocusGroup();
    const { invite, token } = await w.invite(fg.id);
    const url = (await w.serve(invite.sessionId)).direct!.url;
    fakes.control({ latencyMs: 40 });

    const early = viewer(url, { token, name: "Early" });
    await early.settled();
    const startSeq = early.snapshot!.seq;
    await w.run(fg.id);
    // Late: joins once some messages are saved.
    await until(() => viewerMessages(early).length >= 3, 15_000, "three messages");
    const late = viewer(url, { token, name: "Late" });
    await late.settled();
    expect(late.snapshot!.messages.length).toBeGreaterThanOrEqual(3);
    // Drops and reconnects with the last seq it applied.
    const flaky = viewer(url, { token, name: "Flaky" });
    await flaky.settled();
    await until(() => flaky.events.length >= 2, 15_000, "flaky's first events");
    flaky.close();
    const flakyLast = flaky.lastSeq();
    await until(() => early.lastSeq() >= flakyLast + 10, 15_000, "events while flaky is away");
    const back = viewer(url, { token, name: "Flaky", afterSeq: flakyLast });
    await back.settled();
    expect(back.snapshot).toBeNull(); // the missed events, not a snapshot

    const { fg: done, messages } = await w.finish(fg.id);
    expect(done.status).toBe("completed");
    expect(messages).toHaveLength(2 * (1 + 3 + 3));
    // The reconnected viewer holds what it had before it dropped, then what it was sent after.
    const rejoined = {
      snapshot: flaky.snapshot,
      get events() {
        return [...flaky.events, ...back.events];
      },
      lastSeq: () => back.lastSeq(),
    };
    await until(
      () =>
        [early, late, rejoined].every(
          (v) => v.lastSeq() >= early.lastSeq() && viewerMessages(v).length === messages.length,
        ),
      10_000,
      "every viewer to catch up",
    );

    // Every viewer's events are consecutive from where its state began: no gap, no duplicate.
    expectConsecutive(early.events, startSeq);
    expectConsecutive(late.events, late.snapshot!.seq);
    expectConsecutive(flaky.events, flaky.snapshot!.seq);
    expectConsecutive(back.events, flakyLast);
    // And each rebuilt the transcript exactly as saved.
    for (const v of [early, late, rejoined]) {
      expect(viewerMessages(v).map((m) => [m.id, m.text])).toEqual(messages.map((m) => [m.id, m.text]));
    }
    // Streamed deltas, joined per message, spell each finished message (the early viewer saw all).
    const streamed = new Map<string, string>();
    for (const event of early.events) {
      if (event.name === "persona_responded" && event.delta !== undefined)
        streamed.set(event.unitKey, (streamed.get(event.unitKey) ?? "") + event.delta);
    }
    const finishedByUnit = new Map<string, string>();
    for (const event of early.events) {
      if (event.name === "persona_responded" && event.message) finishedByUnit.set(event.unitKey, event.message.text);
    }
    const personaUnits = [...finishedByUnit].filter(([key]) => !key.endsWith("/ask"));
    expect(personaUnits.length).toBe(2 * 6);
    for (const [unitKey, text] of personaUnits) expect(streamed.get(unitKey)?.trim()).toBe(text);
    // Presence: the early viewer saw the others join and Flaky leave.
    const presence = early.events.filter((e): e is Extract<LiveEvent, { name: "presence" }> => e.name === "presence");
    expect(presence.map((e) => `${e.change}:${e.viewer.name}`)).toEqual([
      "joined:Late",
      "joined:Flaky",
      "left:Flaky",
      "joined:Flaky",
    ]);
    const updates = early.events.filter((e) => e.name === "discussion_updated");
    expect(updates.at(-1)).toMatchObject({ status: "completed" });
    expect(updates.some((e) => e.name === "discussion_updated" && e.question === "What would make you switch?")).toBe(
      true,
    );
  });

  it("refuses a flood of handshakes from one address before checking the invite", async () => {
    const w = await world();
    const fg = await w.createFocusGroup();
    const { invite, token } = await w.invite(fg.id);
    const url = (await w.serve(invite.sessionId)).direct!.url;
    const attempts = Array.from({ length: LIVE_HANDSHAKE_RATE.limit }, () => viewer(url, { token: "not-a-token" }));
    for (const attempt of attempts) expect(await attempt.settled()).toBe("refused");
    expect(attempts.map((attempt) => attempt.connectError!.code)).toEqual(
      Array(LIVE_HANDSHAKE_RATE.limit).fill("INVITE_INVALID"),
    );
    // Over the limit, even a good invite waits for the window to pass.
    const good = viewer(url, { token, name: "Ada" });
    expect(await good.settled()).toBe("refused");
    expect(good.connectError).toMatchObject({ code: "RATE_LIMITED" });
    expect(good.connectError!.message).toMatch(
      /^Too many connection attempts from this address: try again in \d+ s\.$/,
    );
  });

  it("a co-moderator's probe is queued, approved by the host, asked at the next turn and attributed", async () => {
    const { w, fg, co } = await coModerating();
    expect(co.snapshot!.role).toBe("co-moderator");

    const ack = (await co.emitWithAck(LIVE_MSG.probe, { text: "Does the price per litre matter to you?" })) as {
      probe: LiveProbe;
    };
    expect(ack.probe).toMatchObject({ status: "queued", suggestedBy: "Maja (brand)" });
    expect(await co.emitWithAck(LIVE_MSG.probe, { text: "x" })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    const rejected = (await co.emitWithAck(LIVE_MSG.probe, { text: "Off-topic question" })) as { probe: LiveProbe };
    const third = (await co.emitWithAck(LIVE_MSG.probe, { text: "One more thing" })) as { probe: LiveProbe };
    expect(third.probe.status).toBe("queued");
    // PROBE_RATE.count per window per invite.
    expect(PROBE_RATE.count).toBe(3);
    expect(await co.emitWithAck(LIVE_MSG.probe, { text: "A fourth too soon" })).toMatchObject({
      error: { code: "RATE_LIMITED" },
    });

    // The host sees them queued, approves one and rejects the others.
    const status = await w.invoke<{ session: { probes: LiveProbe[] } }>("live.status", { focusGroupId: fg.id });
    expect(status.session.probes.map((p) => p.status)).toEqual(["queued", "queued", "queued"]);
    await w.invoke("live.decideProbe", { probeId: ack.probe.id, decision: "approve" });
    await w.invoke("live.decideProbe", { probeId: rejected.probe.id, decision: "reject" });
    await w.invoke("live.decideProbe", { probeId: third.probe.id, decision: "reject" });
    await until(() => co.events.filter((e) => e.name === "probe_updated").length >= 3, 5_000, "probe updates");
    const conflict = await w.app.router.invoke(
      "live.decideProbe",
      { probeId: ack.probe.id, decision: "reject" },
      {
        transport: "rest",
      },
    );
    expect(conflict).toMatchObject({ error: { code: "CONFLICT" } });

    await w.run(fg.id);
    const { messages } = await w.finish(fg.id);
    // 2 questions × (ask + 3 answers + 3 reactions), plus the probe and 3 answers to it after question 1.
    expect(messages).toHaveLength(2 * 7 + 4);
    const asked = messages.find((m) => m.suggestedBy !== undefined)!;
    expect(asked).toMatchObject({
      speakerType: "moderator",
      phase: "followup",
      questionIndex: 0,
      text: "Does the price per litre matter to you?",
      suggestedBy: "Maja (brand)",
    });
    const answers = messages.filter((m) => m.replyToId === asked.id);
    expect(answers.map((m) => m.personaId).sort()).toEqual([...w.personaIds].sort());
    expect(answers.every((m) => m.phase === "followup_answer" && m.questionIndex === 0)).toBe(true);
    // In plan order it comes after question 1's discussion and before question 2.
    const q2 = messages.find((m) => m.questionIndex === 1 && m.phase === "question")!;
    expect(asked.seq).toBeLessThan(q2.seq);
    const after = await w.invoke<{ session: { probes: LiveProbe[] } }>("live.status", { focusGroupId: fg.id });
    expect(after.session.probes.map((p) => [p.text, p.status])).toEqual([
      ["Does the price per litre matter to you?", "asked"],
      ["Off-topic question", "rejected"],
      ["One more thing", "rejected"],
    ]);
    await until(
      () => co.events.some((e) => e.name === "probe_updated" && e.probe.status === "asked"),
      5_000,
      "the asked probe to reach the co-moderator",
    );
  });

  it("once the discussion has finished, waiting probes are marked missed and new ones are refused", async () => {
    const { w, fg, invite, co } = await coModerating();
    const waiting = (await co.emitWithAck(LIVE_MSG.probe, { text: "Would you pay more for glass?" })) as {
      probe: LiveProbe;
    };
    expect(waiting.probe.status).toBe("queued");

    // The host never decides it; the discussion runs to its end without it.
    await w.run(fg.id);
    const { messages } = await w.finish(fg.id);
    expect(messages.some((m) => m.suggestedBy !== undefined)).toBe(false);
    await until(
      () => co.events.some((e) => e.name === "probe_updated" && e.probe.status === "missed"),
      5_000,
      "the missed probe to reach the co-moderator",
    );
    const status = await w.invoke<{ session: { probes: LiveProbe[] } }>("live.status", { focusGroupId: fg.id });
    expect(status.session.probes.map((p) => [p.text, p.status])).toEqual([["Would you pay more for glass?", "missed"]]);

    // A new probe has no turn left to be asked at.
    expect(await co.emitWithAck(LIVE_MSG.probe, { text: "And recycled plastic?" })).toMatchObject({
      error: { code: "DISCUSSION_FINISHED" },
    });
    // One that slipped in as the discussion ended cannot be approved either, and stays as it was.
    const late = await w.app.services.db.prisma.liveProbe.create({
      data: {
        id: newId(),
        sessionId: invite.sessionId,
        inviteId: invite.id,
        suggestedBy: "Maja (brand)",
        text: "A late thought",
        status: "queued",
      },
    });
    const refused = await w.app.router.invoke(
      "live.decideProbe",
      { probeId: late.id, decision: "approve" },
      { transport: "rest" },
    );
    expect(refused).toMatchObject({ error: { code: "CONFLICT", details: { reason: "discussion_finished" } } });
    expect((await w.app.services.db.prisma.liveProbe.findUniqueOrThrow({ where: { id: late.id } })).status).toBe(
      "queued",
    );
    await w.invoke("live.decideProbe", { probeId: late.id, decision: "reject" });
    expect((await w.app.services.db.prisma.liveProbe.findUniqueOrThrow({ where: { id: late.id } })).status).toBe(
      "rejected",
    );
  });
});
