import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ProviderConfig } from "../provider-config";
import { ProviderFailure, kindForStatus, parseRetryAfter } from "../provider-failure";
import { networkDetail, scrubMessage, type ProviderAdapter, type ProviderRequest } from "./provider";

/** Sent when the endpoint needs no key (Ollama, LM Studio): the SDK refuses to start without one. */
const NO_KEY = "not-needed";

function toFailure(error: unknown, apiKey: string | null): ProviderFailure {
  if (error instanceof ProviderFailure) return error;
  if (error instanceof APIConnectionTimeoutError)
    return new ProviderFailure("timeout", "the SDK timed out", { cause: error });
  if (error instanceof APIConnectionError) {
    return new ProviderFailure("network", scrubMessage(networkDetail(error), apiKey), { cause: error });
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === "string" ? body.message : error.message;
    return new ProviderFailure(kindForStatus(error.status), scrubMessage(message, apiKey), {
      status: error.status,
      retryAfterMs: parseRetryAfter(error.headers),
      cause: error,
    });
  }
  return new ProviderFailure("network", scrubMessage(networkDetail(error), apiKey), { cause: error });
}

function messages(request: ProviderRequest): ChatCompletionMessageParam[] {
  return [
    ...(request.system ? [{ role: "system" as const, content: request.system }] : []),
    ...request.messages.map((message) =>
      message.role === "model"
        ? { role: "assistant" as const, content: message.text }
        : { role: "user" as const, content: message.text },
    ),
  ];
}

function body(request: ProviderRequest): ChatCompletionCreateParamsBase {
  return {
    model: request.model,
    messages: messages(request),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.json
      ? {
          response_format: {
            type: "json_schema",
            json_schema: { name: request.json.name, schema: request.json.schema, strict: false },
          },
        }
      : {}),
  };
}

/** Any OpenAI-compatible chat completions endpoint, through the `openai` SDK. */
export function createOpenAiCompatibleAdapter(): ProviderAdapter {
  let cached: { baseUrl: string; apiKey: string; client: OpenAI } | null = null;

  const clientFor = (config: ProviderConfig): OpenAI => {
    const apiKey = config.apiKey ?? NO_KEY;
    if (cached?.baseUrl !== config.baseUrl || cached.apiKey !== apiKey) {
      // maxRetries 0: our policy is the only one retrying. The SDK timeout is a backstop; ours aborts first.
      const client = new OpenAI({ apiKey, baseURL: config.baseUrl, maxRetries: 0, timeout: 15 * 60_000 });
      cached = { baseUrl: config.baseUrl, apiKey, client };
    }
    return cached.client;
  };

  return {
    id: "openai",

    async generate(config, request, signal) {
      try {
        const completion = await clientFor(config).chat.completions.create(
          { ...body(request), stream: false },
          { signal },
        );
        const choice = completion.choices[0];
        return {
          text: choice?.message.content ?? "",
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
          finishReason: choice?.finish_reason,
          ...(completion.model ? { modelVersion: completion.model } : {}),
        };
      } catch (error) {
        throw toFailure(error, config.apiKey);
      }
    },

    async stream(config, request, onText, signal) {
      let text = "";
      let inputTokens = 0;
      let outputTokens = 0;
      let finishReason: string | undefined;
      let modelVersion: string | undefined;
      try {
        const stream = await clientFor(config).chat.completions.create(
          { ...body(request), stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        for await (const chunk of stream) {
          const choice = chunk.choices[0];
          const piece = choice?.delta?.content ?? "";
          if (piece) {
            text += piece;
            onText(piece);
          }
          finishReason = choice?.finish_reason ?? finishReason;
          modelVersion = chunk.model || modelVersion;
          // With include_usage, the last chunk has empty choices and the totals.
          if (chunk.usage) {
            inputTokens = chunk.usage.prompt_tokens;
            outputTokens = chunk.usage.completion_tokens;
          }
        }
      } catch (error) {
        throw toFailure(error, config.apiKey);
      }
      return { text, inputTokens, outputTokens, finishReason, ...(modelVersion ? { modelVersion } : {}) };
    },
  };
}
