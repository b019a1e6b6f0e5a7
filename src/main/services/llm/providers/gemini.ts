import {
  ApiError,
  GoogleGenAI,
  type Content,
  type GenerateContentConfig,
  type GenerateContentResponse,
} from "@google/genai";
import type { ProviderConfig } from "../provider-config";
import { ProviderFailure, kindForStatus, parseRetryAfter, statusOf } from "../provider-failure";
import {
  networkDetail,
  scrubMessage,
  type ProviderAdapter,
  type ProviderRequest,
  type ProviderResponse,
} from "./provider";

interface GoogleErrorBody {
  error?: { message?: string; status?: string; details?: { "@type"?: string; retryDelay?: string; reason?: string }[] };
}

/** ApiError's message is the JSON error body (or "got status: X. {json}" inside a stream). */
function errorBody(error: ApiError): GoogleErrorBody {
  const start = error.message.indexOf("{");
  if (start < 0) return {};
  try {
    return JSON.parse(error.message.slice(start)) as GoogleErrorBody;
  } catch {
    return {};
  }
}

/** google.rpc.RetryInfo's retryDelay ("13s", "0.5s"): Gemini's way of saying Retry-After in the body. */
function retryInfoMs(body: GoogleErrorBody): number | undefined {
  const delay = body.error?.details?.find((detail) => detail["@type"]?.endsWith("google.rpc.RetryInfo"))?.retryDelay;
  const match = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

function toFailure(error: unknown, apiKey: string | null, retryAfterHeaderMs: number | undefined): ProviderFailure {
  if (error instanceof ProviderFailure) return error;
  const status = error instanceof ApiError ? error.status : statusOf(error);
  if (error instanceof ApiError && status !== undefined) {
    const body = errorBody(error);
    const message = scrubMessage(body.error?.message ?? error.message, apiKey);
    // Google answers a malformed key with 400 INVALID_ARGUMENT / API_KEY_INVALID, not 401.
    const keyInvalid = body.error?.details?.some((detail) => detail.reason === "API_KEY_INVALID") ?? false;
    return new ProviderFailure(keyInvalid ? "auth" : kindForStatus(status), message, {
      status,
      retryAfterMs: retryAfterHeaderMs ?? retryInfoMs(body),
      cause: error,
    });
  }
  return new ProviderFailure("network", scrubMessage(networkDetail(error), apiKey), { cause: error });
}

function contents(request: ProviderRequest): Content[] {
  return request.messages.map((message) => ({ role: message.role, parts: [{ text: message.text }] }));
}

function usage(response: GenerateContentResponse | undefined): Pick<ProviderResponse, "inputTokens" | "outputTokens"> {
  const meta = response?.usageMetadata;
  return {
    inputTokens: meta?.promptTokenCount ?? 0,
    // Thinking tokens are billed at the output price.
    outputTokens: (meta?.candidatesTokenCount ?? 0) + (meta?.thoughtsTokenCount ?? 0),
  };
}

/** Gemini through @google/genai (the SDK Google maintains; @google/generative-ai is deprecated). */
export function createGeminiAdapter(): ProviderAdapter {
  let cached: { baseUrl: string; apiKey: string; client: GoogleGenAI } | null = null;

  const clientFor = (config: ProviderConfig): GoogleGenAI => {
    const apiKey = config.apiKey ?? "";
    if (cached?.baseUrl !== config.baseUrl || cached.apiKey !== apiKey) {
      // No httpOptions.retryOptions: the SDK then makes exactly one request; our policy retries.
      const client = new GoogleGenAI({ apiKey, vertexai: false, httpOptions: { baseUrl: config.baseUrl } });
      cached = { baseUrl: config.baseUrl, apiKey, client };
    }
    return cached.client;
  };

  /** Per call: the SDK's ApiError carries no headers, so a fetch wrapper reads Retry-After. */
  const prepare = (config: ProviderConfig, request: ProviderRequest, signal: AbortSignal) => {
    const seen: { retryAfterMs?: number } = {};
    const capturingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!response.ok) seen.retryAfterMs = parseRetryAfter(response.headers);
      return response;
    };
    const generationConfig: GenerateContentConfig = {
      systemInstruction: request.system,
      temperature: request.temperature,
      seed: request.seed,
      abortSignal: signal,
      httpOptions: { fetch: capturingFetch },
      ...(request.json ? { responseMimeType: "application/json", responseJsonSchema: request.json.schema } : {}),
    };
    return {
      client: clientFor(config),
      params: { model: request.model, contents: contents(request), config: generationConfig },
      fail: (error: unknown) => toFailure(error, config.apiKey, seen.retryAfterMs),
    };
  };

  return {
    id: "gemini",

    async generate(config, request, signal) {
      const { client, params, fail } = prepare(config, request, signal);
      let response: GenerateContentResponse;
      try {
        response = await client.models.generateContent(params);
      } catch (error) {
        throw fail(error);
      }
      return {
        text: response.text ?? "",
        ...usage(response),
        finishReason: response.candidates?.[0]?.finishReason,
        ...(response.modelVersion ? { modelVersion: response.modelVersion } : {}),
      };
    },

    async stream(config, request, onText, signal) {
      const { client, params, fail } = prepare(config, request, signal);
      let text = "";
      let last: GenerateContentResponse | undefined;
      let finishReason: string | undefined;
      let modelVersion: string | undefined;
      try {
        for await (const chunk of await client.models.generateContentStream(params)) {
          const piece = chunk.text ?? "";
          if (piece) {
            text += piece;
            onText(piece);
          }
          // Every chunk carries the usage so far; the last one is the total.
          if (chunk.usageMetadata) last = chunk;
          finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason;
          modelVersion = chunk.modelVersion ?? modelVersion;
        }
      } catch (error) {
        throw fail(error);
      }
      return { text, ...usage(last), finishReason, ...(modelVersion ? { modelVersion } : {}) };
    },
  };
}
