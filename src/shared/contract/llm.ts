import { z } from "zod";
import { route } from "./define";
import { because } from "./issues";

export const LLM_PROVIDERS = ["gemini", "openai"] as const;
export const llmProviderSchema = z.enum(LLM_PROVIDERS);
export type LlmProviderId = z.infer<typeof llmProviderSchema>;

/** What a model is used for; each task can have its own model. */
export const LLM_TASKS = ["personas", "discussion", "analysis"] as const;
export const llmTaskSchema = z.enum(LLM_TASKS);
export type LlmTask = z.infer<typeof llmTaskSchema>;

const modelName = z.string().trim().min(1).max(200);
const baseUrl = z
  .string()
  .trim()
  .max(500)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === "http:" || url.protocol === "https:";
      } catch {
        return false;
      }
    },
    { message: "must be an http(s) URL", ...because("not_http_url") },
  );

/** US dollars per one million tokens. */
export const modelPriceSchema = z.object({
  inputPerMTok: z.number().min(0).max(1000),
  outputPerMTok: z.number().min(0).max(1000),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export const llmSettingsSchema = z.object({
  provider: llmProviderSchema,
  models: z.object({ personas: modelName, discussion: modelName, analysis: modelName }),
  /** Empty means the provider's default endpoint. */
  geminiBaseUrl: z.union([baseUrl, z.literal("")]),
  openaiBaseUrl: z.union([baseUrl, z.literal("")]),
  /** Requests in flight per provider. */
  concurrency: z.number().int().min(1).max(64),
  requestTimeoutMs: z.number().int().min(1000).max(600_000),
  prices: z.record(modelName, modelPriceSchema),
});
export type LlmSettings = z.infer<typeof llmSettingsSchema>;

export const DEFAULT_LLM_SETTINGS: LlmSettings = {
  provider: "gemini",
  models: { personas: "gemini-2.5-flash", discussion: "gemini-2.5-flash", analysis: "gemini-2.5-pro" },
  geminiBaseUrl: "",
  openaiBaseUrl: "http://127.0.0.1:11434/v1",
  concurrency: 8,
  requestTimeoutMs: 120_000,
  prices: {
    "gemini-2.5-flash": { inputPerMTok: 0.3, outputPerMTok: 2.5 },
    "gemini-2.5-pro": { inputPerMTok: 1.25, outputPerMTok: 10 },
    "gemini-2.5-flash-lite": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  },
};

export const llmStatusSchema = z.object({
  provider: llmProviderSchema,
  configured: z.boolean(),
  /** What is missing when not configured, e.g. "Set a Gemini API key in Settings or GEMINI_API_KEY". */
  missing: z.string().nullable(),
  baseUrl: z.string(),
  /** Where each value comes from, so the UI can say "from environment". */
  keySource: z.enum(["secret-store", "environment", "none", "not-needed"]),
  baseUrlSource: z.enum(["settings", "environment", "default"]),
  /** True when pointed at Sight's loopback test fakes (npm run fakes). */
  isFake: z.boolean(),
  models: z.object({ personas: z.string(), discussion: z.string(), analysis: z.string() }),
});
export type LlmStatus = z.infer<typeof llmStatusSchema>;

export const llmRoutes = {
  "llm.getSettings": route({
    summary: "Read the LLM provider settings (never includes keys).",
    input: z.strictObject({}),
    output: llmSettingsSchema,
    rest: { method: "GET", path: "/llm/settings" },
  }),
  "llm.updateSettings": route({
    summary: "Change the LLM provider settings.",
    input: llmSettingsSchema.partial().strict(),
    output: llmSettingsSchema,
    rest: { method: "PATCH", path: "/llm/settings" },
  }),
  "llm.status": route({
    summary: "Which provider is in force, whether it is configured, and whether it is a test fake.",
    input: z.strictObject({}),
    output: llmStatusSchema,
    rest: { method: "GET", path: "/llm/status" },
  }),
  "llm.testConnection": route({
    summary: "Send one small request to the configured provider and report the outcome.",
    input: z.strictObject({ provider: llmProviderSchema.optional() }),
    output: z.object({
      ok: z.boolean(),
      provider: llmProviderSchema,
      model: z.string(),
      latencyMs: z.number().nonnegative(),
      message: z.string(),
    }),
    rest: { method: "POST", path: "/llm/test-connection" },
  }),
};
