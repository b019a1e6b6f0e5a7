import type Stripe from "stripe";
import type { Logger } from "../../main/services/logger";
import type { Prisma, PrismaClient } from "../db/generated/client";
import { accountForSubscription, cancelSubscription, upsertSubscription, type PriceTiers } from "./subscriptions";

type Tx = Prisma.TransactionClient;

export const HANDLED_EVENTS = [
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.trial_will_end",
  "invoice.paid",
  "invoice.payment_failed",
] as const;

export type EventOutcome = "applied" | "ignored" | "duplicate";

export interface WebhookDeps {
  prisma: PrismaClient;
  stripe: Stripe;
  prices: PriceTiers;
  now: () => Date;
  logger: Logger;
  /** Tests: throw here to simulate a handler that fails after doing its work (Stripe retries). */
  faultBeforeCommit?: (event: Stripe.Event) => void;
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

/** The subscription an event concerns, whichever object it carries. */
function subscriptionIdOf(event: Stripe.Event): string | null {
  const object = event.data.object as unknown as Record<string, unknown>;
  switch (event.type) {
    case "checkout.session.completed":
      return idOf((object as unknown as Stripe.Checkout.Session).subscription);
    case "invoice.paid":
    case "invoice.payment_failed":
      return idOf((object as unknown as Stripe.Invoice).parent?.subscription_details?.subscription);
    default:
      return event.type.startsWith("customer.subscription.") ? (object.id as string) : null;
  }
}

/**
 * Processes one Stripe event exactly once, however often and in whatever order it arrives:
 * 1. every delivery is recorded in the audit table (first time: `received`);
 * 2. in one transaction: lock the event row and the subscription (advisory lock), stop if the
 *    event was already applied, re-fetch the subscription from Stripe (so the row ends at
 *    Stripe's latest state whatever the order), apply the effect, mark the event applied;
 * 3. a failure rolls all of that back (the event stays unapplied, marked `failed`) and the
 *    caller answers 500, so Stripe delivers it again.
 */
/** PostgreSQL's deadlock and serialization failures (40P01, 40001), as Prisma reports them. */
export function isTransactionConflict(error: unknown): boolean {
  const e = error as { code?: unknown; meta?: { code?: unknown }; message?: unknown } | null;
  if (!e) return false;
  if (e.code === "P2034") return true;
  const code = typeof e.meta?.code === "string" ? e.meta.code : "";
  return code === "40P01" || code === "40001" || /\b(40P01|40001)\b/.test(String(e.message ?? ""));
}

/**
 * Runs a transaction again when PostgreSQL aborted it as a deadlock victim or a serialization
 * failure: the documented remedy, since the transaction was rolled back whole (3 attempts).
 */
async function retryingConflicts<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isTransactionConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * attempt));
    }
  }
}

export function createWebhookProcessor(deps: WebhookDeps) {
  const record = async (event: Stripe.Event) => {
    const rows = await deps.prisma.$queryRaw<{ appliedAt: Date | null }[]>`
      INSERT INTO "StripeEvent" (id, type, "objectId", created, "receivedAt", outcome, deliveries, payload)
      VALUES (${event.id}, ${event.type}, ${idOf(event.data.object as { id: string })}, ${new Date(event.created * 1000)},
              ${deps.now()}, 'received', 1, ${JSON.stringify(event)}::jsonb)
      ON CONFLICT (id) DO UPDATE SET deliveries = "StripeEvent".deliveries + 1
      RETURNING "appliedAt"`;
    return rows[0]?.appliedAt ?? null;
  };

  const effects = async (
    tx: Tx,
    event: Stripe.Event,
    replay: boolean,
  ): Promise<{ outcome: "applied" | "ignored"; accountId: string | null; detail: string }> => {
    const effect = (kind: string, accountId: string | null, detail?: string) =>
      tx.billingEffect.create({
        data: { eventId: event.id, accountId, kind, detail: detail ?? null, replay, at: deps.now() },
      });
    if (!(HANDLED_EVENTS as readonly string[]).includes(event.type)) {
      await effect("ignored", null, `unhandled type ${event.type}`);
      return { outcome: "ignored", accountId: null, detail: "not an event Sight acts on" };
    }
    const subscriptionId = subscriptionIdOf(event);
    // Serialise every event of one subscription across instances, before any row is touched: a
    // checkout that updated the account first and then waited here, while another event of the
    // same subscription held this lock and waited for the account row, was a deadlock.
    if (subscriptionId) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${subscriptionId}))`;
    if (event.type === "checkout.session.completed") {
      const session = event.data.object as Stripe.Checkout.Session;
      const accountId = session.client_reference_id;
      const customerId = idOf(session.customer);
      const account = accountId ? await tx.account.findUnique({ where: { id: accountId } }) : null;
      if (!account || account.deletedAt) {
        await effect("ignored", accountId ?? null, "account missing or deleted");
        return { outcome: "ignored", accountId: accountId ?? null, detail: "account missing or deleted" };
      }
      if (customerId && !account.stripeCustomerId) {
        await tx.account.update({ where: { id: account.id }, data: { stripeCustomerId: customerId } });
        await effect("customer.linked", account.id, customerId);
      }
    }
    if (!subscriptionId) {
      await effect("ignored", null, "no subscription");
      return { outcome: "ignored", accountId: null, detail: "no subscription" };
    }
    // Under the subscription's lock (above): read Stripe's current state.
    const sub = await deps.stripe.subscriptions.retrieve(subscriptionId, { expand: ["latest_invoice"] });
    const account = await accountForSubscription(tx, sub);
    if (account?.deletedAt) {
      // Paid after the account was deleted (an open Checkout, a late webhook): nobody may be charged for it.
      if (sub.status !== "canceled" && sub.status !== "incomplete_expired") {
        await cancelSubscription(deps.stripe, sub.id);
        await effect("subscription.cancelled", account.id, `${sub.id} of a deleted account`);
        return { outcome: "applied", accountId: account.id, detail: "cancelled: account deleted" };
      }
      await effect("ignored", account.id, "account deleted");
      return { outcome: "ignored", accountId: account.id, detail: "account deleted" };
    }
    const state = await upsertSubscription(tx, sub, deps.prices, account?.id ?? null, deps.now());
    await effect("subscription.synced", account?.id ?? null, `${sub.id} ${state.status} ${state.tier}`);
    if (event.type === "invoice.paid") {
      const invoice = event.data.object as Stripe.Invoice;
      const inserted = await tx.$executeRaw`
        INSERT INTO "Payment" ("invoiceId", "accountId", "subscriptionId", "amountPaid", currency, "paidAt")
        VALUES (${invoice.id}, ${account?.id ?? null}, ${subscriptionId}, ${invoice.amount_paid}, ${invoice.currency},
                ${new Date((invoice.status_transitions?.paid_at ?? event.created) * 1000)})
        ON CONFLICT ("invoiceId") DO NOTHING`;
      if (inserted > 0) await effect("payment.recorded", account?.id ?? null, `${invoice.id} ${invoice.amount_paid}`);
    }
    return { outcome: "applied", accountId: account?.id ?? null, detail: `${sub.status} ${state.tier}` };
  };

  const apply = async (
    event: Stripe.Event,
    options: { force?: boolean; replay?: boolean } = {},
  ): Promise<EventOutcome> => {
    const appliedAt = await record(event);
    if (appliedAt && !options.force) return "duplicate";
    try {
      return await retryingConflicts(() =>
        deps.prisma.$transaction(
          async (tx) => {
            const rows = await tx.$queryRaw<{ appliedAt: Date | null }[]>`
            SELECT "appliedAt" FROM "StripeEvent" WHERE id = ${event.id} FOR UPDATE`;
            if (rows[0]?.appliedAt && !options.force) return "duplicate" as const;
            const result = await effects(tx, event, options.replay ?? false);
            deps.faultBeforeCommit?.(event);
            await tx.stripeEvent.update({
              where: { id: event.id },
              data: {
                appliedAt: deps.now(),
                outcome: result.outcome,
                accountId: result.accountId,
                detail: result.detail,
              },
            });
            return result.outcome;
          },
          { timeout: 30_000, maxWait: 30_000 },
        ),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
      await deps.prisma.stripeEvent
        .update({ where: { id: event.id }, data: { outcome: "failed", detail: message } })
        .catch(() => undefined);
      deps.logger.warn("cloud.webhook_failed", { eventId: event.id, type: event.type, error: message });
      throw error;
    }
  };

  return { apply };
}
export type WebhookProcessor = ReturnType<typeof createWebhookProcessor>;
