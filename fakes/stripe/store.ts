import type Stripe from "stripe";
import type { CheckoutPlan } from "./checkout-object";
import type { FakeClock } from "./clock";
import { invalidRequest, noSuch } from "./errors";
import { readInteger, readString, type Params } from "./form";
import { newId } from "./ids";
import { API_VERSION, apiList, buildPrice, buildProduct, type EventRequest, type FakeEvent } from "./objects";

/** The two plans Sight sells, seeded on start and on reset with the same ids. */
export const SEEDED_PRICES = {
  professional: {
    id: "price_1SightProfessionalMonthly",
    product: "prod_SightProfessional",
    name: "Sight Professional",
    amount: 4900,
  },
  enterprise: {
    id: "price_1SightEnterpriseMonthly",
    product: "prod_SightEnterprise",
    name: "Sight Enterprise",
    amount: 19900,
  },
} as const;

/**
 * Everything the fake account holds, as Stripe-shaped objects. Maps keep insertion order, which
 * is creation order; lists are served newest first like Stripe's.
 */
export class StripeStore {
  customers = new Map<string, Stripe.Customer | Stripe.DeletedCustomer>();
  products = new Map<string, Stripe.Product>();
  prices = new Map<string, Stripe.Price>();
  sessions = new Map<string, Stripe.Checkout.Session>();
  checkoutPlans = new Map<string, CheckoutPlan>();
  subscriptions = new Map<string, Stripe.Subscription>();
  invoices = new Map<string, Stripe.Invoice>();
  /** Prorations waiting for the subscription's next invoice (Stripe's pending invoice items). */
  pendingLines = new Map<string, Stripe.InvoiceLineItem[]>();
  portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  events: FakeEvent[] = [];
  private eventsById = new Map<string, FakeEvent>();

  constructor(
    private readonly clock: FakeClock,
    /** Called for every new event (the webhook dispatcher); returns the endpoint count. */
    private readonly onEvent: (event: FakeEvent) => number,
  ) {
    this.seed();
  }

  reset(): void {
    for (const map of [this.customers, this.products, this.prices, this.sessions, this.checkoutPlans]) map.clear();
    for (const map of [this.subscriptions, this.invoices, this.pendingLines, this.portalSessions]) map.clear();
    this.events = [];
    this.eventsById.clear();
    this.seed();
  }

  private seed(): void {
    const created = this.clock.nowS();
    for (const [tier, spec] of Object.entries(SEEDED_PRICES)) {
      this.products.set(spec.product, buildProduct(spec.product, spec.name, created));
      const price = buildPrice({
        id: spec.id,
        product: spec.product,
        nickname: spec.name,
        lookupKey: `sight_${tier}_monthly`,
        unitAmount: spec.amount,
        currency: "usd",
        interval: "month",
        created,
      });
      this.prices.set(spec.id, price);
      this.products.get(spec.product)!.default_price = spec.id;
    }
  }

  // --- lookups that answer Stripe's 404 --------------------------------------------------------

  customer(id: string, param = "id"): Stripe.Customer {
    const customer = this.customers.get(id);
    if (!customer || customer.deleted) throw noSuch("customer", id, param);
    return customer;
  }

  price(id: string, param = "id"): Stripe.Price {
    const price = this.prices.get(id);
    if (!price) throw noSuch("price", id, param);
    return price;
  }

  productName(price: Stripe.Price): string {
    return this.products.get(String(price.product))?.name ?? price.nickname ?? price.id;
  }

  subscription(id: string, param = "id"): Stripe.Subscription {
    const sub = this.subscriptions.get(id);
    if (!sub) throw noSuch("subscription", id, param);
    return sub;
  }

  invoice(id: string, param = "id"): Stripe.Invoice {
    const invoice = this.invoices.get(id);
    if (!invoice) throw noSuch("invoice", id, param);
    return invoice;
  }

  session(id: string, param = "id"): Stripe.Checkout.Session {
    const session = this.sessions.get(id);
    if (!session) throw noSuch("checkout.session", id, param);
    return session;
  }

  event(id: string): FakeEvent {
    const event = this.eventsById.get(id);
    if (!event) throw noSuch("event", id);
    return event;
  }

  /** Any stored object by id, for `expand[]`. */
  find(id: string): unknown {
    for (const map of [this.customers, this.prices, this.products, this.subscriptions, this.invoices, this.sessions]) {
      const found = (map as Map<string, unknown>).get(id);
      if (found) return found;
    }
    return this.eventsById.get(id) ?? this.portalSessions.get(id);
  }

  // --- events --------------------------------------------------------------------------------

  emit(
    type: Stripe.Event.Type,
    object: unknown,
    request: EventRequest,
    previousAttributes?: Record<string, unknown>,
  ): FakeEvent {
    const event: FakeEvent = {
      id: newId("evt_"),
      object: "event",
      api_version: API_VERSION,
      created: this.clock.nowS(),
      // A snapshot: later changes to the object must not show up in this event.
      data: {
        object: structuredClone(object),
        ...(previousAttributes && Object.keys(previousAttributes).length > 0
          ? { previous_attributes: structuredClone(previousAttributes) }
          : {}),
      },
      livemode: false,
      pending_webhooks: 0,
      request: { ...request },
      type,
    };
    this.events.push(event);
    this.eventsById.set(event.id, event);
    event.pending_webhooks = this.onEvent(event);
    return event;
  }
}

/**
 * The previous values of the top-level fields that changed, which is what Stripe puts in an
 * `*.updated` event's `data.previous_attributes`.
 */
export function changedAttributes(before: object, after: object): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changed[key] = a[key];
  }
  return changed;
}

// --- rendering: lists and expansion ------------------------------------------------------------

/**
 * Stripe's cursor pagination over a newest-first array: `limit` (1–100, default 10),
 * `starting_after` (older than the cursor), `ending_before` (newer than the cursor).
 */
export function paginate<T extends { id: string }>(items: T[], params: Params, url: string): Stripe.ApiList<T> {
  const limit = readInteger(params.limit, "limit") ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest("This value must be greater than or equal to 1 and less than or equal to 100.", {
      code: "parameter_invalid_integer",
      param: "limit",
    });
  }
  const after = readString(params.starting_after, "starting_after");
  const before = readString(params.ending_before, "ending_before");
  if (after !== undefined) {
    const index = items.findIndex((item) => item.id === after);
    if (index < 0) throw noSuch("object", after, "starting_after");
    const page = items.slice(index + 1, index + 1 + limit);
    return apiList(page, url, index + 1 + limit < items.length);
  }
  if (before !== undefined) {
    const index = items.findIndex((item) => item.id === before);
    if (index < 0) throw noSuch("object", before, "ending_before");
    const start = Math.max(0, index - limit);
    return apiList(items.slice(start, index), url, start > 0);
  }
  return apiList(items.slice(0, limit), url, items.length > limit);
}

export function newestFirst<T>(values: Iterable<T>): T[] {
  return [...values].reverse();
}

/**
 * Applies `expand[]` paths (`subscription`, `latest_invoice`, `data.customer`,
 * `items.data.price.product`) to a clone of `value`: an id string on the path is replaced by the
 * object it names. `extra` supplies expandable fields absent by default (`line_items`).
 */
export function expand(
  value: unknown,
  paths: string[],
  store: StripeStore,
  extra: (owner: Record<string, unknown>, field: string) => unknown = () => undefined,
): unknown {
  const result = structuredClone(value);
  for (const path of paths) {
    const segments = path.split(".");
    if (segments.length > 4) {
      throw invalidRequest(`You cannot expand more than 4 levels of a property. Property: ${path}`, {
        param: "expand",
      });
    }
    expandAt(result, segments, path, store, extra);
  }
  return result;
}

function expandAt(
  node: unknown,
  segments: string[],
  path: string,
  store: StripeStore,
  extra: (owner: Record<string, unknown>, field: string) => unknown,
): void {
  if (node === null || typeof node !== "object") return;
  const [field, ...rest] = segments as [string, ...string[]];
  const owner = node as Record<string, unknown>;
  if (field === "data" && Array.isArray(owner.data)) {
    for (const item of owner.data) expandAt(item, rest, path, store, extra);
    return;
  }
  let current = owner[field];
  if (current === undefined) current = extra(owner, field);
  if (typeof current === "string") {
    const found = store.find(current);
    if (found === undefined) throw invalidRequest(`This property cannot be expanded (${path}).`, { param: "expand" });
    current = structuredClone(found);
  } else if (current === undefined || (rest.length === 0 && current !== null && !isExpanded(current))) {
    throw invalidRequest(`This property cannot be expanded (${path}).`, { param: "expand" });
  }
  owner[field] = current;
  if (rest.length > 0) expandAt(current, rest, path, store, extra);
}

function isExpanded(value: unknown): boolean {
  return typeof value === "object" && value !== null && "object" in value;
}
