/**
 * Changing a subscription's items (upgrade, downgrade, quantity) and previewing the invoice
 * that change produces. The preview and the applied change share every step — item planning,
 * proration lines, pending items, totals — so with the same `proration_date` and
 * `proration_behavior=always_invoice` the preview's `amount_due` is the invoice's, as in Stripe.
 */
import type Stripe from "stripe";
import { invalidRequest, noSuch, StripeApiError } from "./errors";
import { newId } from "./ids";
import { currentPeriod, intervalOf, nextPeriod, type BillableItem, type Invoicing } from "./invoicing";
import { buildSubscriptionItem, planOf } from "./objects";
import type { StripeStore } from "./store";

export const PRORATION_BEHAVIORS = ["create_prorations", "none", "always_invoice"] as const;
export type ProrationBehavior = (typeof PRORATION_BEHAVIORS)[number];

export interface ItemChange {
  id?: string;
  price?: string;
  quantity?: number;
  deleted?: boolean;
}

interface PlannedItem {
  itemId: string;
  existing: Stripe.SubscriptionItem | null;
  oldPrice: Stripe.Price | null;
  oldQuantity: number;
  newPrice: Stripe.Price | null;
  newQuantity: number;
}

/** Resolves `items[i]` against the subscription; `prefix` names the param in errors. */
export function planItems(
  store: StripeStore,
  sub: Stripe.Subscription,
  changes: ItemChange[],
  prefix: string,
): PlannedItem[] {
  const planned: PlannedItem[] = sub.items.data.map((item) => ({
    itemId: item.id,
    existing: item,
    oldPrice: item.price,
    oldQuantity: item.quantity ?? 1,
    newPrice: item.price,
    newQuantity: item.quantity ?? 1,
  }));
  changes.forEach((change, i) => {
    const param = `${prefix}[${i}]`;
    if (change.id !== undefined) {
      const target = planned.find((p) => p.existing?.id === change.id);
      if (!target) throw noSuch("subscription item", change.id, `${param}[id]`);
      if (change.deleted) target.newPrice = null;
      if (change.price !== undefined) target.newPrice = store.price(change.price, `${param}[price]`);
      if (change.quantity !== undefined) target.newQuantity = change.quantity;
      return;
    }
    if (change.price === undefined)
      throw invalidRequest(`Missing required param: ${param}[price].`, {
        code: "parameter_missing",
        param: `${param}[price]`,
      });
    planned.push({
      itemId: newId("si_", 14),
      existing: null,
      oldPrice: null,
      oldQuantity: 0,
      newPrice: store.price(change.price, `${param}[price]`),
      newQuantity: change.quantity ?? 1,
    });
  });
  const remaining = planned.filter((p) => p.newPrice !== null);
  if (remaining.length === 0) {
    throw invalidRequest(
      "A subscription must have at least one active plan. To cancel a subscription, use the cancel endpoint.",
      {
        param: prefix,
      },
    );
  }
  const first = remaining[0]!.newPrice!;
  for (const p of remaining) {
    const a = intervalOf(first);
    const b = intervalOf(p.newPrice!);
    if (p.newPrice!.currency !== first.currency || a.interval !== b.interval || a.count !== b.count) {
      throw invalidRequest("Currency and interval fields must match across all plans on this subscription.", {
        param: prefix,
      });
    }
  }
  return planned;
}

function changed(p: PlannedItem): boolean {
  return p.oldPrice?.id !== p.newPrice?.id || p.oldQuantity !== p.newQuantity;
}

/** Stripe prorates within the current period only. */
export function checkProrationDate(sub: Stripe.Subscription, at: number, param: string): number {
  const period = currentPeriod(sub);
  if (at < period.start || at > period.end) {
    throw invalidRequest(
      `The proration_date must be within the subscription's current period (${period.start} to ${period.end}).`,
      { param },
    );
  }
  return at;
}

/** Trial time is free, so there is nothing to credit or charge while trialing. */
function prorations(invoicing: Invoicing, sub: Stripe.Subscription, planned: PlannedItem[], at: number) {
  if (sub.status === "trialing") return [];
  const lines: Stripe.InvoiceLineItem[] = [];
  for (const p of planned.filter(changed)) {
    if (p.oldPrice) lines.push(invoicing.prorationLine(sub, p.itemId, p.oldPrice, p.oldQuantity, -1, at));
    if (p.newPrice) lines.push(invoicing.prorationLine(sub, p.itemId, p.newPrice, p.newQuantity, 1, at));
  }
  return lines;
}

function applyItems(sub: Stripe.Subscription, planned: PlannedItem[], now: number): void {
  const period = currentPeriod(sub);
  sub.items.data = planned
    .filter((p) => p.newPrice !== null)
    .map((p) => {
      if (!p.existing) {
        return buildSubscriptionItem({
          id: p.itemId,
          price: p.newPrice!,
          quantity: p.newQuantity,
          subscription: sub.id,
          created: now,
          periodStart: period.start,
          periodEnd: period.end,
        });
      }
      p.existing.price = p.newPrice!;
      p.existing.plan = planOf(p.newPrice!);
      p.existing.quantity = p.newQuantity;
      return p.existing;
    });
}

/**
 * Applies an item change. `create_prorations` leaves the proration lines pending for the next
 * invoice; `always_invoice` bills them (and anything pending) now in a finalized invoice that
 * the caller pays; `none` just switches the price.
 */
export function applyItemChange(
  store: StripeStore,
  invoicing: Invoicing,
  sub: Stripe.Subscription,
  change: { items: ItemChange[]; behavior: ProrationBehavior; at: number; now: number },
): Stripe.Invoice | null {
  const planned = planItems(store, sub, change.items, "items");
  const lines = change.behavior === "none" ? [] : prorations(invoicing, sub, planned, change.at);
  applyItems(sub, planned, change.now);
  if (change.behavior === "create_prorations") invoicing.addPending(sub, lines);
  if (change.behavior !== "always_invoice") return null;
  const billed = [...invoicing.takePending(sub), ...lines];
  if (billed.length === 0) return null;
  const invoice = invoicing.draft(
    sub,
    billed,
    "subscription_update",
    { start: change.now, end: change.now },
    {
      preview: false,
      prorationDate: change.at,
    },
  );
  invoicing.finalize(invoice);
  sub.latest_invoice = invoice.id;
  return invoice;
}

/**
 * `POST /v1/invoices/create_preview` for an existing subscription. With `always_invoice` and a
 * change: the invoice the change would create now. Otherwise: the next renewal invoice (pending
 * and new prorations plus the next period at the new prices).
 */
export function previewForSubscription(
  store: StripeStore,
  invoicing: Invoicing,
  sub: Stripe.Subscription,
  preview: { items: ItemChange[] | null; behavior: ProrationBehavior; at: number; now: number },
): Stripe.Invoice {
  const planned = planItems(store, sub, preview.items ?? [], "subscription_details[items]");
  const lines =
    preview.items === null || preview.behavior === "none" ? [] : prorations(invoicing, sub, planned, preview.at);
  const pending = invoicing.peekPending(sub);
  if (preview.items !== null && preview.behavior === "always_invoice") {
    return invoicing.draft(
      sub,
      [...pending, ...lines],
      "subscription_update",
      { start: preview.now, end: preview.now },
      {
        preview: true,
        prorationDate: preview.at,
      },
    );
  }
  if (sub.status === "canceled" || sub.cancel_at_period_end) {
    throw new StripeApiError(
      404,
      "invalid_request_error",
      `No upcoming invoices for customer: ${String(sub.customer)}`,
      "invoice_upcoming_none",
    );
  }
  const next = nextPeriod(sub);
  const billable: BillableItem[] = planned
    .filter((p) => p.newPrice !== null)
    .map((p) => ({ id: p.itemId, price: p.newPrice!, quantity: p.newQuantity }));
  const cycle = billable.map((item) => invoicing.cycleLine(sub, item, next));
  return invoicing.draft(sub, [...pending, ...lines, ...cycle], "upcoming", currentPeriod(sub), {
    preview: true,
    prorationDate: preview.items === null ? null : preview.at,
    created: next.start,
  });
}
