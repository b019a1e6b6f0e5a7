import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { z } from "zod";
import { licenceClaimsSchema, type LicenceClaims } from "../../../shared/cloud/contract";

/**
 * Offline licence checks. A licence is an Ed25519-signed JWT from Sight Cloud; the app trusts
 * only the public keys it was built with (plus, in development, one given at run time), so a
 * licence edited by hand or signed by anyone else grants nothing.
 */

export const LICENCE_ISSUER = "sight-cloud";
export const LICENCE_AUDIENCE = "sight-desktop";
/** The Cloud's header type for licences: no other token it signs (e.g. an access token) can pass for one. */
export const LICENCE_TYPE = "sight-licence+jwt";
/** Seconds of disagreement between this machine's clock and the Cloud's that still count as on time. */
export const LICENCE_CLOCK_TOLERANCE_S = 30;
// A licence is a few hundred bytes; anything this long is not one and is not worth decoding.
const MAX_LICENCE_LENGTH = 16_384;

/**
 * A public Ed25519 key that licences may be signed with. `d` (the private scalar) is refused
 * outright: a private key in the trust list would mean whoever holds the file can mint licences.
 */
export const trustedKeySchema = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  // 32 bytes, base64url without padding.
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a 32-byte base64url Ed25519 public key"),
  kid: z.string().min(1).max(128),
  alg: z.literal("EdDSA").optional(),
  use: z.literal("sig").optional(),
  d: z.never({ error: 'is a private key: a trusted key must be public only (drop "d")' }).optional(),
});
export type TrustedKey = z.infer<typeof trustedKeySchema>;

export const INVALID_LICENCE_REASONS = [
  /** Not a JWT at all, or a header/payload that does not decode. */
  "malformed",
  /** Signed with an algorithm other than EdDSA (e.g. "none", HS256). */
  "wrong_algorithm",
  /** Names no key, or a key this build does not trust (signed by someone else). */
  "unknown_key",
  /** The signature does not match the content: the header or the claims were changed. */
  "bad_signature",
  "wrong_issuer",
  "wrong_audience",
  /** Another kind of token from the Cloud (its header `typ` is not a licence's). */
  "wrong_type",
  /** Signed correctly but its claims are not a licence this version understands. */
  "bad_claims",
] as const;
export type InvalidLicenceReason = (typeof INVALID_LICENCE_REASONS)[number];

export type LicenceCheck =
  | { status: "valid"; claims: LicenceClaims }
  /** Genuine (the signature was checked first) but past its expiry; the claims say what it granted. */
  | { status: "expired"; claims: LicenceClaims | null; expiredAt: Date }
  | { status: "invalid"; reason: InvalidLicenceReason; detail: string };

/** The moment a licence stops counting, with the same tolerance the verifier applies. */
export function licenceExpiresAt(claims: Pick<LicenceClaims, "exp">): Date {
  return new Date((claims.exp + LICENCE_CLOCK_TOLERANCE_S) * 1000);
}

const invalid = (reason: InvalidLicenceReason, detail: string): LicenceCheck => ({ status: "invalid", reason, detail });

/** Verifies a licence against the trusted keys at `now`. Never throws for a bad licence. */
export async function verifyLicence(token: unknown, keys: readonly unknown[], now: Date): Promise<LicenceCheck> {
  if (typeof token !== "string" || token.length > MAX_LICENCE_LENGTH || token.split(".").length !== 3) {
    return invalid("malformed", "not a compact JWT");
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return invalid("malformed", "the header does not decode");
  }
  if (header.alg !== "EdDSA") return invalid("wrong_algorithm", `signed with ${String(header.alg)}, not EdDSA`);
  // Without a kid every trusted key would be a candidate; the Cloud always names its key.
  if (typeof header.kid !== "string" || header.kid === "") return invalid("unknown_key", "the licence names no key");
  // Defence in depth: whatever the caller passes, only well-formed public keys are trusted.
  const trusted = keys.flatMap((key) => {
    const parsed = trustedKeySchema.safeParse(key);
    return parsed.success ? [parsed.data] : [];
  });
  if (!trusted.some((key) => key.kid === header.kid)) {
    return invalid("unknown_key", `key "${header.kid.slice(0, 64)}" is not trusted by this build`);
  }

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet({ keys: trusted }), {
      algorithms: ["EdDSA"],
      issuer: LICENCE_ISSUER,
      audience: LICENCE_AUDIENCE,
      typ: LICENCE_TYPE,
      clockTolerance: LICENCE_CLOCK_TOLERANCE_S,
      currentDate: now,
      requiredClaims: ["sub", "iat", "exp"],
    }));
  } catch (error) {
    return fromJoseError(error);
  }
  const claims = licenceClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    return invalid("bad_claims", `${issue?.path.join(".") || "claims"}: ${issue?.message ?? "invalid"}`);
  }
  return { status: "valid", claims: claims.data };
}

function fromJoseError(error: unknown): LicenceCheck {
  if (error instanceof errors.JWTExpired) {
    // jose checks the signature before the claims, so an expired licence is still a genuine one.
    const claims = licenceClaimsSchema.safeParse(error.payload);
    const exp = typeof error.payload.exp === "number" ? error.payload.exp : 0;
    return {
      status: "expired",
      claims: claims.success ? claims.data : null,
      expiredAt: licenceExpiresAt({ exp }),
    };
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return invalid("wrong_issuer", "issued by someone other than Sight Cloud");
    if (error.claim === "aud") return invalid("wrong_audience", "not meant for Sight desktop");
    if (error.claim === "typ") return invalid("wrong_type", "not a licence (another kind of token)");
    return invalid("bad_claims", `${error.claim}: ${error.reason}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid("bad_signature", "the signature does not match the content");
  }
  if (error instanceof errors.JWKSNoMatchingKey) return invalid("unknown_key", "no trusted key matches");
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid("wrong_algorithm", "algorithm not allowed");
  if (error instanceof errors.JOSEError) return invalid("malformed", error.code);
  throw error;
}
