import type { FakeMessage } from "./scenarios/registry";

/** One model request as the fake saw it; tests assert on prompts and timing through GET /__requests. */
export interface LoggedRequest {
  id: number;
  api: "gemini" | "openai";
  method: string;
  path: string;
  model: string;
  stream: boolean;
  system: string;
  messages: FakeMessage[];
  /** All message texts joined by blank lines, for substring assertions. */
  messagesText: string;
  hasSchema: boolean;
  seed: number | null;
  temperature: number | null;
  /** Whether an API key came with the request (the key itself is never logged). */
  keyPresent: boolean;
  /** HTTP status sent, and which fault (if any) produced it. */
  status: number;
  fault: "429" | "5xx" | "malformed" | "auth" | null;
  scenario: string | null;
  /** What the scenario counted while answering, e.g. `{ "contradicted:location": 1 }`. */
  notes: Record<string, number>;
  /** Epoch ms when the request arrived and when its response finished (or the client went away). */
  startedAt: number;
  endedAt: number | null;
  /** ISO form of startedAt. */
  time: string;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private nextId = 1;

  start(partial: Pick<LoggedRequest, "api" | "method" | "path">): LoggedRequest {
    const startedAt = Date.now();
    const entry: LoggedRequest = {
      id: this.nextId++,
      ...partial,
      model: "",
      stream: false,
      system: "",
      messages: [],
      messagesText: "",
      hasSchema: false,
      seed: null,
      temperature: null,
      keyPresent: false,
      status: 0,
      fault: null,
      scenario: null,
      notes: {},
      startedAt,
      endedAt: null,
      time: new Date(startedAt).toISOString(),
    };
    this.entries.push(entry);
    // Bounded: benchmarks send many thousands of requests.
    if (this.entries.length > 20_000) this.entries.splice(0, this.entries.length - 20_000);
    return entry;
  }

  list(): LoggedRequest[] {
    return this.entries.map((entry) => ({
      ...entry,
      messages: entry.messages.map((m) => ({ ...m })),
      notes: { ...entry.notes },
    }));
  }

  clear(): void {
    this.entries = [];
  }
}
