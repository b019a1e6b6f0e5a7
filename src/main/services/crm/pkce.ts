import { createHash, randomBytes } from "node:crypto";

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: "S256";
}

/** 32 random bytes, base64url: a 43-character verifier (the RFC's recommendation). */
export function createCodeVerifier(): string {
  return randomBytes(32).toString("base64url");
}

/** BASE64URL(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
export function codeChallengeS256(verifier: string): string {
  if (!VERIFIER.test(verifier)) throw new Error("code_verifier must be 43-128 unreserved characters (RFC 7636 §4.1)");
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

export function createPkcePair(): PkcePair {
  const verifier = createCodeVerifier();
  return { verifier, challenge: codeChallengeS256(verifier), method: "S256" };
}
