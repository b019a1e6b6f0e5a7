import { z } from "zod";

const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/**
 * The JSON schema sent to the provider. `io: "input"` because the model's answer is what zod
 * parses; `$schema` is dropped since providers accept only a subset of JSON Schema keywords.
 */
export function jsonSchemaFor(schema: z.ZodType): Record<string, unknown> {
  let cached = jsonSchemas.get(schema);
  if (!cached) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
      string,
      unknown
    >;
    cached = rest;
    jsonSchemas.set(schema, cached);
  }
  return cached;
}

export type ParsedOutput<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/** Local models often wrap JSON in a Markdown fence even when asked not to. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?\s*```\s*$/i.exec(text);
  return fenced ? (fenced[1] ?? "") : text;
}

export function parseOutput<T>(
  text: string,
  schema: z.ZodType<T>,
  validate: ((value: T) => string | null) | undefined,
  finishReason?: string,
): ParsedOutput<T> {
  if (!text.trim()) {
    return { ok: false, issues: [`the answer was empty${finishReason ? ` (finish reason ${finishReason})` : ""}`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(stripFence(text));
  } catch (error) {
    return { ok: false, issues: [`the answer is not valid JSON (${(error as Error).message})`] };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.slice(0, 8).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    };
  }
  const problem = validate?.(parsed.data);
  return problem ? { ok: false, issues: [problem] } : { ok: true, value: parsed.data };
}

export function feedbackMessage(issues: string[]): string {
  return `Your previous answer was invalid: ${issues.join("; ")}. Answer again with JSON that matches the schema.`;
}
