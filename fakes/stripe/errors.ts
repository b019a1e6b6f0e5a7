/**
 * Stripe's error wire shape: `{ error: { type, code?, message, param?, doc_url? } }`. The SDK
 * picks its error class from the HTTP status and `type` (400/404 → StripeInvalidRequestError,
 * 400 + idempotency_error → StripeIdempotencyError, 401 → StripeAuthenticationError, 5xx →
 * StripeAPIError), so status and type must both be right.
 */
export type StripeErrorType = "invalid_request_error" | "api_error" | "idempotency_error" | "card_error";

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  body(requestId: string): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, "-")}`;
    }
    if (this.param) error.param = this.param;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error };
  }
}

export function invalidRequest(message: string, options: { code?: string; param?: string } = {}): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, options.code, options.param);
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: "parameter_missing", param });
}

/**
 * `kind` is Stripe's wording in the message: "customer", "price", "checkout.session", … The
 * object named by the URL answers 404; one named by a parameter (`line_items[0][price]`) 400.
 */
export function noSuch(kind: string, id: string, param = "id"): StripeApiError {
  const status = param === "id" ? 404 : 400;
  return new StripeApiError(status, "invalid_request_error", `No such ${kind}: '${id}'`, "resource_missing", param);
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(
    404,
    "invalid_request_error",
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  );
}
