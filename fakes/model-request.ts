import type { IncomingMessage, ServerResponse } from "node:http";
import { answer, type ModelInput, type ModelOutput } from "./fake-model";
import type { Faults } from "./faults";
import { readBody, sendJson, wait, type HttpReply } from "./http";
import type { LoggedRequest, RequestLog } from "./request-log";

export interface FakeContext {
  faults: Faults;
  log: RequestLog;
}

export interface ParsedModelRequest extends ModelInput {
  stream: boolean;
  /** OpenAI streaming: `stream_options.include_usage` asks for a final usage chunk. */
  includeUsage?: boolean;
  key: string | null;
}

/** What differs between the Gemini and OpenAI-compatible fakes: request parsing and wire shapes. */
export interface ApiDialect {
  api: "gemini" | "openai";
  /** Parses the body, or returns the API's own 400 reply. */
  parse(body: unknown, req: IncomingMessage, url: URL): ParsedModelRequest | HttpReply;
  authFailure(key: string | null): HttpReply | null;
  rateLimited(retryAfterSeconds: number): HttpReply;
  serverError(status: number): HttpReply;
  badJson(message: string): HttpReply;
  reply(res: ServerResponse, output: ModelOutput, request: ParsedModelRequest): void;
  stream(res: ServerResponse, output: ModelOutput, request: ParsedModelRequest, chunkDelayMs: number): Promise<void>;
}

function record(entry: LoggedRequest, request: ParsedModelRequest): void {
  entry.model = request.model;
  entry.stream = request.stream;
  entry.system = request.system;
  entry.messages = request.messages;
  entry.messagesText = request.messages.map((message) => message.text).join("\n\n");
  entry.hasSchema = request.schema !== null;
  entry.seed = request.seed;
  entry.temperature = request.temperature;
  entry.keyPresent = request.key !== null && request.key !== "";
}

/** The shared life of a model request: log, latency, auth, injected faults, answer. */
export async function handleModelRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: FakeContext,
  dialect: ApiDialect,
): Promise<void> {
  const entry = ctx.log.start({ api: dialect.api, method: req.method ?? "POST", path: url.pathname + url.search });
  res.on("close", () => {
    entry.endedAt = Date.now();
  });
  const send = (reply: HttpReply, fault: LoggedRequest["fault"] = null) => {
    entry.status = reply.status;
    entry.fault = fault;
    sendJson(res, reply);
  };

  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    return send(dialect.badJson(`Invalid JSON payload received. ${(error as Error).message}`));
  }
  const parsed = dialect.parse(body, req, url);
  if ("status" in parsed) return send(parsed);
  record(entry, parsed);

  await wait(ctx.faults.latencyMs, res);
  if (res.destroyed) return;

  const auth = dialect.authFailure(parsed.key);
  if (auth) return send(auth, "auth");
  const failure = ctx.faults.nextFailure();
  if (failure?.kind === "429") return send(dialect.rateLimited(failure.retryAfterSeconds), "429");
  if (failure?.kind === "5xx") return send(dialect.serverError(failure.status), "5xx");

  const output = answer(parsed, ctx.faults);
  entry.scenario = output.scenario;
  entry.notes = output.notes;
  entry.fault = output.malformed ? "malformed" : null;
  entry.status = 200;
  // What the reply says answered: the model asked for, or a pinned version of it.
  const answered = { ...parsed, model: parsed.model + ctx.faults.modelVersionSuffix };
  if (parsed.stream) await dialect.stream(res, output, answered, ctx.faults.streamChunkDelayMs);
  else dialect.reply(res, output, answered);
}
