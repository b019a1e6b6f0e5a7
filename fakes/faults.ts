import { z } from "zod";

const count = z.number().int().min(0).max(1_000_000);
const probability = z.number().min(0).max(1);

/** What POST /__control accepts; every field optional, unknown fields refused. */
export const controlSchema = z.strictObject({
  /** Delay before every model response (ms). */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** Delay between streamed chunks (ms). */
  streamChunkDelayMs: z.number().int().min(0).max(60_000).optional(),
  /** The next n model requests get 429 with `Retry-After: retryAfterSeconds`. */
  fail429: count.optional(),
  retryAfterSeconds: z.number().min(0).max(3600).optional(),
  /** The next n model requests get a 5xx (status5xx, default 503). */
  fail5xx: count.optional(),
  status5xx: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
  /** The next n JSON-mode answers are broken JSON (the HTTP envelope stays valid, usage included). */
  malformed: count.optional(),
  /** Probabilities of a 429 / 5xx on any model request (benchmarks). */
  rate429: probability.optional(),
  rate5xx: probability.optional(),
  /**
   * Appended to the model the fake says answered (Gemini's modelVersion, OpenAI's model), as real
   * APIs name a pinned version ("gemini-2.5-flash-001") for an alias.
   */
  modelVersionSuffix: z.string().max(60).optional(),
  /** Free-form flags for scenario handlers; merged into the current flags (null removes one). */
  scenarioFlags: z.record(z.string(), z.unknown()).optional(),
});
export type FakeControl = z.infer<typeof controlSchema>;

export interface FaultState {
  latencyMs: number;
  streamChunkDelayMs: number;
  fail429: number;
  retryAfterSeconds: number;
  fail5xx: number;
  status5xx: 500 | 502 | 503 | 504;
  malformed: number;
  rate429: number;
  rate5xx: number;
  modelVersionSuffix: string;
  scenarioFlags: Record<string, unknown>;
}

const INITIAL: FaultState = {
  latencyMs: 0,
  streamChunkDelayMs: 0,
  fail429: 0,
  retryAfterSeconds: 1,
  fail5xx: 0,
  status5xx: 503,
  malformed: 0,
  rate429: 0,
  rate5xx: 0,
  modelVersionSuffix: "",
  scenarioFlags: {},
};

export type InjectedFailure = { kind: "429"; retryAfterSeconds: number } | { kind: "5xx"; status: number } | null;

export class Faults {
  private state: FaultState = structuredClone(INITIAL);

  snapshot(): FaultState {
    return structuredClone(this.state);
  }

  apply(patch: FakeControl): FaultState {
    const { scenarioFlags, ...rest } = controlSchema.parse(patch);
    Object.assign(this.state, Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)));
    for (const [name, value] of Object.entries(scenarioFlags ?? {})) {
      if (value === null) delete this.state.scenarioFlags[name];
      else this.state.scenarioFlags[name] = value;
    }
    return this.snapshot();
  }

  reset(): FaultState {
    this.state = structuredClone(INITIAL);
    return this.snapshot();
  }

  get latencyMs(): number {
    return this.state.latencyMs;
  }

  get modelVersionSuffix(): string {
    return this.state.modelVersionSuffix;
  }

  get streamChunkDelayMs(): number {
    return this.state.streamChunkDelayMs;
  }

  /** Decides (and consumes) the failure for the next model request, counters before probabilities. */
  nextFailure(): InjectedFailure {
    const s = this.state;
    if (s.fail429 > 0) {
      s.fail429 -= 1;
      return { kind: "429", retryAfterSeconds: s.retryAfterSeconds };
    }
    if (s.fail5xx > 0) {
      s.fail5xx -= 1;
      return { kind: "5xx", status: s.status5xx };
    }
    if (s.rate429 > 0 && Math.random() < s.rate429) return { kind: "429", retryAfterSeconds: s.retryAfterSeconds };
    if (s.rate5xx > 0 && Math.random() < s.rate5xx) return { kind: "5xx", status: s.status5xx };
    return null;
  }

  takeMalformed(): boolean {
    if (this.state.malformed <= 0) return false;
    this.state.malformed -= 1;
    return true;
  }

  get scenarioFlags(): Record<string, unknown> {
    return this.state.scenarioFlags;
  }

  /** Consumes one unit of a numeric scenario flag. */
  takeFlag(name: string): boolean {
    const value = this.state.scenarioFlags[name];
    if (typeof value === "number" && value > 0) {
      this.state.scenarioFlags[name] = value - 1;
      return true;
    }
    return value === true;
  }
}
