/**
 * The `/v1` edge: injected outages first (a real outage happens before anything else), then
 * authentication, parameter parsing, idempotency and the route. Every request is logged with
 * its parameters so tests can assert what the Cloud sent (idempotency keys, client_reference_id).
 */
import type http from "node:http";
import { readBody, sendJson } from "../http";
import { accountRoutes } from "./api-account";
import { billingRoutes } from "./api-billing";
import { checkoutRoutes } from "./api-checkout";
import { checkRouteParams, compilePath, type ApiContext, type Route } from "./api-routes";
import { StripeApiError, unrecognizedUrl } from "./errors";
import { parseForm, type Params } from "./form";
import { IdempotencyStore, fingerprint } from "./idempotency";
import { newId } from "./ids";
import { API_VERSION } from "./objects";

export interface ApiFaults {
  /** true: every API call answers 503 api_error; "reset": the connection is dropped instead. */
  apiDown: boolean | "reset";
  /** The next n API calls answer 500 api_error (the SDK retries these). */
  failNextApiCalls: number;
}

export interface LoggedApiRequest {
  id: number;
  requestId: string;
  method: string;
  path: string;
  /** Query parameters merged with the form body, as parsed (nested objects and arrays). */
  params: Params;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  status: number;
  replayed: boolean;
  fault: "api_down" | "connection_reset" | "fail_next" | null;
  /** The fake clock (ms) when the request arrived. */
  at: number;
}

const ROUTES = [...accountRoutes, ...checkoutRoutes, ...billingRoutes].map((route) => ({
  route,
  match: compilePath(route.path),
}));

function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? "";
  return `${prefix}${"*".repeat(Math.max(key.length - prefix.length - 4, 0))}${key.slice(-4)}`;
}

function bearerKey(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  // Stripe also takes the key as the Basic-auth user name (curl -u sk_test_…:).
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, "base64").toString("utf8").split(":")[0] || null;
  return null;
}

export class StripeApi {
  faults: ApiFaults = { apiDown: false, failNextApiCalls: 0 };
  readonly idempotency = new IdempotencyStore();
  private log: LoggedApiRequest[] = [];
  private nextLogId = 1;

  constructor(
    private readonly ctx: ApiContext,
    private readonly apiKey: string | undefined,
  ) {}

  requests(): LoggedApiRequest[] {
    return this.log.map((entry) => structuredClone(entry));
  }

  reset(): void {
    this.log = [];
    this.faults = { apiDown: false, failNextApiCalls: 0 };
    this.idempotency.clear();
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const requestId = newId("req_", 14);
    // Logged whatever the method; only POSTs are idempotent (Stripe ignores the key elsewhere).
    const idempotencyKey = header(req, "idempotency-key") ?? null;
    const replayable = method === "POST" && idempotencyKey !== null;
    const entry: LoggedApiRequest = {
      id: this.nextLogId++,
      requestId,
      method,
      path: url.pathname,
      params: {},
      idempotencyKey,
      stripeVersion: header(req, "stripe-version") ?? null,
      status: 0,
      replayed: false,
      fault: null,
      at: this.ctx.clock.nowMs(),
    };
    this.log.push(entry);
    if (this.log.length > 20_000) this.log.splice(0, this.log.length - 20_000);

    const headers: Record<string, string> = {
      "request-id": requestId,
      "stripe-version": entry.stripeVersion ?? API_VERSION,
      ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
    };
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      entry.status = status;
      sendJson(res, { status, body, headers: { ...headers, ...extra } });
    };
    const fail = (error: StripeApiError) => reply(error.status, error.body(requestId));

    if (this.faults.apiDown === "reset") {
      entry.fault = "connection_reset";
      req.socket.destroy();
      return;
    }
    if (this.faults.apiDown || this.faults.failNextApiCalls > 0) {
      entry.fault = this.faults.apiDown ? "api_down" : "fail_next";
      if (!this.faults.apiDown) this.faults.failNextApiCalls -= 1;
      const status = this.faults.apiDown ? 503 : 500;
      return fail(new StripeApiError(status, "api_error", "An unknown error occurred. (Injected by the Stripe fake.)"));
    }

    const key = bearerKey(header(req, "authorization"));
    if (!key) {
      return fail(
        new StripeApiError(
          401,
          "invalid_request_error",
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
      );
    }
    if (this.apiKey !== undefined && key !== this.apiKey) {
      return fail(new StripeApiError(401, "invalid_request_error", `Invalid API Key provided: ${maskKey(key)}`));
    }

    let params: Params;
    try {
      params = await this.readParams(req, url, method);
    } catch (error) {
      if (error instanceof StripeApiError) return fail(error);
      throw error;
    }
    entry.params = params;

    const found = this.findRoute(method, url.pathname);
    if (!found) return fail(unrecognizedUrl(method, url.pathname));

    if (replayable) {
      try {
        const stored = this.idempotency.lookup(idempotencyKey, method, url.pathname, params, this.ctx.clock.nowS());
        if (stored) {
          entry.replayed = true;
          return reply(stored.status, stored.body, {
            "idempotent-replayed": "true",
            "original-request": stored.requestId,
          });
        }
      } catch (error) {
        if (error instanceof StripeApiError) return fail(error);
        throw error;
      }
    }

    try {
      checkRouteParams(found.route, params);
      const body = found.route.handle(this.ctx, {
        params,
        ids: found.ids,
        request: { id: requestId, idempotency_key: idempotencyKey },
      });
      if (replayable) {
        this.idempotency.save(idempotencyKey, {
          method,
          path: url.pathname,
          fingerprint: fingerprint(params),
          status: 200,
          body,
          requestId,
          savedAtS: this.ctx.clock.nowS(),
        });
      }
      return reply(200, body);
    } catch (error) {
      if (error instanceof StripeApiError) return fail(error);
      throw error;
    }
  }

  private async readParams(req: http.IncomingMessage, url: URL, method: string): Promise<Params> {
    const query = parseForm(url.search.slice(1));
    if (method !== "POST") return query;
    const text = await readBody(req);
    const type = header(req, "content-type") ?? "";
    if (text.trim() && !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        "Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.",
      );
    }
    return { ...query, ...parseForm(text) };
  }

  private findRoute(method: string, pathname: string): { route: Route; ids: string[] } | null {
    for (const { route, match } of ROUTES) {
      if (route.method !== method) continue;
      const ids = match(pathname);
      if (ids) return { route, ids };
    }
    return null;
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
