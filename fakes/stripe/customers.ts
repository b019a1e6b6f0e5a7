import type Stripe from "stripe";
import type { FakeClock } from "./clock";
import { invoicePrefix } from "./ids";
import { buildCustomer, type EventRequest } from "./objects";
import type { StripeStore } from "./store";
import type { Subscriptions } from "./subscriptions";

export interface CustomerFields {
  email?: string | null;
  name?: string | null;
  description?: string | null;
  phone?: string | null;
  metadata?: Record<string, string>;
}

export function createCustomer(
  store: StripeStore,
  clock: FakeClock,
  fields: CustomerFields,
  request: EventRequest,
): Stripe.Customer {
  const customer = buildCustomer({
    created: clock.nowS(),
    email: fields.email ?? null,
    name: fields.name ?? null,
    description: fields.description ?? null,
    phone: fields.phone ?? null,
    metadata: fields.metadata ?? {},
    invoicePrefix: invoicePrefix(),
  });
  store.customers.set(customer.id, customer);
  store.emit("customer.created", customer, request);
  return customer;
}

/** Deleting a customer cancels its subscriptions at once, then leaves a `deleted` stub. */
export function deleteCustomer(
  store: StripeStore,
  subscriptions: Subscriptions,
  customer: Stripe.Customer,
  request: EventRequest,
): Stripe.DeletedCustomer {
  for (const sub of subscriptions.ofCustomer(customer.id)) {
    if (sub.status !== "canceled" && sub.status !== "incomplete_expired") subscriptions.cancelNow(sub, request);
  }
  const stub: Stripe.DeletedCustomer = { id: customer.id, object: "customer", deleted: true };
  store.customers.set(customer.id, stub);
  store.emit("customer.deleted", customer, request);
  return stub;
}
