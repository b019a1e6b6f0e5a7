import { createRng, estimateTokens, hashSeed, intBetween, paragraph } from "./deterministic";
import type { Faults } from "./faults";
import { valueForSchema, type JsonSchema } from "./schema-values";
import { findScenario, taskMarker, type FakeMessage } from "./scenarios";

export interface ModelInput {
  api: "gemini" | "openai";
  model: string;
  system: string;
  messages: FakeMessage[];
  /** JSON mode: the answer must be JSON (matching `schema` when there is one). */
  json: boolean;
  schema: JsonSchema | null;
  seed: number | null;
  temperature: number | null;
}

export interface ModelOutput {
  text: string;
  inputTokens: number;
  outputTokens: number;
  scenario: string | null;
  malformed: boolean;
  /** What the scenario counted while answering (see ScenarioRequest.note). */
  notes: Record<string, number>;
}

/** Breaks valid JSON the way a truncated or chatty model does. */
function breakJson(text: string): string {
  return `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}`;
}

/**
 * The fake "model": the same prompt (system + messages + seed) always gives the same answer.
 * A `sight-task: <name>` line picks a registered scenario; otherwise the answer is generated
 * from the response schema, or is a few plain sentences.
 */
export function answer(input: ModelInput, faults: Faults): ModelOutput {
  const rng = createRng(hashSeed(input.system, JSON.stringify(input.messages), String(input.seed ?? "")));
  const fallback = (): unknown => {
    if (input.schema) return valueForSchema(input.schema, rng);
    if (input.json) return { answer: paragraph(rng) };
    return Array.from({ length: intBetween(rng, 1, 3) }, () => paragraph(rng)).join("\n\n");
  };
  const task = taskMarker(input.system);
  const scenario = findScenario(task);
  const notes: Record<string, number> = {};
  let value: unknown;
  if (scenario && task) {
    value = scenario({
      api: input.api,
      model: input.model,
      system: input.system,
      messages: input.messages,
      schema: input.schema,
      seed: input.seed,
      temperature: input.temperature,
      task,
      rng,
      flags: faults.scenarioFlags,
      takeFlag: (name) => faults.takeFlag(name),
      note: (name, by = 1) => {
        notes[name] = (notes[name] ?? 0) + by;
      },
      fallback,
    });
  }
  if (value === undefined) value = fallback();
  let text = input.json || typeof value !== "string" ? JSON.stringify(value) : value;
  const malformed = input.json && faults.takeMalformed();
  if (malformed) text = breakJson(text);
  const prompt = [input.system, ...input.messages.map((message) => message.text)].join("\n");
  return {
    text,
    inputTokens: estimateTokens(prompt),
    outputTokens: estimateTokens(text),
    scenario: scenario ? task : null,
    malformed,
    notes,
  };
}

/** Splits an answer into stream chunks of roughly `target` characters; joined, they equal the text. */
export function chunkText(text: string, target = 16): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) {
    // Long unbroken runs (JSON has few spaces) are cut so streaming still arrives in pieces.
    for (let index = 0; index < piece.length; index += target * 2) {
      current += piece.slice(index, index + target * 2);
      if (current.length >= target) {
        chunks.push(current);
        current = "";
      }
    }
  }
  if (current || !chunks.length) chunks.push(current);
  return chunks;
}
