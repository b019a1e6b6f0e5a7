/**
 * The shape shared by the API handlers: a route names its method, path, and two parameter
 * lists — what the fake models, and everything Stripe documents for the endpoint (from the
 * SDK's `*Params` interfaces). A parameter outside both is `parameter_unknown`, as in Stripe; a
 * documented one the fake does not model is refused loudly rather than silently ignored, so a
 * test never passes against behaviour the fake does not have.
 */
import type { Checkout } from "./checkout";
import type { FakeClock } from "./clock";
import { invalidRequest } from "./errors";
import { readExpand, readInteger, readObject, refuseUnknown, type FormValue, type Params } from "./form";
import type { Invoicing } from "./invoicing";
import type { EventRequest } from "./objects";
import { expand, paginate, type StripeStore } from "./store";
import type { Subscriptions } from "./subscriptions";

export interface ApiContext {
  store: StripeStore;
  clock: FakeClock;
  invoicing: Invoicing;
  subscriptions: Subscriptions;
  checkout: Checkout;
  baseUrl: () => string;
}

export interface ApiCall {
  params: Params;
  /** The `:id` segments of the path, in order. */
  ids: string[];
  request: EventRequest;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  path: string;
  /** Space-separated: parameters the fake implements (or safely accepts). */
  modelled: string;
  /** Space-separated: the rest of what Stripe documents for this endpoint. */
  documented?: string;
  list?: boolean;
  handle: (ctx: ApiContext, call: ApiCall) => unknown;
}

const PAGINATION = "limit starting_after ending_before";

export function words(text: string | undefined): string[] {
  return (text ?? "").split(/\s+/).filter(Boolean);
}

export function checkParams(value: FormValue | undefined, modelled: string, documented = "", prefix = ""): void {
  const accepted = words(modelled);
  const known = [...accepted, ...words(documented)];
  refuseUnknown(value, known, prefix);
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!accepted.includes(key)) {
      const param = prefix ? `${prefix}[${key}]` : key;
      throw invalidRequest(
        `The Stripe fake does not model the parameter ${param} (Stripe accepts it); extend fakes/stripe/ to use it.`,
        { param },
      );
    }
  }
}

export function checkRouteParams(route: Route, params: Params): void {
  const modelled = route.list ? `${route.modelled} ${PAGINATION}` : route.modelled;
  checkParams(params, modelled, route.documented);
}

/** Stripe's `created` filter: an exact timestamp or a range `{gt, gte, lt, lte}`. */
export function createdFilter(value: FormValue | undefined, param = "created"): (created: number) => boolean {
  if (value === undefined) return () => true;
  if (typeof value === "string") {
    const exact = readInteger(value, param)!;
    return (created) => created === exact;
  }
  const range = readObject(value, param)!;
  checkParams(range, "gt gte lt lte", "", param);
  const bound = (key: string) => readInteger(range[key], `${param}[${key}]`);
  const [gt, gte, lt, lte] = [bound("gt"), bound("gte"), bound("lt"), bound("lte")];
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}

/** Compiles "/v1/customers/:id" into a matcher that returns the `:id` captures. */
export function compilePath(path: string): (pathname: string) => string[] | null {
  const pattern = new RegExp(`^${path.replace(/:[a-z]+/g, "([^/]+)")}$`);
  return (pathname) => {
    const match = pattern.exec(pathname);
    return match ? match.slice(1).map((segment) => decodeURIComponent(segment)) : null;
  };
}

export function render(ctx: ApiContext, value: unknown, params: Params): unknown {
  return expand(value, readExpand(params), ctx.store);
}

export function renderList<T extends { id: string }>(
  ctx: ApiContext,
  items: T[],
  params: Params,
  url: string,
): unknown {
  return expand(paginate(items, params, url), readExpand(params), ctx.store);
}
