import type { SecretKey } from "../../../shared/contract";

/**
 * Encrypted secret storage. Values are read only by services in the main process (LLM
 * clients, CRM sync); the contract's secrets routes can set, test and delete, never read.
 */
export interface SecretStore {
  readonly backend: string;
  set(key: SecretKey, value: string): Promise<void>;
  get(key: SecretKey): Promise<string | null>;
  has(key: SecretKey): Promise<boolean>;
  delete(key: SecretKey): Promise<void>;
}

/** Keeps secrets in memory only: for tests. */
export function createMemorySecretStore(initial: Partial<Record<SecretKey, string>> = {}): SecretStore {
  const values = new Map<SecretKey, string>(Object.entries(initial) as [SecretKey, string][]);
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
