import type { z } from "zod";
import { parseRetryAfter } from "../llm/provider-failure";
import { CrmFailure, kindForStatus } from "./crm-failure";

/** Per-request timeout: a CRM that does not answer in this long counts as a network failure. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface JsonRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  token?: string;
  /** JSON body, or a form (URLSearchParams) for OAuth endpoints. */
  body?: unknown;
  signal?: AbortSignal;
  /** OAuth token endpoints: a 400/401 means the grant is refused, i.e. reconnect. */
  oauth?: boolean;
}

/**
 * The error code and message out of any of the bodies our CRMs send: Salesforce REST
 * `[{ errorCode, message }]`, OAuth `{ error, error_description }`, HubSpot `{ category|status, message }`.
 */
export function crmErrorInfo(body: unknown): { code: string | undefined; message: string } {
  const first = Array.isArray(body) ? body[0] : body;
  if (!first || typeof first !== "object")
    return { code: undefined, message: typeof body === "string" ? body.slice(0, 300) : "" };
  const record = first as Record<string, unknown>;
  const code = [record.errorCode, record.error, record.category, record.status].find((v) => typeof v === "string") as
    string | undefined;
  const message = [record.message, record.error_description].find((v) => typeof v === "string") as string | undefined;
  return { code, message: message ?? code ?? "" };
}

/** One HTTP call, no retries (the policy retries): the parsed body, or a CrmFailure saying why not. */
export async function requestJson<T>(request: JsonRequest, schema: z.ZodType<T>): Promise<T> {
  const form = request.body instanceof URLSearchParams;
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined)
    headers["content-type"] = form ? "application/x-www-form-urlencoded" : "application/json";
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : form ? String(request.body) : JSON.stringify(request.body),
      signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new CrmFailure("network", (error as Error).message || "network error", { cause: error });
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!response.ok) {
    const { code, message } = crmErrorInfo(body);
    const refused = request.oauth && (response.status === 400 || response.status === 401);
    throw new CrmFailure(
      refused ? "auth" : kindForStatus(response.status, code),
      message || `HTTP ${response.status}`,
      {
        status: response.status,
        crmCode: code,
        retryAfterMs: parseRetryAfter(response.headers),
      },
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new CrmFailure("rejected", `unexpected response: ${parsed.error.issues[0]?.message ?? "invalid"}`, {
      status: response.status,
    });
  }
  return parsed.data;
}
