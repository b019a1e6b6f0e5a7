/**
 * Builders for Stripe objects in the shape of API version 2026-10-28.endive. They are typed
 * with the SDK's own interfaces (type-only import), so the compiler checks every field name and
 * type against what stripe@23 declares; fields the fake does not model carry Stripe's empty
 * values (null, [], false). Related objects are referenced by id, as Stripe does unless expanded.
 */
import type Stripe from "stripe";
import { newId } from "./ids";
import type { Interval } from "./periods";

/** The version stripe@23.1.0 pins (node_modules/stripe/esm/apiVersion.js); events render in it. */
export const API_VERSION = "2026-10-28.endive";

/** Decimal fields travel as strings on the wire; the SDK converts them to its Decimal type. */
export function decimal(value: number): Stripe.Decimal {
  return String(value) as unknown as Stripe.Decimal;
}

export function apiList<T>(data: T[], url: string, hasMore = false): Stripe.ApiList<T> {
  return { object: "list", data, has_more: hasMore, url };
}

export function buildProduct(id: string, name: string, created: number): Stripe.Product {
  return {
    id,
    object: "product",
    active: true,
    created,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: "service",
    unit_label: null,
    updated: created,
    url: null,
  };
}

export interface PriceSpec {
  id: string;
  product: string;
  nickname: string;
  lookupKey: string;
  unitAmount: number;
  currency: string;
  interval: Interval;
  created: number;
}

export function buildPrice(spec: PriceSpec): Stripe.Price {
  return {
    id: spec.id,
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: spec.created,
    currency: spec.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: spec.lookupKey,
    metadata: {},
    nickname: spec.nickname,
    product: spec.product,
    recurring: {
      interval: spec.interval,
      interval_count: 1,
      meter: null,
      trial_period_days: null,
      usage_type: "licensed",
    },
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: "recurring",
    unit_amount: spec.unitAmount,
    unit_amount_decimal: decimal(spec.unitAmount),
  };
}

/** Subscription items still carry the legacy `plan` mirror of their price. */
export function planOf(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: "per_unit",
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? "month",
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

export function buildCustomer(fields: {
  created: number;
  email: string | null;
  name: string | null;
  description: string | null;
  phone: string | null;
  metadata: Record<string, string>;
  invoicePrefix: string;
}): Stripe.Customer {
  return {
    id: newId("cus_", 14),
    object: "customer",
    address: null,
    balance: 0,
    created: fields.created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: fields.description,
    discount: null,
    email: fields.email,
    invoice_prefix: fields.invoicePrefix,
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: fields.metadata,
    name: fields.name,
    next_invoice_sequence: 1,
    phone: fields.phone,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

export function buildSubscriptionItem(fields: {
  id?: string;
  price: Stripe.Price;
  quantity: number;
  subscription: string;
  created: number;
  periodStart: number;
  periodEnd: number;
}): Stripe.SubscriptionItem {
  return {
    id: fields.id ?? newId("si_", 14),
    object: "subscription_item",
    billing_thresholds: null,
    created: fields.created,
    current_period_end: fields.periodEnd,
    current_period_start: fields.periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(fields.price),
    price: fields.price,
    quantity: fields.quantity,
    subscription: fields.subscription,
    tax_rates: [],
  };
}

export function buildSubscription(fields: {
  id: string;
  customer: string;
  created: number;
  currency: string;
  status: Stripe.Subscription.Status;
  billingCycleAnchor: number;
  items: Stripe.SubscriptionItem[];
  trialStart: number | null;
  trialEnd: number | null;
  metadata: Record<string, string>;
  description: string | null;
  defaultPaymentMethod: string | null;
}): Stripe.Subscription {
  return {
    id: fields.id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: fields.billingCycleAnchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: fields.created,
    currency: fields.currency,
    customer: fields.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: fields.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: fields.description,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: "self" },
    },
    items: apiList(fields.items, `/v1/subscription_items?subscription=${fields.id}`),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: fields.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: fields.created,
    status: fields.status,
    test_clock: null,
    transfer_data: null,
    trial_end: fields.trialEnd,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
    trial_start: fields.trialStart,
  };
}

export function buildInvoiceLine(fields: {
  id?: string;
  amount: number;
  currency: string;
  description: string;
  periodStart: number;
  periodEnd: number;
  price: Stripe.Price;
  quantity: number;
  subscription: string;
  subscriptionItem: string;
  proration: boolean;
  invoice: string | null;
}): Stripe.InvoiceLineItem {
  return {
    id: fields.id ?? newId("il_"),
    object: "line_item",
    amount: fields.amount,
    currency: fields.currency,
    description: fields.description,
    discount_amounts: [],
    discountable: !fields.proration,
    discounts: [],
    invoice: fields.invoice,
    livemode: false,
    metadata: {},
    parent: {
      type: "subscription_item_details",
      invoice_item_details: null,
      subscription_item_details: {
        // Prorations are invoice items in Stripe (pending until invoiced); cycle lines are not.
        invoice_item: fields.proration ? newId("ii_") : null,
        proration: fields.proration,
        proration_details: { credited_items: null },
        subscription: fields.subscription,
        subscription_item: fields.subscriptionItem,
      },
    },
    period: { start: fields.periodStart, end: fields.periodEnd },
    pretax_credit_amounts: [],
    pricing: {
      type: "price_details",
      price_details: { price: fields.price.id, product: String(fields.price.product) },
      unit_amount_decimal: decimal(fields.proration ? fields.amount : (fields.price.unit_amount ?? 0)),
    },
    quantity: fields.quantity,
    quantity_decimal: decimal(fields.quantity),
    subscription: fields.subscription,
    subtotal: fields.amount,
    taxes: [],
  };
}

export function buildPortalSession(fields: {
  customer: string;
  returnUrl: string | null;
  created: number;
  baseUrl: string;
}): Stripe.BillingPortal.Session {
  const id = newId("bps_");
  return {
    id,
    object: "billing_portal.session",
    configuration: "bpc_fake_default",
    created: fields.created,
    customer: fields.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: fields.returnUrl,
    url: `${fields.baseUrl}/p/session/${id}`,
  };
}

/** Stripe.Event is a union of ~300 typed events; the fake builds the common base. */
export interface FakeEvent extends Omit<Stripe.EventBase, "type" | "data"> {
  type: Stripe.Event.Type;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
}

export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

/** Requests made by no API call (renewals, hosted pages, control): Stripe sends nulls. */
export const NO_REQUEST: EventRequest = { id: null, idempotency_key: null };
