import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../fs/atomic-write";
import { storedSecretKeySchema, type SecretStore, type StoredSecretKey } from "./secret-store";

/**
 * Headless host's secret store: AES-256-GCM, one random 32-byte key in `secret.key` (mode 0600),
 * ciphertexts in `secrets.json` (mode 0600). The desktop app uses Electron's safeStorage instead
 * (src/main/electron/secrets.ts), which keeps the key in the OS keychain.
 */
export function createFileSecretStore(dir: string): SecretStore {
  const keyFile = path.join(dir, "secret.key");
  const dataFile = path.join(dir, "secrets.json");

  const key = (): Buffer => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(keyFile)) {
      try {
        fs.writeFileSync(keyFile, crypto.randomBytes(32), { mode: 0o600, flag: "wx" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    const stat = fs.statSync(keyFile);
    if (process.platform !== "win32" && (stat.mode & 0o077) !== 0) {
      throw new Error(`${keyFile} is readable by other users; run chmod 600 on it.`);
    }
    const buf = fs.readFileSync(keyFile);
    if (buf.length !== 32) throw new Error(`${keyFile} is damaged (expected 32 bytes).`);
    return buf;
  };

  const readAll = (): Partial<Record<StoredSecretKey, string>> => {
    if (!fs.existsSync(dataFile)) return {};
    const parsed = JSON.parse(fs.readFileSync(dataFile, "utf8")) as Record<string, string>;
    const out: Partial<Record<StoredSecretKey, string>> = {};
    for (const [name, value] of Object.entries(parsed)) {
      if (storedSecretKeySchema.safeParse(name).success && typeof value === "string")
        out[name as StoredSecretKey] = value;
    }
    return out;
  };

  const writeAll = (values: Partial<Record<StoredSecretKey, string>>) => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(dataFile, JSON.stringify(values), 0o600);
  };

  const encrypt = (plain: string, name: StoredSecretKey): string => {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
    cipher.setAAD(Buffer.from(name, "utf8"));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
  };

  const decrypt = (sealed: string, name: StoredSecretKey): string => {
    const buf = Buffer.from(sealed, "base64");
    const decipher = crypto.createDecipheriv("aes-256-gcm", key(), buf.subarray(0, 12));
    decipher.setAAD(Buffer.from(name, "utf8"));
    decipher.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString("utf8");
  };

  return {
    backend: "aes-256-gcm key file",
    async set(name, value) {
      writeAll({ ...readAll(), [name]: encrypt(value, name) });
    },
    async get(name) {
      const sealed = readAll()[name];
      return sealed === undefined ? null : decrypt(sealed, name);
    },
    async has(name) {
      return readAll()[name] !== undefined;
    },
    async delete(name) {
      const values = readAll();
      delete values[name];
      writeAll(values);
    },
  };
}
