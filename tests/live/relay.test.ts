import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakes, type RunningFakes } from "../../fakes";
import type { CloudConfig } from "../../src/main/services/billing/cloud-config";
import type { TrustedKey } from "../../src/main/services/billing/licence";
import { LIVE_MSG, type LiveProbe, type LiveSession } from "../../src/shared/contract";
import { startTestCloud, testRedis, type TestCloud } from "../support/cloud";
import { expectConsecutive, liveWorld, TestViewer, until, viewerMessages, type LiveWorld } from "./live-support";

// Relay mode end to end: the desktop app publishes its session to a real Sight Cloud (on
// PostgreSQL and Redis); viewers join the Cloud with the app's invites.
let fakes: RunningFakes;
let cloud: TestCloud;
let config: CloudConfig;
const worlds: LiveWorld[] = [];
const viewers: TestViewer[] = [];
let counter = 0;

beforeAll(async () => {
  fakes = await startFakes();
  cloud = await startTestCloud({ redis: testRedis() });
  config = { url: cloud.url, keys: [cloud.licenceKey.publicJwk as TrustedKey], ignoredKeyOverride: false };
}, 60_000);
afterAll(async () => {
  await cloud?.dispose();
  await fakes?.close();
});
afterEach(async () => {
  for (const viewer of viewers.splice(0)) viewer.close();
  fakes.reset();
  await Promise.all(worlds.splice(0).map((world) => world.app.close()));
});

async function signedInWorld() {
  const world = await liveWorld(fakes, { cloud: config });
  worlds.push(world);
  await world.invoke("billing.signUp", {
    email: `live${Date.now()}-${(counter += 1)}@example.com`,
    password: "correct horse battery",
  });
  return world;
}
/**
 * A viewer that has joined. A refusal without a code is temporary (the relay could not check the
 * invite just now, or has no snapshot from the host yet): the viewer app tries again, and so do we.
 */
async function joined(auth: Record<string, unknown>): Promise<TestViewer> {
  for (let attempt = 1; ; attempt++) {
    const v = viewer(auth);
    if ((await v.settled()) === "connected") return v;
    const code = v.connectError?.code;
    if ((code !== undefined && code !== "HOST_UNAVAILABLE") || attempt === 10)
      throw new Error(`refused: ${code ?? "no code"} ${v.connectError?.message ?? ""}`);
    v.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
function viewer(auth: Record<string, unknown>) {
  const v = new TestViewer(cloud.url, auth);
  viewers.push(v);
  return v;
}

describe("live sessions through Sight Cloud's relay", () => {
  it("needs a Cloud sign-in", async () => {
    const world = await liveWorld(fakes, { cloud: config });
    worlds.push(world);
    const fg = await world.createFocusGroup();
    const { invite } = await world.invite(fg.id);
    const refused = await world.app.router.invoke(
      "live.publishRelay",
      { sessionId: invite.sessionId },
      { transport: "rest" },
    );
    expect(refused).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });

  it("fans the discussion out to viewers anywhere, in order; probes come back; revoking reaches the relay", async () => {
    const world = await signedInWorld();
    const fg = await world.createFocusGroup();
    const { invite, token } = await world.invite(fg.id);
    const shared = await world.invoke<LiveSession>("live.publishRelay", { sessionId: invite.sessionId });
    expect(shared.relay).toMatchObject({ url: cloud.url });
    // Links now point at the Cloud; the token stays in the fragment.
    const co = await world.invite(fg.id, "co-moderator");
    expect(co.links.browser).toContain(`${cloud.url}/live/${invite.sessionId}#token=${co.token}`);

    // The app's socket to the relay connects (and sends its first snapshot) in the background.
    await until(
      () => {
        void world.app.services.live.status({ focusGroupId: fg.id }).then((s) => (latest = s.session));
        return latest?.relay?.connected === true;
      },
      15_000,
      "the app to connect to the relay",
    );
    const watcher = await joined({ token, name: "Remote" });
    const startSeq = watcher.snapshot?.seq ?? 0;
    expect(watcher.snapshot).toMatchObject({ sessionId: invite.sessionId, role: "viewer" });
    expect(watcher.snapshot!.participants.map((p) => p.id)).toEqual(world.personaIds);

    // A co-moderator's probe through the relay reaches the host's queue.
    const moderator = await joined({ token: co.token, name: "Maja" });
    const ack = (await moderator.emitWithAck(LIVE_MSG.probe, { text: "Would a cheaper carton change your mind?" })) as {
      probe: LiveProbe;
    };
    expect(ack.probe).toMatchObject({ status: "queued", suggestedBy: "Maja" });
    await world.invoke("live.decideProbe", { probeId: ack.probe.id, decision: "approve" });
    // The host sees who watches through the relay.
    await until(
      () => {
        void world.app.services.live.status({ focusGroupId: fg.id }).then((s) => (latest = s.session));
        return (latest?.viewers.length ?? 0) >= 2;
      },
      10_000,
      "relay viewers in the host's presence",
    );

    fakes.control({ latencyMs: 20 });
    await world.run(fg.id);
    const { messages } = await world.finish(fg.id);
    expect(messages.some((m) => m.suggestedBy === "Maja")).toBe(true);
    await until(() => viewerMessages(watcher).length === messages.length, 15_000, "the relay viewer to catch up");
    expect(viewerMessages(watcher).map((m) => m.id)).toEqual(messages.map((m) => m.id));
    const hostEvents = watcher.events.filter((e) => e.seq > startSeq);
    expectConsecutive(hostEvents, startSeq);

    // Revoking on the host drops the co-moderator on the relay.
    await world.invoke("live.revokeInvite", { inviteId: co.invite.id });
    await until(() => moderator.closed !== null, 10_000, "the revocation to reach the relay");
    expect(moderator.closed).toMatchObject({ reason: "revoked" });
    const again = viewer({ token: co.token });
    expect(await again.settled()).toBe("refused");
    expect(again.connectError!.code).toBe("INVITE_REVOKED");

    // Ending the session ends it on the relay too.
    await world.invoke("live.end", { sessionId: invite.sessionId });
    await until(() => watcher.closed !== null, 10_000, "the end to reach the relay viewer");
    expect(watcher.closed).toMatchObject({ reason: "ended" });
  });
});
let latest: LiveSession | null = null;
