import { CITIES, FIRST_NAMES, LAST_NAMES, OCCUPATIONS, intBetween, paragraph, pick, sentence } from "./deterministic";

export type JsonSchema = { [key: string]: unknown };

const MAX_DEPTH = 12;

function asSchema(value: unknown): JsonSchema {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as JsonSchema) : {};
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Resolves local references (`#/$defs/X`, `#/definitions/X`) against the root schema. */
function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  if (!ref.startsWith("#")) return {};
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = asSchema(node)[key];
  }
  return asSchema(node);
}

/** JSON Schema types are lower case; Gemini's OpenAPI-style `responseSchema` uses OBJECT, STRING… */
function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === "string") return type.toLowerCase();
  if (Array.isArray(type)) {
    const concrete = type.map((t) => String(t).toLowerCase()).filter((t) => t !== "null");
    return concrete[0] ?? "null";
  }
  if (schema.properties) return "object";
  if (schema.items) return "array";
  return undefined;
}

function stringFor(key: string | undefined, schema: JsonSchema, rng: () => number): string {
  const format = typeof schema.format === "string" ? schema.format : undefined;
  const name = (key ?? "").toLowerCase();
  let text: string;
  if (format === "date-time")
    text = new Date(Date.UTC(2025, 0, 1) + Math.floor(rng() * 365 * 86_400_000)).toISOString();
  else if (format === "date")
    text = new Date(Date.UTC(2025, 0, 1) + Math.floor(rng() * 365) * 86_400_000).toISOString().slice(0, 10);
  else if (format === "email") text = `${pick(rng, FIRST_NAMES).toLowerCase()}.${intBetween(rng, 1, 999)}@example.com`;
  else if (format === "uri" || format === "url") text = `https://example.com/${intBetween(rng, 1, 9999)}`;
  else if (format === "uuid")
    text = "00000000-0000-4000-8000-000000000000".replace(/0/g, () => intBetween(rng, 0, 15).toString(16));
  else if (/^(first_?name|given_?name)$/.test(name)) text = pick(rng, FIRST_NAMES);
  else if (/^(last_?name|surname|family_?name)$/.test(name)) text = pick(rng, LAST_NAMES);
  else if (/name$/.test(name)) text = `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`;
  else if (/(city|location|town)/.test(name)) text = pick(rng, CITIES);
  else if (/(occupation|job|profession|role)/.test(name)) text = pick(rng, OCCUPATIONS);
  else if (/^(id|key|code|slug)$/.test(name)) text = `id-${intBetween(rng, 1000, 9999)}`;
  else if (/(title|label|theme|topic|tag)/.test(name))
    text = sentence(rng).split(" ").slice(0, 4).join(" ").replace(/[.,]$/, "");
  else if (/(summary|description|text|quote|answer|response|bio|background|message|content|reason)/.test(name))
    text = paragraph(rng);
  else text = sentence(rng);

  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength);
  while (text.length < minLength) text = `${text} ${sentence(rng)}`;
  if (maxLength !== undefined && text.length > maxLength) text = text.slice(0, maxLength).trimEnd();
  while (text.length < minLength) text += "x";
  return text;
}

/** zod writes `int()` as ±MAX_SAFE_INTEGER bounds; treat those as "no bound" to keep numbers plausible. */
function bound(value: unknown): number | undefined {
  const n = num(value);
  return n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
}

function numberFor(schema: JsonSchema, rng: () => number, integer: boolean): number {
  let min = bound(schema.minimum) ?? -Infinity;
  let max = bound(schema.maximum) ?? Infinity;
  const exclusiveMin = bound(schema.exclusiveMinimum);
  const exclusiveMax = bound(schema.exclusiveMaximum);
  const step = integer ? 1 : 0.01;
  if (exclusiveMin !== undefined) min = Math.max(min, exclusiveMin + step);
  if (exclusiveMax !== undefined) max = Math.min(max, exclusiveMax - step);
  if (!Number.isFinite(min) && !Number.isFinite(max)) [min, max] = [0, 100];
  else if (!Number.isFinite(min)) min = max >= 0 ? 0 : max - 100;
  else if (!Number.isFinite(max)) max = min + 100;
  const multipleOf = num(schema.multipleOf);
  if (integer || multipleOf) {
    const unit = multipleOf ?? 1;
    const lo = Math.ceil(min / unit);
    const hi = Math.floor(max / unit);
    return (hi < lo ? lo : intBetween(rng, lo, hi)) * unit;
  }
  return Math.round((min + rng() * (max - min)) * 100) / 100;
}

function objectFor(schema: JsonSchema, rng: () => number, root: JsonSchema, depth: number): Record<string, unknown> {
  const properties = asSchema(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : Object.keys(properties));
  const out: Record<string, unknown> = {};
  const order = Array.isArray(schema.propertyOrdering) ? schema.propertyOrdering.map(String) : Object.keys(properties);
  for (const key of order) {
    if (!Object.hasOwn(properties, key)) continue;
    // Optional properties appear most of the time, like a real model's answers.
    if (!required.has(key) && rng() < 0.3) continue;
    out[key] = valueForSchema(asSchema(properties[key]), rng, { root, key, depth: depth + 1 });
  }
  return out;
}

function arrayFor(schema: JsonSchema, rng: () => number, root: JsonSchema, depth: number): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems.map(asSchema) : [];
  const minItems = Math.max(num(schema.minItems) ?? 1, prefix.length);
  const maxItems = Math.max(minItems, num(schema.maxItems) ?? Math.max(minItems, 3));
  const count = intBetween(rng, minItems, Math.min(maxItems, minItems + 4));
  const items = asSchema(schema.items);
  const values = Array.from({ length: count }, (_, index) =>
    valueForSchema(prefix[index] ?? items, rng, { root, depth: depth + 1 }),
  );
  if (schema.uniqueItems === true) {
    const seen = new Set<string>();
    return values.filter((value) => {
      const key = JSON.stringify(value);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  return values;
}

export interface SchemaValueOptions {
  root?: JsonSchema;
  /** The property name this value is for: picks plausible text ("name", "city", "quote"…). */
  key?: string;
  depth?: number;
}

/**
 * A value that satisfies a JSON schema (the subset models are given: types, properties,
 * required, enum, const, ranges, lengths, items, anyOf/oneOf/allOf, local $refs), chosen by `rng`.
 */
export function valueForSchema(schemaInput: unknown, rng: () => number, options: SchemaValueOptions = {}): unknown {
  let schema = asSchema(schemaInput);
  const root = options.root ?? schema;
  const depth = options.depth ?? 0;
  if (depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === "string") schema = { ...resolveRef(schema.$ref, root), ...schema, $ref: undefined };
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return pick(rng, schema.enum);
  const variants = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : []).map(
    asSchema,
  );
  if (variants.length) {
    const concrete = variants.filter((variant) => typeOf(variant) !== "null");
    return valueForSchema(pick(rng, concrete.length ? concrete : variants), rng, {
      ...options,
      root,
      depth: depth + 1,
    });
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length) {
    const merged: JsonSchema = { type: "object", properties: {}, required: [] };
    for (const part of schema.allOf.map(asSchema)) {
      const resolved = typeof part.$ref === "string" ? resolveRef(part.$ref, root) : part;
      Object.assign(merged, {
        ...resolved,
        properties: { ...asSchema(merged.properties), ...asSchema(resolved.properties) },
      });
      merged.required = [
        ...(merged.required as unknown[]),
        ...(Array.isArray(resolved.required) ? resolved.required : []),
      ];
    }
    return valueForSchema(merged, rng, { ...options, root, depth: depth + 1 });
  }
  switch (typeOf(schema)) {
    case "object":
      return objectFor(schema, rng, root, depth);
    case "array":
      return arrayFor(schema, rng, root, depth);
    case "integer":
      return numberFor(schema, rng, true);
    case "number":
      return numberFor(schema, rng, false);
    case "boolean":
      return rng() < 0.5;
    case "null":
      return null;
    default:
      return stringFor(options.key, schema, rng);
  }
}
