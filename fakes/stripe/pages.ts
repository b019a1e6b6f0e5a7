/**
 * The hosted pages a buyer sees: Checkout (`/c/pay/:id`), the customer portal
 * (`/p/session/:id`) and a read-only invoice (`/i/:id`). Plain server-rendered HTML forms with
 * `data-testid`s, no scripts and no external assets, so Playwright can click through them and
 * the fake works offline.
 */
import type http from "node:http";
import type Stripe from "stripe";
import { readBody } from "../http";
import { CardDeclinedError, DECLINED_CARD, type Checkout } from "./checkout";
import { StripeApiError } from "./errors";
import { parseForm } from "./form";
import { newId } from "./ids";
import { currentPeriod } from "./invoicing";
import { NO_REQUEST } from "./objects";
import { formatDate, formatMoney } from "./periods";
import type { StripeStore } from "./store";
import type { Subscriptions } from "./subscriptions";

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; background: #f6f8fa; color: #1a1f36; margin: 0; }
  main { max-width: 28rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  h1 { font-size: 1.3rem; margin-top: 0; }
  .muted { color: #697386; font-size: .9rem; }
  .price { font-size: 1.6rem; font-weight: 600; }
  label { display: block; margin-top: 1rem; font-size: .9rem; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #c4c9d2; border-radius: 4px; }
  button { margin-top: 1.2rem; width: 100%; padding: .7rem; font-size: 1rem; border: 0; border-radius: 4px;
           background: #635bff; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #1a1f36; border: 1px solid #c4c9d2; }
  .error { color: #c0123c; margin-top: 1rem; }
  .notice { background: #fff8e1; padding: .6rem; border-radius: 4px; margin-top: 1rem; }
  a { color: #635bff; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .3rem 1rem; }
  dt { color: #697386; }
  table { width: 100%; border-collapse: collapse; } td { padding: .3rem 0; } td.amount { text-align: right; }
`;

function escape(text: unknown): string {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html) });
  res.end(html);
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(303, { location, "content-length": 0 });
  res.end();
}

export class HostedPages {
  constructor(
    private readonly store: StripeStore,
    private readonly checkout: Checkout,
    private readonly subscriptions: Subscriptions,
  ) {}

  /** Returns false when the path is not a hosted page. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const method = req.method ?? "GET";
    const pay = /^\/c\/pay\/([^/]+)$/.exec(url.pathname);
    if (pay) {
      if (method === "POST") await this.submitCheckout(req, res, decodeURIComponent(pay[1]!));
      else this.showCheckout(res, decodeURIComponent(pay[1]!));
      return true;
    }
    const portal = /^\/p\/session\/([^/]+)(?:\/(cancel|renew|update-card))?$/.exec(url.pathname);
    if (portal) {
      if (method === "POST" && portal[2]) {
        await readBody(req);
        this.portalAction(res, decodeURIComponent(portal[1]!), portal[2] as "cancel" | "renew" | "update-card");
      } else this.showPortal(res, decodeURIComponent(portal[1]!));
      return true;
    }
    const invoice = /^\/i\/([^/]+)$/.exec(url.pathname);
    if (invoice) {
      this.showInvoice(res, decodeURIComponent(invoice[1]!));
      return true;
    }
    return false;
  }

  private showCheckout(res: http.ServerResponse, sessionId: string, error?: string): void {
    const session = this.store.sessions.get(sessionId);
    if (!session)
      return sendHtml(
        res,
        404,
        page("Not found", `<h1>Something went wrong</h1><p>This checkout page does not exist.</p>`),
      );
    this.checkout.refresh(session);
    if (session.status !== "open") {
      return sendHtml(
        res,
        410,
        page(
          "Checkout",
          `<h1 data-testid="stripe-fake-session-${escape(session.status)}">This checkout session is ${escape(session.status)}.</h1>`,
        ),
      );
    }
    const plan = this.checkout.plan(session.id);
    const items = plan.lineItems
      .map((item) => {
        const recurring = item.price?.recurring?.interval ?? "month";
        return `<p><strong data-testid="stripe-fake-product">${escape(item.description)}</strong>${(item.quantity ?? 1) > 1 ? ` × ${item.quantity}` : ""}<br>
          <span class="price" data-testid="stripe-fake-price">${escape(formatMoney(item.amount_total, item.currency))}</span> <span class="muted">per ${escape(recurring)}</span></p>`;
      })
      .join("");
    const trialDays =
      plan.trialPeriodDays ?? (plan.trialEnd !== null ? Math.ceil((plan.trialEnd - session.created) / 86_400) : null);
    const trial =
      trialDays !== null
        ? `<p class="notice" data-testid="stripe-fake-trial">${trialDays} days free, then billed every ${escape(plan.lineItems[0]?.price?.recurring?.interval ?? "month")}. Due today: ${escape(formatMoney(0, session.currency ?? "usd"))}</p>`
        : "";
    const customer = session.customer ? this.store.customers.get(String(session.customer)) : undefined;
    const email = session.customer_email ?? (customer && !customer.deleted ? customer.email : null);
    const cancel = session.cancel_url
      ? `<p><a href="${escape(session.cancel_url)}" data-testid="stripe-fake-cancel">Cancel</a></p>`
      : "";
    sendHtml(
      res,
      error ? 402 : 200,
      page(
        "Subscribe · Stripe fake",
        `<p class="muted">Sight (Stripe test mode fake)</p><h1>Subscribe</h1>${items}${trial}
        <form method="post" action="/c/pay/${escape(session.id)}">
          <label>Email <input name="email" type="email" value="${escape(email ?? "")}" ${email ? "readonly" : "required"} data-testid="stripe-fake-email"></label>
          <label>Card number <input name="card" value="4242 4242 4242 4242" inputmode="numeric" data-testid="stripe-fake-card"></label>
          <p class="muted">Test cards: 4242 4242 4242 4242 pays; ${DECLINED_CARD.replace(/(\d{4})(?=\d)/g, "$1 ")} is declined.</p>
          ${error ? `<p class="error" role="alert" data-testid="stripe-fake-error">${escape(error)}</p>` : ""}
          <button type="submit" data-testid="stripe-fake-pay">Subscribe</button>
        </form>${cancel}`,
      ),
    );
  }

  private async submitCheckout(req: http.IncomingMessage, res: http.ServerResponse, sessionId: string): Promise<void> {
    const form = parseForm(await readBody(req));
    try {
      const session = this.checkout.complete(sessionId, {
        email: typeof form.email === "string" ? form.email : undefined,
        card: typeof form.card === "string" ? form.card : undefined,
      });
      if (session.success_url)
        return redirect(res, session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id));
      sendHtml(res, 200, page("Thanks", `<h1 data-testid="stripe-fake-success">Thanks for subscribing.</h1>`));
    } catch (error) {
      if (error instanceof CardDeclinedError) return this.showCheckout(res, sessionId, error.message);
      if (error instanceof StripeApiError) {
        return sendHtml(
          res,
          error.status,
          page(
            "Checkout",
            `<h1>Something went wrong</h1><p data-testid="stripe-fake-error">${escape(error.message)}</p>`,
          ),
        );
      }
      throw error;
    }
  }

  /** The subscription the portal manages: the customer's newest one that has not ended. */
  private portalSubscription(customerId: string): Stripe.Subscription | null {
    const subs = this.subscriptions.ofCustomer(customerId);
    return subs.filter((s) => s.status !== "canceled").at(-1) ?? subs.at(-1) ?? null;
  }

  private showPortal(res: http.ServerResponse, portalId: string): void {
    const portal = this.store.portalSessions.get(portalId);
    if (!portal) return sendHtml(res, 404, page("Not found", `<h1>This portal link does not exist.</h1>`));
    const sub = this.portalSubscription(portal.customer);
    const back = portal.return_url
      ? `<p><a href="${escape(portal.return_url)}" data-testid="stripe-fake-portal-return">Return to Sight</a></p>`
      : "";
    if (!sub)
      return sendHtml(
        res,
        200,
        page("Billing", `<h1>Billing</h1><p data-testid="stripe-fake-portal-empty">No subscription yet.</p>${back}`),
      );
    const item = sub.items.data[0]!;
    const period = currentPeriod(sub);
    const action = (name: string, label: string, testid: string, secondary = false) =>
      `<form method="post" action="/p/session/${escape(portal.id)}/${name}"><button type="submit" ${secondary ? 'class="secondary"' : ""} data-testid="${testid}">${label}</button></form>`;
    const notices = [
      sub.cancel_at !== null && sub.status !== "canceled"
        ? `<p class="notice" data-testid="stripe-fake-portal-cancels">Your plan will be canceled on ${escape(formatDate(sub.cancel_at))}.</p>`
        : "",
      sub.status === "past_due" || sub.status === "unpaid"
        ? `<p class="notice" data-testid="stripe-fake-portal-past-due">Your last payment failed. Update your payment method to keep your plan.</p>`
        : "",
    ].join("");
    const actions =
      sub.status === "canceled"
        ? ""
        : [
            sub.cancel_at === null
              ? action("cancel", "Cancel plan", "stripe-fake-portal-cancel", true)
              : action("renew", "Renew plan", "stripe-fake-portal-renew"),
            action("update-card", "Update payment method", "stripe-fake-portal-update-card", true),
          ].join("");
    sendHtml(
      res,
      200,
      page(
        "Billing · Stripe fake",
        `<p class="muted">Sight (Stripe test mode fake)</p><h1>Current plan</h1>
        <dl>
          <dt>Plan</dt><dd data-testid="stripe-fake-portal-plan">${escape(this.store.productName(item.price))}</dd>
          <dt>Price</dt><dd>${escape(formatMoney(item.price.unit_amount ?? 0, item.price.currency))} per ${escape(item.price.recurring?.interval ?? "month")}</dd>
          <dt>Status</dt><dd data-testid="stripe-fake-portal-status">${escape(sub.status)}</dd>
          <dt>${sub.status === "trialing" ? "Trial ends" : "Period ends"}</dt><dd data-testid="stripe-fake-portal-period-end">${escape(formatDate(period.end))}</dd>
        </dl>${notices}${actions}${back}`,
      ),
    );
  }

  private portalAction(res: http.ServerResponse, portalId: string, action: "cancel" | "renew" | "update-card"): void {
    const portal = this.store.portalSessions.get(portalId);
    if (!portal) return sendHtml(res, 404, page("Not found", `<h1>This portal link does not exist.</h1>`));
    const sub = this.portalSubscription(portal.customer);
    if (sub && sub.status !== "canceled") {
      if (action === "cancel" || action === "renew") {
        const before = structuredClone(sub);
        this.subscriptions.setCancelAt(sub, action === "cancel" ? currentPeriod(sub).end : null);
        this.subscriptions.emitUpdated(before, sub, NO_REQUEST);
      } else {
        const customer = this.store.customer(portal.customer);
        customer.invoice_settings.default_payment_method = newId("pm_");
        this.subscriptions.payOpenInvoices(sub, NO_REQUEST);
      }
    }
    redirect(res, `/p/session/${encodeURIComponent(portal.id)}`);
  }

  private showInvoice(res: http.ServerResponse, invoiceId: string): void {
    const invoice = this.store.invoices.get(invoiceId);
    if (!invoice) return sendHtml(res, 404, page("Not found", `<h1>This invoice does not exist.</h1>`));
    const rows = invoice.lines.data
      .map(
        (line) =>
          `<tr><td>${escape(line.description)}</td><td class="amount">${escape(formatMoney(line.amount, line.currency))}</td></tr>`,
      )
      .join("");
    sendHtml(
      res,
      200,
      page(
        `Invoice ${invoice.number ?? invoice.id}`,
        `<h1>Invoice ${escape(invoice.number ?? invoice.id)}</h1><p data-testid="stripe-fake-invoice-status">${escape(invoice.status)}</p>
        <table>${rows}<tr><td><strong>Amount due</strong></td><td class="amount" data-testid="stripe-fake-invoice-amount-due">${escape(formatMoney(invoice.amount_due, invoice.currency))}</td></tr></table>`,
      ),
    );
  }
}
