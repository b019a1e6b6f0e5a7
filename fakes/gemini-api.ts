import type { IncomingMessage, ServerResponse } from "node:http";
import { chunkText, type ModelOutput } from "./fake-model";
import { estimateTokens } from "./deterministic";
import { isObject, numberOrNull, sendJson, startSse, wait, writeSse, type HttpReply } from "./http";
import type { ApiDialect, ParsedModelRequest } from "./model-request";
import type { JsonSchema } from "./schema-values";
import type { FakeMessage } from "./scenarios";

/** A key the fake refuses with 403 PERMISSION_DENIED; "invalid-key" gets Google's real 400 API_KEY_INVALID. */
export const REJECTED_KEY = "rejected-key";
export const INVALID_KEY = "invalid-key";

/** `/v1beta/models/{model}:generateContent` and `:streamGenerateContent` (Gemini API REST). */
export const GEMINI_PATH = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function googleError(code: number, status: string, message: string, details?: unknown[]): HttpReply {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return "";
  return parts.map((part) => (isObject(part) && typeof part.text === "string" ? part.text : "")).join("");
}

function usageMetadata(output: ModelOutput, candidatesText = output.text) {
  const candidatesTokenCount = estimateTokens(candidatesText);
  return {
    promptTokenCount: output.inputTokens,
    candidatesTokenCount,
    totalTokenCount: output.inputTokens + candidatesTokenCount,
  };
}

export const geminiDialect: ApiDialect = {
  api: "gemini",

  parse(body, req: IncomingMessage, url: URL): ParsedModelRequest | HttpReply {
    const match = GEMINI_PATH.exec(url.pathname);
    if (!isObject(body) || !Array.isArray(body.contents) || body.contents.length === 0) {
      return googleError(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified\n");
    }
    const messages: FakeMessage[] = body.contents.map((content) => ({
      role: isObject(content) && content.role === "model" ? "model" : "user",
      text: isObject(content) ? partsText(content.parts) : "",
    }));
    const instruction = body.systemInstruction ?? body.system_instruction;
    const system =
      typeof instruction === "string" ? instruction : isObject(instruction) ? partsText(instruction.parts) : "";
    const config = isObject(body.generationConfig) ? body.generationConfig : {};
    const schema = config.responseJsonSchema ?? config.responseSchema ?? config.response_json_schema ?? null;
    const header = req.headers["x-goog-api-key"];
    return {
      api: "gemini",
      model: decodeURIComponent(match?.[2] ?? ""),
      system,
      messages,
      json: config.responseMimeType === "application/json" || schema !== null,
      schema: isObject(schema) ? (schema as JsonSchema) : null,
      seed: numberOrNull(config.seed),
      temperature: numberOrNull(config.temperature),
      stream: match?.[3] === "streamGenerateContent",
      key: (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("key"),
    };
  },

  authFailure(key) {
    if (!key) {
      return googleError(
        403,
        "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (key === REJECTED_KEY) {
      return googleError(
        403,
        "PERMISSION_DENIED",
        "Permission denied: Consumer 'api_key:rejected-key' has been suspended.",
      );
    }
    if (key === INVALID_KEY) {
      return googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
      ]);
    }
    return null;
  },

  rateLimited(retryAfterSeconds) {
    const reply = googleError(
      429,
      "RESOURCE_EXHAUSTED",
      "You exceeded your current quota, please check your plan and billing details.",
      [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${retryAfterSeconds}s` }],
    );
    return { ...reply, headers: { "retry-after": String(retryAfterSeconds) } };
  },

  serverError(status) {
    const name = status === 500 ? "INTERNAL" : status === 504 ? "DEADLINE_EXCEEDED" : "UNAVAILABLE";
    return googleError(status, name, "The model is overloaded. Please try again later.");
  },

  badJson(message) {
    return googleError(400, "INVALID_ARGUMENT", message);
  },

  reply(res: ServerResponse, output, request) {
    sendJson(res, {
      status: 200,
      body: {
        candidates: [{ content: { role: "model", parts: [{ text: output.text }] }, finishReason: "STOP", index: 0 }],
        usageMetadata: usageMetadata(output),
        modelVersion: request.model,
        responseId: `fake-${output.inputTokens}-${output.outputTokens}`,
      },
    });
  },

  async stream(res, output, request, chunkDelayMs) {
    startSse(res);
    const chunks = chunkText(output.text);
    let sent = "";
    for (const [index, text] of chunks.entries()) {
      if (index > 0) await wait(chunkDelayMs, res);
      if (res.destroyed) return;
      sent += text;
      const last = index === chunks.length - 1;
      writeSse(res, {
        candidates: [
          { content: { role: "model", parts: [{ text }] }, index: 0, ...(last ? { finishReason: "STOP" } : {}) },
        ],
        // Like the real API: every chunk carries the usage so far.
        usageMetadata: usageMetadata(output, last ? output.text : sent),
        modelVersion: request.model,
      });
    }
    res.end();
  },
};
