import Stripe from "stripe";
import { AppError } from "../../shared/contract/errors";

/** Pinned: Stripe's object shapes (e.g. period fields on subscription items) follow this version. */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

export function createStripe(secretKey: string, apiBase?: string): Stripe {
  const base = apiBase ? new URL(apiBase) : null;
  return new Stripe(secretKey, {
    apiVersion: STRIPE_API_VERSION,
    // The SDK retries network errors and 409/429/5xx with backoff, reusing the idempotency key.
    maxNetworkRetries: 2,
    timeout: 15_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
          protocol: base.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}

/** Stripe failures as the app's typed errors: down or rate-limited → retry later; others are ours. */
export function stripeFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { type?: string; statusCode?: number; message?: string };
  if (e.type === "StripeConnectionError" || e.type === "StripeAPIError" || (e.statusCode ?? 0) >= 500) {
    return new AppError(
      "PROVIDER_UNAVAILABLE",
      "Stripe cannot be reached right now; nothing was charged. Try again in a minute.",
      {
        service: "stripe",
      },
    );
  }
  if (e.type === "StripeRateLimitError") {
    return new AppError("RATE_LIMITED", "Stripe is busy; try again in a minute.", {
      service: "stripe",
      retryAfterMs: 60_000,
    });
  }
  return new AppError("INTERNAL", "Stripe refused the request; the Cloud's log has the details.", {
    service: "stripe",
  });
}
