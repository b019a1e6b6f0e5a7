import { beforeAll, describe, expect, it } from "vitest";
import { resolveCloudConfig } from "../../src/main/services/billing/cloud-config";
import { parseHostOptions, USAGE } from "../../src/main/headless/options";
import { makeSigningKey, type TestSigningKey } from "./support";
import { REPO_ROOT } from "../support/services";

const NOTHING_BUILT = { cloudUrl: "", licenceKeys: "" };
let a: TestSigningKey;
let b: TestSigningKey;

beforeAll(async () => {
  a = await makeSigningKey("key-a");
  b = await makeSigningKey("key-b");
});

const resolve = (env: Record<string, string>, extra: Partial<Parameters<typeof resolveCloudConfig>[0]> = {}) =>
  resolveCloudConfig({ env, allowKeyOverride: true, embedded: NOTHING_BUILT, ...extra });

describe("Sight Cloud configuration", () => {
  it("knows no Cloud and trusts no key when nothing is configured", () => {
    expect(resolve({})).toEqual({ url: null, keys: [], ignoredKeyOverride: false });
  });

  it("takes the Cloud URL from SIGHT_CLOUD_URL, without a trailing slash", () => {
    expect(resolve({ SIGHT_CLOUD_URL: "https://cloud.example.com/" }).url).toBe("https://cloud.example.com");
  });

  it("lets --cloud-url win over SIGHT_CLOUD_URL, and SIGHT_CLOUD_URL over the build's URL", () => {
    const built = { cloudUrl: "https://built.example.com", licenceKeys: "" };
    expect(resolve({ SIGHT_CLOUD_URL: "https://env.example.com" }, { cloudUrl: "https://flag.example.com" }).url).toBe(
      "https://flag.example.com",
    );
    expect(resolve({ SIGHT_CLOUD_URL: "https://env.example.com" }, { embedded: built }).url).toBe(
      "https://env.example.com",
    );
    expect(resolve({}, { embedded: built }).url).toBe("https://built.example.com");
  });

  it.each([
    ["plain http to another machine", "http://cloud.example.com"],
    ["credentials", "https://user:pw@cloud.example.com"],
    ["a query", "https://cloud.example.com/?x=1"],
    ["another scheme", "ftp://cloud.example.com"],
    ["something that is not a URL", "cloud example"],
  ])("refuses a Cloud URL with %s", (_name, url) => {
    expect(() => resolve({ SIGHT_CLOUD_URL: url })).toThrow(/SIGHT_CLOUD_URL/);
  });

  it("allows plain http to this machine (a Cloud in development)", () => {
    expect(resolve({ SIGHT_CLOUD_URL: "http://127.0.0.1:8787" }).url).toBe("http://127.0.0.1:8787");
  });

  it("trusts a public key from SIGHT_LICENCE_PUBLIC_KEY, given alone or as a JSON array", () => {
    expect(resolve({ SIGHT_LICENCE_PUBLIC_KEY: JSON.stringify(a.publicJwk) }).keys).toEqual([a.publicJwk]);
    expect(resolve({ SIGHT_LICENCE_PUBLIC_KEY: JSON.stringify([a.publicJwk, b.publicJwk]) }).keys).toEqual([
      a.publicJwk,
      b.publicJwk,
    ]);
  });

  it("adds the environment's key to the build's keys", () => {
    const built = { cloudUrl: "", licenceKeys: JSON.stringify([a.publicJwk]) };
    const config = resolve({ SIGHT_LICENCE_PUBLIC_KEY: JSON.stringify(b.publicJwk) }, { embedded: built });
    expect(config.keys.map((key) => key.kid)).toEqual(["key-a", "key-b"]);
  });

  it("refuses a private key offered as trusted, saying it is private", () => {
    expect(() => resolve({ SIGHT_LICENCE_PUBLIC_KEY: JSON.stringify(a.privateJwk) })).toThrow(
      /SIGHT_LICENCE_PUBLIC_KEY\.d: is a private key/,
    );
  });

  it("refuses a private key among several, naming its place in the list", () => {
    expect(() => resolve({ SIGHT_LICENCE_PUBLIC_KEY: JSON.stringify([b.publicJwk, a.privateJwk]) })).toThrow(
      /SIGHT_LICENCE_PUBLIC_KEY\[1\]\.d/,
    );
  });

  it("refuses a private key embedded in the build", () => {
    const built = { cloudUrl: "", licenceKeys: JSON.stringify(a.privateJwk) };
    expect(() => resolve({}, { embedded: built })).toThrow(/the build's licence keys\.d: is a private key/);
  });

  it("refuses key text that is not JSON, and two keys with one kid", () => {
    expect(() => resolve({ SIGHT_LICENCE_PUBLIC_KEY: "not json" })).toThrow(/is not JSON/);
    const twice = JSON.stringify([a.publicJwk, { ...b.publicJwk, kid: "key-a" }]);
    expect(() => resolve({ SIGHT_LICENCE_PUBLIC_KEY: twice })).toThrow(/share the kid "key-a"/);
  });

  it("ignores SIGHT_LICENCE_PUBLIC_KEY where overrides are not allowed (the packaged app), and says so", () => {
    const built = { cloudUrl: "", licenceKeys: JSON.stringify([a.publicJwk]) };
    const config = resolve(
      { SIGHT_LICENCE_PUBLIC_KEY: JSON.stringify(b.publicJwk) },
      { allowKeyOverride: false, embedded: built },
    );
    expect(config.keys).toEqual([a.publicJwk]);
    expect(config.ignoredKeyOverride).toBe(true);
  });

  it("under plain Node (no electron-vite define) finds no built-in URL or key", () => {
    expect(resolveCloudConfig({ env: {}, allowKeyOverride: false })).toEqual({
      url: null,
      keys: [],
      ignoredKeyOverride: false,
    });
  });
});

describe("headless host flags", () => {
  it("reads --cloud-url and trusts SIGHT_LICENCE_PUBLIC_KEY (the host runs from source)", () => {
    const options = parseHostOptions(
      ["--cloud-url", "http://localhost:8787/"],
      { SIGHT_LICENCE_PUBLIC_KEY: JSON.stringify(a.publicJwk) },
      REPO_ROOT,
    );
    expect(options).toMatchObject({ cloud: { url: "http://localhost:8787", keys: [a.publicJwk] } });
  });

  it("explains --cloud-url and the licence key in --help", () => {
    expect(USAGE).toMatch(/--cloud-url <url>/);
    expect(USAGE).toMatch(/SIGHT_CLOUD_URL/);
    expect(USAGE).toMatch(/SIGHT_LICENCE_PUBLIC_KEY/);
  });
});
