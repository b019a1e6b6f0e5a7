import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Stripe-style ids (`cus_…`, `sub_…`): a type prefix and random base62, opaque to clients. */
export function newId(prefix: string, length = 24): string {
  let id = prefix;
  for (const byte of randomBytes(length)) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** Invoice numbers are `<customer invoice_prefix>-<4-digit sequence>`, e.g. `7D3A1B2C-0001`. */
export function invoicePrefix(): string {
  return randomBytes(4).toString("hex").toUpperCase();
}
