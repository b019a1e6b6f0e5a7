import { updateLlmSettings } from "../../services/llm/provider-config";
import type { AreaHandlers } from "../types";

type LlmRoute = "llm.getSettings" | "llm.updateSettings" | "llm.status" | "llm.testConnection";

export const llmHandlers: AreaHandlers<LlmRoute> = ({ llm, llmSettings, bus, deps }) => ({
  "llm.getSettings": async () => llmSettings.get(),
  "llm.updateSettings": async (patch) => {
    // A new base URL deletes that provider's stored key; "Secrets" tells the UI to ask for it again.
    const { settings, deletedSecrets } = await updateLlmSettings(llmSettings, deps.secrets, patch);
    bus.emit("db.changed", { tables: deletedSecrets.length ? ["LlmSettings", "Secrets"] : ["LlmSettings"] });
    return settings;
  },
  "llm.status": () => llm.status(),
  "llm.testConnection": ({ provider }) => llm.testConnection(provider),
});
