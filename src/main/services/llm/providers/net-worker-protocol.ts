import type { LlmProviderId } from "../../../../shared/contract";
import type { ProviderConfig } from "../provider-config";
import { ProviderFailure, type FailureKind } from "../provider-failure";
import type { ProviderRequest, ProviderResponse } from "./provider";

/**
 * Messages between the main thread and the provider worker (net-worker.ts), which makes the
 * providers' HTTP calls: SDK request building, fetch, SSE parsing. Internal to one process.
 */
export type NetRequest =
  | {
      id: number;
      op: "generate" | "stream";
      provider: LlmProviderId;
      config: ProviderConfig;
      request: ProviderRequest;
    }
  | { id: number; op: "abort" };

export interface SerializedFailure {
  name: string;
  message: string;
  kind?: FailureKind;
  status?: number;
  retryAfterMs?: number;
}

export type NetEvent =
  /** Posted once the worker has loaded the SDKs. */
  | { type: "ready" }
  /** Streamed text since the last one (pieces arriving within one flush window are joined). */
  | { id: number; type: "text"; text: string }
  | { id: number; type: "done"; response: ProviderResponse }
  | { id: number; type: "failed"; error: SerializedFailure };

export function serializeFailure(error: unknown): SerializedFailure {
  if (error instanceof ProviderFailure) {
    return {
      name: error.name,
      message: error.message,
      kind: error.kind,
      status: error.status,
      retryAfterMs: error.retryAfterMs,
    };
  }
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}

export function deserializeFailure(error: SerializedFailure): Error {
  if (error.kind) {
    return new ProviderFailure(error.kind, error.message, { status: error.status, retryAfterMs: error.retryAfterMs });
  }
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}
