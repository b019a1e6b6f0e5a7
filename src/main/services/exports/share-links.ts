import crypto from "node:crypto";
import { z } from "zod";
import { AppError, SHARE_MAX_HOURS, SHARED_DOWNLOAD_PATH } from "../../../shared/contract";
import type { SecretStore } from "../secrets/secret-store";

/**
 * Signed, expiring download links for exports.
 *
 * A link is `<base>/api/v1/shared/exports/<id>?expires=<unix s>&kid=<key id>&sig=<base64url>`,
 * where sig = HMAC-SHA256(key[kid], "GET\n<path>\n<id>\n<expires>\n<kid>"): bound to the export,
 * the method and the expiry; the key id lets keys rotate without breaking links signed with an
 * older one. Keys live in the encrypted secret store. Verification is constant-time.
 */
const KEY_NAME = "exports.shareSigningKeys";
const METHOD = "GET";

const keyRingSchema = z.object({
  current: z.string().regex(/^[0-9a-f]{8}$/),
  keys: z.record(z.string().regex(/^[0-9a-f]{8}$/), z.string().min(40)),
});
type KeyRing = z.infer<typeof keyRingSchema>;

export type ShareVerdict = { ok: true; exportId: string; expiresAt: Date } | { ok: false; reason: string };

export interface ShareLinks {
  sign(exportId: string, expiresAt: Date): Promise<{ path: string; query: string }>;
  verify(exportId: string, query: Record<string, unknown>, method: string): Promise<ShareVerdict>;
  /** New current key; links signed with the old ones stop working (revoke all). */
  rotate(): Promise<void>;
}

export function sharedPath(exportId: string): string {
  return SHARED_DOWNLOAD_PATH.replace("{id}", encodeURIComponent(exportId));
}

function newKey(): [string, string] {
  return [crypto.randomBytes(4).toString("hex"), crypto.randomBytes(32).toString("base64")];
}

function mac(key: string, method: string, exportId: string, expires: number, kid: string): Buffer {
  const message = [method, sharedPath(exportId), exportId, String(expires), kid].join("\n");
  return crypto.createHmac("sha256", Buffer.from(key, "base64")).update(message, "utf8").digest();
}

const KID = /^[0-9a-f]{8}$/;

export function createShareLinks(secrets: SecretStore, now: () => Date): ShareLinks {
  // One load in flight at a time: two first shares at once must not each create a key ring.
  let ring: Promise<KeyRing | null> | null = null;
  const read = async (create: boolean): Promise<KeyRing | null> => {
    const stored = await secrets.get(KEY_NAME);
    let parsed: ReturnType<typeof keyRingSchema.safeParse> | null = null;
    try {
      parsed = stored ? keyRingSchema.safeParse(JSON.parse(stored)) : null;
    } catch {
      parsed = null;
    }
    if (parsed?.success) return parsed.data;
    if (!create) return null;
    const [kid, key] = newKey();
    const created = { current: kid, keys: { [kid]: key } };
    await secrets.set(KEY_NAME, JSON.stringify(created));
    return created;
  };
  const load = async (create: boolean): Promise<KeyRing | null> => {
    const pending = ring ?? read(create);
    ring = pending;
    const loaded = await pending.catch((error: unknown) => {
      ring = null;
      throw error;
    });
    if (!loaded) ring = null;
    return loaded;
  };

  return {
    async sign(exportId, expiresAt) {
      const keys = (await load(true))!;
      const expires = Math.floor(expiresAt.getTime() / 1000);
      const sig = mac(keys.keys[keys.current]!, METHOD, exportId, expires, keys.current).toString("base64url");
      const query = new URLSearchParams({ expires: String(expires), kid: keys.current, sig }).toString();
      return { path: sharedPath(exportId), query };
    },
    async verify(exportId, query, method) {
      const one = (value: unknown) => (typeof value === "string" ? value : undefined);
      const expiresText = one(query.expires);
      const kid = one(query.kid);
      const sig = one(query.sig);
      if (!expiresText || !kid || !sig || !/^\d{1,12}$/.test(expiresText) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) {
        return { ok: false, reason: "The link is incomplete or malformed." };
      }
      const keys = await load(false);
      // Own keys only: "__proto__" or "toString" must not find something inherited.
      const key = KID.test(kid) && keys && Object.hasOwn(keys.keys, kid) ? keys.keys[kid] : undefined;
      if (!key) return { ok: false, reason: "The link was signed with a key this host no longer has." };
      const expires = Number(expiresText);
      const expected = mac(
        key,
        method.toUpperCase() === "HEAD" ? METHOD : method.toUpperCase(),
        exportId,
        expires,
        kid,
      );
      const given = Buffer.from(sig, "base64url");
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
        return { ok: false, reason: "The link is not valid (it was altered or is for another file)." };
      }
      const nowSeconds = Math.floor(now().getTime() / 1000);
      if (expires <= nowSeconds) return { ok: false, reason: "The link has expired." };
      if (expires - nowSeconds > SHARE_MAX_HOURS * 3600 + 60) {
        return { ok: false, reason: "The link claims a lifetime longer than links may have." };
      }
      return { ok: true, exportId, expiresAt: new Date(expires * 1000) };
    },
    async rotate() {
      const [kid, key] = newKey();
      const next = { current: kid, keys: { [kid]: key } };
      await secrets.set(KEY_NAME, JSON.stringify(next));
      ring = Promise.resolve(next);
    },
  };
}

export function assertShareLifetime(hours: number): void {
  if (!Number.isInteger(hours) || hours < 1 || hours > SHARE_MAX_HOURS) {
    throw new AppError("VALIDATION_FAILED", `A share link lives 1 to ${SHARE_MAX_HOURS} hours.`, { hours });
  }
}
