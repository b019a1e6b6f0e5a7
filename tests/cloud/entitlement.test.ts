import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { entitlementOf, grantOf, GRACE_PERIOD_MS, type SubscriptionState } from "../../src/cloud/licence/entitlement";
import { issueLicence, LICENCE_TTL_MS } from "../../src/cloud/licence/issue-licence";
import { generateLicenceKeyJson, importLicenceKey } from "../../src/cloud/licence/keys";
import { licenceClaimsSchema } from "../../src/shared/cloud/contract";

const now = new Date("2026-12-03T12:00:00Z");
const day = 24 * 60 * 60 * 1000;
const sub = (over: Partial<SubscriptionState>): SubscriptionState => ({
  id: "sub_1",
  status: "active",
  tier: "professional",
  currentPeriodEnd: new Date(now.getTime() + 20 * day),
  cancelAtPeriodEnd: false,
  cancelAt: null,
  trialEnd: null,
  pastDueSince: null,
  stripeUpdatedAt: now,
  ...over,
});

describe("entitlement from Stripe's subscription status", () => {
  it.each([
    ["trialing", "professional", null, "professional"],
    ["active", "enterprise", null, "enterprise"],
    ["past_due", "professional", 6 * day, "professional"],
    ["past_due", "professional", 7 * day + 1000, "free"],
    ["canceled", "enterprise", null, "free"],
    ["unpaid", "professional", null, "free"],
    ["incomplete_expired", "professional", null, "free"],
    ["incomplete", "professional", null, "free"],
    ["paused", "professional", null, "free"],
    ["active", "unknown", null, "free"],
  ] as const)("%s on %s (past due for %s ms) grants %s", (status, tier, pastDueFor, expected) => {
    const pastDueSince = pastDueFor === null ? null : new Date(now.getTime() - pastDueFor);
    expect(grantOf(sub({ status, tier, pastDueSince }), now)).toBe(expected);
  });

  it("counts the 7-day grace from the failed invoice and reports its end", () => {
    const since = new Date(now.getTime() - 2 * day);
    const result = entitlementOf([sub({ status: "past_due", pastDueSince: since })], now);
    expect(result.tier).toBe("professional");
    expect(result.graceEndsAt?.getTime()).toBe(since.getTime() + GRACE_PERIOD_MS);
  });

  it("picks the best grant among several subscriptions and reports Free with none", () => {
    const result = entitlementOf(
      [sub({ id: "a", status: "canceled", tier: "enterprise" }), sub({ id: "b", tier: "professional" })],
      now,
    );
    expect([result.tier, result.status, result.subscribedTier]).toEqual(["professional", "active", "professional"]);
    expect(entitlementOf([], now)).toMatchObject({ tier: "free", status: "none", subscribedTier: null });
  });

  it("reports the period end as the cancellation date of a subscription cancelled at period end", () => {
    const end = new Date(now.getTime() + 10 * day);
    const result = entitlementOf([sub({ cancelAtPeriodEnd: true, currentPeriodEnd: end })], now);
    expect([result.tier, result.cancelAt?.toISOString()]).toEqual(["professional", end.toISOString()]);
  });
});

describe("licences", () => {
  it("are EdDSA JWTs with the tier's persona limit and a 7-day expiry, verifiable with the public key alone", async () => {
    const key = await importLicenceKey(await generateLicenceKeyJson());
    const { licence, claims } = await issueLicence(
      key,
      { id: "acct_1", email: "r@example.com" },
      entitlementOf([sub({})], now),
      now,
    );
    expect(decodeProtectedHeader(licence)).toMatchObject({ alg: "EdDSA", kid: key.kid });
    const publicKey = await importJWK(key.publicJwk, "EdDSA");
    const { payload } = await jwtVerify(licence, publicKey, {
      issuer: "sight-cloud",
      audience: "sight-desktop",
      currentDate: now,
    });
    expect(licenceClaimsSchema.parse(payload)).toEqual(claims);
    expect([claims.tier, claims.personaLimit]).toEqual(["professional", 50]);
    expect(claims.exp - claims.iat).toBe(LICENCE_TTL_MS / 1000);
    expect(key.publicJwk).not.toHaveProperty("d");
  });

  it("gives Enterprise an unlimited persona limit (null)", async () => {
    const key = await importLicenceKey(await generateLicenceKeyJson());
    const { claims } = await issueLicence(
      key,
      { id: "a", email: null },
      entitlementOf([sub({ tier: "enterprise" })], now),
      now,
    );
    expect([claims.tier, claims.personaLimit]).toEqual(["enterprise", null]);
  });

  it("expire when the grace period ends, so the app asks again then", async () => {
    const key = await importLicenceKey(await generateLicenceKeyJson());
    const since = new Date(now.getTime() - 5 * day);
    const { licence } = await issueLicence(
      key,
      { id: "a", email: null },
      entitlementOf([sub({ status: "past_due", pastDueSince: since })], now),
      now,
    );
    expect(decodeJwt(licence).exp).toBe(Math.floor((since.getTime() + GRACE_PERIOD_MS) / 1000));
  });

  it("refuse a key that is not an Ed25519 private JWK", async () => {
    const key = await importLicenceKey(await generateLicenceKeyJson());
    await expect(importLicenceKey(JSON.stringify(key.publicJwk))).rejects.toThrow(/Ed25519 private JWK/);
  });
});
