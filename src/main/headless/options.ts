import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { resolveCloudConfig, type CloudConfig } from "../services/billing/cloud-config";
import { isLoopbackHost, normalizeAllowedHost } from "./auth";

export interface HostOptions {
  host: string;
  port: number;
  dataDir: string;
  token: string;
  tokenWasGenerated: boolean;
  /** Extra names accepted in Host and Origin (normalised); only with a non-loopback --host. */
  allowedHosts?: string[];
  /** Address teammates use to reach this host; share links point there (default: the bound URL). */
  publicUrl?: string;
  /** Sight Cloud (--cloud-url or SIGHT_CLOUD_URL) and the licence keys to trust; no Cloud when absent. */
  cloud?: CloudConfig;
  rendererDir: string;
  migrationsDir: string;
  version: string;
}

/** Where Sight keeps its data when no folder is given: the OS's per-user application data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === "darwin") return path.join(os.homedir(), "Library", "Application Support", "Sight");
  if (platform === "win32") return path.join(env.APPDATA ?? path.join(os.homedir(), "AppData", "Roaming"), "Sight");
  return path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "sight");
}

export const USAGE = `Usage: npm run web -- [options]

  --host <address>     interface to bind (default 127.0.0.1; anything else exposes Sight to your network)
  --port <n>           port (default 5170, env SIGHT_PORT; 0 picks a free one)
  --data-dir <path>    data folder (env SIGHT_DATA_DIR; default ${defaultDataDir()})
  --token <value>      API token (env SIGHT_API_TOKEN; default: random per launch)
  --allowed-hosts <a,b>
                       extra host names or IP addresses browsers may use to reach Sight when --host
                       is not loopback, e.g. mybox.local,192.168.1.20 (env SIGHT_ALLOWED_HOSTS);
                       the Host and Origin headers must name one of them or the bound address
  --public-url <url>   the address teammates open, used in export share links, e.g.
                       http://mybox.local:5170 (env SIGHT_PUBLIC_URL; default: the bound address)
  --cloud-url <url>    Sight Cloud, for plans and billing, e.g. https://cloud.example.com (env
                       SIGHT_CLOUD_URL; http only to 127.0.0.1 or localhost). Its licences are
                       checked against the public key in SIGHT_LICENCE_PUBLIC_KEY (an Ed25519 JWK,
                       or a JSON array of them); without both, the plan stays Free
  --fakes              start Sight's loopback Gemini and OpenAI-compatible fakes beside the host and
                       point it at them, so every AI feature works without a key (npm run web only)
  --build              build the app first even when out/renderer exists (npm run web only)
  --help               this text`;

/** Flags win over environment variables, which win over defaults. */
export function parseHostOptions(argv: string[], env: NodeJS.ProcessEnv, repoRoot: string): HostOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "data-dir": { type: "string" },
      token: { type: "string" },
      "allowed-hosts": { type: "string" },
      "public-url": { type: "string" },
      "cloud-url": { type: "string" },
      "renderer-dir": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const portText = values.port ?? env.SIGHT_PORT ?? "5170";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, not "${portText}".`);
  const given = values.token ?? env.SIGHT_API_TOKEN;
  if (given !== undefined && given.length < 16) throw new Error("The API token must be at least 16 characters.");
  const token = given ?? crypto.randomBytes(24).toString("base64url");
  const host = values.host ?? "127.0.0.1";
  const allowedHosts = parseAllowedHosts(values["allowed-hosts"] ?? env.SIGHT_ALLOWED_HOSTS ?? "", host);
  const publicUrl = parsePublicUrl(values["public-url"] ?? env.SIGHT_PUBLIC_URL, host, allowedHosts);
  // The headless host runs from source, where trusting a key from the environment is the point.
  const cloud = resolveCloudConfig({ env, cloudUrl: values["cloud-url"], allowKeyOverride: true });
  return {
    host,
    allowedHosts,
    ...(publicUrl ? { publicUrl } : {}),
    cloud,
    port,
    dataDir: path.resolve(values["data-dir"] ?? env.SIGHT_DATA_DIR ?? defaultDataDir(env)),
    token,
    tokenWasGenerated: given === undefined,
    rendererDir: path.resolve(values["renderer-dir"] ?? path.join(repoRoot, "out", "renderer")),
    migrationsDir: path.join(repoRoot, "prisma", "migrations"),
    version: (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version,
  };
}

/**
 * An http(s) origin with nothing after it (share links append their own path), whose host this
 * host answers to: otherwise every link would meet the Host check's 401.
 */
function parsePublicUrl(value: string | undefined, bindHost: string, allowedHosts: string[]): string | undefined {
  if (value === undefined || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--public-url: "${value}" is not a URL.`);
  }
  if (
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw new Error(`--public-url must be a plain http(s) address such as http://mybox.local:5170, not "${value}".`);
  }
  const name = normalizeAllowedHost(url.hostname);
  const accepted = isLoopbackHost(bindHost)
    ? name !== null && isLoopbackHost(name)
    : name !== null && (name === normalizeAllowedHost(bindHost) || allowedHosts.includes(name));
  if (!accepted) {
    throw new Error(
      `--public-url: this host does not answer to "${url.hostname}" (bound to ${bindHost}` +
        (isLoopbackHost(bindHost) ? "" : `, allowed: ${allowedHosts.join(", ") || "none"}`) +
        "); bind another interface with --host and list the name in --allowed-hosts.",
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/**
 * Where share links point: --public-url, else the bound address, else (bound to every interface)
 * the first allowed host name; null when teammates could not use any of them.
 */
export function shareBaseUrl(options: Pick<HostOptions, "host" | "publicUrl" | "allowedHosts">, port: number) {
  if (options.publicUrl) return options.publicUrl;
  const wildcard = options.host === "0.0.0.0" || options.host === "::" || options.host === "[::]";
  const name = wildcard ? options.allowedHosts?.[0] : options.host;
  if (!name) return null;
  const shown = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
  return `http://${shown}:${port}`;
}

/** "a, b" → normalised names; refuses what is not a host name or address, and loopback binds. */
function parseAllowedHosts(list: string, bindHost: string): string[] {
  const entries = list
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return [];
  if (isLoopbackHost(bindHost)) {
    throw new Error(
      `--allowed-hosts only applies when --host binds another interface than loopback (${bindHost}); ` +
        "on loopback Sight answers only to 127.0.0.1, localhost and [::1].",
    );
  }
  return [
    ...new Set(
      entries.map((entry) => {
        const name = normalizeAllowedHost(entry);
        if (name === null) {
          throw new Error(
            `--allowed-hosts: "${entry}" is not a host name or IP address (no port, scheme, path or wildcard).`,
          );
        }
        return name;
      }),
    ),
  ];
}
