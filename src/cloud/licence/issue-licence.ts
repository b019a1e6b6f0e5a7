import { SignJWT } from "jose";
import type { LicenceClaims } from "../../shared/cloud/contract";
import { personaLimitOf, type Entitlement } from "./entitlement";
import type { LicenceSigningKey } from "./keys";

export const LICENCE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// A licence never lives past the moment its grant may end (grace over, cancellation due, trial
// over), so the app asks again then; but at least an hour, so a late webhook cannot cause a
// refresh storm. Offline past that moment, the app falls back to Free until it can ask.
const MIN_TTL_MS = 60 * 60 * 1000;

export async function issueLicence(
  key: LicenceSigningKey,
  account: { id: string; email: string | null },
  entitlement: Entitlement,
  now: Date,
): Promise<{ licence: string; claims: LicenceClaims }> {
  const iat = Math.floor(now.getTime() / 1000);
  const ends = [now.getTime() + LICENCE_TTL_MS];
  if (entitlement.tier !== "free") {
    for (const moment of [entitlement.graceEndsAt, entitlement.cancelAt, entitlement.trialEndsAt]) {
      if (moment) ends.push(Math.max(moment.getTime(), now.getTime() + MIN_TTL_MS));
    }
  }
  const exp = Math.floor(Math.min(...ends) / 1000);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const claims: LicenceClaims = {
    iss: "sight-cloud",
    aud: "sight-desktop",
    sub: account.id,
    ...(account.email ? { email: account.email } : {}),
    tier: entitlement.tier,
    personaLimit: personaLimitOf(entitlement.tier),
    status: entitlement.status,
    subscribedTier: entitlement.subscribedTier,
    trialEndsAt: iso(entitlement.trialEndsAt),
    graceEndsAt: iso(entitlement.graceEndsAt),
    cancelAt: iso(entitlement.cancelAt),
    periodEndsAt: iso(entitlement.periodEndsAt),
    iat,
    exp,
  };
  const licence = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: "sight-licence+jwt" })
    .sign(key.privateKey);
  return { licence, claims };
}
