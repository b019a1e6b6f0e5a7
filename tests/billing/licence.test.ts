import { beforeAll, describe, expect, it } from "vitest";
import {
  LICENCE_CLOCK_TOLERANCE_S,
  licenceExpiresAt,
  trustedKeySchema,
  verifyLicence,
  type LicenceCheck,
} from "../../src/main/services/billing/licence";
import {
  base64url,
  claimsFor,
  licenceFor,
  makeSigningKey,
  signLicence,
  withPart,
  type TestSigningKey,
} from "./support";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const nowS = NOW.getTime() / 1000;

let cloudKey: TestSigningKey;
let foreignKey: TestSigningKey;
let foreignSameKid: TestSigningKey;

beforeAll(async () => {
  cloudKey = await makeSigningKey("cloud-2026");
  foreignKey = await makeSigningKey("someone-else");
  // Same kid as the Cloud's key, different key material: only the signature can tell.
  foreignSameKid = await makeSigningKey("cloud-2026");
});

const verify = (token: unknown, keys: unknown[] = [cloudKey.publicJwk]) => verifyLicence(token, keys, NOW);
const reasonOf = (check: LicenceCheck) => (check.status === "invalid" ? check.reason : check.status);

describe("verifyLicence", () => {
  it("accepts a licence signed by a trusted key and returns its claims", async () => {
    const check = await verify(await licenceFor(cloudKey, "professional", NOW));
    expect(check).toEqual({ status: "valid", claims: claimsFor("professional", NOW) });
  });

  it("refuses a licence whose payload was edited (Free changed to Enterprise) as bad_signature", async () => {
    const genuine = await licenceFor(cloudKey, "free", NOW);
    const edited = withPart(genuine, 1, base64url(claimsFor("enterprise", NOW)));
    expect(reasonOf(await verify(edited))).toBe("bad_signature");
  });

  it("refuses a licence whose signature was altered as bad_signature", async () => {
    const genuine = await licenceFor(cloudKey, "professional", NOW);
    const signature = genuine.split(".")[2]!;
    const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
    expect(reasonOf(await verify(withPart(genuine, 2, flipped)))).toBe("bad_signature");
  });

  it("refuses a licence signed by a foreign key that names a kid this build does not trust", async () => {
    const check = await verify(await licenceFor(foreignKey, "enterprise", NOW));
    expect(check).toMatchObject({ status: "invalid", reason: "unknown_key" });
  });

  it("refuses a licence signed by a foreign key that borrows the trusted key's kid", async () => {
    expect(reasonOf(await verify(await licenceFor(foreignSameKid, "enterprise", NOW)))).toBe("bad_signature");
  });

  it("reports a genuine licence past its expiry as expired, with its claims and the moment it stopped counting", async () => {
    const exp = nowS - LICENCE_CLOCK_TOLERANCE_S - 1;
    const check = await verify(await licenceFor(cloudKey, "professional", NOW, { iat: exp - 3600, exp }));
    expect(check).toMatchObject({ status: "expired", claims: { tier: "professional", exp } });
    expect((check as { expiredAt: Date }).expiredAt).toEqual(licenceExpiresAt({ exp }));
  });

  it("still accepts a licence that expired within the clock tolerance", async () => {
    const exp = nowS - LICENCE_CLOCK_TOLERANCE_S + 5;
    const check = await verify(await licenceFor(cloudKey, "professional", NOW, { iat: exp - 3600, exp }));
    expect(check.status).toBe("valid");
  });

  it("calls an expired licence with an altered signature invalid, not expired", async () => {
    const exp = nowS - 3600;
    const genuine = await licenceFor(cloudKey, "professional", NOW, { iat: exp - 3600, exp });
    const signature = genuine.split(".")[2]!;
    const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
    expect(reasonOf(await verify(withPart(genuine, 2, flipped)))).toBe("bad_signature");
  });

  it.each([
    ["another issuer", "wrong_issuer", { iss: "evil-cloud" }],
    ["another audience", "wrong_audience", { aud: "sight-mobile" }],
    ["an unknown tier", "bad_claims", { tier: "platinum" }],
    ["a negative persona limit", "bad_claims", { personaLimit: -1 }],
    ["no expiry", "bad_claims", { exp: undefined }],
  ])("refuses a genuinely signed licence with %s as %s", async (_name, reason, overrides) => {
    const claims = { ...claimsFor("professional", NOW), ...overrides };
    expect(reasonOf(await verify(await signLicence(cloudKey, claims)))).toBe(reason);
  });

  it("refuses a token of another type signed by the same key (e.g. an access token)", async () => {
    const token = await signLicence(cloudKey, claimsFor("enterprise", NOW), { typ: "at+jwt" });
    expect(reasonOf(await verify(token))).toBe("wrong_type");
  });

  it("refuses an unsigned licence (alg none) as wrong_algorithm", async () => {
    const unsigned = `${base64url({ alg: "none", kid: "cloud-2026", typ: "sight-licence+jwt" })}.${base64url(
      claimsFor("enterprise", NOW),
    )}.`;
    expect(reasonOf(await verify(unsigned))).toBe("wrong_algorithm");
  });

  it("refuses a licence that names no key", async () => {
    const genuine = await licenceFor(cloudKey, "professional", NOW);
    const noKid = withPart(genuine, 0, base64url({ alg: "EdDSA", typ: "sight-licence+jwt" }));
    expect(reasonOf(await verify(noKid))).toBe("unknown_key");
  });

  it.each([
    ["an empty string", ""],
    ["two parts", "abc.def"],
    ["a header that is not JSON", "bm90IGpzb24.e30.c2ln"],
    ["a number", 42],
    ["an overlong string", `${"a".repeat(20_000)}.b.c`],
  ])("refuses %s as malformed", async (_name, token) => {
    expect(reasonOf(await verify(token))).toBe("malformed");
  });

  it("refuses a private JWK offered as trusted: a licence signed with it is not accepted", async () => {
    const check = await verify(await licenceFor(cloudKey, "enterprise", NOW), [cloudKey.privateJwk]);
    expect(check).toMatchObject({ status: "invalid", reason: "unknown_key" });
  });
});

describe("trusted licence keys", () => {
  it("accepts a public Ed25519 JWK with a kid", () => {
    expect(trustedKeySchema.safeParse(cloudKey.publicJwk).success).toBe(true);
  });

  it("refuses a private JWK, saying it is private", () => {
    const parsed = trustedKeySchema.safeParse(cloudKey.privateJwk);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["d"], message: expect.stringMatching(/private key/) });
  });

  it.each([
    ["a key without a kid", { kty: "OKP", crv: "Ed25519", x: "A".repeat(43) }],
    ["a key of another curve", { kty: "OKP", crv: "X25519", x: "A".repeat(43), kid: "k" }],
    ["an RSA key", { kty: "RSA", n: "AQAB", e: "AQAB", kid: "k" }],
    ["a key with a short x", { kty: "OKP", crv: "Ed25519", x: "AAAA", kid: "k" }],
  ])("refuses %s", (_name, jwk) => {
    expect(trustedKeySchema.safeParse(jwk).success).toBe(false);
  });
});
