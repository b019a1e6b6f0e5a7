/**
 * Billing periods and proration, the pure arithmetic of Stripe Billing. Everything is unix
 * seconds and integer cents.
 */
export type Interval = "day" | "week" | "month" | "year";

const DAY = 86_400;

/**
 * Adds `count` intervals to the billing cycle anchor. Months and years keep the anchor's day of
 * month, clamped to the month's last day (anchor Jan 31 → Feb 28 → Mar 31), as Stripe bills.
 */
export function addInterval(anchorS: number, interval: Interval, count: number): number {
  if (interval === "day") return anchorS + count * DAY;
  if (interval === "week") return anchorS + count * 7 * DAY;
  const months = interval === "year" ? count * 12 : count;
  const anchor = new Date(anchorS * 1000);
  const totalMonths = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return Date.UTC(year, month, day, anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds()) / 1000;
}

/** The period boundary that follows `periodStartS` on the cycle anchored at `anchorS`. */
export function nextPeriodEnd(
  anchorS: number,
  periodStartS: number,
  interval: Interval,
  intervalCount: number,
): number {
  for (let k = 1; ; k++) {
    const end = addInterval(anchorS, interval, k * intervalCount);
    if (end > periodStartS) return end;
  }
}

/**
 * The prorated share of a full-period amount for the time left after `atS`: Stripe charges (or
 * credits) `amount × seconds remaining / seconds in the period`, rounded to the cent per line.
 */
export function prorate(amount: number, periodStartS: number, periodEndS: number, atS: number): number {
  const length = periodEndS - periodStartS;
  if (length <= 0) return 0;
  const remaining = Math.min(Math.max(periodEndS - atS, 0), length);
  const exact = (amount * remaining) / length;
  // Symmetric rounding: a credit is the negated charge for the same time, never a cent off.
  return Math.sign(exact) * Math.round(Math.abs(exact));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "15 Jan 2026", the date style of Stripe's proration line descriptions. */
export function formatDate(unixS: number): string {
  const d = new Date(unixS * 1000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "$49.00" for USD; other currencies as "49.00 EUR". */
export function formatMoney(cents: number, currency: string): string {
  const amount = (Math.abs(cents) / 100).toFixed(2);
  const sign = cents < 0 ? "-" : "";
  return currency.toLowerCase() === "usd" ? `${sign}$${amount}` : `${sign}${amount} ${currency.toUpperCase()}`;
}
