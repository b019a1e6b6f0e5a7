/** Checkout Sessions in subscription mode: create, list, retrieve, line items, expire. */
import type Stripe from "stripe";
import { checkParams, createdFilter, renderList, type ApiContext, type Route } from "./api-routes";
import { invalidRequest, missingParam } from "./errors";
import {
  mergeMetadata,
  readArray,
  readBoolean,
  readEnum,
  readExpand,
  readInteger,
  readObject,
  readString,
  type FormValue,
  type Params,
} from "./form";
import { apiList } from "./objects";
import { expand, newestFirst, paginate } from "./store";

const DAY = 86_400;

function renderSession(ctx: ApiContext, value: unknown, params: Params): unknown {
  // `line_items` is not on the session unless expanded, as in Stripe.
  return expand(value, readExpand(params), ctx.store, (owner, field) =>
    field === "line_items" && owner.object === "checkout.session"
      ? apiList(ctx.checkout.plan(String(owner.id)).lineItems, `/v1/checkout/sessions/${String(owner.id)}/line_items`)
      : undefined,
  );
}

/** Stripe accepts only http(s) URLs for redirects; so does the fake (its pages render them as links). */
export function checkUrl(value: string | undefined, param: string): string | null {
  if (value === undefined) return null;
  try {
    const url = new URL(value.replace("{CHECKOUT_SESSION_ID}", "cs"));
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw invalidRequest("Not a valid URL", { code: "url_invalid", param });
  }
  return value;
}

function readLineItems(ctx: ApiContext, params: Params): { price: Stripe.Price; quantity: number }[] {
  const list = readArray(params.line_items, "line_items");
  if (!list || list.length === 0) throw missingParam("line_items");
  return list.map((entry, i) => {
    const param = `line_items[${i}]`;
    const item = readObject(entry, param)!;
    checkParams(item, "price quantity", "adjustable_quantity metadata price_data tax_rates", param);
    const priceId = readString(item.price, `${param}[price]`);
    if (!priceId) throw missingParam(`${param}[price]`);
    const price = ctx.store.price(priceId, `${param}[price]`);
    if (price.type !== "recurring") {
      throw invalidRequest("You must provide at least one recurring price in `subscription` mode when using prices.", {
        param: `${param}[price]`,
      });
    }
    const quantity = readInteger(item.quantity, `${param}[quantity]`) ?? 1;
    if (quantity < 1) throw invalidRequest("Quantity must be greater than 0.", { param: `${param}[quantity]` });
    return { price, quantity };
  });
}

function readTrial(ctx: ApiContext, data: { [key: string]: FormValue } | undefined) {
  const days = readInteger(data?.trial_period_days, "subscription_data[trial_period_days]");
  const end = readInteger(data?.trial_end, "subscription_data[trial_end]");
  if (days !== undefined && end !== undefined) {
    throw invalidRequest("You may only specify one of these parameters: trial_end, trial_period_days.", {
      code: "parameters_exclusive",
      param: "subscription_data[trial_end]",
    });
  }
  if (days !== undefined && (days < 1 || days > 730)) {
    throw invalidRequest("The maximum number of trial period days is 730 (2 years).", {
      param: "subscription_data[trial_period_days]",
    });
  }
  if (end !== undefined && end < ctx.clock.nowS() + 2 * DAY) {
    throw invalidRequest("The `trial_end` date has to be at least 2 days in the future.", {
      param: "subscription_data[trial_end]",
    });
  }
  return { days: days ?? null, end: end ?? null };
}

const SESSION_DOCUMENTED =
  "adaptive_pricing after_expiration allowed_payment_method_types automatic_tax branding_settings consent_collection " +
  "currency custom_fields customer_account customer_creation discounts excluded_payment_method_types " +
  "integration_identifier invoice_creation managed_payments name_collection optional_items origin_context " +
  "payment_intent_data payment_method_configuration payment_method_data payment_method_options permissions " +
  "phone_number_collection redirect_on_completion return_url saved_payment_method_options setup_intent_data " +
  "shipping_address_collection shipping_options submit_type wallet_options";

export const checkoutRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/checkout/sessions",
    modelled:
      "mode line_items customer customer_email client_reference_id success_url cancel_url subscription_data metadata " +
      "allow_promotion_codes expires_at ui_mode expand locale billing_address_collection customer_update " +
      "payment_method_types payment_method_collection tax_id_collection custom_text",
    documented: SESSION_DOCUMENTED,
    handle(ctx, { params }) {
      const mode = readEnum(params.mode, "mode", ["payment", "setup", "subscription"] as const);
      if (!mode) throw missingParam("mode");
      if (mode !== "subscription")
        throw invalidRequest(`The Stripe fake models only mode=subscription, not ${mode}.`, { param: "mode" });
      const uiMode = readString(params.ui_mode, "ui_mode");
      if (uiMode !== undefined && uiMode !== "hosted_page") {
        throw invalidRequest(`The Stripe fake models only the hosted page, not ui_mode=${uiMode}.`, {
          param: "ui_mode",
        });
      }
      const lineItems = readLineItems(ctx, params);
      const customerId = readString(params.customer, "customer");
      const customerEmail = readString(params.customer_email, "customer_email");
      if (customerId !== undefined && customerEmail !== undefined) {
        throw invalidRequest("You may only specify one of these parameters: customer, customer_email.", {
          code: "parameters_exclusive",
          param: "customer_email",
        });
      }
      const data = readObject(params.subscription_data, "subscription_data");
      checkParams(
        data,
        "metadata trial_period_days trial_end description trial_settings",
        "application_fee_percent billing_cycle_anchor billing_cycle_anchor_config billing_mode default_tax_rates " +
          "invoice_settings on_behalf_of pending_invoice_item_interval proration_behavior transfer_data",
        "subscription_data",
      );
      const trial = readTrial(ctx, data);
      const clientReferenceId = readString(params.client_reference_id, "client_reference_id") ?? null;
      if (clientReferenceId !== null && clientReferenceId.length > 200) {
        throw invalidRequest("client_reference_id must be at most 200 characters.", { param: "client_reference_id" });
      }
      const now = ctx.clock.nowS();
      const expiresAt = readInteger(params.expires_at, "expires_at") ?? null;
      if (expiresAt !== null && (expiresAt < now + 1800 || expiresAt > now + DAY)) {
        throw invalidRequest("The `expires_at` timestamp must be between 30 minutes and 24 hours from now.", {
          param: "expires_at",
        });
      }
      const session = ctx.checkout.create({
        lineItems,
        customer: customerId === undefined ? null : ctx.store.customer(customerId, "customer"),
        customerEmail: customerEmail ?? null,
        clientReferenceId,
        successUrl: checkUrl(readString(params.success_url, "success_url"), "success_url"),
        cancelUrl: checkUrl(readString(params.cancel_url, "cancel_url"), "cancel_url"),
        metadata: mergeMetadata({}, params.metadata),
        allowPromotionCodes: readBoolean(params.allow_promotion_codes, "allow_promotion_codes") ?? null,
        trialPeriodDays: trial.days,
        trialEnd: trial.end,
        subscriptionMetadata: mergeMetadata({}, data?.metadata, "subscription_data[metadata]"),
        subscriptionDescription: readString(data?.description, "subscription_data[description]") ?? null,
        expiresAt,
      });
      return renderSession(ctx, session, params);
    },
  },
  {
    method: "GET",
    path: "/v1/checkout/sessions",
    list: true,
    modelled: "customer subscription status created expand",
    documented: "customer_account customer_details payment_intent payment_link",
    handle(ctx, { params }) {
      const customer = readString(params.customer, "customer");
      const subscription = readString(params.subscription, "subscription");
      const status = readEnum(params.status, "status", ["complete", "expired", "open"] as const);
      const created = createdFilter(params.created);
      const sessions = newestFirst(ctx.store.sessions.values())
        .map((s) => ctx.checkout.refresh(s))
        .filter(
          (s) =>
            (customer === undefined || s.customer === customer) &&
            (subscription === undefined || s.subscription === subscription) &&
            (status === undefined || s.status === status) &&
            created(s.created),
        );
      return renderSession(ctx, paginate(sessions, params, "/v1/checkout/sessions"), params);
    },
  },
  {
    method: "GET",
    path: "/v1/checkout/sessions/:id",
    modelled: "expand",
    handle: (ctx, { params, ids }) => renderSession(ctx, ctx.checkout.refresh(ctx.store.session(ids[0]!)), params),
  },
  {
    method: "GET",
    path: "/v1/checkout/sessions/:id/line_items",
    list: true,
    modelled: "expand",
    handle(ctx, { params, ids }) {
      const session = ctx.store.session(ids[0]!);
      return renderList(
        ctx,
        ctx.checkout.plan(session.id).lineItems,
        params,
        `/v1/checkout/sessions/${session.id}/line_items`,
      );
    },
  },
  {
    method: "POST",
    path: "/v1/checkout/sessions/:id/expire",
    modelled: "expand",
    handle: (ctx, { params, ids, request }) =>
      renderSession(ctx, ctx.checkout.expire(ctx.checkout.refresh(ctx.store.session(ids[0]!)), request), params),
  },
];
