/**
 * Checkout Sessions in subscription mode: creation (from validated params) and what happens
 * when the buyer pays on the hosted page — customer, subscription, first invoice — with the
 * events in Stripe's usual order: customer.created (if new), customer.subscription.created,
 * invoice.created, invoice.paid, checkout.session.completed.
 */
import type Stripe from "stripe";
import { buildCheckoutSession, buildLineItem, type CheckoutPlan } from "./checkout-object";
import type { FakeClock } from "./clock";
import { createCustomer } from "./customers";
import { StripeApiError } from "./errors";
import { newId } from "./ids";
import { intervalOf, type Invoicing } from "./invoicing";
import { buildSubscription, buildSubscriptionItem, NO_REQUEST, type EventRequest } from "./objects";
import { addInterval } from "./periods";
import type { StripeStore } from "./store";

const DAY = 86_400;
const SESSION_LIFETIME_S = DAY;

/** Stripe's test card that is always declined; every other number pays. */
export const DECLINED_CARD = "4000000000000002";

export interface NewCheckoutSession {
  lineItems: { price: Stripe.Price; quantity: number }[];
  customer: Stripe.Customer | null;
  customerEmail: string | null;
  clientReferenceId: string | null;
  successUrl: string | null;
  cancelUrl: string | null;
  metadata: Record<string, string>;
  allowPromotionCodes: boolean | null;
  trialPeriodDays: number | null;
  trialEnd: number | null;
  subscriptionMetadata: Record<string, string>;
  subscriptionDescription: string | null;
  expiresAt: number | null;
}

export class CardDeclinedError extends StripeApiError {
  constructor() {
    super(402, "card_error", "Your card was declined.", "card_declined");
  }
}

export class Checkout {
  constructor(
    private readonly store: StripeStore,
    private readonly clock: FakeClock,
    private readonly invoicing: Invoicing,
    private readonly baseUrl: () => string,
  ) {}

  create(input: NewCheckoutSession): Stripe.Checkout.Session {
    const now = this.clock.nowS();
    const lineItems = input.lineItems.map(({ price, quantity }) =>
      buildLineItem(price, quantity, this.store.productName(price)),
    );
    const session = buildCheckoutSession({
      baseUrl: this.baseUrl(),
      created: now,
      lineItems,
      trial: input.trialPeriodDays !== null || input.trialEnd !== null,
      customer: input.customer?.id ?? null,
      customerEmail: input.customerEmail,
      clientReferenceId: input.clientReferenceId,
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
      metadata: input.metadata,
      allowPromotionCodes: input.allowPromotionCodes,
      expiresAt: input.expiresAt ?? now + SESSION_LIFETIME_S,
    });
    const plan: CheckoutPlan = {
      lineItems,
      trialPeriodDays: input.trialPeriodDays,
      trialEnd: input.trialEnd,
      subscriptionMetadata: input.subscriptionMetadata,
      subscriptionDescription: input.subscriptionDescription,
    };
    this.store.sessions.set(session.id, session);
    this.store.checkoutPlans.set(session.id, plan);
    return session;
  }

  plan(sessionId: string): CheckoutPlan {
    const plan = this.store.checkoutPlans.get(sessionId);
    if (!plan) throw new Error(`No checkout plan for ${sessionId}`);
    return plan;
  }

  /** An open session past its `expires_at` expires the next time anyone looks at it. */
  refresh(session: Stripe.Checkout.Session): Stripe.Checkout.Session {
    if (session.status === "open" && this.clock.nowS() >= session.expires_at) this.expire(session, NO_REQUEST);
    return session;
  }

  expire(session: Stripe.Checkout.Session, request: EventRequest): Stripe.Checkout.Session {
    if (session.status !== "open") {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        `Only Checkout Sessions with a status in ["open"] can be expired.`,
      );
    }
    session.status = "expired";
    session.url = null;
    this.store.emit("checkout.session.expired", session, request);
    return session;
  }

  /** The buyer pressed Subscribe with `card` (digits only) and, without a customer, `email`. */
  complete(sessionId: string, form: { email?: string; card?: string }): Stripe.Checkout.Session {
    const session = this.refresh(this.store.session(sessionId));
    if (session.status !== "open") {
      throw new StripeApiError(400, "invalid_request_error", "This Checkout Session is no longer active.");
    }
    if ((form.card ?? "").replace(/\D/g, "") === DECLINED_CARD) throw new CardDeclinedError();
    const email = session.customer_email ?? (form.email?.trim() || null);
    const customer = session.customer
      ? this.store.customer(String(session.customer))
      : createCustomer(this.store, this.clock, { email }, NO_REQUEST);
    const paymentMethod = newId("pm_");
    customer.invoice_settings.default_payment_method = paymentMethod;

    const plan = this.plan(session.id);
    const now = this.clock.nowS();
    const trialEnd = plan.trialEnd ?? (plan.trialPeriodDays !== null ? now + plan.trialPeriodDays * DAY : null);
    const first = plan.lineItems[0]!.price!;
    const { interval, count } = intervalOf(first);
    const periodEnd = trialEnd ?? addInterval(now, interval, count);
    const subId = newId("sub_");
    const items = plan.lineItems.map((line) =>
      buildSubscriptionItem({
        price: line.price!,
        quantity: line.quantity ?? 1,
        subscription: subId,
        created: now,
        periodStart: now,
        periodEnd,
      }),
    );
    const sub = buildSubscription({
      id: subId,
      customer: customer.id,
      created: now,
      currency: first.currency,
      status: trialEnd !== null ? "trialing" : "active",
      billingCycleAnchor: trialEnd ?? now,
      items,
      trialStart: trialEnd !== null ? now : null,
      trialEnd,
      metadata: plan.subscriptionMetadata,
      description: plan.subscriptionDescription,
      defaultPaymentMethod: paymentMethod,
    });
    this.store.subscriptions.set(sub.id, sub);

    const period = { start: now, end: periodEnd };
    const lines = items.map((item) =>
      trialEnd !== null ? this.invoicing.trialLine(sub, item, period) : this.invoicing.cycleLine(sub, item, period),
    );
    const invoice = this.invoicing.draft(
      sub,
      lines,
      "subscription_create",
      { start: now, end: now },
      {
        preview: false,
        prorationDate: null,
      },
    );
    this.invoicing.finalize(invoice);
    sub.latest_invoice = invoice.id;

    this.store.emit("customer.subscription.created", sub, NO_REQUEST);
    this.store.emit("invoice.created", invoice, NO_REQUEST);
    this.invoicing.attemptPayment(invoice, true);
    this.store.emit("invoice.paid", invoice, NO_REQUEST);

    session.status = "complete";
    session.customer = customer.id;
    session.subscription = sub.id;
    session.invoice = invoice.id;
    session.payment_status = trialEnd !== null ? "no_payment_required" : "paid";
    session.url = null;
    session.customer_details = {
      address: null,
      business_name: null,
      email: customer.email,
      individual_name: null,
      name: customer.name ?? null,
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    };
    this.store.emit("checkout.session.completed", session, NO_REQUEST);
    return session;
  }
}
