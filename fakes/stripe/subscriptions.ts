/**
 * A subscription's life after checkout: API updates and cancellation, and the time-driven
 * transitions (renewal, failed renewal, period end, trial ending) that Stripe performs on its own
 * and the control endpoints trigger. Each transition emits the events Stripe sends, in order,
 * each with a snapshot of the object at that step.
 */
import type Stripe from "stripe";
import type { FakeClock } from "./clock";
import { invalidRequest, noSuch } from "./errors";
import { currentPeriod, nextPeriod, type Invoicing } from "./invoicing";
import { NO_REQUEST, type EventRequest } from "./objects";
import { applyItemChange, checkProrationDate, type ItemChange, type ProrationBehavior } from "./plan-change";
import { changedAttributes, type StripeStore } from "./store";

const TRIAL_WILL_END_NOTICE_S = 3 * 86_400;

export interface SubscriptionUpdate {
  items?: ItemChange[];
  prorationBehavior: ProrationBehavior;
  prorationDate?: number;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  metadata?: Record<string, string>;
  description?: string | null;
  defaultPaymentMethod?: string | null;
  cancellationComment?: string | null;
  /** Only metadata and cancellation details may change once a subscription is canceled. */
  touchesMoreThanMetadata: boolean;
}

export type PastDueOutcome = "unpaid" | "cancel";

export class Subscriptions {
  constructor(
    private readonly store: StripeStore,
    private readonly clock: FakeClock,
    private readonly invoicing: Invoicing,
  ) {}

  ofCustomer(customerId: string): Stripe.Subscription[] {
    return [...this.store.subscriptions.values()].filter((sub) => sub.customer === customerId);
  }

  update(sub: Stripe.Subscription, update: SubscriptionUpdate, request: EventRequest): Stripe.Subscription {
    if (sub.status === "canceled" && update.touchesMoreThanMetadata) {
      throw invalidRequest("A canceled subscription can only update its cancellation_details and metadata.");
    }
    const before = structuredClone(sub);
    const now = this.clock.nowS();
    let invoice: Stripe.Invoice | null = null;
    if (update.items && update.items.length > 0) {
      const at = checkProrationDate(sub, update.prorationDate ?? now, "proration_date");
      invoice = applyItemChange(this.store, this.invoicing, sub, {
        items: update.items,
        behavior: update.prorationBehavior,
        at,
        now,
      });
    }
    if (update.cancelAtPeriodEnd !== undefined)
      this.setCancelAt(sub, update.cancelAtPeriodEnd ? currentPeriod(sub).end : null);
    if (update.cancelAt !== undefined) this.setCancelAt(sub, update.cancelAt);
    if (update.metadata) sub.metadata = update.metadata;
    if (update.description !== undefined) sub.description = update.description;
    if (update.defaultPaymentMethod !== undefined) sub.default_payment_method = update.defaultPaymentMethod;
    if (update.cancellationComment !== undefined)
      sub.cancellation_details = { ...sub.cancellation_details!, comment: update.cancellationComment };
    this.emitUpdated(before, sub, request);
    if (invoice) this.collect(invoice, true, request);
    return sub;
  }

  /** Stripe sets `cancel_at_period_end` exactly when the cancellation falls on the period end. */
  setCancelAt(sub: Stripe.Subscription, cancelAt: number | null): void {
    const now = this.clock.nowS();
    sub.cancel_at = cancelAt;
    sub.cancel_at_period_end = cancelAt !== null && cancelAt === currentPeriod(sub).end;
    // canceled_at records when the cancellation was requested, not when it takes effect.
    sub.canceled_at = cancelAt === null ? null : now;
    sub.cancellation_details = {
      comment: sub.cancellation_details?.comment ?? null,
      feedback: null,
      feedback_option: null,
      reason: cancelAt === null ? null : "cancellation_requested",
    };
  }

  /** `DELETE /v1/subscriptions/:id`: ends it now. A canceled one is gone, as in Stripe (404). */
  cancelNow(
    sub: Stripe.Subscription,
    request: EventRequest,
    reason: Stripe.Subscription.CancellationDetails.Reason = "cancellation_requested",
  ): Stripe.Subscription {
    if (sub.status === "canceled") throw noSuch("subscription", sub.id);
    const now = this.clock.nowS();
    sub.status = "canceled";
    sub.canceled_at = now;
    sub.ended_at = now;
    sub.cancellation_details = { ...sub.cancellation_details!, reason };
    this.store.pendingLines.delete(sub.id);
    this.store.emit("customer.subscription.deleted", sub, request);
    return sub;
  }

  renew(id: string): Stripe.Subscription {
    const sub = this.active(id);
    if (sub.cancel_at !== null && sub.cancel_at <= currentPeriod(sub).end) {
      throw new Error(`Subscription ${id} cancels at the end of this period; endPeriod ends it instead of renewing.`);
    }
    const { before, invoice } = this.cycle(sub);
    this.store.emit("invoice.created", invoice, NO_REQUEST);
    this.invoicing.attemptPayment(invoice, true);
    this.store.emit("invoice.paid", invoice, NO_REQUEST);
    sub.status = "active";
    this.emitUpdated(before, sub, NO_REQUEST);
    return sub;
  }

  /** The renewal charge is declined: the period still advances, the invoice stays open. */
  renewalFails(id: string): Stripe.Subscription {
    const sub = this.active(id);
    const { before, invoice } = this.cycle(sub);
    this.store.emit("invoice.created", invoice, NO_REQUEST);
    this.invoicing.attemptPayment(invoice, false);
    // A renewal fully covered by credit cannot fail: Stripe marks it paid.
    const paid = invoice.status === "paid";
    this.store.emit(paid ? "invoice.paid" : "invoice.payment_failed", invoice, NO_REQUEST);
    sub.status = paid ? "active" : "past_due";
    this.emitUpdated(before, sub, NO_REQUEST);
    return sub;
  }

  /**
   * The current period ends: a scheduled cancellation takes effect; a past-due subscription
   * whose retries are exhausted becomes `unpaid` (or is canceled, Stripe's other setting);
   * anything else renews.
   */
  endPeriod(id: string, pastDue: PastDueOutcome = "unpaid"): Stripe.Subscription {
    const sub = this.active(id);
    const period = currentPeriod(sub);
    if (sub.cancel_at !== null && sub.cancel_at <= period.end) {
      this.clock.reach(sub.cancel_at);
      sub.status = "canceled";
      sub.ended_at = sub.cancel_at;
      this.store.pendingLines.delete(sub.id);
      this.store.emit("customer.subscription.deleted", sub, NO_REQUEST);
      return sub;
    }
    if (sub.status === "past_due") {
      if (pastDue === "cancel") return this.cancelNow(sub, NO_REQUEST, "payment_failed");
      const before = structuredClone(sub);
      sub.status = "unpaid";
      this.emitUpdated(before, sub, NO_REQUEST);
      return sub;
    }
    return this.renew(id);
  }

  /** Stripe sends `trial_will_end` three days before the trial ends; the clock moves there. */
  trialWillEnd(id: string): Stripe.Subscription {
    const sub = this.active(id);
    if (sub.status !== "trialing" || sub.trial_end === null) throw new Error(`Subscription ${id} is not trialing.`);
    this.clock.reach(sub.trial_end - TRIAL_WILL_END_NOTICE_S);
    this.store.emit("customer.subscription.trial_will_end", sub, NO_REQUEST);
    return sub;
  }

  /** A working card arrives (portal, `invoices.pay`): open invoices are paid, the sub recovers. */
  payOpenInvoices(sub: Stripe.Subscription, request: EventRequest, only?: Stripe.Invoice): number {
    const open = [...this.store.invoices.values()].filter(
      (invoice) =>
        invoice.status === "open" &&
        invoice.parent?.subscription_details?.subscription === sub.id &&
        (only === undefined || invoice.id === only.id),
    );
    const before = structuredClone(sub);
    for (const invoice of open) this.collect(invoice, true, request, false);
    const stillOpen = [...this.store.invoices.values()].some(
      (invoice) => invoice.status === "open" && invoice.parent?.subscription_details?.subscription === sub.id,
    );
    if ((sub.status === "past_due" || sub.status === "unpaid") && !stillOpen) {
      sub.status = "active";
      this.emitUpdated(before, sub, request);
    }
    return open.length;
  }

  private active(id: string): Stripe.Subscription {
    const sub = this.store.subscription(id);
    if (sub.status === "canceled" || sub.status === "incomplete_expired") {
      throw new Error(`Subscription ${id} is ${sub.status}.`);
    }
    return sub;
  }

  /** Moves to the period end (like an advancing test clock) and bills the next period. */
  private cycle(sub: Stripe.Subscription): { before: Stripe.Subscription; invoice: Stripe.Invoice } {
    const before = structuredClone(sub);
    const period = currentPeriod(sub);
    const next = nextPeriod(sub);
    this.clock.reach(period.end);
    for (const item of sub.items.data) {
      item.current_period_start = next.start;
      item.current_period_end = next.end;
    }
    const lines = [
      ...this.invoicing.takePending(sub),
      ...sub.items.data.map((item) => this.invoicing.cycleLine(sub, item, next)),
    ];
    const invoice = this.invoicing.draft(sub, lines, "subscription_cycle", period, {
      preview: false,
      prorationDate: null,
    });
    this.invoicing.finalize(invoice);
    sub.latest_invoice = invoice.id;
    return { before, invoice };
  }

  /** `invoice.created` then a payment attempt and its outcome event. */
  private collect(invoice: Stripe.Invoice, succeeds: boolean, request: EventRequest, announce = true): void {
    if (announce) this.store.emit("invoice.created", invoice, request);
    this.invoicing.attemptPayment(invoice, succeeds);
    this.store.emit(invoice.status === "paid" ? "invoice.paid" : "invoice.payment_failed", invoice, request);
  }

  /** `customer.subscription.updated` with the changed fields' old values, if anything changed. */
  emitUpdated(before: Stripe.Subscription, sub: Stripe.Subscription, request: EventRequest): void {
    const previous = changedAttributes(before, sub);
    if (Object.keys(previous).length > 0) this.store.emit("customer.subscription.updated", sub, request, previous);
  }
}
