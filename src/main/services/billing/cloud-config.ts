import { trustedKeySchema, type TrustedKey } from "./licence";

/**
 * Where Sight Cloud is and which keys may sign licences. Both come from the build (electron-vite
 * `define`, see src/main/build-constants.d.ts) and, for development, from the environment.
 *
 * No production key is embedded in this repository: the release pipeline sets
 * SIGHT_BUILD_LICENCE_PUBLIC_KEYS (and SIGHT_BUILD_CLOUD_URL) when it runs `electron-vite build`,
 * so a build from source trusts no licence until a key is given to it at run time.
 */
export interface CloudConfig {
  /** Base URL without a trailing slash (routes live under `${url}/api/v1`); null: no Cloud in this build. */
  url: string | null;
  keys: TrustedKey[];
  /** SIGHT_LICENCE_PUBLIC_KEY was set but ignored (packaged app): the shell logs it. */
  ignoredKeyOverride: boolean;
}

export interface CloudConfigSources {
  env: Record<string, string | undefined>;
  /** The headless host's --cloud-url; wins over SIGHT_CLOUD_URL. */
  cloudUrl?: string;
  /**
   * Whether SIGHT_LICENCE_PUBLIC_KEY may add trusted keys. The packaged desktop app passes false:
   * a user who could trust a key of their own could sign themselves any plan.
   */
  allowKeyOverride: boolean;
  /** Build-time values; the constants electron-vite defines when absent. */
  embedded?: { cloudUrl: string; licenceKeys: string };
}

/** A configuration problem the host reports before starting (bad URL, bad or private key). */
export class CloudConfigError extends Error {
  override name = "CloudConfigError";
}

export const NO_CLOUD: CloudConfig = { url: null, keys: [], ignoredKeyOverride: false };

/** The values written into this build, or empty ones under plain Node (headless host, tests). */
export function embeddedCloudDefaults(): { cloudUrl: string; licenceKeys: string } {
  return {
    cloudUrl: typeof __SIGHT_CLOUD_URL__ === "string" ? __SIGHT_CLOUD_URL__ : "",
    licenceKeys: typeof __SIGHT_LICENCE_PUBLIC_KEYS__ === "string" ? __SIGHT_LICENCE_PUBLIC_KEYS__ : "",
  };
}

export function resolveCloudConfig(sources: CloudConfigSources): CloudConfig {
  const embedded = sources.embedded ?? embeddedCloudDefaults();
  const urlText = firstNonEmpty(sources.cloudUrl, sources.env.SIGHT_CLOUD_URL, embedded.cloudUrl);
  const url = urlText === undefined ? null : parseCloudUrl(urlText.value, urlText.source);
  const keys = parseTrustedKeys(embedded.licenceKeys, "the build's licence keys");
  const override = sources.env.SIGHT_LICENCE_PUBLIC_KEY?.trim() ?? "";
  if (override !== "" && sources.allowKeyOverride) keys.push(...parseTrustedKeys(override, "SIGHT_LICENCE_PUBLIC_KEY"));
  const kids = new Set<string>();
  for (const key of keys) {
    if (kids.has(key.kid)) throw new CloudConfigError(`Two trusted licence keys share the kid "${key.kid}".`);
    kids.add(key.kid);
  }
  return { url, keys, ignoredKeyOverride: override !== "" && !sources.allowKeyOverride };
}

function firstNonEmpty(
  flag: string | undefined,
  env: string | undefined,
  built: string,
): { value: string; source: string } | undefined {
  if (flag?.trim()) return { value: flag.trim(), source: "--cloud-url" };
  if (env?.trim()) return { value: env.trim(), source: "SIGHT_CLOUD_URL" };
  if (built.trim()) return { value: built.trim(), source: "the build's Cloud URL" };
  return undefined;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * https, or http to this machine only (a local Cloud in development): tokens and passwords must
 * never cross a network in clear text.
 */
export function parseCloudUrl(value: string, source = "the Cloud URL"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CloudConfigError(`${source}: "${value}" is not a URL.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new CloudConfigError(`${source} must be a plain address such as https://cloud.example.com, not "${value}".`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new CloudConfigError(`${source} must use https (http only for 127.0.0.1 or localhost), not "${value}".`);
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** One public Ed25519 JWK or a JSON array of them; "" means none. Refuses private keys. */
export function parseTrustedKeys(text: string, source: string): TrustedKey[] {
  if (text.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CloudConfigError(`${source} is not JSON: give a public Ed25519 JWK or a JSON array of them.`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((entry, index) => {
    const key = trustedKeySchema.safeParse(entry);
    if (!key.success) {
      const issue = key.error.issues[0];
      const where = Array.isArray(parsed) ? `${source}[${index}]` : source;
      throw new CloudConfigError(
        `${where}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "not a public Ed25519 JWK"}`,
      );
    }
    return key.data;
  });
}
