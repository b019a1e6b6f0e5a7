import fs from "node:fs";
import path from "node:path";
import { safeStorage } from "electron";
import { AppError } from "../../shared/contract";
import { writeFileAtomic } from "../services/fs/atomic-write";
import { storedSecretKeySchema, type SecretStore, type StoredSecretKey } from "../services/secrets/secret-store";

/** The part of Electron's safeStorage this store uses (injectable for tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

interface SecretsFile {
  version: 1;
  /** Linux keyring backend the values were sealed with ("keychain"/"dpapi" elsewhere). */
  backend: string;
  values: Partial<Record<StoredSecretKey, string>>;
}

export const SECRETS_FILE_NAME = "secrets.safe-storage.json";

/**
 * Desktop secret store: values sealed with Electron's safeStorage (OS keychain on macOS, DPAPI
 * on Windows, libsecret/KWallet on Linux), kept base64 in a 0600 JSON file in userData, written
 * atomically.
 *
 * Failure policy (chosen so nothing is ever stored or returned unprotected):
 * - set() and get() throw AppError("PROVIDER_UNAVAILABLE") with a message telling the user
 *   what to fix when encryption is unavailable, when Linux has only the plaintext
 *   `basic_text` backend, when the Linux backend changed since the values were sealed, or
 *   when a value no longer decrypts. The router returns that error to the caller as is.
 * - has() and delete() need no decryption and keep working, so a user can always see and
 *   remove what is stored.
 */
export function createSafeStorageSecretStore(
  file: string,
  options: { safeStorage?: SafeStorageLike; platform?: NodeJS.Platform } = {},
): SecretStore {
  const storage = options.safeStorage ?? safeStorage;
  const platform = options.platform ?? process.platform;

  const currentBackend = (): string => {
    if (platform === "linux") return storage.getSelectedStorageBackend?.() ?? "unknown";
    return platform === "darwin" ? "keychain" : platform === "win32" ? "dpapi" : platform;
  };

  const unavailable = (message: string, details: Record<string, unknown>) =>
    new AppError("PROVIDER_UNAVAILABLE", message, { reason: "SECURE_STORAGE_UNAVAILABLE", ...details });

  /** Throws unless values can be sealed by the operating system. */
  const assertUsable = (): string => {
    if (!storage.isEncryptionAvailable()) {
      throw unavailable(
        "Sight cannot store API keys: the operating system's secure storage is not available. " +
          "On Linux, install and unlock a keyring (GNOME Keyring or KWallet), then restart Sight.",
        { backend: platform === "linux" ? currentBackend() : platform },
      );
    }
    const backend = currentBackend();
    if (platform === "linux" && backend === "basic_text") {
      throw unavailable(
        "Sight will not store API keys without a system keyring: Electron's secure storage fell back to " +
          "plain text (basic_text). Install and unlock GNOME Keyring or KWallet, then restart Sight.",
        { backend },
      );
    }
    return backend;
  };

  const read = (): SecretsFile | null => {
    let raw: string;
    try {
      raw = fs.readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    const parsed = JSON.parse(raw) as Partial<SecretsFile>;
    const values: Partial<Record<StoredSecretKey, string>> = {};
    for (const [name, value] of Object.entries(parsed.values ?? {})) {
      if (storedSecretKeySchema.safeParse(name).success && typeof value === "string")
        values[name as StoredSecretKey] = value;
    }
    return { version: 1, backend: typeof parsed.backend === "string" ? parsed.backend : "unknown", values };
  };

  const write = (data: SecretsFile) => {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`, 0o600);
  };

  return {
    get backend() {
      return `safeStorage (${currentBackend()})`;
    },
    async set(name, value) {
      const backend = assertUsable();
      const existing = read();
      // Values sealed by a previous Linux backend cannot be opened by this one: start over
      // rather than keep entries that can only fail.
      const values = existing && existing.backend === backend ? existing.values : {};
      values[name] = storage.encryptString(value).toString("base64");
      write({ version: 1, backend, values });
    },
    async get(name) {
      const existing = read();
      const sealed = existing?.values[name];
      if (sealed === undefined || !existing) return null;
      const backend = assertUsable();
      if (existing.backend !== backend) {
        throw unavailable(
          `Stored API keys were protected with "${existing.backend}" and secure storage now uses "${backend}"; enter them again.`,
          { backend, storedWith: existing.backend },
        );
      }
      try {
        return storage.decryptString(Buffer.from(sealed, "base64"));
      } catch {
        throw unavailable(
          `The stored ${name} could not be decrypted (the system keyring may have changed); enter it again.`,
          {
            backend,
          },
        );
      }
    },
    async has(name) {
      return read()?.values[name] !== undefined;
    },
    async delete(name) {
      const existing = read();
      if (!existing || existing.values[name] === undefined) return;
      delete existing.values[name];
      write(existing);
    },
  };
}
