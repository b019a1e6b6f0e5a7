import http from "node:http";
import { controlSchema, Faults, type FakeControl, type FaultState } from "./faults";
import { GEMINI_PATH, geminiDialect } from "./gemini-api";
import { isObject, listenLoopback, readBody, sendJson } from "./http";
import { handleModelRequest, type FakeContext } from "./model-request";
import { modelsList, openaiDialect } from "./openai-api";
import { RequestLog, type LoggedRequest } from "./request-log";

export interface FakeServerOptions {
  port?: number;
  host?: string;
  /** Called with one line per notable event (the CLI sends these to stderr). */
  log?: (line: string) => void;
}

export interface RunningFakes {
  port: number;
  /** Base of the one server: both APIs and the control endpoints live here. */
  baseUrl: string;
  /** For `new GoogleGenAI({ httpOptions: { baseUrl } })` (SIGHT_GEMINI_BASE_URL). */
  geminiBaseUrl: string;
  /** For `new OpenAI({ baseURL })` (SIGHT_OPENAI_BASE_URL). */
  openaiBaseUrl: string;
  /** The environment that points Sight at these fakes. */
  env: Record<string, string>;
  /** Changes fault injection (merged into the current state) and returns the new state. */
  control(options: FakeControl): FaultState;
  state(): FaultState;
  requests(): LoggedRequest[];
  /** Clears faults, scenario flags and the request log. */
  reset(): void;
  close(): Promise<void>;
}

async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL, ctx: FakeContext) {
  if (url.pathname === "/__requests" && req.method === "GET") {
    return sendJson(res, { status: 200, body: { requests: ctx.log.list() } });
  }
  if (url.pathname === "/__requests" && req.method === "DELETE") {
    ctx.log.clear();
    return sendJson(res, { status: 200, body: { requests: [] } });
  }
  if (url.pathname === "/__reset" && req.method === "POST") {
    ctx.log.clear();
    return sendJson(res, { status: 200, body: ctx.faults.reset() });
  }
  if (url.pathname === "/__control" && req.method === "GET") {
    return sendJson(res, { status: 200, body: ctx.faults.snapshot() });
  }
  if (url.pathname === "/__control" && req.method === "POST") {
    let body: unknown;
    try {
      const text = await readBody(req);
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      return sendJson(res, { status: 400, body: { error: "The body is not JSON." } });
    }
    const parsed = controlSchema.safeParse(isObject(body) ? body : null);
    if (!parsed.success) {
      return sendJson(res, { status: 400, body: { error: "Invalid control options.", issues: parsed.error.issues } });
    }
    return sendJson(res, { status: 200, body: ctx.faults.apply(parsed.data) });
  }
  if (url.pathname === "/__health") return sendJson(res, { status: 200, body: { ok: true } });
  return sendJson(res, { status: 404, body: { error: `No control endpoint ${req.method} ${url.pathname}.` } });
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, ctx: FakeContext): Promise<void> {
  const url = new URL(req.url ?? "/", "http://fake.local");
  if (url.pathname.startsWith("/__")) return handleControl(req, res, url, ctx);
  if (req.method === "POST" && GEMINI_PATH.test(url.pathname))
    return handleModelRequest(req, res, url, ctx, geminiDialect);
  if (req.method === "POST" && url.pathname === "/v1/chat/completions") {
    return handleModelRequest(req, res, url, ctx, openaiDialect);
  }
  if (req.method === "GET" && url.pathname === "/v1/models") return sendJson(res, modelsList());
  return sendJson(res, {
    status: 404,
    body: { error: { code: 404, message: `The fake has no ${req.method} ${url.pathname}.`, status: "NOT_FOUND" } },
  });
}

/**
 * Starts the loopback fakes of Gemini (`/v1beta/models/...`) and an OpenAI-compatible API
 * (`/v1/chat/completions`, `/v1/models`) on one port, with fault injection and a request log.
 */
export async function startFakes(options: FakeServerOptions = {}): Promise<RunningFakes> {
  const ctx: FakeContext = { faults: new Faults(), log: new RequestLog() };
  const log = options.log ?? (() => {});
  const server = http.createServer((req, res) => {
    route(req, res, ctx).catch((error: unknown) => {
      log(`fakes: ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent)
        sendJson(res, { status: 500, body: { error: { code: 500, message: String(error), status: "INTERNAL" } } });
      else res.destroy();
    });
  });
  const listening = await listenLoopback(server, options.port, options.host);
  const { port } = listening;
  const { baseUrl } = listening;
  log(`fakes: Gemini and OpenAI-compatible fakes listening on ${baseUrl}`);
  return {
    port,
    baseUrl,
    geminiBaseUrl: baseUrl,
    openaiBaseUrl: `${baseUrl}/v1`,
    env: {
      GEMINI_API_KEY: "fake-gemini-key",
      SIGHT_GEMINI_BASE_URL: baseUrl,
      SIGHT_OPENAI_BASE_URL: `${baseUrl}/v1`,
      SIGHT_OPENAI_API_KEY: "fake-openai-key",
      SIGHT_LLM_FAKE: "1",
    },
    control: (patch) => ctx.faults.apply(patch),
    state: () => ctx.faults.snapshot(),
    requests: () => ctx.log.list(),
    reset() {
      ctx.faults.reset();
      ctx.log.clear();
    },
    close: listening.close,
  };
}
