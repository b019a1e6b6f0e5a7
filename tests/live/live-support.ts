import { io, type Socket } from "socket.io-client";
import { expect } from "vitest";
import {
  LIVE_MSG,
  LIVE_SOCKET_PATH,
  LIVE_VIEWER_NAMESPACE,
  liveEventsPacketSchema,
  liveSnapshotSchema,
  type FocusGroup,
  type Job,
  type LiveEvent,
  type LiveSnapshot,
  type Message,
  type RouteOutput,
} from "../../src/shared/contract";
import type { RunningFakes } from "../../fakes";
import type { CloudConfig } from "../../src/main/services/billing/cloud-config";
import { FAST_POLICY } from "../llm/harness";
import { data, startTestApp } from "../support/services";

const ctx = { transport: "rest" as const };

/** A project with personas and a focus group ready to run, on a test app against the fakes. */
export async function liveWorld(fakes: RunningFakes, options: { cloud?: CloudConfig } = {}, personas = 3) {
  // With a Cloud the plan is the licence's (Free: 5 personas, enough here); without, a fixed one.
  const app = await startTestApp({
    env: fakes.env,
    llmPolicy: FAST_POLICY,
    ...(options.cloud ? { cloud: options.cloud } : { plan: "professional" }),
  });
  const invoke = async <T>(name: string, input: unknown) => data(await app.router.invoke(name, input, ctx)) as T;
  const project = await invoke<{ id: string }>("projects.create", {
    name: "Oat drink",
    targetDemographics: { gender: { female: 0.5, male: 0.5 } },
  });
  await invoke("personas.generate", { projectId: project.id, count: personas, seed: 3 });
  await app.services.jobs.idle();
  const personaIds = (await invoke<{ items: { id: string }[] }>("personas.list", { projectId: project.id })).items.map(
    (p) => p.id,
  );
  fakes.reset();
  const createFocusGroup = (name = "Switching to oat milk") =>
    invoke<FocusGroup>("focusGroups.create", {
      projectId: project.id,
      name,
      participantIds: personaIds,
      guide: [{ question: "What do you drink with breakfast, and why?" }, { question: "What would make you switch?" }],
      settings: { discussionRounds: 1, moderatorFollowUps: false },
    });
  const invite = (focusGroupId: string, role: "viewer" | "co-moderator" = "viewer", expiresInHours = 24) =>
    invoke<RouteOutput<"live.createInvite">>("live.createInvite", { focusGroupId, role, expiresInHours });
  const serve = (sessionId: string) =>
    invoke<RouteOutput<"live.serveDirect">>("live.serveDirect", { sessionId, address: "127.0.0.1" });
  const run = async (focusGroupId: string) => {
    const job = await invoke<{ jobId: string }>("focusGroups.run", { id: focusGroupId });
    return job;
  };
  const finish = async (focusGroupId: string) => {
    await app.services.jobs.idle();
    const fg = await invoke<FocusGroup>("focusGroups.get", { id: focusGroupId });
    const messages = (await invoke<{ items: Message[] }>("focusGroups.messages", { id: focusGroupId, limit: 500 }))
      .items;
    return { fg, messages };
  };
  return { app, invoke, personaIds, createFocusGroup, invite, serve, run, finish };
}
export type LiveWorld = Awaited<ReturnType<typeof liveWorld>>;

/** A viewer on the direct server: records the snapshot and every event, checked against the schemas. */
export class TestViewer {
  readonly socket: Socket;
  snapshot: LiveSnapshot | null = null;
  readonly events: LiveEvent[] = [];
  /** The live:events packets as they arrived, by their events' seqs. */
  readonly packets: number[][] = [];
  closed: { reason: string; message: string } | null = null;
  connectError: { message: string; code?: string } | null = null;

  constructor(url: string, auth: Record<string, unknown>, options: { origin?: string } = {}) {
    this.socket = io(`${url}${LIVE_VIEWER_NAMESPACE}`, {
      path: LIVE_SOCKET_PATH,
      auth,
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      ...(options.origin ? { extraHeaders: { origin: options.origin } } : {}),
    });
    this.socket.on(LIVE_MSG.snapshot, (value: unknown) => {
      this.snapshot = liveSnapshotSchema.parse(value);
    });
    this.socket.on(LIVE_MSG.events, (value: unknown) => {
      const events = liveEventsPacketSchema.parse(value);
      this.packets.push(events.map((event) => event.seq));
      this.events.push(...events);
    });
    this.socket.on(LIVE_MSG.closed, (value: { reason: string; message: string }) => {
      this.closed = value;
    });
    this.socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
      this.connectError = { message: error.message, ...(error.data?.code ? { code: error.data.code } : {}) };
    });
  }

  /** Resolves when connected (and the initial state has arrived) or refused. */
  async settled(): Promise<"connected" | "refused"> {
    await until(() => this.snapshot !== null || this.connectError !== null || this.events.length > 0);
    return this.connectError ? "refused" : "connected";
  }

  lastSeq(): number {
    return this.events.at(-1)?.seq ?? this.snapshot?.seq ?? 0;
  }

  emitWithAck(name: string, payload: unknown): Promise<unknown> {
    return this.socket.timeout(5_000).emitWithAck(name, payload);
  }

  close() {
    this.socket.disconnect();
  }
}

export async function until(check: () => boolean, timeoutMs = 15_000, what = "condition"): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The finished messages a viewer holds: the snapshot's, then each persona_responded message. */
export function viewerMessages(viewer: { snapshot: LiveSnapshot | null; events: LiveEvent[] }): Message[] {
  const byId = new Map((viewer.snapshot?.messages ?? []).map((m) => [m.id, m]));
  for (const event of viewer.events) {
    if (event.name === "persona_responded" && event.message) byId.set(event.message.id, event.message);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Events strictly consecutive after `from`: no gap, no duplicate. */
export function expectConsecutive(events: LiveEvent[], from: number) {
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => from + 1 + i));
}

export async function jobStatus(world: LiveWorld, jobId: string) {
  return (await world.invoke<Job>("jobs.get", { id: jobId })).status;
}
