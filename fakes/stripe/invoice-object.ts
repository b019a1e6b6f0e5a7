import type Stripe from "stripe";
import { newId } from "./ids";
import { apiList } from "./objects";

export interface InvoiceTotals {
  subtotal: number;
  total: number;
  startingBalance: number;
  amountDue: number;
  endingBalance: number;
}

/**
 * Stripe applies the customer's balance (negative = credit) to a finalized invoice: what is
 * left to pay is `total + starting_balance`, never below zero; unused credit stays on the
 * balance. A preview and the invoice it previews go through this same function.
 */
export function invoiceTotals(lines: Stripe.InvoiceLineItem[], customerBalance: number): InvoiceTotals {
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const after = subtotal + customerBalance;
  return {
    subtotal,
    total: subtotal,
    startingBalance: customerBalance,
    amountDue: Math.max(after, 0),
    endingBalance: Math.min(after, 0),
  };
}

export function buildInvoice(fields: {
  preview: boolean;
  customer: Stripe.Customer;
  subscription: Stripe.Subscription;
  lines: Stripe.InvoiceLineItem[];
  billingReason: Stripe.Invoice.BillingReason;
  created: number;
  periodStart: number;
  periodEnd: number;
  prorationDate: number | null;
  baseUrl: string;
}): Stripe.Invoice {
  // Preview invoices are never stored; Stripe marks them with an `upcoming_in` id.
  const id = fields.preview ? newId("upcoming_in_") : newId("in_");
  // Preview lines are temporary too (`il_tmp_…`); stored ones point back at their invoice.
  const lines = fields.lines.map((line) =>
    fields.preview ? { ...line, id: newId("il_tmp_"), invoice: null } : { ...line, invoice: id },
  );
  const totals = invoiceTotals(lines, fields.customer.balance);
  return {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "Sight (Stripe fake)",
    account_tax_ids: null,
    amount_due: totals.amountDue,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: totals.amountDue,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: !fields.preview,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: fields.billingReason,
    collection_method: "charge_automatically",
    created: fields.created,
    currency: fields.subscription.currency,
    custom_fields: null,
    customer: fields.customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: fields.customer.email,
    customer_name: fields.customer.name ?? null,
    customer_phone: fields.customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: fields.preview ? null : `${fields.baseUrl}/i/${id}`,
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: apiList(lines, `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: {
        metadata: { ...fields.subscription.metadata },
        subscription: fields.subscription.id,
        ...(fields.prorationDate !== null ? { subscription_proration_date: fields.prorationDate } : {}),
      },
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: fields.periodEnd,
    period_start: fields.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: totals.startingBalance,
    statement_descriptor: null,
    status: "draft",
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotal,
    test_clock: null,
    total: totals.total,
    total_discount_amounts: [],
    total_excluding_tax: totals.total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}
