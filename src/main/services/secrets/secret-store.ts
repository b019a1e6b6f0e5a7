import { z } from "zod";
import { SECRET_KEYS, type SecretKey } from "../../../shared/contract";

/**
 * Secrets only the main process uses (never settable, readable or deletable through a route):
 * the key ring that signs export share links, the Sight Cloud refresh token, CRM OAuth tokens.
 */
export const INTERNAL_SECRET_KEYS = [
  "exports.shareSigningKeys",
  "cloud.refreshToken",
  "live.signingKey",
  /** A connected CRM's OAuth token set (JSON), crm/token-keeper.ts's TokenSet. */
  "crm.hubspot.tokens",
  "crm.salesforce.tokens",
] as const;
export type InternalSecretKey = (typeof INTERNAL_SECRET_KEYS)[number];
/** Every name a secret store holds: the contract's keys and the internal ones. */
export type StoredSecretKey = SecretKey | InternalSecretKey;
export const storedSecretKeySchema = z.enum([...SECRET_KEYS, ...INTERNAL_SECRET_KEYS]);

/**
 * Encrypted secret storage. Values are read only by services in the main process (LLM
 * clients, CRM sync); the contract's secrets routes can set, test and delete, never read.
 */
export interface SecretStore {
  readonly backend: string;
  set(key: StoredSecretKey, value: string): Promise<void>;
  get(key: StoredSecretKey): Promise<string | null>;
  has(key: StoredSecretKey): Promise<boolean>;
  delete(key: StoredSecretKey): Promise<void>;
}

/** Keeps secrets in memory only: for tests. */
export function createMemorySecretStore(initial: Partial<Record<StoredSecretKey, string>> = {}): SecretStore {
  const values = new Map<StoredSecretKey, string>(Object.entries(initial) as [StoredSecretKey, string][]);
  return {
    backend: "memory",
    async set(key, value) {
      values.set(key, value);
    },
    async get(key) {
      return values.get(key) ?? null;
    },
    async has(key) {
      return values.has(key);
    },
    async delete(key) {
      values.delete(key);
    },
  };
}
