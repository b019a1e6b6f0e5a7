import { describe, expect, it } from "vitest";
import {
  liveEventSchema,
  liveSnapshotSchema,
  liveSyncResultSchema,
  type Insight,
  type LiveEvent,
  type LiveEventBody,
  type LiveProbe,
  type LiveSnapshot,
  type Message,
  type PresenceViewer,
} from "../../src/shared/contract";
import {
  applyEvent,
  applySync,
  fromSnapshot,
  gapOf,
  withYou,
  type LiveViewState,
} from "../../src/shared/live/live-view-state";

// ---------------------------------------------------------------------------------------------
// Fixtures: wire data, checked against the contract's schemas so they stay what a server sends.
// ---------------------------------------------------------------------------------------------

const AT = "2026-12-03T10:00:00.000Z";

function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `msg-${seq}`,
    focusGroupId: "fg-1",
    seq,
    questionIndex: 0,
    round: 0,
    phase: seq === 1 ? "question" : "answer",
    speakerType: seq === 1 ? "moderator" : "persona",
    ...(seq === 1 ? {} : { personaId: "persona-a" }),
    speakerName: seq === 1 ? "Moderator" : "Anna Kowalska",
    text: `Line ${seq}`,
    tokens: { input: 10, output: 5 },
    createdAt: AT,
    ...overrides,
  };
}

function viewer(id: string, overrides: Partial<PresenceViewer> = {}): PresenceViewer {
  return { id, name: `Viewer ${id}`, role: "viewer", state: "active", joinedAt: AT, ...overrides };
}

function probe(id: string, overrides: Partial<LiveProbe> = {}): LiveProbe {
  return { id, text: `Probe ${id}?`, suggestedBy: "Ola", status: "queued", createdAt: AT, ...overrides };
}

function insight(id: string, overrides: Partial<Insight> = {}): Insight {
  return { id, kind: "theme", title: `Theme ${id}`, text: "Price matters.", evidence: [], createdAt: AT, ...overrides };
}

function snapshot(overrides: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return liveSnapshotSchema.parse({
    sessionId: "session-1",
    seq: 10,
    role: "co-moderator",
    you: "socket-1",
    focusGroup: {
      id: "fg-1",
      name: "Oat drink",
      status: "running",
      guide: [{ question: "What do you drink with breakfast?" }, { question: "What would make you switch?" }],
      progress: { done: 2, total: 8 },
      stage: { questionIndex: 0, phase: "answer", round: 0 },
    },
    participants: [
      {
        id: "persona-a",
        name: "Anna Kowalska",
        age: 34,
        gender: "female",
        location: "Kraków",
        occupation: "Nurse",
        education: "Bachelor's",
        income: "middle",
        demographics: {},
      },
    ],
    messages: [message(1), message(2)],
    streaming: [],
    insights: [],
    viewers: [viewer("socket-1")],
    probes: [],
    expiresAt: "2026-12-04T10:00:00.000Z",
    ...overrides,
  });
}

function event(seq: number, body: LiveEventBody): LiveEvent {
  return liveEventSchema.parse({ seq, ...body });
}

const delta = (seq: number, unitKey: string, text: string, speakerName = "Anna Kowalska") =>
  event(seq, { name: "persona_responded", unitKey, speakerName, personaId: "persona-a", delta: text });

const finished = (seq: number, unitKey: string, saved: Message) =>
  event(seq, { name: "persona_responded", unitKey, speakerName: saved.speakerName, message: saved });

const updated = (seq: number, body: Partial<Extract<LiveEventBody, { name: "discussion_updated" }>> = {}) =>
  event(seq, { name: "discussion_updated", status: "running", progress: { done: 3, total: 8 }, ...body });

/** Applies events one by one, as they arrive, keeping the last update's gap. */
function feed(state: LiveViewState, events: LiveEvent[]) {
  let gapAfter: number | undefined;
  for (const next of events) ({ state, gapAfter } = applyEvent(state, next));
  return { state, gapAfter };
}

// ---------------------------------------------------------------------------------------------

describe("fromSnapshot", () => {
  it("starts at the snapshot's seq with its focus group, participants, messages and presence", () => {
    const state = fromSnapshot(snapshot());
    expect(state.lastSeq).toBe(10);
    expect(state.role).toBe("co-moderator");
    expect(state.you).toBe("socket-1");
    expect(state.focusGroup).toMatchObject({ name: "Oat drink", status: "running", progress: { done: 2, total: 8 } });
    expect(state.focusGroup.question).toBe("What do you drink with breakfast?");
    expect(state.participants.map((p) => p.occupation)).toEqual(["Nurse"]);
    expect(state.messages.map((m) => m.id)).toEqual(["msg-1", "msg-2"]);
    expect(state.viewers.map((v) => v.id)).toEqual(["socket-1"]);
    expect(state.pending).toEqual([]);
    expect(gapOf(state)).toBeUndefined();
  });

  it("orders messages by their seq and keeps one per id, whatever order they came in", () => {
    const state = fromSnapshot(snapshot({ messages: [message(3), message(1), message(2), message(3)] }));
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it("puts the texts being streamed under the question the snapshot's stage names", () => {
    const state = fromSnapshot(
      snapshot({
        focusGroup: { ...snapshot().focusGroup, stage: { questionIndex: 1, phase: "answer", round: 0 } },
        streaming: [{ unitKey: "q1/r0/persona-a", speakerName: "Anna Kowalska", personaId: "persona-a", text: "I'd" }],
      }),
    );
    expect(state.streaming).toEqual([
      {
        unitKey: "q1/r0/persona-a",
        speakerName: "Anna Kowalska",
        personaId: "persona-a",
        text: "I'd",
        questionIndex: 1,
      },
    ]);
    expect(state.focusGroup.question).toBe("What would make you switch?");
  });

  it("has no current question before the discussion reaches one", () => {
    const { stage: _stage, ...noStage } = snapshot().focusGroup;
    const state = fromSnapshot(snapshot({ focusGroup: { ...noStage, status: "draft" } }));
    expect(state.focusGroup.stage).toBeNull();
    expect(state.focusGroup.question).toBeNull();
  });
});

describe("applyEvent: order and duplicates", () => {
  it("applies the next seq and advances lastSeq", () => {
    const { state, gapAfter } = applyEvent(fromSnapshot(snapshot()), updated(11));
    expect(state.lastSeq).toBe(11);
    expect(state.focusGroup.progress).toEqual({ done: 3, total: 8 });
    expect(gapAfter).toBeUndefined();
  });

  it("drops an event at or before the snapshot's seq (it is already in the snapshot)", () => {
    const before = fromSnapshot(snapshot());
    for (const seq of [10, 9, 1]) {
      const { state, gapAfter } = applyEvent(before, updated(seq, { progress: { done: 7, total: 8 } }));
      expect(state).toBe(before);
      expect(gapAfter).toBeUndefined();
    }
  });

  it("drops a repeated event, so a streamed delta is never appended twice", () => {
    const { state } = feed(fromSnapshot(snapshot()), [
      delta(11, "q0/r0/persona-a", "Coffee"),
      delta(11, "q0/r0/persona-a", "Coffee"),
      delta(12, "q0/r0/persona-a", ", always"),
      delta(12, "q0/r0/persona-a", ", always"),
    ]);
    expect(state.streaming.map((entry) => entry.text)).toEqual(["Coffee, always"]);
    expect(state.lastSeq).toBe(12);
  });

  it("holds an event that arrives ahead of a gap and says after which seq to sync", () => {
    const before = fromSnapshot(snapshot());
    const { state, gapAfter } = applyEvent(before, updated(13));
    expect(gapAfter).toBe(10);
    expect(state.lastSeq).toBe(10);
    expect(state.focusGroup.progress).toEqual({ done: 2, total: 8 });
    expect(state.pending.map((held) => held.seq)).toEqual([13]);
  });

  it("applies held events once the gap before them fills, in seq order", () => {
    const { state, gapAfter } = feed(fromSnapshot(snapshot()), [
      delta(13, "q0/r0/persona-a", " every"),
      delta(12, "q0/r0/persona-a", ", always"),
      delta(14, "q0/r0/persona-a", " morning"),
      delta(11, "q0/r0/persona-a", "Coffee"),
    ]);
    expect(state.streaming.map((entry) => entry.text)).toEqual(["Coffee, always every morning"]);
    expect(state.lastSeq).toBe(14);
    expect(state.pending).toEqual([]);
    expect(gapAfter).toBeUndefined();
  });

  it("keeps reporting the gap while a hole remains before held events", () => {
    const { state, gapAfter } = feed(fromSnapshot(snapshot()), [updated(11), updated(13), updated(15)]);
    expect(state.lastSeq).toBe(11);
    expect(state.pending.map((held) => held.seq)).toEqual([13, 15]);
    expect(gapAfter).toBe(11);
    const filled = applyEvent(state, updated(12));
    expect(filled.state.lastSeq).toBe(13);
    expect(filled.state.pending.map((held) => held.seq)).toEqual([15]);
    expect(filled.gapAfter).toBe(13);
  });

  it("holds an early event once, however often it is repeated", () => {
    const { state } = feed(fromSnapshot(snapshot()), [updated(12), updated(12), updated(12)]);
    expect(state.pending.map((held) => held.seq)).toEqual([12]);
  });
});

describe("applyEvent: streaming then finished", () => {
  it("streams a message's text, then replaces it by the saved message with the same unitKey", () => {
    const saved = message(3, { text: "Coffee, always." });
    const streamed = feed(fromSnapshot(snapshot()), [
      delta(11, "q0/r0/persona-a", "Coffee"),
      delta(12, "q0/r0/persona-a", ", always."),
    ]).state;
    expect(streamed.streaming).toEqual([
      {
        unitKey: "q0/r0/persona-a",
        speakerName: "Anna Kowalska",
        personaId: "persona-a",
        text: "Coffee, always.",
        questionIndex: 0,
      },
    ]);
    const { state } = applyEvent(streamed, finished(13, "q0/r0/persona-a", saved));
    expect(state.streaming).toEqual([]);
    expect(state.messages.map((m) => m.text)).toEqual(["Line 1", "Line 2", "Coffee, always."]);
  });

  it("keeps the other speakers' texts streaming when one finishes", () => {
    const { state } = feed(fromSnapshot(snapshot()), [
      delta(11, "q0/r0/persona-a", "Tea"),
      delta(12, "q0/r0/persona-b", "Juice", "Piotr Nowak"),
      finished(13, "q0/r0/persona-a", message(3, { text: "Tea." })),
    ]);
    expect(state.streaming.map((entry) => [entry.unitKey, entry.text])).toEqual([["q0/r0/persona-b", "Juice"]]);
  });

  it("files a streamed text under the question current when it started", () => {
    const { state } = feed(fromSnapshot(snapshot()), [
      updated(11, { stage: { questionIndex: 1, phase: "answer", round: 0 }, question: "What would make you switch?" }),
      delta(12, "q1/r0/persona-a", "A lower price"),
    ]);
    expect(state.streaming[0]!.questionIndex).toBe(1);
  });

  it("keeps finished messages in speaking order when parallel answers finish out of order", () => {
    const { state } = feed(fromSnapshot(snapshot()), [
      finished(11, "q0/r0/persona-c", message(5, { id: "msg-5" })),
      finished(12, "q0/r0/persona-b", message(4, { id: "msg-4" })),
      finished(13, "q0/r0/persona-a", message(3, { id: "msg-3" })),
    ]);
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps one copy of a message the snapshot already had when its event follows", () => {
    // The snapshot reads the database after taking its seq, so it may already hold the next message.
    const saved = message(3);
    const { state } = applyEvent(
      fromSnapshot(snapshot({ messages: [message(1), message(2), saved] })),
      finished(11, "q0/r0/persona-a", saved),
    );
    expect(state.messages.map((m) => m.id)).toEqual(["msg-1", "msg-2", "msg-3"]);
    expect(state.lastSeq).toBe(11);
  });

  it("drops half-written texts when the run stops (a resumed run writes them again)", () => {
    const { state } = feed(fromSnapshot(snapshot()), [
      delta(11, "q0/r0/persona-a", "Coff"),
      updated(12, { status: "paused" }),
    ]);
    expect(state.streaming).toEqual([]);
    expect(state.focusGroup.status).toBe("paused");
  });

  it("ignores an empty delta beyond advancing the seq", () => {
    const { state } = applyEvent(fromSnapshot(snapshot()), delta(11, "q0/r0/persona-a", ""));
    expect(state.streaming).toEqual([]);
    expect(state.lastSeq).toBe(11);
  });

  it("shows who suggested a probe the moderator asked", () => {
    const asked = message(3, {
      speakerType: "moderator",
      speakerName: "Moderator",
      phase: "followup",
      text: "What would a fair price be?",
      suggestedBy: "Ola",
    });
    delete (asked as Partial<Message>).personaId;
    const { state } = applyEvent(fromSnapshot(snapshot()), finished(11, "q0/probe/p1", asked));
    expect(state.messages.at(-1)).toMatchObject({ suggestedBy: "Ola", text: "What would a fair price be?" });
  });
});

describe("applyEvent: stage, insights, presence and probes", () => {
  it("follows the stage and the question being discussed", () => {
    const { state } = applyEvent(
      fromSnapshot(snapshot()),
      updated(11, {
        stage: { questionIndex: 1, phase: "reaction", round: 1 },
        question: "What would make you switch?",
      }),
    );
    expect(state.focusGroup.stage).toEqual({ questionIndex: 1, phase: "reaction", round: 1 });
    expect(state.focusGroup.question).toBe("What would make you switch?");
  });

  it("takes the question from the guide when the event gives only the stage", () => {
    const { state } = applyEvent(
      fromSnapshot(snapshot()),
      updated(11, { stage: { questionIndex: 1, phase: "answer", round: 0 } }),
    );
    expect(state.focusGroup.question).toBe("What would make you switch?");
  });

  it("keeps the stage when an update omits it (the run finished)", () => {
    const { state } = applyEvent(fromSnapshot(snapshot()), updated(11, { status: "completed" }));
    expect(state.focusGroup.status).toBe("completed");
    expect(state.focusGroup.stage).toEqual({ questionIndex: 0, phase: "answer", round: 0 });
  });

  it("adds insights as they arrive, once per id", () => {
    const { state } = feed(fromSnapshot(snapshot()), [
      event(11, { name: "new_insight", insight: insight("i1") }),
      event(12, { name: "new_insight", insight: insight("i2") }),
      event(13, { name: "new_insight", insight: insight("i1", { title: "Price matters most" }) }),
    ]);
    expect(state.insights.map((i) => [i.id, i.title])).toEqual([
      ["i1", "Price matters most"],
      ["i2", "Theme i2"],
    ]);
  });

  it("applies each presence change to the snapshot's list: join, state change, leave", () => {
    const joined = viewer("socket-2", { name: "Ola", role: "co-moderator" });
    const { state } = feed(fromSnapshot(snapshot()), [
      event(11, { name: "presence", change: "joined", viewer: joined }),
      // The snapshot may already list a viewer whose join follows it: no second entry.
      event(12, { name: "presence", change: "joined", viewer: viewer("socket-1") }),
      event(13, { name: "presence", change: "idle", viewer: { ...joined, state: "idle" } }),
      event(14, { name: "presence", change: "left", viewer: viewer("socket-1") }),
      // A leave of someone not listed (left before the snapshot was read) changes nothing.
      event(15, { name: "presence", change: "left", viewer: viewer("socket-9") }),
      event(16, { name: "presence", change: "joined", viewer: viewer("socket-3", { name: "Bo" }) }),
    ]);
    expect(state.viewers).toEqual([{ ...joined, state: "idle" }, viewer("socket-3", { name: "Bo" })]);
  });

  it("adds a probe, then follows it from queued to approved to asked", () => {
    const { state } = feed(fromSnapshot(snapshot()), [
      event(11, { name: "probe_updated", probe: probe("p1") }),
      event(12, { name: "probe_updated", probe: probe("p2", { createdAt: "2026-12-03T10:05:00.000Z" }) }),
      event(13, { name: "probe_updated", probe: probe("p1", { status: "approved" }) }),
      event(14, { name: "probe_updated", probe: probe("p1", { status: "asked" }) }),
    ]);
    expect(state.probes.map((p) => [p.id, p.status])).toEqual([
      ["p1", "asked"],
      ["p2", "queued"],
    ]);
  });

  it("updates this viewer's presence id after a reconnect", () => {
    const state = fromSnapshot(snapshot());
    expect(withYou(state, "socket-1")).toBe(state);
    expect(withYou(state, "socket-9").you).toBe("socket-9");
  });
});

describe("applySync", () => {
  const sync = (value: unknown) => liveSyncResultSchema.parse(value);

  it("fills a gap with the events it returns and then applies the held ones", () => {
    const gapped = feed(fromSnapshot(snapshot()), [delta(11, "k", "a"), delta(14, "k", "d")]);
    expect(gapped.gapAfter).toBe(11);
    const { state, gapAfter } = applySync(gapped.state, sync({ events: [delta(12, "k", "b"), delta(13, "k", "c")] }));
    expect(state.streaming.map((entry) => entry.text)).toEqual(["abcd"]);
    expect(state.lastSeq).toBe(14);
    expect(state.pending).toEqual([]);
    expect(gapAfter).toBeUndefined();
  });

  it("drops the events of the answer it already applied (they raced the answer)", () => {
    const gapped = feed(fromSnapshot(snapshot()), [delta(11, "k", "a"), delta(13, "k", "c")]);
    const raced = applyEvent(gapped.state, delta(12, "k", "b")).state;
    const { state } = applySync(raced, sync({ events: [delta(12, "k", "b"), delta(13, "k", "c")] }));
    expect(state.streaming.map((entry) => entry.text)).toEqual(["abc"]);
    expect(state.lastSeq).toBe(13);
  });

  it("applies the answer's events in seq order whatever order they are listed in", () => {
    const gapped = feed(fromSnapshot(snapshot()), [delta(14, "k", "d")]);
    const { state } = applySync(
      gapped.state,
      sync({ events: [delta(13, "k", "c"), delta(11, "k", "a"), delta(12, "k", "b")] }),
    );
    expect(state.streaming.map((entry) => entry.text)).toEqual(["abcd"]);
  });

  it("still reports a gap when the answer does not cover it", () => {
    const gapped = feed(fromSnapshot(snapshot()), [updated(15)]);
    const { state, gapAfter } = applySync(gapped.state, sync({ events: [updated(11), updated(12)] }));
    expect(state.lastSeq).toBe(12);
    expect(gapAfter).toBe(12);
  });

  it("replaces the state by a fresh snapshot, then applies the held events after its seq", () => {
    const gapped = feed(fromSnapshot(snapshot()), [updated(11), updated(30, { progress: { done: 7, total: 8 } })]);
    const fresh = snapshot({
      seq: 29,
      you: "socket-2",
      messages: [message(1), message(2), message(3), message(4)],
      focusGroup: { ...snapshot().focusGroup, progress: { done: 6, total: 8 } },
    });
    const { state, gapAfter } = applySync(gapped.state, sync({ snapshot: fresh }));
    expect(state.lastSeq).toBe(30);
    expect(state.you).toBe("socket-2");
    expect(state.messages).toHaveLength(4);
    expect(state.focusGroup.progress).toEqual({ done: 7, total: 8 });
    expect(state.pending).toEqual([]);
    expect(gapAfter).toBeUndefined();
  });

  it("drops held events a fresh snapshot already covers", () => {
    const gapped = feed(fromSnapshot(snapshot()), [updated(12), updated(13)]);
    const { state } = applySync(gapped.state, sync({ snapshot: snapshot({ seq: 20 }) }));
    expect(state.lastSeq).toBe(20);
    expect(state.pending).toEqual([]);
  });

  it("ignores a snapshot older than what is already applied", () => {
    const ahead = feed(fromSnapshot(snapshot()), [updated(11), updated(12)]).state;
    const { state } = applySync(ahead, sync({ snapshot: snapshot({ seq: 10 }) }));
    expect(state).toBe(ahead);
  });
});
