/** Subscriptions and invoices, including the proration preview. */
import type Stripe from "stripe";
import { checkParams, createdFilter, render, renderList, type Route } from "./api-routes";
import { invalidRequest, missingParam, StripeApiError } from "./errors";
import {
  mergeMetadata,
  readArray,
  readBoolean,
  readEnum,
  readInteger,
  readObject,
  readString,
  type FormValue,
} from "./form";
import { checkProrationDate, previewForSubscription, PRORATION_BEHAVIORS, type ItemChange } from "./plan-change";
import { newestFirst } from "./store";

function readItems(value: FormValue | undefined, prefix: string): ItemChange[] | undefined {
  const list = readArray(value, prefix);
  if (!list) return undefined;
  return list.map((entry, i) => {
    const param = `${prefix}[${i}]`;
    const item = readObject(entry, param)!;
    checkParams(
      item,
      "id price plan quantity deleted",
      "billing_thresholds clear_usage current_trial discounts metadata price_data tax_rates",
      param,
    );
    const price = readString(item.price, `${param}[price]`) ?? readString(item.plan, `${param}[plan]`);
    const quantity = readInteger(item.quantity, `${param}[quantity]`);
    if (quantity !== undefined && quantity < 0)
      throw invalidRequest("Quantity must be 0 or greater.", { param: `${param}[quantity]` });
    return {
      id: readString(item.id, `${param}[id]`),
      price,
      quantity,
      deleted: readBoolean(item.deleted, `${param}[deleted]`),
    };
  });
}

const SUBSCRIPTION_UPDATE_DOCUMENTED =
  "add_invoice_items application_fee_percent automatic_tax billing_cycle_anchor billing_schedules billing_thresholds " +
  "collection_method days_until_due default_source default_tax_rates discounts invoice_settings on_behalf_of " +
  "pause_collection payment_settings pending_invoice_item_interval transfer_data trial_end trial_from_plan trial_settings";

export const billingRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/subscriptions",
    list: true,
    modelled: "customer price status created expand",
    documented:
      "automatic_tax collection_method current_period_end current_period_start customer_account plan test_clock",
    handle(ctx, { params }) {
      const customer = readString(params.customer, "customer");
      const price = readString(params.price, "price");
      const status = readEnum(params.status, "status", [
        "active",
        "all",
        "canceled",
        "ended",
        "incomplete",
        "incomplete_expired",
        "past_due",
        "paused",
        "trialing",
        "unpaid",
      ] as const);
      const created = createdFilter(params.created);
      const statusMatches = (s: Stripe.Subscription) => {
        const ended = s.status === "canceled" || s.status === "incomplete_expired";
        if (status === undefined) return s.status !== "canceled";
        if (status === "all") return true;
        if (status === "ended") return ended;
        return s.status === status;
      };
      const subs = newestFirst(ctx.store.subscriptions.values()).filter(
        (s) =>
          (customer === undefined || s.customer === customer) &&
          (price === undefined || s.items.data.some((item) => item.price.id === price)) &&
          statusMatches(s) &&
          created(s.created),
      );
      return renderList(ctx, subs, params, "/v1/subscriptions");
    },
  },
  {
    method: "GET",
    path: "/v1/subscriptions/:id",
    modelled: "expand",
    handle: (ctx, { params, ids }) => render(ctx, ctx.store.subscription(ids[0]!), params),
  },
  {
    method: "POST",
    path: "/v1/subscriptions/:id",
    modelled:
      "items proration_behavior proration_date cancel_at_period_end cancel_at metadata description " +
      "default_payment_method cancellation_details payment_behavior off_session expand",
    documented: SUBSCRIPTION_UPDATE_DOCUMENTED,
    handle(ctx, { params, ids, request }) {
      const sub = ctx.store.subscription(ids[0]!);
      const cancelAtPeriodEnd = readBoolean(params.cancel_at_period_end, "cancel_at_period_end");
      const cancelAtText = readString(params.cancel_at, "cancel_at");
      if (cancelAtPeriodEnd !== undefined && cancelAtText !== undefined) {
        throw invalidRequest("You may only specify one of these parameters: cancel_at, cancel_at_period_end.", {
          code: "parameters_exclusive",
          param: "cancel_at",
        });
      }
      if (cancelAtText !== undefined && cancelAtText !== "" && !/^\d+$/.test(cancelAtText)) {
        throw invalidRequest(`The Stripe fake models cancel_at as a timestamp or "", not ${cancelAtText}.`, {
          param: "cancel_at",
        });
      }
      const details = readObject(params.cancellation_details, "cancellation_details");
      checkParams(details, "comment", "feedback", "cancellation_details");
      readEnum(params.payment_behavior, "payment_behavior", [
        "allow_incomplete",
        "default_incomplete",
        "error_if_incomplete",
        "pending_if_incomplete",
      ] as const);
      const description = readString(params.description, "description");
      const paymentMethod = readString(params.default_payment_method, "default_payment_method");
      const comment = readString(details?.comment, "cancellation_details[comment]");
      return render(
        ctx,
        ctx.subscriptions.update(
          sub,
          {
            items: readItems(params.items, "items"),
            prorationBehavior:
              readEnum(params.proration_behavior, "proration_behavior", PRORATION_BEHAVIORS) ?? "create_prorations",
            prorationDate: readInteger(params.proration_date, "proration_date"),
            cancelAtPeriodEnd,
            cancelAt: cancelAtText === undefined ? undefined : cancelAtText === "" ? null : Number(cancelAtText),
            metadata: params.metadata === undefined ? undefined : mergeMetadata(sub.metadata, params.metadata),
            description: description === undefined ? undefined : description || null,
            defaultPaymentMethod: paymentMethod === undefined ? undefined : paymentMethod || null,
            cancellationComment: comment === undefined ? undefined : comment || null,
            touchesMoreThanMetadata: Object.keys(params).some(
              (k) => !["metadata", "cancellation_details", "expand"].includes(k),
            ),
          },
          request,
        ),
        params,
      );
    },
  },
  {
    method: "DELETE",
    path: "/v1/subscriptions/:id",
    modelled: "cancellation_details invoice_now prorate expand",
    handle(ctx, { params, ids, request }) {
      for (const flag of ["invoice_now", "prorate"] as const) {
        if (readBoolean(params[flag], flag)) {
          throw invalidRequest(`The Stripe fake does not model ${flag}=true on cancellation.`, { param: flag });
        }
      }
      const details = readObject(params.cancellation_details, "cancellation_details");
      checkParams(details, "comment", "feedback", "cancellation_details");
      const sub = ctx.subscriptions.cancelNow(ctx.store.subscription(ids[0]!), request);
      const comment = readString(details?.comment, "cancellation_details[comment]");
      if (comment !== undefined) sub.cancellation_details = { ...sub.cancellation_details!, comment: comment || null };
      return render(ctx, sub, params);
    },
  },
  {
    method: "GET",
    path: "/v1/invoices",
    list: true,
    modelled: "customer subscription status created expand",
    documented: "collection_method customer_account due_date",
    handle(ctx, { params }) {
      const customer = readString(params.customer, "customer");
      const subscription = readString(params.subscription, "subscription");
      const status = readEnum(params.status, "status", ["draft", "open", "paid", "uncollectible", "void"] as const);
      const created = createdFilter(params.created);
      const invoices = newestFirst(ctx.store.invoices.values()).filter(
        (i) =>
          (customer === undefined || i.customer === customer) &&
          (subscription === undefined || i.parent?.subscription_details?.subscription === subscription) &&
          (status === undefined || i.status === status) &&
          created(i.created),
      );
      return renderList(ctx, invoices, params, "/v1/invoices");
    },
  },
  {
    method: "POST",
    path: "/v1/invoices/create_preview",
    modelled: "customer subscription subscription_details expand",
    documented:
      "automatic_tax currency customer_account customer_details discounts invoice_items issuer on_behalf_of " +
      "preview_mode schedule schedule_details",
    handle(ctx, { params }) {
      const details = readObject(params.subscription_details, "subscription_details");
      checkParams(
        details,
        "items proration_behavior proration_date metadata",
        "billing_cycle_anchor billing_mode billing_schedules cancel_at cancel_at_period_end cancel_now " +
          "default_tax_rates pause resume_at start_date trial_end",
        "subscription_details",
      );
      const customerId = readString(params.customer, "customer");
      const subscriptionId = readString(params.subscription, "subscription");
      if (customerId === undefined && subscriptionId === undefined) throw missingParam("customer");
      if (customerId !== undefined) ctx.store.customer(customerId, "customer");
      const items = readItems(details?.items, "subscription_details[items]") ?? null;
      let sub: Stripe.Subscription;
      if (subscriptionId !== undefined) {
        sub = ctx.store.subscription(subscriptionId, "subscription");
        if (customerId !== undefined && sub.customer !== customerId) {
          throw invalidRequest(`The subscription ${subscriptionId} does not belong to customer ${customerId}.`, {
            param: "subscription",
          });
        }
      } else {
        if (items !== null)
          throw invalidRequest("The Stripe fake does not preview new subscriptions; pass subscription.", {
            param: "subscription",
          });
        const current = ctx.subscriptions.ofCustomer(customerId!).filter((s) => s.status !== "canceled");
        if (current.length !== 1) {
          throw new StripeApiError(
            404,
            "invalid_request_error",
            `No upcoming invoices for customer: ${customerId}`,
            "invoice_upcoming_none",
          );
        }
        sub = current[0]!;
      }
      const now = ctx.clock.nowS();
      const at = readInteger(details?.proration_date, "subscription_details[proration_date]") ?? now;
      if (items !== null) checkProrationDate(sub, at, "subscription_details[proration_date]");
      const invoice = previewForSubscription(ctx.store, ctx.invoicing, sub, {
        items,
        behavior:
          readEnum(details?.proration_behavior, "subscription_details[proration_behavior]", PRORATION_BEHAVIORS) ??
          "create_prorations",
        at,
        now,
      });
      return render(ctx, invoice, params);
    },
  },
  {
    method: "GET",
    path: "/v1/invoices/:id",
    modelled: "expand",
    handle: (ctx, { params, ids }) => render(ctx, ctx.store.invoice(ids[0]!), params),
  },
  {
    method: "GET",
    path: "/v1/invoices/:id/lines",
    list: true,
    modelled: "expand",
    handle(ctx, { params, ids }) {
      const invoice = ctx.store.invoice(ids[0]!);
      return renderList(ctx, invoice.lines.data, params, `/v1/invoices/${invoice.id}/lines`);
    },
  },
  {
    method: "POST",
    path: "/v1/invoices/:id/pay",
    modelled: "expand off_session payment_method",
    documented: "forgive mandate paid_out_of_band source",
    handle(ctx, { params, ids, request }) {
      const invoice = ctx.store.invoice(ids[0]!);
      if (invoice.status === "paid") throw invalidRequest("Invoice is already paid");
      if (invoice.status !== "open")
        throw invalidRequest(`You can only pay an open invoice; this one is ${invoice.status}.`);
      const sub = ctx.store.subscription(String(invoice.parent?.subscription_details?.subscription), "invoice");
      ctx.subscriptions.payOpenInvoices(sub, request, invoice);
      return render(ctx, invoice, params);
    },
  },
];
