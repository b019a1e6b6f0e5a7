import fs from "node:fs";
import path from "node:path";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import fastifyStatic from "@fastify/static";
import { Server as SocketServer } from "socket.io";
import {
  AppError,
  HTTP_STATUS_BY_CODE,
  idSchema,
  isAppError,
  isEventName,
  routes,
  SOCKET_EVENT,
  SOCKET_INVOKE,
  SOCKET_PATH,
  type InvokeResult,
  type RouteName,
  type WireError,
} from "../../shared/contract";
import type { Router } from "../api/router";
import type { EventBus } from "../services/events/bus";
import type { Logger } from "../services/logger";
import {
  checkOriginAndHost,
  checkRequest,
  guardConfig,
  hasValidCredentials,
  safeEqual,
  sessionCookieHeader,
  type GuardConfig,
  type RequestFacts,
} from "./auth";
import { buildOpenApi, pathParams } from "./openapi";
import type { DownloadFile, ExportsService } from "../services/exports/exports-service";
import { contentDisposition } from "../services/exports/file-names";

export interface HeadlessOptions {
  router: Router;
  bus: EventBus;
  logger: Logger;
  version: string;
  host: string;
  port: number;
  token: string;
  /** Extra Host names (normalised, see --allowed-hosts), honoured when `host` is not loopback. */
  allowedHosts?: readonly string[];
  /** Built renderer (out/renderer); the host serves it to browsers. */
  rendererDir: string;
  /** Extra JSON schemas served under /api/v1/schemas/<name>.json. */
  schemas?: Record<string, unknown>;
  /** Export files: authenticated downloads and signed share links. */
  downloads?: Pick<ExportsService, "openDownload" | "openShared">;
  /**
   * The loopback OAuth redirect (RFC 8252 §7.3) a CRM's consent page sends the browser back to:
   * answers the page the browser shows. Needs no bearer token: the pending flow's single-use
   * `state` authorises it, and anything else is refused.
   */
  oauthCallback?: (query: Record<string, string>) => Promise<{ ok: boolean; title: string; message: string }>;
}

export const OAUTH_CALLBACK_PATH = "/oauth/callback";

/**
 * The share-link route: the only API route that needs no bearer token (its signature authorises
 * it). Matched by the route Fastify resolved, not by re-parsing the URL, so dot segments or
 * doubled slashes cannot dress another path up as it.
 */
const SHARED_ROUTE = "/api/v1/shared/exports/:id";

export interface HeadlessServer {
  url: string;
  /** The URL to open once: it sets the session cookie and drops the token from the address bar. */
  loginUrl: string;
  port: number;
  close(): Promise<void>;
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

function facts(headers: Record<string, string | string[] | undefined>): RequestFacts {
  const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return {
    host: one(headers.host),
    origin: one(headers.origin),
    authorization: one(headers.authorization),
    cookie: one(headers.cookie),
  };
}

function sendError(reply: FastifyReply, error: WireError, status = HTTP_STATUS_BY_CODE[error.code]) {
  return reply.code(status).send({ error });
}

/** Builds the input object of a REST call: path params win over query and body fields. */
export function restInput(request: FastifyRequest, params: string[]): unknown {
  const body = request.body;
  const base =
    request.method === "GET" || request.method === "DELETE"
      ? { ...(request.query as Record<string, unknown>) }
      : body === undefined || body === null
        ? {}
        : typeof body === "object" && !Array.isArray(body)
          ? { ...(body as Record<string, unknown>) }
          : null;
  if (base === null) return body;
  for (const name of params) base[name] = (request.params as Record<string, string>)[name];
  return base;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function checkedId(id: string): string {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", "The export id is not valid.", { id: id.slice(0, 80) });
  return parsed.data;
}

export async function startHeadlessServer(options: HeadlessOptions): Promise<HeadlessServer> {
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, trustProxy: false });
  // The guard needs the real port, known only after listen; requests wait for it.
  let guard: GuardConfig | null = null;

  app.addHook("onRequest", async (request, reply) => {
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("X-Frame-Options", "DENY");
    reply.header("Content-Security-Policy", CSP);
    // socket.io does its own checks below (engine.io answers its path before Fastify sees it);
    // only its exact path prefix skips this guard, not look-alikes such as /socket.io.js.
    if (request.url.startsWith(`${SOCKET_PATH}/`)) return;
    const config = guard!;
    const requestFacts = facts(request.headers);
    const place = checkOriginAndHost(requestFacts, config);
    if (!place.ok) return sendError(reply, { code: "UNAUTHORIZED", message: place.message }, place.status);

    // First visit through the printed URL: trade the token for an HttpOnly cookie and
    // redirect so the token leaves the address bar and the history.
    const url = new URL(request.url, "http://host.invalid");
    const token = url.searchParams.get("token");
    if (request.method === "GET" && token !== null && url.pathname === "/") {
      if (!safeEqual(token, config.token)) return sendError(reply, { code: "UNAUTHORIZED", message: "Invalid token." });
      return reply.header("Set-Cookie", sessionCookieHeader(config)).redirect("/", 302);
    }
    if ((request.method === "GET" || request.method === "HEAD") && request.routeOptions.url === SHARED_ROUTE) return;
    if (request.method === "GET" && options.oauthCallback && request.routeOptions.url === OAUTH_CALLBACK_PATH) return;
    if (!hasValidCredentials(requestFacts, config)) {
      if (!url.pathname.startsWith("/api/") && request.method === "GET") {
        return reply
          .code(401)
          .type("text/html; charset=utf-8")
          .send(
            "<!doctype html><meta charset=utf-8><title>Sight</title><body style='font-family:system-ui;padding:2rem'>" +
              "<h1>Sight</h1><p>Open the address the Sight host printed when it started (it ends in <code>?token=…</code>).</p>",
          );
      }
      return sendError(reply, { code: "UNAUTHORIZED", message: "Missing or invalid token." });
    }
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, { code: "VALIDATION_FAILED", message: `Malformed request: ${error.message}` });
    }
    options.logger.error("headless.error", { error });
    return sendError(reply, { code: "INTERNAL", message: "Something went wrong; the log has the details." });
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, { code: "NOT_FOUND", message: `No route ${request.method} ${request.url.split("?")[0]}.` }),
  );

  const openApi = buildOpenApi(options.version);
  app.get("/api/v1/openapi.json", async () => openApi);
  for (const [name, schema] of Object.entries(options.schemas ?? {})) {
    app.get(`/api/v1/schemas/${name}.json`, async () => schema);
  }

  const sendFile = (reply: FastifyReply, download: DownloadFile) =>
    reply
      .header("Content-Disposition", contentDisposition(download.fileName))
      .header("Content-Length", String(download.sizeBytes))
      .header("Cache-Control", "private, no-store")
      .type(download.mimeType)
      .send(fs.createReadStream(download.file));
  const serveDownload = async (reply: FastifyReply, open: () => Promise<DownloadFile>) => {
    try {
      return sendFile(reply, await open());
    } catch (error) {
      if (isAppError(error)) return sendError(reply, error.toWire());
      throw error;
    }
  };
  if (options.downloads) {
    const downloads = options.downloads;
    app.get<{ Params: { id: string } }>("/api/v1/exports/:id/download", async (request, reply) =>
      serveDownload(reply, () => downloads.openDownload(checkedId(request.params.id))),
    );
    app.get<{ Params: { id: string } }>(SHARED_ROUTE, async (request, reply) =>
      serveDownload(reply, () =>
        downloads.openShared(checkedId(request.params.id), request.query as Record<string, unknown>, request.method),
      ),
    );
  }

  if (options.oauthCallback) {
    const answer = options.oauthCallback;
    app.get(OAUTH_CALLBACK_PATH, async (request, reply) => {
      const query: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.query as Record<string, unknown>))
        if (typeof value === "string" && value.length <= 4096) query[name] = value;
      const page = await answer(query);
      return reply
        .code(page.ok ? 200 : 400)
        .header("Cache-Control", "no-store")
        .type("text/html; charset=utf-8")
        .send(
          `<!doctype html><meta charset=utf-8><title>${escapeHtml(page.title)}</title>` +
            "<body style='font-family:system-ui;padding:2rem;max-width:40rem'>" +
            `<h1 data-testid="oauth-result" data-ok="${page.ok}">${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p>`,
        );
    });
  }

  for (const name of Object.keys(routes) as RouteName[]) {
    const def = routes[name];
    if (def.desktopOnly) continue;
    const params = pathParams(def.rest.path);
    const fastifyPath = `/api/v1${def.rest.path.replace(/\{([A-Za-z]+)\}/g, ":$1")}`;
    app.route({
      method: def.rest.method,
      url: fastifyPath,
      handler: async (request, reply) => {
        const result = await options.router.invoke(name, restInput(request, params), { transport: "rest" });
        if ("error" in result) return sendError(reply, result.error);
        return reply.code(def.rest.status ?? 200).send(result.data);
      },
    });
  }

  if (fs.existsSync(path.join(options.rendererDir, "index.html"))) {
    await app.register(fastifyStatic, {
      root: path.resolve(options.rendererDir),
      prefix: "/",
      index: ["index.html"],
      // The page is only valid with a live sign-in: after a restart (new token) the browser must
      // ask again and get the sign-in page, never show the app from its cache.
      setHeaders: (res, filePath) => {
        if (filePath.endsWith(".html")) res.header("Cache-Control", "no-store");
      },
    });
  } else {
    app.get("/", async (_request, reply) =>
      reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send(`The renderer is not built (${options.rendererDir} is missing). Run \`npm run build\` first.`),
    );
  }

  const io = new SocketServer(app.server, {
    path: SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: 10 * 1024 * 1024,
    allowRequest: (request, callback) => {
      const verdict = checkOriginAndHost(facts(request.headers), guard!);
      callback(verdict.ok ? null : verdict.message, verdict.ok);
    },
  });
  io.use((socket, next) => {
    const verdict = checkRequest(
      { ...facts(socket.handshake.headers), handshakeToken: (socket.handshake.auth as Record<string, unknown>)?.token },
      guard!,
    );
    if (verdict.ok) return next();
    const error = new Error(verdict.message) as Error & { data?: unknown };
    error.data = { code: "UNAUTHORIZED" };
    next(error);
  });
  const unsubscribe = options.bus.onAny((name, payload) => {
    if (isEventName(name)) io.emit(SOCKET_EVENT, { name, payload });
  });
  io.on("connection", (socket) => {
    socket.on(SOCKET_INVOKE, async (message: unknown, ack: unknown) => {
      if (typeof ack !== "function") return; // invoke without an ack has nowhere to answer
      const { name, input } = (typeof message === "object" && message !== null ? message : {}) as {
        name?: unknown;
        input?: unknown;
      };
      const result: InvokeResult<unknown> = await options.router.invoke(name, input, { transport: "socket" });
      (ack as (result: InvokeResult<unknown>) => void)(result);
    });
  });

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  guard = guardConfig(options.token, options.host, port, options.allowedHosts);
  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}`;
  return {
    url,
    loginUrl: `${url}/?token=${encodeURIComponent(options.token)}`,
    port,
    async close() {
      unsubscribe();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await app.close().catch(() => undefined);
    },
  };
}
