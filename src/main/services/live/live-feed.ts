import type { EventPayload } from "../../../shared/contract";
import type { LiveEvent, LiveEventBody, LiveSnapshot } from "../../../shared/contract/live";

/** Token deltas of one message are sent at most this often (they are joined, never dropped). */
export const DELTA_COALESCE_MS = 25;
/** Events held for reconnecting viewers; one further back gets a fresh snapshot instead. */
export const FEED_CAPACITY = 20_000;

export interface StreamingText {
  unitKey: string;
  speakerName: string;
  personaId?: string;
  text: string;
}

type Stage = NonNullable<LiveSnapshot["focusGroup"]["stage"]>;

/**
 * One live session's sequencer: every event gets the next seq and is kept (up to FEED_CAPACITY)
 * so a viewer who reconnects gets exactly the events after its last one. Streamed tokens are
 * coalesced per message (at most one delta per DELTA_COALESCE_MS per speaker), and a message's
 * pending delta is always sent before the finished message, so no token is lost or reordered.
 */
export class LiveFeed {
  private seqValue = 0;
  private readonly held: LiveEvent[] = [];
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly streamingTexts = new Map<string, StreamingText>();
  private readonly pendingDeltas = new Map<string, { speakerName: string; personaId?: string; delta: string }>();
  private flushTimer: NodeJS.Timeout | null = null;
  status: LiveSnapshot["focusGroup"]["status"] = "draft";
  progress = { done: 0, total: 0 };
  stage: Stage | undefined;

  constructor(
    readonly sessionId: string,
    readonly focusGroupId: string,
    private readonly coalesceMs = DELTA_COALESCE_MS,
    private readonly capacity = FEED_CAPACITY,
  ) {}

  get seq(): number {
    return this.seqValue;
  }

  /** Messages being generated right now, with their text so far (after any pending delta). */
  streaming(): StreamingText[] {
    this.flush();
    return [...this.streamingTexts.values()].map((entry) => ({ ...entry }));
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The held events after `afterSeq`, or null when some of them are no longer held. */
  since(afterSeq: number): LiveEvent[] | null {
    this.flush();
    if (afterSeq > this.seqValue) return null;
    if (afterSeq === this.seqValue) return [];
    const oldest = this.held[0]?.seq ?? this.seqValue + 1;
    if (afterSeq + 1 < oldest) return null;
    return this.held.slice(afterSeq + 1 - oldest);
  }

  publish(body: LiveEventBody): LiveEvent {
    if (body.name !== "persona_responded" || body.delta === undefined) this.flush();
    const event = { seq: ++this.seqValue, ...body } as LiveEvent;
    this.held.push(event);
    if (this.held.length > this.capacity) this.held.splice(0, this.held.length - this.capacity);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  token(payload: EventPayload<"discussion.token">): void {
    const entry = this.streamingTexts.get(payload.unitKey) ?? {
      unitKey: payload.unitKey,
      speakerName: payload.speakerName,
      ...(payload.personaId ? { personaId: payload.personaId } : {}),
      text: "",
    };
    entry.text += payload.delta;
    this.streamingTexts.set(payload.unitKey, entry);
    const pending = this.pendingDeltas.get(payload.unitKey);
    if (pending) pending.delta += payload.delta;
    else
      this.pendingDeltas.set(payload.unitKey, {
        speakerName: payload.speakerName,
        ...(payload.personaId ? { personaId: payload.personaId } : {}),
        delta: payload.delta,
      });
    if (this.coalesceMs <= 0) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.coalesceMs);
  }

  message(payload: EventPayload<"persona_responded">): void {
    this.flush();
    this.streamingTexts.delete(payload.unitKey);
    this.publish({
      name: "persona_responded",
      unitKey: payload.unitKey,
      speakerName: payload.message.speakerName,
      ...(payload.message.personaId ? { personaId: payload.message.personaId } : {}),
      message: payload.message,
    });
  }

  updated(payload: EventPayload<"discussion_updated">, question: string | undefined): void {
    this.status = payload.status;
    this.progress = payload.progress;
    this.stage = payload.stage ?? this.stage;
    if (payload.status !== "running") this.streamingTexts.clear();
    this.publish({
      name: "discussion_updated",
      status: payload.status,
      progress: payload.progress,
      ...(payload.stage ? { stage: payload.stage } : {}),
      ...(question === undefined ? {} : { question }),
    });
  }

  /** Sends the deltas waiting to be joined, one event per message, in the order they started. */
  flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.pendingDeltas.size === 0) return;
    const pending = [...this.pendingDeltas];
    this.pendingDeltas.clear();
    for (const [unitKey, { speakerName, personaId, delta }] of pending) {
      this.publish({ name: "persona_responded", unitKey, speakerName, ...(personaId ? { personaId } : {}), delta });
    }
  }

  close(): void {
    this.flush();
    this.listeners.clear();
  }
}
