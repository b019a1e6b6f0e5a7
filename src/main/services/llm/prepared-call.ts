import type { LlmProviderId, ModelPrice } from "../../../shared/contract";
import type { Logger } from "../logger";
import type { ProviderPolicy, RetryNotice } from "./call-policy";
import type { ProviderConfig } from "./provider-config";
import type { ProviderAdapter, ProviderResponse } from "./providers/provider";
import type { LlmCallInfo } from "./types";

/** Everything one request needs, resolved once from settings, environment and secrets. */
export interface PreparedCall {
  provider: LlmProviderId;
  config: ProviderConfig;
  adapter: ProviderAdapter;
  policy: ProviderPolicy;
  model: string;
  timeoutMs: number;
  prices: Record<string, ModelPrice>;
  logger: Logger;
  /** For logs only. */
  task: string;
}

export function logRetry(call: PreparedCall): (notice: RetryNotice) => void {
  return ({ failure, attempt, delayMs }) =>
    call.logger.warn("llm.retry", {
      provider: call.provider,
      model: call.model,
      task: call.task,
      attempt,
      reason: failure.kind,
      status: failure.status,
      delayMs: Math.round(delayMs),
    });
}

/** What one returned call says about the model that answered it, for the study's record. */
export function callInfo(
  call: PreparedCall,
  request: { temperature?: number; seed?: number },
  response: ProviderResponse,
): LlmCallInfo {
  return {
    provider: call.provider,
    model: call.model,
    modelVersion: response.modelVersion?.replace(/^models\//, "") || null,
    temperature: request.temperature ?? null,
    seed: request.seed ?? null,
  };
}
