import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { chunkText } from "./fake-model";
import { isObject, numberOrNull, sendJson, startSse, wait, writeSse, type HttpReply } from "./http";
import type { ApiDialect, ParsedModelRequest } from "./model-request";
import type { JsonSchema } from "./schema-values";
import type { FakeMessage } from "./scenarios";
import { REJECTED_KEY } from "./gemini-api";

export const OPENAI_MODELS = ["gemini-2.5-flash", "gemini-2.5-pro", "llama3.1:8b", "qwen2.5:7b", "gpt-4o-mini"];

function openaiError(status: number, message: string, type: string, code: string | null): HttpReply {
  return { status, body: { error: { message, type, param: null, code } } };
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (isObject(part) && typeof part.text === "string" ? part.text : "")).join("");
}

function completionId(output: { text: string }): string {
  return `chatcmpl-${crypto.createHash("sha256").update(output.text).digest("hex").slice(0, 24)}`;
}

export const openaiDialect: ApiDialect = {
  api: "openai",

  parse(body, req: IncomingMessage): ParsedModelRequest | HttpReply {
    if (
      !isObject(body) ||
      typeof body.model !== "string" ||
      !Array.isArray(body.messages) ||
      body.messages.length === 0
    ) {
      return openaiError(400, "'messages' and 'model' are required properties.", "invalid_request_error", null);
    }
    const system: string[] = [];
    const messages: FakeMessage[] = [];
    for (const message of body.messages) {
      if (!isObject(message)) continue;
      const text = contentText(message.content);
      if (message.role === "system" || message.role === "developer") system.push(text);
      else messages.push({ role: message.role === "assistant" ? "model" : "user", text });
    }
    const format = isObject(body.response_format) ? body.response_format : {};
    const jsonSchema =
      isObject(format.json_schema) && isObject(format.json_schema.schema) ? format.json_schema.schema : null;
    const auth = req.headers.authorization;
    const key = typeof auth === "string" && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, "").trim() : null;
    return {
      api: "openai",
      model: body.model,
      system: system.join("\n"),
      messages,
      json: format.type === "json_schema" || format.type === "json_object",
      schema: jsonSchema as JsonSchema | null,
      seed: numberOrNull(body.seed),
      temperature: numberOrNull(body.temperature),
      stream: body.stream === true,
      includeUsage: isObject(body.stream_options) && body.stream_options.include_usage === true,
      key,
    };
  },

  authFailure(key) {
    if (!key) {
      return openaiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.",
        "invalid_request_error",
        null,
      );
    }
    if (key === REJECTED_KEY) {
      return openaiError(401, "Incorrect API key provided: reject***-key.", "invalid_request_error", "invalid_api_key");
    }
    return null;
  },

  rateLimited(retryAfterSeconds) {
    return {
      ...openaiError(
        429,
        "Rate limit reached for requests. Please try again later.",
        "requests",
        "rate_limit_exceeded",
      ),
      headers: { "retry-after": String(retryAfterSeconds) },
    };
  },

  serverError(status) {
    return openaiError(status, "The server is overloaded or not ready yet.", "server_error", null);
  },

  badJson(message) {
    return openaiError(400, message, "invalid_request_error", null);
  },

  reply(res: ServerResponse, output, request) {
    sendJson(res, {
      status: 200,
      body: {
        id: completionId(output),
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: output.text, refusal: null },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: {
          prompt_tokens: output.inputTokens,
          completion_tokens: output.outputTokens,
          total_tokens: output.inputTokens + output.outputTokens,
        },
        system_fingerprint: "fp_sight_fake",
      },
    });
  },

  async stream(res, output, request, chunkDelayMs) {
    startSse(res);
    const base = {
      id: completionId(output),
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      system_fingerprint: "fp_sight_fake",
    };
    writeSse(res, {
      ...base,
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }],
    });
    for (const [index, text] of chunkText(output.text).entries()) {
      if (index > 0) await wait(chunkDelayMs, res);
      if (res.destroyed) return;
      writeSse(res, {
        ...base,
        choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }],
      });
    }
    writeSse(res, { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] });
    if (request.includeUsage) {
      writeSse(res, {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: output.inputTokens,
          completion_tokens: output.outputTokens,
          total_tokens: output.inputTokens + output.outputTokens,
        },
      });
    }
    writeSse(res, "[DONE]");
    res.end();
  },
};

export function modelsList(): HttpReply {
  return {
    status: 200,
    body: {
      object: "list",
      data: OPENAI_MODELS.map((id) => ({ id, object: "model", created: 1_735_689_600, owned_by: "sight-fake" })),
    },
  };
}
