import type { LlmProviderId, ModelPrice } from "../../../shared/contract";
import type { Logger } from "../logger";
import type { ProviderPolicy, RetryNotice } from "./call-policy";
import type { ProviderConfig } from "./provider-config";
import type { ProviderAdapter } from "./providers/provider";

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
