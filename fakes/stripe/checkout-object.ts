import type Stripe from "stripe";
import { newId } from "./ids";

/** What a Checkout Session was created with that Stripe keeps off the object itself. */
export interface CheckoutPlan {
  lineItems: Stripe.LineItem[];
  trialPeriodDays: number | null;
  trialEnd: number | null;
  subscriptionMetadata: Record<string, string>;
  subscriptionDescription: string | null;
}

export function buildLineItem(price: Stripe.Price, quantity: number, productName: string): Stripe.LineItem {
  const amount = (price.unit_amount ?? 0) * quantity;
  return {
    id: newId("li_"),
    object: "item",
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: productName,
    metadata: {},
    price,
    quantity,
  };
}

export function buildCheckoutSession(fields: {
  baseUrl: string;
  created: number;
  lineItems: Stripe.LineItem[];
  trial: boolean;
  customer: string | null;
  customerEmail: string | null;
  clientReferenceId: string | null;
  successUrl: string | null;
  cancelUrl: string | null;
  metadata: Record<string, string>;
  allowPromotionCodes: boolean | null;
  expiresAt: number;
}): Stripe.Checkout.Session {
  // Long ids like Stripe's (cs_test_a1…): they end up in redirect URLs, so keep them URL-safe.
  const id = newId("cs_test_a1", 56);
  const subtotal = fields.lineItems.reduce((sum, item) => sum + item.amount_subtotal, 0);
  // A trial collects the card but charges nothing today: Checkout shows a total of 0.
  const total = fields.trial ? 0 : subtotal;
  return {
    id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: fields.allowPromotionCodes,
    allowed_payment_method_types: null,
    amount_subtotal: fields.trial ? 0 : subtotal,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: fields.cancelUrl,
    client_reference_id: fields.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: fields.created,
    currency: fields.lineItems[0]?.currency ?? "usd",
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: fields.customer,
    customer_account: null,
    customer_creation: null,
    customer_details: null,
    customer_email: fields.customerEmail,
    discounts: [],
    expires_at: fields.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: fields.metadata,
    mode: "subscription",
    optional_items: null,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "always",
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: "automatic" } },
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: fields.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: `${fields.baseUrl}/c/pay/${id}`,
    wallet_options: null,
  };
}
