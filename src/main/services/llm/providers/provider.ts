import type { LlmProviderId } from "../../../../shared/contract";
import type { ProviderConfig } from "../provider-config";
import type { LlmMessage } from "../types";

export interface ProviderRequest {
  model: string;
  system: string;
  messages: LlmMessage[];
  temperature?: number;
  seed?: number;
  /** Ask for JSON matching this schema (provider-side structured output). */
  json?: { name: string; schema: Record<string, unknown> };
}

export interface ProviderResponse {
  text: string;
  inputTokens: number;
  /** Billed output tokens, thinking tokens included. */
  outputTokens: number;
  finishReason?: string;
  /** The model the provider says answered (Gemini's modelVersion, OpenAI's model), when it says. */
  modelVersion?: string;
}

/**
 * One SDK behind the client layer. Adapters make exactly one HTTP request per call (their SDK's
 * own retries are off) and throw ProviderFailure for anything the provider or network did.
 */
export interface ProviderAdapter {
  readonly id: LlmProviderId;
  generate(config: ProviderConfig, request: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse>;
  stream(
    config: ProviderConfig,
    request: ProviderRequest,
    onText: (text: string) => void,
    signal: AbortSignal,
  ): Promise<ProviderResponse>;
}

/** Provider error messages can quote the key (Google's "Consumer 'api_key:…'"): scrub before showing or logging. */
export function scrubMessage(message: string, apiKey: string | null): string {
  let out = message;
  if (apiKey) out = out.split(apiKey).join("[redacted]");
  return out
    .replace(/AIza[0-9A-Za-z_-]{20,}/g, "[redacted]")
    .replace(/api_key:[^'"\s]+/g, "api_key:[redacted]")
    .replace(/sk-[A-Za-z0-9_-]{12,}/g, "[redacted]")
    .slice(0, 300);
}

/** Connection-level failures: the cause's code says more than "fetch failed". */
export function networkDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  if (cause && typeof cause.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
