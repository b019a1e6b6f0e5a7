import { isAppError, type LlmProviderId } from "../../../shared/contract";
import type { PreparedCall } from "./prepared-call";
import type { ConnectionTestResult } from "./types";

/** Probes time out quickly: the user is waiting on a button. */
export const CONNECTION_TEST_TIMEOUT_MS = 15_000;

const SYSTEM =
  'sight-task: connection-test\nThis is a connection test. Reply with exactly the JSON object {"ok": true}.';
const SCHEMA = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };

/**
 * One tiny JSON request, no retries, bypassing the circuit breaker (the user wants to know the
 * state right now). Never throws: every failure becomes a message.
 */
export async function testConnection(
  prepare: () => Promise<PreparedCall>,
  fallback: { provider: LlmProviderId; model: string },
): Promise<ConnectionTestResult> {
  // Latency is the provider's round trip: it starts when the request is sent, so a test refused
  // before any request (no key, a key that may not go to this URL) reports 0.
  let started: number | undefined;
  const elapsed = () => (started === undefined ? 0 : Math.round(performance.now() - started));
  let call: PreparedCall | undefined;
  try {
    call = await prepare();
    const prepared = call;
    started = performance.now();
    const response = await prepared.policy.run(
      (signal) =>
        prepared.adapter.generate(
          prepared.config,
          {
            model: prepared.model,
            system: SYSTEM,
            messages: [{ role: "user", text: 'Reply with {"ok": true}.' }],
            temperature: 0,
            json: { name: "connection_test", schema: SCHEMA },
          },
          signal,
        ),
      { timeoutMs: prepared.timeoutMs, resilient: false },
    );
    const latencyMs = elapsed();
    let json = false;
    try {
      JSON.parse(response.text);
      json = true;
    } catch {
      json = false;
    }
    const where = `${prepared.config.isFake ? "Sight's test fake" : prepared.config.baseUrl} (${prepared.model})`;
    return {
      ok: true,
      provider: prepared.provider,
      model: prepared.model,
      latencyMs,
      message: json
        ? `Connected to ${where} in ${latencyMs} ms.`
        : `Connected to ${where} in ${latencyMs} ms, but the model did not answer in JSON: structured output may not work with this model.`,
    };
  } catch (error) {
    return {
      ok: false,
      provider: call?.provider ?? fallback.provider,
      model: call?.model ?? fallback.model,
      latencyMs: elapsed(),
      message: isAppError(error)
        ? error.message
        : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
