import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

type PrivateKey = Awaited<ReturnType<typeof importJWK>>;

export interface LicenceSigningKey {
  kid: string;
  privateKey: PrivateKey;
  /** The public half, as the desktop app embeds it. */
  publicJwk: JWK;
}

/** Stable key id: RFC 7638 thumbprint-like hash of the public key, so apps can hold several. */
function keyId(publicJwk: JWK): string {
  return crypto.createHash("sha256").update(`${publicJwk.crv}:${publicJwk.x}`).digest("base64url").slice(0, 16);
}

export async function importLicenceKey(privateJwkJson: string): Promise<LicenceSigningKey> {
  const jwk = JSON.parse(privateJwkJson) as JWK;
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.d !== "string") {
    throw new Error("The licence key must be an Ed25519 private JWK (kty OKP, crv Ed25519, with d).");
  }
  const publicJwk: JWK = { kty: "OKP", crv: "Ed25519", x: jwk.x };
  const kid = jwk.kid ?? keyId(publicJwk);
  const privateKey = await importJWK({ ...jwk, alg: "EdDSA" }, "EdDSA");
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: "EdDSA", use: "sig" } };
}

export async function generateLicenceKeyJson(): Promise<string> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  return JSON.stringify({ ...jwk, kid: keyId(jwk) });
}

/**
 * A secret from configuration, or one generated once into the data folder (0600) for a
 * single-machine Cloud. Several instances must share configured values instead.
 */
export async function secretFromFile(dataDir: string, file: string, make: () => Promise<string>): Promise<string> {
  const target = path.join(dataDir, file);
  try {
    return fs.readFileSync(target, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const value = await make();
  // wx: two instances racing on a fresh folder keep the first one's value.
  try {
    fs.writeFileSync(target, `${value}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return fs.readFileSync(target, "utf8").trim();
  }
  return value;
}
