import { z } from "zod";
import { route } from "./define";
import { PLAN_IDS } from "./plan";
import { responseStyleSettingsSchema } from "./response-style";

export const THEMES = ["system", "light", "dark"] as const;
export const LANGUAGES = ["en", "pl"] as const;
export type Language = (typeof LANGUAGES)[number];

export const preferencesSchema = z.object({
  theme: z.enum(THEMES),
  language: z.enum(LANGUAGES),
});
export type Preferences = z.infer<typeof preferencesSchema>;
export const DEFAULT_PREFERENCES: Preferences = { theme: "system", language: "en" };

/**
 * The closed list of secrets the app keeps. The renderer may set, test for and delete them;
 * no route ever returns a value.
 */
export const SECRET_KEYS = ["llm.gemini.apiKey", "llm.openai.apiKey"] as const;
export const secretKeySchema = z.enum(SECRET_KEYS);
export type SecretKey = z.infer<typeof secretKeySchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  host: z.enum(["desktop", "headless"]),
  dataDir: z.string(),
  platform: z.string(),
  plan: z.enum(PLAN_IDS),
  /** Whether the host can open folders natively (desktop) or only show the path (browser). */
  canOpenFolders: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const secretKeyInput = z.strictObject({ key: secretKeySchema });

export const settingsRoutes = {
  "app.info": route({
    summary: "Version, host kind, data folder and plan.",
    input: z.strictObject({}),
    output: appInfoSchema,
    rest: { method: "GET", path: "/app/info" },
  }),
  "app.openDataFolder": route({
    summary: "Open the data folder in the system file manager (desktop); reports whether it could.",
    input: z.strictObject({}),
    output: z.object({ opened: z.boolean(), path: z.string() }),
    rest: { method: "POST", path: "/app/open-data-folder" },
  }),
  "settings.get": route({
    summary: "Read the preferences.",
    input: z.strictObject({}),
    output: preferencesSchema,
    rest: { method: "GET", path: "/settings" },
  }),
  "settings.update": route({
    summary: "Change preferences.",
    input: preferencesSchema.partial().strict(),
    output: preferencesSchema,
    rest: { method: "PATCH", path: "/settings" },
  }),
  "settings.getResponseStyle": route({
    summary: "Read the human benchmarks and thresholds that rating questions' response-style warnings use.",
    input: z.strictObject({}),
    output: responseStyleSettingsSchema,
    rest: { method: "GET", path: "/settings/response-style" },
  }),
  "settings.updateResponseStyle": route({
    summary:
      "Change the response-style benchmarks (one per scale length, replaced as a list) or thresholds; " +
      "survey results and new exports use them at once.",
    input: responseStyleSettingsSchema.partial().strict(),
    output: responseStyleSettingsSchema,
    rest: { method: "PATCH", path: "/settings/response-style" },
  }),
  "secrets.set": route({
    summary: "Store a secret encrypted; the value is never returned.",
    input: z.strictObject({ key: secretKeySchema, value: z.string().min(1).max(4096) }),
    output: z.object({ key: secretKeySchema, present: z.literal(true) }),
    rest: { method: "PUT", path: "/secrets/{key}" },
  }),
  "secrets.has": route({
    summary: "Whether a secret is stored.",
    input: secretKeyInput,
    output: z.object({ key: secretKeySchema, present: z.boolean() }),
    rest: { method: "GET", path: "/secrets/{key}" },
  }),
  "secrets.delete": route({
    summary: "Forget a secret.",
    input: secretKeyInput,
    output: z.object({ key: secretKeySchema, present: z.literal(false) }),
    rest: { method: "DELETE", path: "/secrets/{key}" },
  }),
};
