import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, errors as joseErrors, type JWK } from "jose";
import {
  inviteClaimsSchema,
  type InviteClaims,
  type LiveErrorCode,
  type LiveRole,
} from "../../../shared/contract/live";
import type { SecretStore } from "../secrets/secret-store";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

export const INVITE_AUDIENCE = "sight-live";
const ALG = "EdDSA";

/** A refusal a viewer's handshake gets, with the code the protocol names. */
export class LiveRefusal extends Error {
  constructor(
    readonly code: LiveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LiveRefusal";
  }
}

export interface InviteSigner {
  sign(input: { inviteId: string; sessionId: string; role: LiveRole; expiresAt: Date }): Promise<string>;
  /** Signature, audience and expiry; the caller checks session, revocation and role. */
  verify(token: string, now: Date): Promise<InviteClaims>;
  /** The public half (Ed25519 JWK), for the relay to verify viewers' tokens. */
  publicJwk(): Promise<{ kty: "OKP"; crv: "Ed25519"; x: string }>;
}

/**
 * Invites are JWTs signed with this install's Ed25519 key (kept encrypted in the secret store,
 * made on first use). Asymmetric so Sight Cloud's relay can verify a viewer's token with the public
 * key the app registers, without ever holding anything that could mint one.
 */
export function createInviteSigner(secrets: SecretStore): InviteSigner {
  let keys: Promise<{ privateKey: PrivateKey; publicJwk: JWK }> | null = null;
  const load = () =>
    (keys ??= (async () => {
      const stored = await secrets.get("live.signingKey");
      if (stored) {
        const jwk = JSON.parse(stored) as JWK;
        const { d: _d, ...publicJwk } = jwk;
        return { privateKey: (await importJWK(jwk, ALG)) as PrivateKey, publicJwk };
      }
      const pair = await generateKeyPair(ALG, { crv: "Ed25519", extractable: true });
      const jwk = await exportJWK(pair.privateKey);
      await secrets.set("live.signingKey", JSON.stringify(jwk));
      return { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
    })().catch((error: unknown) => {
      keys = null;
      throw error;
    }));

  return {
    async sign({ inviteId, sessionId, role, expiresAt }) {
      const { privateKey } = await load();
      return new SignJWT({ sid: sessionId, role })
        .setProtectedHeader({ alg: ALG, typ: "JWT" })
        .setJti(inviteId)
        .setAudience(INVITE_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(privateKey);
    },
    async verify(token, now) {
      const { publicJwk } = await load();
      const key = await importJWK(publicJwk, ALG);
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALG],
          audience: INVITE_AUDIENCE,
          currentDate: now,
        });
        const claims = inviteClaimsSchema.safeParse(payload);
        if (!claims.success) throw new LiveRefusal("INVITE_INVALID", "The invite is not a Sight invite.");
        return claims.data;
      } catch (error) {
        if (error instanceof LiveRefusal) throw error;
        if (error instanceof joseErrors.JWTExpired)
          throw new LiveRefusal("INVITE_EXPIRED", "This invite has expired: ask the host for a new one.");
        throw new LiveRefusal("INVITE_INVALID", "This invite is not valid (it was not signed by this session's host).");
      }
    },
    async publicJwk() {
      const { publicJwk } = await load();
      return { kty: "OKP", crv: "Ed25519", x: String(publicJwk.x) };
    },
  };
}
