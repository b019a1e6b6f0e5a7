import { StripeApiError } from "./errors";
import type { Params } from "./form";

export interface StoredResponse {
  method: string;
  path: string;
  fingerprint: string;
  status: number;
  body: unknown;
  requestId: string;
  savedAtS: number;
}

/** Stripe forgets idempotency keys after 24 hours. */
const KEY_LIFETIME_S = 24 * 3600;

/** Same parameters in any order are the same request: compare a key-sorted rendering. */
export function fingerprint(params: Params): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.keys(value as object)
          .sort()
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return JSON.stringify(canonical(params));
}

/**
 * Stripe's idempotency layer for POSTs: the first response for a key is saved and replayed for
 * the same request; the key with another endpoint or other parameters is an
 * `idempotency_error`. Only requests that reached an endpoint and succeeded are saved here: a
 * validation error or an injected outage leaves the key free, as Stripe does for requests that
 * never started executing.
 */
export class IdempotencyStore {
  private entries = new Map<string, StoredResponse>();

  lookup(key: string, method: string, path: string, params: Params, nowS: number): StoredResponse | null {
    const stored = this.entries.get(key);
    if (!stored) return null;
    if (nowS - stored.savedAtS > KEY_LIFETIME_S) {
      this.entries.delete(key);
      return null;
    }
    if (stored.method !== method || stored.path !== path) {
      throw new StripeApiError(
        400,
        "idempotency_error",
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.method} ${stored.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (stored.fingerprint !== fingerprint(params)) {
      throw new StripeApiError(
        400,
        "idempotency_error",
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return stored;
  }

  save(key: string, response: StoredResponse): void {
    this.entries.set(key, response);
  }

  clear(): void {
    this.entries.clear();
  }
}
