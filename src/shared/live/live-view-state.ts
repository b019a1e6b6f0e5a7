import type { Insight, Message } from "../contract/focus-groups";
import type { LiveEvent, LiveParticipant, LiveProbe, LiveRole, LiveSnapshot, PresenceViewer } from "../contract/live";

/**
 * What a live-session viewer sees, rebuilt from the wire: a snapshot as of seq N, then sequenced
 * events. Pure and isomorphic (the browser viewer, the desktop app's viewer and the tests share
 * it). The server may repeat an event (a snapshot racing the feed, a reconnect) and a transport
 * may deliver one late, so the reducer drops what it has applied, holds what arrives ahead of a
 * gap, and says after which seq to ask `live:sync` for the missing ones.
 */

export type LiveStage = NonNullable<LiveSnapshot["focusGroup"]["stage"]>;

/** A message being written: its text so far, under the question that was current when it began. */
export interface StreamingText {
  unitKey: string;
  speakerName: string;
  personaId?: string;
  text: string;
  /** The guide question it belongs to (null when the session had not said yet). */
  questionIndex: number | null;
}

export interface LiveViewState {
  sessionId: string;
  role: LiveRole;
  /** This viewer's presence id (changes when the socket reconnects). */
  you: string;
  expiresAt: string;
  focusGroup: {
    id: string;
    name: string;
    status: LiveSnapshot["focusGroup"]["status"];
    guide: readonly { question: string }[];
    progress: { done: number; total: number };
    stage: LiveStage | null;
    /** The question being discussed, in the guide's words (null before the first). */
    question: string | null;
  };
  participants: readonly LiveParticipant[];
  /** Saved messages in speaking order (message.seq), one per id. */
  messages: readonly Message[];
  /** Messages being streamed, in the order they started. */
  streaming: readonly StreamingText[];
  insights: readonly Insight[];
  viewers: readonly PresenceViewer[];
  /** Co-moderators' probes, oldest first, one per id. */
  probes: readonly LiveProbe[];
  /** The last seq applied: everything up to it is in this state, nothing after it. */
  lastSeq: number;
  /** Events that arrived ahead of a gap (seq > lastSeq + 1), in seq order, waiting for the gap to fill. */
  pending: readonly LiveEvent[];
}

export interface LiveViewUpdate {
  state: LiveViewState;
  /** Set when events are missing: ask `live:sync { afterSeq: gapAfter }`. */
  gapAfter?: number;
}

export type LiveSyncResult = { events: readonly LiveEvent[] } | { snapshot: LiveSnapshot };

/** At most this many events are held ahead of a gap; beyond it the oldest held are the ones kept. */
export const MAX_PENDING_EVENTS = 5_000;

const byMessageSeq = (a: Message, b: Message) => a.seq - b.seq;
const byCreatedAt = (a: { createdAt: string }, b: { createdAt: string }) => a.createdAt.localeCompare(b.createdAt);

function questionOf(guide: readonly { question: string }[], stage: LiveStage | null | undefined): string | null {
  if (!stage) return null;
  return guide[stage.questionIndex]?.question ?? null;
}

/** `items` with `item` in place of the one with its id, or appended when there is none. */
function upsertById<T extends { id: string }>(items: readonly T[], item: T): { items: T[]; added: boolean } {
  const added = !items.some((known) => known.id === item.id);
  return { items: added ? [...items, item] : items.map((known) => (known.id === item.id ? item : known)), added };
}

function uniqueById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(item.id, item);
  return [...seen.values()];
}

/** The state a snapshot describes (seq N): everything after N comes as events. */
export function fromSnapshot(snapshot: LiveSnapshot): LiveViewState {
  const stage = snapshot.focusGroup.stage ?? null;
  return {
    sessionId: snapshot.sessionId,
    role: snapshot.role,
    you: snapshot.you,
    expiresAt: snapshot.expiresAt,
    focusGroup: {
      id: snapshot.focusGroup.id,
      name: snapshot.focusGroup.name,
      status: snapshot.focusGroup.status,
      guide: snapshot.focusGroup.guide,
      progress: snapshot.focusGroup.progress,
      stage,
      question: questionOf(snapshot.focusGroup.guide, stage),
    },
    participants: snapshot.participants,
    messages: uniqueById(snapshot.messages).sort(byMessageSeq),
    streaming: snapshot.streaming.map((entry) => ({
      unitKey: entry.unitKey,
      speakerName: entry.speakerName,
      ...(entry.personaId ? { personaId: entry.personaId } : {}),
      text: entry.text,
      questionIndex: stage?.questionIndex ?? null,
    })),
    insights: uniqueById(snapshot.insights),
    viewers: snapshot.viewers,
    probes: uniqueById(snapshot.probes).sort(byCreatedAt),
    lastSeq: snapshot.seq,
    pending: [],
  };
}

/** The seq to sync after when events are missing (held events wait for a gap), else undefined. */
export function gapOf(state: LiveViewState): number | undefined {
  return state.pending.length > 0 ? state.lastSeq : undefined;
}

function withGap(state: LiveViewState): LiveViewUpdate {
  const gapAfter = gapOf(state);
  return gapAfter === undefined ? { state } : { state, gapAfter };
}

/**
 * Applies one event: a duplicate (seq ≤ lastSeq, or already held) changes nothing; the next seq
 * is applied along with any held events it makes contiguous; one further ahead is held and the
 * update says after which seq the gap starts.
 */
export function applyEvent(state: LiveViewState, event: LiveEvent): LiveViewUpdate {
  if (event.seq <= state.lastSeq) return withGap(state);
  if (event.seq > state.lastSeq + 1) {
    if (state.pending.some((held) => held.seq === event.seq)) return withGap(state);
    const pending = [...state.pending, event].sort((a, b) => a.seq - b.seq).slice(0, MAX_PENDING_EVENTS);
    return withGap({ ...state, pending });
  }
  let next = apply(state, event);
  next = drain(next);
  return withGap(next);
}

/** Applies the held events that follow lastSeq without a gap; drops held ones already covered. */
function drain(state: LiveViewState): LiveViewState {
  if (state.pending.length === 0) return state;
  let next = state;
  const rest: LiveEvent[] = [];
  for (const held of state.pending) {
    if (held.seq <= next.lastSeq) continue;
    if (held.seq === next.lastSeq + 1) next = apply(next, held);
    else rest.push(held);
  }
  return { ...next, pending: rest };
}

/**
 * The answer to `live:sync`: the missing events (applied in order, duplicates dropped), or a fresh
 * snapshot when the server no longer holds them all (it replaces the state; held events after its
 * seq still apply).
 */
export function applySync(state: LiveViewState, result: LiveSyncResult): LiveViewUpdate {
  if ("snapshot" in result) {
    // An answer older than what is already applied (a slow ack overtaken by events) would roll back.
    if (result.snapshot.seq < state.lastSeq) return withGap(state);
    const fresh = fromSnapshot(result.snapshot);
    return withGap(drain({ ...fresh, pending: state.pending.filter((held) => held.seq > fresh.lastSeq) }));
  }
  return applyEvents(state, result.events);
}

/** Applies a batch of events (a `live:events` packet, a sync's answer) as applyEvent does each. */
export function applyEvents(state: LiveViewState, events: readonly LiveEvent[]): LiveViewUpdate {
  let next = state;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    next = applyEvent(next, event).state;
  }
  return withGap(next);
}

/** This viewer's presence id after a reconnect (the socket, and so the id, is new). */
export function withYou(state: LiveViewState, you: string): LiveViewState {
  return state.you === you ? state : { ...state, you };
}

/** The state after one event whose seq is exactly lastSeq + 1. */
function apply(state: LiveViewState, event: LiveEvent): LiveViewState {
  const next = { ...state, lastSeq: event.seq };
  switch (event.name) {
    case "persona_responded": {
      if (event.message) {
        const message = event.message;
        const messages = state.messages.some((known) => known.id === message.id)
          ? state.messages.map((known) => (known.id === message.id ? message : known))
          : insertBySeq(state.messages, message);
        return {
          ...next,
          messages,
          streaming: state.streaming.filter((entry) => entry.unitKey !== event.unitKey),
        };
      }
      if (event.delta === undefined || event.delta === "") return next;
      const delta = event.delta;
      const existing = state.streaming.find((entry) => entry.unitKey === event.unitKey);
      const streaming = existing
        ? state.streaming.map((entry) =>
            entry.unitKey === event.unitKey ? { ...entry, text: entry.text + delta } : entry,
          )
        : [
            ...state.streaming,
            {
              unitKey: event.unitKey,
              speakerName: event.speakerName,
              ...(event.personaId ? { personaId: event.personaId } : {}),
              text: delta,
              questionIndex: state.focusGroup.stage?.questionIndex ?? null,
            },
          ];
      return { ...next, streaming };
    }
    case "discussion_updated": {
      const stage = event.stage ?? state.focusGroup.stage;
      const question =
        event.question ?? (event.stage ? questionOf(state.focusGroup.guide, event.stage) : state.focusGroup.question);
      return {
        ...next,
        focusGroup: { ...state.focusGroup, status: event.status, progress: event.progress, stage, question },
        // A run that stops abandons its half-written messages (a resumed one writes them again).
        streaming: event.status === "running" ? state.streaming : [],
      };
    }
    case "new_insight": {
      return { ...next, insights: upsertById(state.insights, event.insight).items };
    }
    case "presence": {
      // Changes after the snapshot's list, in seq order: a join or a state change puts the viewer
      // in (or updates it: the snapshot may already list someone whose join follows it), a leave
      // takes it out.
      const viewer = event.viewer;
      if (event.change === "left") return { ...next, viewers: state.viewers.filter((known) => known.id !== viewer.id) };
      return { ...next, viewers: upsertById(state.viewers, viewer).items };
    }
    case "probe_updated": {
      const { items: probes, added } = upsertById(state.probes, event.probe);
      return { ...next, probes: added ? probes.sort(byCreatedAt) : probes };
    }
  }
}

function insertBySeq(messages: readonly Message[], message: Message): Message[] {
  // Parallel answers are saved one by one but finish in any order: keep speaking order.
  let index = messages.length;
  while (index > 0 && messages[index - 1]!.seq > message.seq) index -= 1;
  return [...messages.slice(0, index), message, ...messages.slice(index)];
}
