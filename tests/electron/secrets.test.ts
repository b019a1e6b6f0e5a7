import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const safeStorage = vi.hoisted(() => ({
  isEncryptionAvailable: vi.fn(() => true),
  getSelectedStorageBackend: vi.fn(() => "gnome_libsecret"),
  // A reversible stand-in for the OS keyring: tagged and reversed, so the plaintext is not in the file.
  encryptString: vi.fn((plain: string) => Buffer.from(`sealed:${[...plain].reverse().join("")}`, "utf8")),
  decryptString: vi.fn((sealed: Buffer) => {
    const text = sealed.toString("utf8");
    if (!text.startsWith("sealed:"))
      throw new Error("Error while decrypting the ciphertext provided to safeStorage.decryptString.");
    return [...text.slice("sealed:".length)].reverse().join("");
  }),
}));

vi.mock("electron", () => ({ safeStorage }));

import { createSafeStorageSecretStore } from "../../src/main/electron/secrets";
import { AppError } from "../../src/shared/contract";

let dir: string;
let file: string;

beforeEach(() => {
  vi.clearAllMocks();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-secrets-"));
  file = path.join(dir, "userData", "secrets.safe-storage.json");
  safeStorage.isEncryptionAvailable.mockReturnValue(true);
  safeStorage.getSelectedStorageBackend.mockReturnValue("gnome_libsecret");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("safeStorage secret store", () => {
  it("round-trips a secret through safeStorage and keeps only base64 ciphertext in a 0600 file", async () => {
    const store = createSafeStorageSecretStore(file, { platform: "linux" });
    await store.set("llm.gemini.apiKey", "AIzaSyTopSecretValue1234567890");
    expect(await store.get("llm.gemini.apiKey")).toBe("AIzaSyTopSecretValue1234567890");
    expect(await store.has("llm.gemini.apiKey")).toBe(true);

    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("AIzaSyTopSecretValue1234567890");
    const stored = JSON.parse(text) as { backend: string; values: Record<string, string> };
    expect(stored.backend).toBe("gnome_libsecret");
    expect(Buffer.from(stored.values["llm.gemini.apiKey"]!, "base64").toString("utf8")).toMatch(/^sealed:/);
    if (process.platform !== "win32") expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("refuses to store a secret on Linux's plaintext basic_text backend", async () => {
    safeStorage.getSelectedStorageBackend.mockReturnValue("basic_text");
    const store = createSafeStorageSecretStore(file, { platform: "linux" });
    const error = await rejection(store.set("llm.gemini.apiKey", "secret"));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(error.message).toMatch(/basic_text/);
    expect(error.message).toMatch(/keyring|KWallet/);
    expect(safeStorage.encryptString).not.toHaveBeenCalledWith("secret");
    expect(fs.existsSync(file)).toBe(false);
  });

  it("refuses to read a secret back on basic_text too", async () => {
    const store = createSafeStorageSecretStore(file, { platform: "linux" });
    await store.set("llm.openai.apiKey", "sk-local");
    safeStorage.getSelectedStorageBackend.mockReturnValue("basic_text");
    const error = await rejection(store.get("llm.openai.apiKey"));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
  });

  it("refuses when encryption is not available at all, with a clear message", async () => {
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    const store = createSafeStorageSecretStore(file, { platform: "darwin" });
    const error = await rejection(store.set("llm.gemini.apiKey", "secret"));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(error.message).toMatch(/secure storage is not available/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("still answers has() and delete() while encryption is unavailable", async () => {
    const store = createSafeStorageSecretStore(file, { platform: "linux" });
    await store.set("llm.gemini.apiKey", "secret");
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expect(await store.has("llm.gemini.apiKey")).toBe(true);
    await store.delete("llm.gemini.apiKey");
    expect(await store.has("llm.gemini.apiKey")).toBe(false);
  });

  it("refuses to decrypt values sealed by a different Linux backend", async () => {
    const store = createSafeStorageSecretStore(file, { platform: "linux" });
    await store.set("llm.gemini.apiKey", "secret");
    safeStorage.getSelectedStorageBackend.mockReturnValue("kwallet5");
    const error = await rejection(store.get("llm.gemini.apiKey"));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(error.message).toMatch(/gnome_libsecret.*kwallet5/);
  });

  it("reports a value that no longer decrypts as PROVIDER_UNAVAILABLE, not a crash", async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({ version: 1, backend: "keychain", values: { "llm.gemini.apiKey": "Z2FyYmFnZQ==" } }),
    );
    const store = createSafeStorageSecretStore(file, { platform: "darwin" });
    const error = await rejection(store.get("llm.gemini.apiKey"));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
  });

  it("returns null for a secret that was never set and ignores unknown keys in the file", async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ version: 1, backend: "dpapi", values: { "not.a.key": "eA==" } }));
    const store = createSafeStorageSecretStore(file, { platform: "win32" });
    expect(await store.get("llm.gemini.apiKey")).toBeNull();
    expect(await store.has("not.a.key" as never)).toBe(false);
  });

  it("names its backend", () => {
    expect(createSafeStorageSecretStore(file, { platform: "linux" }).backend).toBe("safeStorage (gnome_libsecret)");
    expect(createSafeStorageSecretStore(file, { platform: "darwin" }).backend).toBe("safeStorage (keychain)");
  });
});
