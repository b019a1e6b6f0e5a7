import fs from "node:fs";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

// Field names that hold credentials (apiKey, accessToken, authorization…, a licence JWT), not
// every name that merely contains "token" (inputTokens is a count).
const SECRET_FIELD =
  /^(key|token|licen[cs]e)$|api_?key|secret|passw(or)?d|authorization|cookie|jwt|(access|refresh|id|auth|bearer|session)_?token/i;
// Gemini keys, Stripe secret keys, OpenAI-style keys (sk-…, sk-proj-…; not the tail of "task-…"), bearer tokens,
// and JWTs (Sight Cloud access tokens, licences: three base64url parts, the first a JSON header `{"…`).
const SECRET_VALUE =
  /(AIza[0-9A-Za-z_-]{20,}|sk_(live|test)_[0-9A-Za-z]{8,}|(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{16,}|Bearer\s+[A-Za-z0-9._~+/-]+=*|(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})/g;

/** Secrets never reach the logs: fields named like secrets and values shaped like keys are masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (typeof value === "string") return value.replace(SECRET_VALUE, "[redacted]");
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_FIELD.test(key) ? "[redacted]" : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  file?: string;
  level?: LogLevel;
  /** Also write to stderr (headless host, development). */
  console?: boolean;
  now?: () => Date;
}

/** JSON-lines logger; one line per event, appended to the app's log file. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? "info"];
  const now = options.now ?? (() => new Date());
  const stream = options.file ? fs.createWriteStream(options.file, { flags: "a", mode: 0o600 }) : null;
  const write = (level: LogLevel, event: string, fields?: LogFields) => {
    if (LEVELS[level] < threshold) return;
    const line = JSON.stringify({ t: now().toISOString(), level, event, ...(redact(fields ?? {}) as LogFields) });
    stream?.write(`${line}\n`);
    if (options.console) process.stderr.write(`${line}\n`);
  };
  return {
    debug: (event, fields) => write("debug", event, fields),
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
