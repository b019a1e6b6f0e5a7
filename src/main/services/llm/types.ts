import type { z } from "zod";
import type { LlmProviderId, LlmStatus, LlmTask, RouteOutput, Usage } from "../../../shared/contract";

export interface LlmMessage {
  role: "user" | "model";
  text: string;
}

/** Tokens, cost and number of provider calls; adds up straight into a job's usage. */
export interface LlmUsage extends Usage {
  /** False when the model is missing from the price table (costUsd is then 0). */
  priced: boolean;
}

/**
 * Which model answered one provider call, and with what settings: what a study records so its
 * methodology can name the model instead of "the provider's default".
 */
export interface LlmCallInfo {
  provider: LlmProviderId;
  /** The model id Sight asked for. */
  model: string;
  /** The model the provider says answered (may carry a version suffix), null when it does not say. */
  modelVersion: string | null;
  temperature: number | null;
  seed: number | null;
  /** The prompts' version, when the caller knows better than its job's (a job sending another's prompts). */
  promptVersion?: string;
}

/** Kept for callers written against the first draft of this interface. */
export type CallUsage = LlmUsage;

interface BaseRequest {
  /** Picks the model from settings unless `model` is given. */
  task: LlmTask;
  model?: string;
  system: string;
  messages: LlmMessage[];
  temperature?: number;
  seed?: number;
  /** Cancels the call, its queue wait and its backoff sleeps: the call throws AppError("CANCELLED"). */
  signal?: AbortSignal;
  /** Per-attempt timeout; defaults to the settings' requestTimeoutMs. */
  timeoutMs?: number;
  /** Called once per provider call that returned (calls: 1), including failed validation attempts. */
  onUsage?: (usage: LlmUsage, call: LlmCallInfo) => void;
}

export interface GenerateJsonRequest<T> extends BaseRequest {
  /** Output schema: sent to the provider as a response JSON schema and enforced with zod. */
  schema: z.ZodType<T>;
  /** Name of the schema for OpenAI-compatible endpoints (letters, digits, _ and -); default "response". */
  schemaName?: string;
  /** Extra semantic check after the schema; return a message to have the model try again. */
  validate?: (value: T) => string | null;
  /** Attempts including the first, when the output is not valid JSON or fails validation (default 3). */
  maxAttempts?: number;
}

export interface StreamTextRequest extends BaseRequest {
  /** Each piece of text as it arrives, in order; joined they equal the result's value. */
  onToken: (text: string) => void;
}

export interface LlmResult<T> {
  value: T;
  /** The sum over every provider call this request made. */
  usage: LlmUsage;
  model: string;
  /** The model the provider says answered the last call, null when it does not say. */
  modelVersion: string | null;
  provider: LlmProviderId;
  /** Validation attempts (1 when the first answer was valid). */
  attempts: number;
}

/**
 * The one client layer every feature uses for LLM calls. Implementations: Gemini through
 * @google/genai, and any OpenAI-compatible endpoint (Ollama, LM Studio, vLLM). Errors are
 * AppErrors: PROVIDER_UNAVAILABLE (no key, rejected key, outage, circuit open, invalid output
 * after retries), RATE_LIMITED (429s outlasting the retries), CANCELLED (signal aborted).
 */
export interface LlmClient {
  generateJson<T>(request: GenerateJsonRequest<T>): Promise<LlmResult<T>>;
  streamText(request: StreamTextRequest): Promise<LlmResult<string>>;
}

export type ConnectionTestResult = RouteOutput<"llm.testConnection">;

/** The client plus what the settings screen needs. */
export interface LlmService extends LlmClient {
  /** Which provider is in force, whether it is configured, where its key and URL come from. */
  status(): Promise<LlmStatus>;
  /** One tiny JSON request with a short timeout; never throws, reports what went wrong. */
  testConnection(provider?: LlmProviderId): Promise<ConnectionTestResult>;
}

export type { Usage };
