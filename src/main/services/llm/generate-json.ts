import { AppError } from "../../../shared/contract";
import { callInfo, logRetry, type PreparedCall } from "./prepared-call";
import { ZERO_USAGE, addUsage, priceCall } from "./pricing";
import { feedbackMessage, jsonSchemaFor, parseOutput } from "./structured-output";
import type { GenerateJsonRequest, LlmMessage, LlmResult } from "./types";

const SCHEMA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Structured output: ask for JSON matching the schema, check it with zod and `validate`, and on
 * a bad answer ask again with the bad answer and what was wrong with it in the conversation.
 */
export async function generateJson<T>(call: PreparedCall, request: GenerateJsonRequest<T>): Promise<LlmResult<T>> {
  const maxAttempts = Math.max(1, request.maxAttempts ?? 3);
  const json = {
    name: request.schemaName && SCHEMA_NAME.test(request.schemaName) ? request.schemaName : "response",
    schema: jsonSchemaFor(request.schema),
  };
  let messages: LlmMessage[] = [...request.messages];
  let usage = ZERO_USAGE;
  let issues: string[] = [];

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const response = await call.policy.run(
      (signal) =>
        call.adapter.generate(
          call.config,
          {
            model: call.model,
            system: request.system,
            messages,
            temperature: request.temperature,
            seed: request.seed,
            json,
          },
          signal,
        ),
      { signal: request.signal, timeoutMs: call.timeoutMs, onRetry: logRetry(call) },
    );
    // Every answer is paid for, valid or not.
    const callUsage = priceCall(call.model, response.inputTokens, response.outputTokens, call.prices);
    usage = addUsage(usage, callUsage);
    const info = callInfo(call, request, response);
    request.onUsage?.(callUsage, info);

    const parsed = parseOutput(response.text, request.schema, request.validate, response.finishReason);
    if (parsed.ok) {
      return {
        value: parsed.value,
        usage,
        model: call.model,
        modelVersion: info.modelVersion,
        provider: call.provider,
        attempts: attempt,
      };
    }
    issues = parsed.issues;
    call.logger.warn("llm.invalid_output", {
      provider: call.provider,
      model: call.model,
      task: call.task,
      attempt,
      issues,
    });
    messages = [
      ...messages,
      { role: "model", text: response.text || "(empty answer)" },
      { role: "user", text: feedbackMessage(issues) },
    ];
  }
  throw new AppError(
    "PROVIDER_UNAVAILABLE",
    `The model kept returning invalid output after ${maxAttempts} attempt${maxAttempts === 1 ? "" : "s"}: ${issues.slice(0, 3).join("; ")}`,
    { reason: "invalid_output", provider: call.provider, model: call.model, attempts: maxAttempts, issues, usage },
  );
}
