import crypto from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// scrypt (memory-hard, in node:crypto, runs on libuv's thread pool so the event loop stays free).
// N=2^15, r=8, p=3 is one of OWASP's equivalent minimum settings: 32 MiB per hash instead of
// 128 MiB for N=2^17/p=1, so a burst of sign-ins cannot exhaust memory. Stored with the hash,
// so the cost can rise later without breaking existing passwords.
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 3 };
export type ScryptParams = typeof SCRYPT_PARAMS;
const KEY_LENGTH = 32;

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { ...params, maxmem: 256 * 1024 * 1024 });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scrypt(password.normalize("NFKC"), Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** Hashed once at start: sign-in for an unknown email still pays one scrypt (no timing oracle). */
let dummy: Promise<string> | null = null;
export function dummyHash(params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString("hex"), params);
  return dummy;
}
