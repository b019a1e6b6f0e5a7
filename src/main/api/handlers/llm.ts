import type { AreaHandlers } from "../types";

type LlmRoute = "llm.getSettings" | "llm.updateSettings" | "llm.status" | "llm.testConnection";

export const llmHandlers: AreaHandlers<LlmRoute> = ({ llm, llmSettings, bus }) => ({
  "llm.getSettings": async () => llmSettings.get(),
  "llm.updateSettings": async (patch) => {
    const next = llmSettings.update(patch);
    bus.emit("db.changed", { tables: ["LlmSettings"] });
    return next;
  },
  "llm.status": () => llm.status(),
  "llm.testConnection": ({ provider }) => llm.testConnection(provider),
});
