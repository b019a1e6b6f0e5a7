import type Stripe from "stripe";
import type { Cloud } from "./cloud";
import type { EventOutcome } from "./billing/webhooks";

export interface ReplayReport {
  seen: number;
  outcomes: Record<EventOutcome | "failed", number>;
}

const empty = (): ReplayReport => ({ seen: 0, outcomes: { applied: 0, ignored: 0, duplicate: 0, failed: 0 } });

/**
 * Lists Stripe's events since `since` (oldest first) and applies each one through the same
 * processor as webhooks: those already applied are duplicates and change nothing, so running it
 * any number of times is safe. Stripe keeps events for 30 days.
 */
export async function reconcile(cloud: Cloud, since: Date): Promise<ReplayReport> {
  if (!cloud.stripe) throw new Error("Billing is not configured (STRIPE_SECRET_KEY).");
  const events: Stripe.Event[] = [];
  await cloud.stripe.events
    .list({ created: { gte: Math.floor(since.getTime() / 1000) }, limit: 100 })
    .autoPagingEach((event) => {
      events.push(event);
    });
  events.sort((a, b) => a.created - b.created);
  return applyAll(cloud, events, {});
}

/** Re-processes stored events: those never applied (failed), one by id (even if applied), or all. */
export async function replay(cloud: Cloud, options: { all?: boolean; eventId?: string }): Promise<ReplayReport> {
  const rows = await cloud.db.prisma.stripeEvent.findMany({
    where: options.eventId ? { id: options.eventId } : options.all ? {} : { appliedAt: null },
    orderBy: { created: "asc" },
  });
  const events = rows.map((row) => row.payload as unknown as Stripe.Event);
  return applyAll(cloud, events, { force: Boolean(options.eventId || options.all), replay: true });
}

async function applyAll(cloud: Cloud, events: Stripe.Event[], options: { force?: boolean; replay?: boolean }) {
  const webhooks = cloud.webhooks;
  if (!webhooks) throw new Error("Billing is not configured (STRIPE_SECRET_KEY).");
  const report = empty();
  for (const event of events) {
    report.seen += 1;
    try {
      report.outcomes[await webhooks.apply(event, options)] += 1;
    } catch {
      report.outcomes.failed += 1;
    }
  }
  return report;
}
