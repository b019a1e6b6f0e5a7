import type { LlmProviderId, LlmSettings, LlmStatus, SecretKey } from "../../../shared/contract";
import { LLM_PROVIDERS } from "../../../shared/contract";
import type { SecretStore } from "../secrets/secret-store";
import type { LlmSettingsStore } from "./settings-store";

export type Env = Record<string, string | undefined>;

export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

export const PROVIDER_LABEL: Record<LlmProviderId, string> = {
  gemini: "Gemini",
  openai: "The OpenAI-compatible endpoint",
};

/** Everything needed to reach one provider, after settings, environment and secrets are combined. */
export interface ProviderConfig {
  provider: LlmProviderId;
  baseUrl: string;
  baseUrlSource: LlmStatus["baseUrlSource"];
  apiKey: string | null;
  keySource: LlmStatus["keySource"];
  /** Why the provider cannot be called yet, in words for the user; null when it can. */
  missing: string | null;
  isFake: boolean;
}

const SPEC: Record<
  LlmProviderId,
  {
    secret: SecretKey;
    keyEnv: string[];
    urlEnv: string;
    setting: "geminiBaseUrl" | "openaiBaseUrl";
    defaultUrl: string;
  }
> = {
  gemini: {
    secret: "llm.gemini.apiKey",
    keyEnv: ["GEMINI_API_KEY"],
    urlEnv: "SIGHT_GEMINI_BASE_URL",
    setting: "geminiBaseUrl",
    defaultUrl: GEMINI_DEFAULT_BASE_URL,
  },
  openai: {
    secret: "llm.openai.apiKey",
    keyEnv: ["SIGHT_OPENAI_API_KEY"],
    urlEnv: "SIGHT_OPENAI_BASE_URL",
    setting: "openaiBaseUrl",
    defaultUrl: OPENAI_DEFAULT_BASE_URL,
  },
};

function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export function isFakeEnvironment(env: Env): boolean {
  return ["1", "true", "yes"].includes(envValue(env, "SIGHT_LLM_FAKE")?.toLowerCase() ?? "");
}

/** SIGHT_LLM_PROVIDER wins over the settings when it names a known provider. */
export function effectiveProvider(settings: LlmSettings, env: Env): LlmProviderId {
  const fromEnv = envValue(env, "SIGHT_LLM_PROVIDER")?.toLowerCase();
  return (LLM_PROVIDERS as readonly string[]).includes(fromEnv ?? "") ? (fromEnv as LlmProviderId) : settings.provider;
}

export async function resolveProviderConfig(
  provider: LlmProviderId,
  settings: LlmSettings,
  env: Env,
  secrets: SecretStore,
): Promise<ProviderConfig> {
  const spec = SPEC[provider];
  const isFake = isFakeEnvironment(env);

  const urlFromEnv = envValue(env, spec.urlEnv);
  const urlFromSettings = settings[spec.setting];
  const baseUrlSource: ProviderConfig["baseUrlSource"] = urlFromEnv
    ? "environment"
    : urlFromSettings
      ? "settings"
      : "default";
  const baseUrl = (urlFromEnv ?? (urlFromSettings || spec.defaultUrl)).replace(/\/+$/, "");

  // A key from the environment goes only where the environment (or the default) points: a base
  // URL changed in Settings must not receive it. That endpoint gets a key entered for it instead.
  const givenEnvKey = spec.keyEnv.map((name) => envValue(env, name)).find(Boolean) ?? null;
  const envKeyWithheld =
    givenEnvKey !== null && baseUrlSource === "settings" && baseUrl !== spec.defaultUrl.replace(/\/+$/, "");
  const envKey = envKeyWithheld ? null : givenEnvKey;
  const storedKey = (await secrets.get(spec.secret))?.trim() || null;
  // Pointed at the test fakes, the environment's fake key wins: a real stored key never goes to a fake.
  const [first, second] = isFake ? [envKey, storedKey] : [storedKey, envKey];
  const apiKey = first ?? second;
  const keyFromEnv = apiKey !== null && apiKey === envKey && (isFake || storedKey === null);

  // Local OpenAI-compatible servers (Ollama, LM Studio) need no key; api.openai.com and Gemini do.
  const validUrl = isHttpUrl(baseUrl);
  const keyRequired = provider === "gemini" || (validUrl && new URL(baseUrl).hostname === "api.openai.com");
  const keySource: ProviderConfig["keySource"] = apiKey
    ? keyFromEnv
      ? "environment"
      : "secret-store"
    : keyRequired
      ? "none"
      : "not-needed";

  let missing: string | null = null;
  if (!validUrl) missing = `${spec.urlEnv} is not an http(s) URL: set a valid base URL.`;
  else if (!apiKey && keyRequired && envKeyWithheld) {
    missing =
      `${spec.keyEnv[0]} is only sent to ${spec.defaultUrl} or ${spec.urlEnv}; for the base URL set in ` +
      "Settings → AI provider, enter a key there.";
  } else if (!apiKey && keyRequired) {
    missing =
      provider === "gemini"
        ? "No Gemini API key: set one in Settings → AI provider, or set GEMINI_API_KEY."
        : "No API key for the OpenAI-compatible endpoint: set one in Settings → AI provider, or set SIGHT_OPENAI_API_KEY.";
  }
  return { provider, baseUrl, baseUrlSource, apiKey, keySource, missing, isFake };
}

/** The endpoint a base-URL setting means: empty is the provider's default; trailing slashes do not count. */
function endpointOf(provider: LlmProviderId, setting: string): string {
  return (setting || SPEC[provider].defaultUrl).replace(/\/+$/, "");
}

/**
 * Applies a settings patch. A stored key is bound to the endpoint it was entered for: when the
 * patch points a provider at another base URL, that provider's stored key is deleted first, so
 * nobody can repoint the URL and have llm.testConnection (or any call) carry the key elsewhere.
 * The user enters the key again for the new endpoint. Keys from the environment are never sent to
 * a base URL from Settings (see resolveProviderConfig). Returns the secrets it deleted.
 */
export async function updateLlmSettings(
  store: LlmSettingsStore,
  secrets: SecretStore,
  patch: Partial<LlmSettings>,
): Promise<{ settings: LlmSettings; deletedSecrets: SecretKey[] }> {
  const before = store.get();
  const moved = LLM_PROVIDERS.filter((provider) => {
    const setting = SPEC[provider].setting;
    return (
      patch[setting] !== undefined && endpointOf(provider, patch[setting]) !== endpointOf(provider, before[setting])
    );
  });
  const deletedSecrets: SecretKey[] = [];
  for (const provider of moved) {
    const key = SPEC[provider].secret;
    if (await secrets.has(key)) {
      await secrets.delete(key);
      deletedSecrets.push(key);
    }
  }
  return { settings: store.update(patch), deletedSecrets };
}

export async function describeStatus(settings: LlmSettings, env: Env, secrets: SecretStore): Promise<LlmStatus> {
  const config = await resolveProviderConfig(effectiveProvider(settings, env), settings, env, secrets);
  return {
    provider: config.provider,
    configured: config.missing === null,
    missing: config.missing,
    baseUrl: config.baseUrl,
    keySource: config.keySource,
    baseUrlSource: config.baseUrlSource,
    isFake: config.isFake,
    models: { ...settings.models },
  };
}
