import { AppError, type LlmProviderId, type LlmTask } from "../../../shared/contract";
import type { Logger } from "../logger";
import type { SecretStore } from "../secrets/secret-store";
import { throwIfAborted } from "./abort";
import { createProviderPolicy, type PolicyOptions, type ProviderPolicy } from "./call-policy";
import { CONNECTION_TEST_TIMEOUT_MS, testConnection } from "./connection-test";
import { generateJson } from "./generate-json";
import { logRetry, type PreparedCall } from "./prepared-call";
import { describeStatus, effectiveProvider, resolveProviderConfig, type Env } from "./provider-config";
import { createGeminiAdapter } from "./providers/gemini";
import { createOpenAiCompatibleAdapter } from "./providers/openai-compatible";
import type { ProviderAdapter } from "./providers/provider";
import { priceCall } from "./pricing";
import type { LlmSettingsStore } from "./settings-store";
import { callInfo } from "./prepared-call";
import type { LlmResult, LlmService, StreamTextRequest } from "./types";

export interface LlmServiceDeps {
  settings: LlmSettingsStore;
  secrets: SecretStore;
  /** GEMINI_API_KEY, SIGHT_*_BASE_URL, SIGHT_OPENAI_API_KEY, SIGHT_LLM_PROVIDER, SIGHT_LLM_FAKE. */
  env: Env;
  logger: Logger;
  /** Retry, backoff and breaker tuning (tests and benchmarks shorten the waits). */
  policy?: Partial<PolicyOptions>;
  adapters?: Partial<Record<LlmProviderId, ProviderAdapter>>;
}

interface PrepareOptions {
  task: LlmTask;
  model?: string;
  timeoutMs?: number;
  provider?: LlmProviderId;
  signal?: AbortSignal;
}

export function createLlmService(deps: LlmServiceDeps): LlmService {
  const adapters: Record<LlmProviderId, ProviderAdapter> = {
    gemini: deps.adapters?.gemini ?? createGeminiAdapter(),
    openai: deps.adapters?.openai ?? createOpenAiCompatibleAdapter(),
  };
  // One bulkhead and breaker per provider; rebuilt when its endpoint or concurrency changes.
  const policies = new Map<LlmProviderId, { key: string; policy: ProviderPolicy }>();
  const policyFor = (provider: LlmProviderId, baseUrl: string, concurrency: number): ProviderPolicy => {
    const key = `${baseUrl}|${concurrency}`;
    const current = policies.get(provider);
    if (current?.key === key) return current.policy;
    const policy = createProviderPolicy(provider, concurrency, deps.policy);
    policies.set(provider, { key, policy });
    return policy;
  };

  const prepare = async (options: PrepareOptions): Promise<PreparedCall> => {
    throwIfAborted(options.signal);
    const settings = deps.settings.get();
    const provider = options.provider ?? effectiveProvider(settings, deps.env);
    const config = await resolveProviderConfig(provider, settings, deps.env, deps.secrets);
    // Before any network call: a missing key is a settings problem, not an outage.
    if (config.missing)
      throw new AppError("PROVIDER_UNAVAILABLE", config.missing, { provider, reason: "not_configured" });
    return {
      provider,
      config,
      adapter: adapters[provider],
      policy: policyFor(provider, config.baseUrl, settings.concurrency),
      model: options.model ?? settings.models[options.task],
      timeoutMs: options.timeoutMs ?? settings.requestTimeoutMs,
      prices: settings.prices,
      logger: deps.logger,
      task: options.task,
    };
  };

  /** One log line per finished request: what it cost, never what it said. */
  const logged = async <T>(task: string, run: () => Promise<LlmResult<T>>): Promise<LlmResult<T>> => {
    const started = performance.now();
    try {
      const result = await run();
      deps.logger.info("llm.call", {
        provider: result.provider,
        model: result.model,
        task,
        attempts: result.attempts,
        calls: result.usage.calls,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        costUsd: result.usage.costUsd,
        ms: Math.round(performance.now() - started),
      });
      return result;
    } catch (error) {
      const wire = error instanceof AppError ? error.toWire() : { code: "INTERNAL", message: String(error) };
      deps.logger.warn("llm.failed", {
        task,
        code: wire.code,
        message: wire.message,
        ms: Math.round(performance.now() - started),
      });
      throw error;
    }
  };

  const streamText = async (request: StreamTextRequest): Promise<LlmResult<string>> => {
    const call = await prepare(request);
    let delivered = false;
    const response = await call.policy.run(
      (signal) =>
        call.adapter.stream(
          call.config,
          {
            model: call.model,
            system: request.system,
            messages: request.messages,
            temperature: request.temperature,
            seed: request.seed,
          },
          (text) => {
            delivered = true;
            request.onToken(text);
          },
          signal,
        ),
      // Text already shown cannot be taken back, so a stream that broke midway is not retried.
      { signal: request.signal, timeoutMs: call.timeoutMs, canRetry: () => !delivered, onRetry: logRetry(call) },
    );
    const usage = priceCall(call.model, response.inputTokens, response.outputTokens, call.prices);
    const info = callInfo(call, request, response);
    request.onUsage?.(usage, info);
    return {
      value: response.text,
      usage,
      model: call.model,
      modelVersion: info.modelVersion,
      provider: call.provider,
      attempts: 1,
    };
  };

  return {
    generateJson: (request) => logged(request.task, async () => generateJson(await prepare(request), request)),
    streamText: (request) => logged(request.task, () => streamText(request)),
    status: () => describeStatus(deps.settings.get(), deps.env, deps.secrets),
    testConnection(provider) {
      const settings = deps.settings.get();
      const target = provider ?? effectiveProvider(settings, deps.env);
      return testConnection(
        () =>
          prepare({
            task: "personas",
            provider: target,
            timeoutMs: Math.min(CONNECTION_TEST_TIMEOUT_MS, settings.requestTimeoutMs),
          }),
        { provider: target, model: settings.models.personas },
      );
    },
  };
}
