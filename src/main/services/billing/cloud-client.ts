import type { z } from "zod";
import { cloudRoutes, type CloudRouteName, type CloudRoutes } from "../../../shared/cloud/contract";
import { AppError, isAppError, wireErrorSchema } from "../../../shared/contract";

/**
 * Sight Cloud over plain fetch, typed from the shared contract: every call's input and output
 * are checked with the route's own zod schemas, and the Cloud's `{ error }` bodies come back as
 * AppErrors with the same code. Only network failures become "cannot be reached".
 */

export type CloudInput<N extends CloudRouteName> = z.input<CloudRoutes[N]["input"]>;
export type CloudOutput<N extends CloudRouteName> = z.output<CloudRoutes[N]["output"]>;

export interface CloudTokens {
  /** The access token in memory, null before the first sign-in or refresh of this run. */
  current(): string | null;
  /** Trades the stored refresh token for a new session and returns its access token. */
  refresh(): Promise<string>;
}

export interface CloudClientOptions {
  baseUrl: string;
  tokens: CloudTokens;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CloudClient {
  call<N extends CloudRouteName>(name: N, input: CloudInput<N>): Promise<CloudOutput<N>>;
  /** A current access token (refreshed when due), for connections that are not REST calls (the live relay). */
  accessToken(): Promise<string>;
}

/** Routes that identify the caller by their body (credentials, refresh token), not by a bearer token. */
const WITHOUT_BEARER: ReadonlySet<CloudRouteName> = new Set([
  "auth.signUp",
  "auth.signIn",
  "auth.refresh",
  "auth.signOut",
]);
const DEFAULT_TIMEOUT_MS = 15_000;

/** True for the error `call` throws when the Cloud could not be reached at all (as opposed to refusing). */
export function isCloudUnreachable(error: unknown): boolean {
  if (!isAppError(error) || error.code !== "PROVIDER_UNAVAILABLE") return false;
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return reason === "unreachable" || reason === "timeout";
}

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Single flight: concurrent 401s share one refresh. Two refreshes with the same (rotating)
  // refresh token would look like token theft to the Cloud, which then revokes the whole family.
  let refreshing: Promise<string> | null = null;
  const refreshOnce = (): Promise<string> =>
    (refreshing ??= options.tokens.refresh().finally(() => {
      refreshing = null;
    }));

  const send = async (name: CloudRouteName, input: Record<string, unknown>, bearer: string | null) => {
    const def = cloudRoutes[name];
    const { url, body } = buildRequest(options.baseUrl, def.rest, input);
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: def.rest.method,
        headers: {
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body,
        redirect: "error",
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new AppError(
        "PROVIDER_UNAVAILABLE",
        timedOut
          ? `Sight Cloud cannot be reached: no answer within ${Math.round(timeoutMs / 1000)} s. Your plan stays as it is.`
          : `Sight Cloud cannot be reached (${describeNetworkError(error)}). Check your connection; your plan stays as it is.`,
        { service: "cloud", reason: timedOut ? "timeout" : "unreachable", route: name },
      );
    }
    return { status: response.status, body: parseJson(text) };
  };

  const call = async <N extends CloudRouteName>(name: N, rawInput: CloudInput<N>): Promise<CloudOutput<N>> => {
    const def = cloudRoutes[name];
    const input = def.input.safeParse(rawInput);
    if (!input.success) {
      throw new AppError("VALIDATION_FAILED", `The input is not valid. ${summarise(input.error.issues)}`, {
        issues: input.error.issues.map((issue) => ({
          path: issue.path.map(String),
          message: issue.message,
          code: issue.code,
        })),
      });
    }
    const fields = input.data as Record<string, unknown>;
    const authenticated = !WITHOUT_BEARER.has(name);
    let bearer = authenticated ? (options.tokens.current() ?? (await refreshOnce())) : null;
    let answer = await send(name, fields, bearer);
    if (authenticated && answer.status === 401) {
      // Someone else may have refreshed while this call was in flight: use their token first.
      const latest = options.tokens.current();
      bearer = latest && latest !== bearer ? latest : await refreshOnce();
      answer = await send(name, fields, bearer);
    }
    if (answer.status < 200 || answer.status > 299) throw cloudError(name, answer.status, answer.body);
    const output = def.output.safeParse(answer.body);
    if (!output.success) {
      throw new AppError(
        "PROVIDER_UNAVAILABLE",
        "Sight Cloud sent an answer this version of Sight does not understand; updating Sight may help.",
        { service: "cloud", reason: "unexpected_response", route: name },
      );
    }
    return output.data as CloudOutput<N>;
  };

  return { call, accessToken: async () => options.tokens.current() ?? refreshOnce() };
}

function buildRequest(
  baseUrl: string,
  rest: { method: string; path: string },
  input: Record<string, unknown>,
): { url: string; body: string | undefined } {
  const remaining = { ...input };
  const path = rest.path.replace(/\{([A-Za-z]+)\}/g, (_match, name: string) => {
    const value = remaining[name];
    delete remaining[name];
    return encodeURIComponent(String(value));
  });
  const url = new URL(`${baseUrl}/api/v1${path}`);
  if (rest.method === "GET" || rest.method === "DELETE") {
    for (const [key, value] of Object.entries(remaining)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return { url: url.toString(), body: undefined };
  }
  return { url: url.toString(), body: JSON.stringify(remaining) };
}

function parseJson(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The Cloud's own error, with its code; anything else (a proxy's HTML page, a 502) says what came back. */
function cloudError(route: CloudRouteName, status: number, body: unknown): AppError {
  const wire = wireErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
  if (wire.success) return new AppError(wire.data.code, wire.data.message, wire.data.details);
  return new AppError(
    "PROVIDER_UNAVAILABLE",
    `Sight Cloud answered with HTTP ${status} and no explanation; try again in a moment.`,
    { service: "cloud", reason: "http_status", status, route },
  );
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (error instanceof Error) return error.message;
  return "network error";
}

function summarise(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join(".") || "(input)"}: ${issue.message}`)
    .join("; ");
}
