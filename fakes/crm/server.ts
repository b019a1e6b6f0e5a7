/**
 * The loopback server both CRM fakes run on: a route table, the fault switches (next N
 * requests 429 with Retry-After, next N 5xx), bearer-token checks against the shared
 * authorization server, per-route request counters, and the `/__control` endpoints. What
 * differs between HubSpot and Salesforce (paths, error bodies, rate-limit headers) comes in
 * as routes and a dialect.
 */
import http from "node:http";
import { z } from "zod";
import { Faults } from "../faults";
import { listenLoopback, readBody, sendJson, type HttpReply } from "../http";
import type { AccessCheck, AuthorizationServer } from "./oauth";

export interface RouteContext {
  req: http.IncomingMessage;
  url: URL;
  match: RegExpExecArray;
  /** The caller's access (API routes only). */
  access: Extract<AccessCheck, { ok: true }> | null;
  accessToken: string | null;
  text(): Promise<string>;
  json(): Promise<unknown>;
  form(): Promise<URLSearchParams>;
}

export interface FakeRoute {
  method: string;
  path: RegExp;
  /** Counter name, e.g. "contacts.batchUpsert". */
  name: string;
  /** API routes get the fault switches and the bearer check; OAuth and pages do not. */
  api: boolean;
  handle(ctx: RouteContext): HttpReply | Promise<HttpReply>;
}

/** How a provider words the failures the shared server produces. */
export interface CrmDialect {
  rateLimited(retryAfterSeconds: number): HttpReply;
  serverError(status: number): HttpReply;
  unauthorized(expired: boolean): HttpReply;
  notFound(method: string, path: string): HttpReply;
  /** Runs before an authorised API route (HubSpot's rolling limit, Salesforce's daily limit); a reply stops it. */
  beforeApi?(route: FakeRoute): HttpReply | null;
  /** Headers added to every API reply (rate-limit headers). */
  apiHeaders?(): Record<string, string>;
}

export const baseFaultsSchema = z.strictObject({
  fail429: z.number().int().min(0).max(1_000_000).optional(),
  retryAfterSeconds: z.number().min(0).max(3600).optional(),
  fail5xx: z.number().int().min(0).max(1_000_000).optional(),
  status5xx: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
  /**
   * Hold every API answer this long after the request was carried out (records written): what a
   * client sees when the CRM did the work and the answer is slow, or when the client dies waiting.
   */
  holdReplyMs: z.number().int().min(0).max(600_000).optional(),
});
export type BaseFaults = z.infer<typeof baseFaultsSchema>;

export interface CrmFakeServerOptions {
  label: string;
  port?: number;
  routes: FakeRoute[];
  dialect: CrmDialect;
  oauth: AuthorizationServer;
  faults: Faults;
  /** Provider switches beyond the base faults (POST /__control/faults also takes these keys). */
  extraFaults?: { schema: z.ZodObject; apply(patch: Record<string, unknown>): void };
  state(): unknown;
  reset(): void;
  log?: (line: string) => void;
}

/** In-process test control; the same operations are served as JSON under `/__control/`. */
export interface CrmFakeControl {
  /** POST /__control/faults: base faults plus the provider's own switches. */
  setFaults(patch: Record<string, unknown>): void;
  /** POST /__control/expire-tokens: every live access token expires now. */
  expireTokens(): number;
  /** POST /__control/reset: records, tokens, counters and faults cleared. */
  reset(): void;
  /** GET /__control/state: `counts` per route name (faulted requests included), OAuth counters, issued tokens, records. */
  state(): CrmFakeState;
}

export interface CrmFakeState {
  counts: Record<string, number>;
  oauth: AuthorizationServer["counters"];
  issuedTokens: string[];
  [key: string]: unknown;
}

export interface CrmFakeServer {
  url: string;
  port: number;
  control: CrmFakeControl;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, reply: HttpReply): void {
  const type = reply.headers?.["content-type"];
  if (type && !type.startsWith("application/json")) {
    if (res.destroyed) return;
    const text = String(reply.body ?? "");
    res.writeHead(reply.status, { "content-length": Buffer.byteLength(text), ...reply.headers });
    res.end(text);
    return;
  }
  if (reply.status === 204) {
    res.writeHead(204, reply.headers ?? {});
    res.end();
    return;
  }
  sendJson(res, reply);
}

function bearer(req: http.IncomingMessage): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? null;
}

export async function startCrmFakeServer(options: CrmFakeServerOptions): Promise<CrmFakeServer> {
  const counts = new Map<string, number>();
  const log = options.log ?? (() => {});
  const faultsSchema = options.extraFaults
    ? baseFaultsSchema.extend(options.extraFaults.schema.shape)
    : baseFaultsSchema;
  let baseUrl = "";
  let holdMs = 0;

  const control: CrmFakeControl = {
    setFaults(patch) {
      const { fail429, retryAfterSeconds, fail5xx, status5xx, holdReplyMs, ...extra } = faultsSchema.parse(
        patch,
      ) as BaseFaults;
      options.faults.apply({ fail429, retryAfterSeconds, fail5xx, status5xx });
      if (holdReplyMs !== undefined) holdMs = holdReplyMs;
      options.extraFaults?.apply(extra);
    },
    expireTokens: () => options.oauth.expireAccessTokens(),
    reset() {
      counts.clear();
      holdMs = 0;
      options.faults.reset();
      options.oauth.reset();
      options.reset();
    },
    state: () => ({
      counts: Object.fromEntries(counts),
      oauth: { ...options.oauth.counters },
      issuedTokens: options.oauth.issuedTokens(),
      ...(options.state() as object),
    }),
  };

  const handleControl = async (req: http.IncomingMessage, url: URL): Promise<HttpReply> => {
    const method = req.method ?? "GET";
    if (method === "GET" && url.pathname === "/__control/health")
      return { status: 200, body: { ok: true, url: baseUrl } };
    if (method === "GET" && url.pathname === "/__control/state") return { status: 200, body: control.state() };
    if (method !== "POST") return { status: 404, body: { error: `No control endpoint ${method} ${url.pathname}.` } };
    const text = await readBody(req);
    let body: unknown = {};
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      return { status: 400, body: { error: "The body is not JSON." } };
    }
    switch (url.pathname) {
      case "/__control/reset":
        control.reset();
        return { status: 200, body: { ok: true } };
      case "/__control/expire-tokens":
        return { status: 200, body: { expired: control.expireTokens() } };
      case "/__control/faults": {
        const parsed = faultsSchema.safeParse(body);
        if (!parsed.success) return { status: 400, body: { error: "Invalid faults.", issues: parsed.error.issues } };
        control.setFaults(parsed.data);
        return { status: 200, body: { ok: true } };
      }
      default:
        return { status: 404, body: { error: `No control endpoint ${method} ${url.pathname}.` } };
    }
  };

  const route = async (req: http.IncomingMessage, url: URL): Promise<HttpReply> => {
    if (url.pathname.startsWith("/__control/")) return handleControl(req, url);
    const method = (req.method ?? "GET").toUpperCase();
    let found: { route: FakeRoute; match: RegExpExecArray } | null = null;
    for (const candidate of options.routes) {
      const match = candidate.method === method ? candidate.path.exec(url.pathname) : null;
      if (match) {
        found = { route: candidate, match };
        break;
      }
    }
    if (!found) return options.dialect.notFound(method, url.pathname);
    const { route: matched, match } = found;
    counts.set(matched.name, (counts.get(matched.name) ?? 0) + 1);
    let text: string | null = null;
    const readText = async () => (text ??= await readBody(req));
    const ctx: RouteContext = {
      req,
      url,
      match,
      access: null,
      accessToken: bearer(req),
      text: readText,
      json: async () => JSON.parse((await readText()) || "null") as unknown,
      form: async () => new URLSearchParams(await readText()),
    };
    if (!matched.api) return matched.handle(ctx);

    const failure = options.faults.nextFailure();
    if (failure?.kind === "429") return options.dialect.rateLimited(failure.retryAfterSeconds);
    if (failure?.kind === "5xx") return options.dialect.serverError(failure.status);
    const check = ctx.accessToken ? options.oauth.checkAccess(ctx.accessToken) : { ok: false as const, expired: false };
    if (!check.ok) return options.dialect.unauthorized(check.expired);
    ctx.access = check;
    const refused = options.dialect.beforeApi?.(matched);
    if (refused) return refused;
    const reply = await matched.handle(ctx);
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
    return reply;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    route(req, url)
      .then((reply) => {
        const api = !url.pathname.startsWith("/__control/") && reply.status !== 302;
        const extra = api ? (options.dialect.apiHeaders?.() ?? {}) : {};
        send(res, { ...reply, headers: { ...extra, ...reply.headers } });
      })
      .catch((error: unknown) => {
        log(`${options.label}: ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
        if (!res.headersSent) send(res, { status: 500, body: { error: `${options.label} bug: ${String(error)}` } });
        else res.destroy();
      });
  });
  const listening = await listenLoopback(server, options.port);
  const { port } = listening;
  baseUrl = listening.baseUrl;
  return {
    url: baseUrl,
    port,
    control,
    close: listening.close,
  };
}

/** JSON bodies that are not what the route expects answer 400 in the provider's words. */
export function parseOr<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}` };
}
