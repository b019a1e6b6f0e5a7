/**
 * The two pages a browser lands on after Stripe Checkout. Neither proves anything: the return
 * page only bounces to the app, which then asks the Cloud for a fresh licence (payment truth
 * comes from Stripe's webhooks).
 */
const page = (title: string, body: string, head = "") => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>${head}
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1.5rem;color:#1d2330}
h1{font-size:1.5rem}a.button{display:inline-block;padding:.6rem 1.1rem;border-radius:.5rem;background:#4f46e5;color:#fff;text-decoration:none}
@media (prefers-color-scheme:dark){body{background:#12151c;color:#e6e8ee}}</style></head>
<body>${body}</body></html>`;

import type { AppScheme } from "../../shared/cloud/contract";

export const appReturnLink = (scheme: AppScheme) => `${scheme}://billing/return`;

export function returnPage(scheme: AppScheme = "sight"): string {
  const link = appReturnLink(scheme);
  return page(
    "Payment received — Sight",
    `<h1>Payment received</h1>
<p>Return to Sight: your plan updates there within a few seconds.</p>
<p><a class="button" id="return" href="${link}">Return to Sight</a></p>
<p>If you started from Sight in a browser tab, switch back to that tab; it refreshes on its own.</p>`,
    `<meta http-equiv="refresh" content="1;url=${link}">`,
  );
}

export function cancelledPage(scheme: AppScheme = "sight"): string {
  return page(
    "Checkout cancelled — Sight",
    `<h1>Checkout cancelled</h1><p>Nothing was charged. You can close this tab and return to Sight.</p>
<p><a class="button" href="${appReturnLink(scheme)}">Return to Sight</a></p>`,
  );
}

const escapeAttribute = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** HubSpot answered: hand it to the app (the browser asks to open Sight). */
export function hubspotReturnPage(link: string): string {
  const href = escapeAttribute(link);
  return page(
    "Back to Sight",
    `<h1>Back to Sight</h1>
<p>HubSpot answered. Open Sight to finish connecting; it confirms there.</p>
<p><a class="button" id="return" href="${href}">Open Sight</a></p>`,
    `<meta http-equiv="refresh" content="0;url=${href}">`,
  );
}

export function hubspotRefusedPage(): string {
  return page(
    "Sight could not connect",
    `<h1>Sight could not connect</h1><p>This answer from HubSpot does not belong to a connection Sight started. Start connecting again in Sight.</p>`,
  );
}
