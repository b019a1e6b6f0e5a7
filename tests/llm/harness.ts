import type { LlmSettings, SecretKey } from "../../src/shared/contract";
import type { PolicyOptions } from "../../src/main/services/llm/call-policy";
import { createLlmService } from "../../src/main/services/llm/llm-service";
import { createMemoryLlmSettingsStore, type LlmSettingsStore } from "../../src/main/services/llm/settings-store";
import type { LlmService } from "../../src/main/services/llm/types";
import { silentLogger } from "../../src/main/services/logger";
import { createMemorySecretStore, type SecretStore } from "../../src/main/services/secrets/secret-store";
import type { LoggedRequest, RunningFakes } from "../../fakes";

/** Backoffs short enough for tests; Retry-After from the fake is still honoured as sent. */
export const FAST_POLICY: Partial<PolicyOptions> = { baseDelayMs: 10, maxDelayMs: 40, halfOpenAfterMs: 60_000 };

export interface LlmUnderTest {
  llm: LlmService;
  settings: LlmSettingsStore;
  secrets: SecretStore;
  env: Record<string, string | undefined>;
}

/** A fresh service (own bulkheads and breakers) pointed at the running fakes through the environment. */
export function serviceAgainst(
  fakes: RunningFakes,
  options: {
    env?: Record<string, string | undefined>;
    settings?: Partial<LlmSettings>;
    secrets?: Partial<Record<SecretKey, string>>;
    policy?: Partial<PolicyOptions>;
    adapters?: Parameters<typeof createLlmService>[0]["adapters"];
  } = {},
): LlmUnderTest {
  const env = { ...fakes.env, ...options.env };
  const settings = createMemoryLlmSettingsStore(options.settings);
  const secrets = createMemorySecretStore(options.secrets);
  const llm = createLlmService({
    adapters: options.adapters,
    settings,
    secrets,
    env,
    logger: silentLogger,
    policy: { ...FAST_POLICY, ...options.policy },
  });
  return { llm, settings, secrets, env };
}

/** Model requests only (the fakes log nothing else), in arrival order. */
export function modelRequests(fakes: RunningFakes): LoggedRequest[] {
  return fakes.requests();
}

/** The largest number of requests the fake was serving at the same moment. */
export function maxInFlight(requests: LoggedRequest[]): number {
  const edges = requests.flatMap((request) => [
    { at: request.startedAt, delta: 1 },
    { at: request.endedAt ?? Number.POSITIVE_INFINITY, delta: -1 },
  ]);
  // Ends sort before starts at the same millisecond: back-to-back requests do not overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let max = 0;
  for (const edge of edges) {
    current += edge.delta;
    max = Math.max(max, current);
  }
  return max;
}

/** Runs `promise` expecting a rejection, and returns it for assertions. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<{ code?: string; message: string; details?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; details?: unknown };
  }
  throw new Error("expected the promise to reject");
}
