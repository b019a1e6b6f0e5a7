import crypto from "node:crypto";

/**
 * Time-ordered ids (48-bit ms timestamp + 80 random bits, base32 Crockford, like ULID), so
 * primary keys sort by creation and index pages stay warm.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export function newId(now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.randomBytes(16);
  let rand = "";
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32];
  return time + rand;
}
