import type { JsonSchema } from "../schema-values";

export interface FakeMessage {
  role: "user" | "model";
  text: string;
}

/** What a scenario sees of one model request, whichever API (Gemini or OpenAI-compatible) it came through. */
export interface ScenarioRequest {
  api: "gemini" | "openai";
  model: string;
  system: string;
  messages: FakeMessage[];
  /** The response JSON schema the caller sent, or null for a plain-text request. */
  schema: JsonSchema | null;
  seed: number | null;
  temperature: number | null;
  /** The name after `sight-task:` in the system instruction. */
  task: string;
  /** Deterministic random numbers seeded from the request (system + messages + seed). */
  rng: () => number;
  /** The live `scenarioFlags` from POST /__control (free-form). */
  flags: Record<string, unknown>;
  /** Consumes one unit of a numeric flag (e.g. `mismatch: 2`): true while it was above zero. */
  takeFlag(name: string): boolean;
  /**
   * Counts something the scenario did to this answer (e.g. a contradiction it injected), reported
   * with the request in GET /__requests as `notes: { [name]: count }`. Optional, so requests
   * built by hand in tests need not count.
   */
  note?(name: string, by?: number): void;
  /** The generic answer: a value satisfying `schema`, or plain sentences without one. */
  fallback(): unknown;
}

/**
 * Returns the answer: any JSON value when the request has a schema (it is serialized), or a
 * string for plain-text requests. Returning `undefined` falls back to the generic answer.
 */
export type ScenarioHandler = (request: ScenarioRequest) => unknown;

const scenarios = new Map<string, ScenarioHandler>();

/** Registers a handler for `sight-task: <name>`; returns a function that removes it. */
export function registerScenario(name: string, handler: ScenarioHandler): () => void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`Scenario names are letters, digits, _ . and -: ${name}`);
  scenarios.set(name, handler);
  return () => {
    if (scenarios.get(name) === handler) scenarios.delete(name);
  };
}

export function findScenario(name: string | null): ScenarioHandler | undefined {
  return name === null ? undefined : scenarios.get(name);
}

export function scenarioNames(): string[] {
  return [...scenarios.keys()].sort();
}

const MARKER = /^\s*sight-task:\s*([A-Za-z0-9_.-]+)\s*$/m;

/** The task named by a `sight-task: <name>` line in the system instruction, if any. */
export function taskMarker(system: string): string | null {
  return MARKER.exec(system)?.[1] ?? null;
}
