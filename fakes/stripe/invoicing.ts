import type Stripe from "stripe";
import type { FakeClock } from "./clock";
import { buildInvoice } from "./invoice-object";
import { buildInvoiceLine } from "./objects";
import { formatDate, formatMoney, nextPeriodEnd, prorate, type Interval } from "./periods";
import type { StripeStore } from "./store";

const RETRY_AFTER_S = 3 * 86_400;

export function intervalOf(price: Stripe.Price): { interval: Interval; count: number } {
  return { interval: (price.recurring?.interval ?? "month") as Interval, count: price.recurring?.interval_count ?? 1 };
}

/** The current period, read from the subscription's items (this API version keeps it there). */
export function currentPeriod(sub: Stripe.Subscription): { start: number; end: number } {
  const item = sub.items.data[0];
  if (!item) throw new Error(`Subscription ${sub.id} has no items.`);
  return { start: item.current_period_start, end: item.current_period_end };
}

export function nextPeriod(sub: Stripe.Subscription): { start: number; end: number } {
  const { end } = currentPeriod(sub);
  const { interval, count } = intervalOf(sub.items.data[0]!.price);
  return { start: end, end: nextPeriodEnd(sub.billing_cycle_anchor, end, interval, count) };
}

/** What a line needs from a subscription item, so previews can bill items not applied yet. */
export type BillableItem = Pick<Stripe.SubscriptionItem, "id" | "price" | "quantity">;

/** Line wording follows Stripe's invoices: "1 × Sight Professional (at $49.00 / month)". */
export class Invoicing {
  constructor(
    private readonly store: StripeStore,
    private readonly clock: FakeClock,
    private readonly baseUrl: () => string,
  ) {}

  cycleLine(sub: Stripe.Subscription, item: BillableItem, period: { start: number; end: number }) {
    const quantity = item.quantity ?? 1;
    const unit = item.price.unit_amount ?? 0;
    const name = this.store.productName(item.price);
    return buildInvoiceLine({
      amount: unit * quantity,
      currency: item.price.currency,
      description: `${quantity} × ${name} (at ${formatMoney(unit, item.price.currency)} / ${intervalOf(item.price).interval})`,
      periodStart: period.start,
      periodEnd: period.end,
      price: item.price,
      quantity,
      subscription: sub.id,
      subscriptionItem: item.id,
      proration: false,
      invoice: null,
    });
  }

  trialLine(sub: Stripe.Subscription, item: Stripe.SubscriptionItem, period: { start: number; end: number }) {
    return buildInvoiceLine({
      amount: 0,
      currency: item.price.currency,
      description: `Trial period for ${this.store.productName(item.price)}`,
      periodStart: period.start,
      periodEnd: period.end,
      price: item.price,
      quantity: item.quantity ?? 1,
      subscription: sub.id,
      subscriptionItem: item.id,
      proration: false,
      invoice: null,
    });
  }

  /**
   * One proration line: a credit (`sign` -1) for unused time on the old price or a charge (+1)
   * for the remaining time on the new one, from `at` to the end of the current period.
   */
  prorationLine(
    sub: Stripe.Subscription,
    itemId: string,
    price: Stripe.Price,
    quantity: number,
    sign: 1 | -1,
    at: number,
  ): Stripe.InvoiceLineItem {
    const period = currentPeriod(sub);
    const amount = sign * prorate((price.unit_amount ?? 0) * quantity, period.start, period.end, at);
    const what = `${quantity > 1 ? `${quantity} × ` : ""}${this.store.productName(price)}`;
    return buildInvoiceLine({
      amount,
      currency: price.currency,
      description: `${sign < 0 ? "Unused" : "Remaining"} time on ${what} after ${formatDate(at)}`,
      periodStart: at,
      periodEnd: period.end,
      price,
      quantity,
      subscription: sub.id,
      subscriptionItem: itemId,
      proration: true,
      invoice: null,
    });
  }

  /** A draft invoice; `preview` ones are returned to the caller and never stored. */
  draft(
    sub: Stripe.Subscription,
    lines: Stripe.InvoiceLineItem[],
    billingReason: Stripe.Invoice.BillingReason,
    period: { start: number; end: number },
    options: { preview: boolean; prorationDate: number | null; created?: number },
  ): Stripe.Invoice {
    const invoice = buildInvoice({
      preview: options.preview,
      customer: this.store.customer(String(sub.customer)),
      subscription: sub,
      lines,
      billingReason,
      created: options.created ?? this.clock.nowS(),
      periodStart: period.start,
      periodEnd: period.end,
      prorationDate: options.prorationDate,
      baseUrl: this.baseUrl(),
    });
    if (!options.preview) this.store.invoices.set(invoice.id, invoice);
    return invoice;
  }

  /** Finalizing numbers the invoice and applies the customer's credit balance to it. */
  finalize(invoice: Stripe.Invoice): void {
    const customer = this.store.customer(String(invoice.customer));
    const now = this.clock.nowS();
    const sequence = customer.next_invoice_sequence ?? 1;
    customer.next_invoice_sequence = sequence + 1;
    invoice.number = `${customer.invoice_prefix}-${String(sequence).padStart(4, "0")}`;
    invoice.status = "open";
    invoice.status_transitions.finalized_at = now;
    invoice.effective_at = now;
    const after = invoice.total + invoice.starting_balance;
    invoice.ending_balance = Math.min(after, 0);
    customer.balance = invoice.ending_balance;
  }

  /** A payment attempt with the customer's card; zero-amount invoices are paid without one. */
  attemptPayment(invoice: Stripe.Invoice, succeeds: boolean): void {
    const now = this.clock.nowS();
    const customer = this.store.customer(String(invoice.customer));
    if (invoice.amount_due > 0) {
      invoice.attempt_count += 1;
      invoice.attempted = true;
    }
    if (succeeds || invoice.amount_due === 0) {
      invoice.status = "paid";
      invoice.amount_paid = invoice.amount_due;
      invoice.amount_remaining = 0;
      invoice.status_transitions.paid_at = now;
      invoice.next_payment_attempt = null;
      invoice.attempted = true;
      customer.delinquent = false;
    } else {
      invoice.next_payment_attempt = now + RETRY_AFTER_S;
      customer.delinquent = true;
    }
  }

  /** Takes the subscription's pending prorations for an invoice (they are billed once). */
  takePending(sub: Stripe.Subscription): Stripe.InvoiceLineItem[] {
    const lines = this.store.pendingLines.get(sub.id) ?? [];
    this.store.pendingLines.delete(sub.id);
    return lines;
  }

  peekPending(sub: Stripe.Subscription): Stripe.InvoiceLineItem[] {
    return structuredClone(this.store.pendingLines.get(sub.id) ?? []);
  }

  addPending(sub: Stripe.Subscription, lines: Stripe.InvoiceLineItem[]): void {
    if (lines.length === 0) return;
    this.store.pendingLines.set(sub.id, [...(this.store.pendingLines.get(sub.id) ?? []), ...lines]);
  }
}
