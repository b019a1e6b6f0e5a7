/** Customers, the price catalogue, the customer portal and events. */
import { checkUrl } from "./api-checkout";
import type Stripe from "stripe";
import { createdFilter, render, renderList, type Route } from "./api-routes";
import { createCustomer, deleteCustomer } from "./customers";
import { invalidRequest, missingParam, noSuch } from "./errors";
import { mergeMetadata, readArray, readBoolean, readObject, readString, type Params } from "./form";
import { buildPortalSession } from "./objects";
import { changedAttributes, newestFirst } from "./store";

const CUSTOMER_DOCUMENTED =
  "address balance business_name cash_balance invoice_prefix invoice_settings individual_name next_invoice_sequence " +
  "payment_method preferred_locales shipping source tax tax_exempt tax_id_data test_clock validate default_source";

function customerFields(params: Params) {
  const text = (name: string) => {
    const value = readString(params[name], name);
    return value === undefined ? undefined : value === "" ? null : value;
  };
  return { email: text("email"), name: text("name"), description: text("description"), phone: text("phone") };
}

const EVENT_TYPE = /^[a-z_]+(\.[a-z_]+)*(\.\*)?$|^\*$/;

function eventTypeMatcher(params: Params): (type: string) => boolean {
  const one = readString(params.type, "type");
  const many =
    params.types === undefined
      ? undefined
      : readArray(params.types, "types")!.map((t, i) => readString(t, `types[${i}]`)!);
  if (one !== undefined && many !== undefined) {
    throw invalidRequest("You may only specify one of these parameters: type, types.", {
      code: "parameters_exclusive",
      param: "types",
    });
  }
  if (many && many.length > 20) throw invalidRequest("You can pass at most 20 types.", { param: "types" });
  const patterns = one !== undefined ? [one] : (many ?? []);
  for (const pattern of patterns)
    if (!EVENT_TYPE.test(pattern)) throw invalidRequest(`Invalid event type: ${pattern}`, { param: "type" });
  if (patterns.length === 0) return () => true;
  // `customer.subscription.*` matches every type under that prefix, as Stripe's filter does.
  return (type) => patterns.some((p) => (p.endsWith("*") ? type.startsWith(p.slice(0, -1)) : type === p));
}

export const accountRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/customers",
    modelled: "email name description phone metadata expand",
    documented: CUSTOMER_DOCUMENTED,
    handle(ctx, { params, request }) {
      const fields = customerFields(params);
      const customer = createCustomer(
        ctx.store,
        ctx.clock,
        { ...fields, metadata: mergeMetadata({}, params.metadata) },
        request,
      );
      return render(ctx, customer, params);
    },
  },
  {
    method: "GET",
    path: "/v1/customers",
    list: true,
    modelled: "email created expand",
    documented: "test_clock",
    handle(ctx, { params }) {
      const email = readString(params.email, "email");
      const created = createdFilter(params.created);
      const customers = newestFirst(ctx.store.customers.values()).filter(
        (c): c is Stripe.Customer => !c.deleted && (email === undefined || c.email === email) && created(c.created),
      );
      return renderList(ctx, customers, params, "/v1/customers");
    },
  },
  {
    method: "GET",
    path: "/v1/customers/:id",
    modelled: "expand",
    handle(ctx, { params, ids }) {
      const customer = ctx.store.customers.get(ids[0]!);
      // A deleted customer is still retrievable, as its `deleted: true` stub.
      return customer?.deleted ? customer : render(ctx, ctx.store.customer(ids[0]!), params);
    },
  },
  {
    method: "POST",
    path: "/v1/customers/:id",
    modelled: "email name description phone metadata expand",
    documented: CUSTOMER_DOCUMENTED,
    handle(ctx, { params, ids, request }) {
      const customer = ctx.store.customer(ids[0]!);
      const before = structuredClone(customer);
      for (const [key, value] of Object.entries(customerFields(params))) {
        if (value !== undefined) (customer as unknown as Record<string, unknown>)[key] = value;
      }
      customer.metadata = mergeMetadata(customer.metadata, params.metadata);
      const previous = changedAttributes(before, customer);
      if (Object.keys(previous).length > 0) ctx.store.emit("customer.updated", customer, request, previous);
      return render(ctx, customer, params);
    },
  },
  {
    method: "DELETE",
    path: "/v1/customers/:id",
    modelled: "",
    handle(ctx, { ids, request }) {
      return deleteCustomer(ctx.store, ctx.subscriptions, ctx.store.customer(ids[0]!), request);
    },
  },
  {
    method: "GET",
    path: "/v1/prices",
    list: true,
    modelled: "active currency lookup_keys product type recurring created expand",
    handle(ctx, { params }) {
      const active = readBoolean(params.active, "active");
      const currency = readString(params.currency, "currency");
      const product = readString(params.product, "product");
      const type = readString(params.type, "type");
      const lookupKeys =
        params.lookup_keys === undefined ? undefined : readArray(params.lookup_keys, "lookup_keys")!.map(String);
      const recurring = readObject(params.recurring, "recurring");
      const interval = readString(recurring?.interval, "recurring[interval]");
      const created = createdFilter(params.created);
      const prices = newestFirst(ctx.store.prices.values()).filter(
        (p) =>
          (active === undefined || p.active === active) &&
          (currency === undefined || p.currency === currency) &&
          (product === undefined || p.product === product) &&
          (type === undefined || p.type === type) &&
          (lookupKeys === undefined || (p.lookup_key !== null && lookupKeys.includes(p.lookup_key))) &&
          (interval === undefined || p.recurring?.interval === interval) &&
          created(p.created),
      );
      return renderList(ctx, prices, params, "/v1/prices");
    },
  },
  {
    method: "GET",
    path: "/v1/prices/:id",
    modelled: "expand",
    handle: (ctx, { params, ids }) => render(ctx, ctx.store.price(ids[0]!), params),
  },
  {
    method: "GET",
    path: "/v1/products",
    list: true,
    modelled: "active ids created expand",
    documented: "shippable type url",
    handle(ctx, { params }) {
      const active = readBoolean(params.active, "active");
      const idList = params.ids === undefined ? undefined : readArray(params.ids, "ids")!.map(String);
      const created = createdFilter(params.created);
      const products = newestFirst(ctx.store.products.values()).filter(
        (p) =>
          (active === undefined || p.active === active) &&
          (idList === undefined || idList.includes(p.id)) &&
          created(p.created),
      );
      return renderList(ctx, products, params, "/v1/products");
    },
  },
  {
    method: "GET",
    path: "/v1/products/:id",
    modelled: "expand",
    handle(ctx, { params, ids }) {
      const product = ctx.store.products.get(ids[0]!);
      if (!product) throw noSuch("product", ids[0]!);
      return render(ctx, product, params);
    },
  },
  {
    method: "POST",
    path: "/v1/billing_portal/sessions",
    modelled: "customer return_url locale expand",
    documented: "after_expiration configuration customer_account flow_data on_behalf_of",
    handle(ctx, { params }) {
      const customerId = readString(params.customer, "customer");
      if (!customerId) throw missingParam("customer");
      ctx.store.customer(customerId, "customer");
      const session = buildPortalSession({
        customer: customerId,
        returnUrl: checkUrl(readString(params.return_url, "return_url"), "return_url"),
        created: ctx.clock.nowS(),
        baseUrl: ctx.baseUrl(),
      });
      ctx.store.portalSessions.set(session.id, session);
      return render(ctx, session, params);
    },
  },
  {
    method: "GET",
    path: "/v1/events",
    list: true,
    modelled: "created type types expand",
    documented: "delivery_success",
    handle(ctx, { params }) {
      const created = createdFilter(params.created);
      const typeMatches = eventTypeMatcher(params);
      const events = newestFirst(ctx.store.events).filter((e) => created(e.created) && typeMatches(e.type));
      return renderList(ctx, events, params, "/v1/events");
    },
  },
  {
    method: "GET",
    path: "/v1/events/:id",
    modelled: "expand",
    handle: (ctx, { params, ids }) => render(ctx, ctx.store.event(ids[0]!), params),
  },
];
