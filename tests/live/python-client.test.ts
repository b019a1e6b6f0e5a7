import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakes, type RunningFakes } from "../../fakes";
import { liveWorld, type LiveWorld } from "./live-support";

// An independent Socket.IO client (Debian's python3-socketio, installed by .ci/run) joins a live
// session with an invite: the protocol is socket.io's, not something only our client speaks.
const SCRIPT = path.join(import.meta.dirname, "python_viewer.py");

type Line = { type: string; seq?: number; name?: string; message?: string | null; data?: unknown; reason?: string };

function pythonViewer(url: string, auth: unknown, stop: "completed" | "connect"): Promise<Line[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/python3", [SCRIPT, url, JSON.stringify(auth), stop], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`python viewer exited ${code}: ${stderr}`));
      resolve(
        stdout
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Line),
      );
    });
  });
}

let fakes: RunningFakes;
let world: LiveWorld | null = null;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());
afterEach(async () => {
  fakes.reset();
  await world?.app.close();
  world = null;
});

describe("an independent Socket.IO client (python-socketio)", () => {
  it("joins with an invite and receives the discussion's events in order", async () => {
    world = await liveWorld(fakes);
    const fg = await world.createFocusGroup();
    const { invite, token } = await world.invite(fg.id);
    const url = (await world.serve(invite.sessionId)).direct!.url;
    fakes.control({ latencyMs: 30 });
    const watching = pythonViewer(url, { token, name: "Python" }, "completed");
    // Start the run once the Python viewer is in (its presence shows in the session).
    const started = Date.now();
    while ((await world.app.services.live.status({ focusGroupId: fg.id })).session!.viewers.length === 0) {
      if (Date.now() - started > 15_000) throw new Error("the Python viewer never joined");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await world.run(fg.id);
    const lines = await watching;
    const { messages } = await world.finish(fg.id);

    expect(lines[0]).toMatchObject({ type: "connected" });
    const snapshot = lines.find((line) => line.type === "snapshot")!;
    expect(snapshot).toMatchObject({ messages: [], role: "viewer" });
    const events = lines.filter((line) => line.type === "event");
    // Consecutive sequence numbers from the snapshot's: no gap, no duplicate (the script lists them
    // by seq: python-engineio runs each message's handler on its own thread).
    expect(events.some((e) => (e as { duplicate?: boolean }).duplicate)).toBe(false);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => snapshot.seq! + 1 + i));
    // Every saved message arrived, in speaking order.
    expect(events.filter((e) => e.name === "persona_responded" && e.message).map((e) => e.message)).toEqual(
      messages.map((m) => m.id),
    );
    expect(events.at(-1)).toMatchObject({ name: "discussion_updated" });
  });

  it("is refused without a token, with an expired, revoked or other session's token", async () => {
    world = await liveWorld(fakes);
    const fg = await world.createFocusGroup();
    const { invite, token } = await world.invite(fg.id);
    const url = (await world.serve(invite.sessionId)).direct!.url;
    const refusal = async (auth: unknown) => {
      const lines = await pythonViewer(url, auth, "connect");
      expect(lines.some((line) => line.type === "snapshot")).toBe(false);
      return (lines.find((line) => line.type === "refused")?.data as { data?: { code?: string } } | undefined)?.data
        ?.code;
    };
    expect(await refusal({})).toBe("INVITE_MISSING");
    const expired = await world.app.services.live.signer.sign({
      inviteId: invite.id,
      sessionId: invite.sessionId,
      role: "viewer",
      expiresAt: new Date(Date.now() - 60_000),
    });
    expect(await refusal({ token: expired })).toBe("INVITE_EXPIRED");
    const other = await world.invite((await world.createFocusGroup("Another group")).id);
    expect(await refusal({ token: other.token })).toBe("WRONG_SESSION");
    // The good invite joins; once revoked it does not.
    const joined = await pythonViewer(url, { token }, "connect");
    expect(joined.find((line) => line.type === "snapshot")).toMatchObject({ role: "viewer" });
    await world.invoke("live.revokeInvite", { inviteId: invite.id });
    expect(await refusal({ token })).toBe("INVITE_REVOKED");
  });
});
