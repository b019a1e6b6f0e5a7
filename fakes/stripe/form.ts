import { invalidRequest } from "./errors";

/**
 * Stripe's v1 request encoding: `application/x-www-form-urlencoded` with bracket nesting, as the
 * `qs` module writes it. The SDK sends arrays indexed (`expand[0]=x`, `items[0][price]=…`); curl
 * users send `expand[]=x`; both must land in the same array. Values stay strings: each endpoint
 * coerces what it reads, as Stripe does, so "14" and 14 are the same request.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Params = { [key: string]: FormValue };

type Node = { keys: Map<string, Node | string>; pushed: number };

export function parseForm(text: string): Params {
  const root: Node = { keys: new Map(), pushed: 0 };
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? "" : pair.slice(eq + 1));
    assign(root, splitKey(key), value);
  }
  return toValue(root) as Params;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw invalidRequest(`Invalid URL encoding: ${text.slice(0, 40)}`);
  }
}

function splitKey(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return [key];
  return [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
}

function assign(node: Node, path: string[], value: string): void {
  let current = node;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] === "" ? String(current.pushed++) : path[i]!;
    if (i === path.length - 1) {
      current.keys.set(segment, value);
      return;
    }
    let next = current.keys.get(segment);
    if (next === undefined || typeof next === "string") {
      next = { keys: new Map(), pushed: 0 };
      current.keys.set(segment, next);
    }
    current = next;
  }
}

/** A node whose keys are all indices becomes an array, in index order (gaps closed, as qs does). */
function toValue(node: Node | string): FormValue {
  if (typeof node === "string") return node;
  const entries = [...node.keys.entries()];
  if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, child]) => toValue(child));
  }
  return Object.fromEntries(entries.map(([key, child]) => [key, toValue(child)]));
}

// ---------------------------------------------------------------------------------------------
// Readers: each takes the parent object and the param's full name (for Stripe's `param` field).

function isRecord(value: FormValue | undefined): value is { [key: string]: FormValue } {
  return value !== undefined && typeof value === "object" && !Array.isArray(value);
}

export function readString(value: FormValue | undefined, param: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidRequest(`Invalid string: ${param} must be a string.`, { param });
  return value;
}

export function readInteger(value: FormValue | undefined, param: string): number | undefined {
  const text = readString(value, param);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) {
    throw invalidRequest(`Invalid integer: ${text}`, { code: "parameter_invalid_integer", param });
  }
  return Number(text);
}

export function readBoolean(value: FormValue | undefined, param: string): boolean | undefined {
  const text = readString(value, param);
  if (text === undefined) return undefined;
  if (text === "true") return true;
  if (text === "false") return false;
  throw invalidRequest(`Invalid boolean: ${text}`, { param });
}

export function readEnum<T extends string>(
  value: FormValue | undefined,
  param: string,
  allowed: readonly T[],
): T | undefined {
  const text = readString(value, param);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(", ")}, or ${allowed.at(-1)}` : allowed[0];
    throw invalidRequest(`Invalid ${param}: must be one of ${list}`, { param });
  }
  return text as T;
}

export function readObject(value: FormValue | undefined, param: string): { [key: string]: FormValue } | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw invalidRequest(`Invalid object: ${param} must be a hash.`, { param });
  return value;
}

export function readArray(value: FormValue | undefined, param: string): FormValue[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`Invalid array: ${param} must be an array.`, { param });
  return value;
}

/**
 * Metadata updates merge key by key; an empty value unsets a key and `metadata=` (empty string)
 * clears all of them, as Stripe documents. Returns the merged result.
 */
export function mergeMetadata(
  current: Record<string, string>,
  value: FormValue | undefined,
  param = "metadata",
): Record<string, string> {
  if (value === undefined) return current;
  if (value === "") return {};
  const patch = Array.isArray(value)
    ? Object.fromEntries(value.map((v, i) => [String(i), v]))
    : readObject(value, param)!;
  const next = { ...current };
  for (const [key, entry] of Object.entries(patch)) {
    const text = readString(entry, `${param}[${key}]`)!;
    if (key.length > 40)
      throw invalidRequest(`Metadata keys can have up to 40 characters.`, { param: `${param}[${key}]` });
    if (text.length > 500)
      throw invalidRequest(`Metadata values can have up to 500 characters.`, { param: `${param}[${key}]` });
    if (text === "") delete next[key];
    else next[key] = text;
  }
  if (Object.keys(next).length > 50) throw invalidRequest("Metadata can have up to 50 keys.", { param });
  return next;
}

export function readExpand(params: Params): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : readArray(value, "expand")!;
  return list.map((entry, i) => readString(entry, `expand[${i}]`)!);
}

/**
 * Stripe refuses parameters it does not know (`parameter_unknown`), which is what catches a
 * client sending a field this API version renamed. `allowed` lists every documented parameter
 * (from the SDK's `*Params` interfaces), including those the fake accepts but does not model.
 */
export function refuseUnknown(value: FormValue | undefined, allowed: readonly string[], prefix = ""): void {
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const param = prefix ? `${prefix}[${key}]` : key;
      throw invalidRequest(`Received unknown parameter: ${param}`, { code: "parameter_unknown", param });
    }
  }
}
