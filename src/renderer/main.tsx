import { StrictMode } from "react";
import { z } from "zod";
import { createRoot } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import { I18nextProvider } from "react-i18next";
import { App } from "./App";
import { createQueryClient } from "./api/query-client";
import { BridgeProvider } from "./bridge/BridgeProvider";
import { createBridge } from "./bridge/create-bridge";
import { initI18n, initialLanguage } from "./i18n";
import { ensureInitialRoute, navigate } from "./router/navigation";
import { applyInitialTheme } from "./theme/theme";
import "./styles.css";

// zod would otherwise probe `new Function`, which the CSP (rightly) refuses.
z.config({ jitless: true });
applyInitialTheme();
ensureInitialRoute();
const i18n = initI18n(initialLanguage());
const bridge = createBridge();
// Subscribed before React mounts so the first sight:// link after launch is not missed.
bridge.on("app.deepLink", ({ kind, params }) => {
  if (kind === "open-project" && params.projectId) navigate({ page: "project", id: params.projectId });
});
const queryClient = createQueryClient();

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element.");

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <BridgeProvider bridge={bridge}>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </BridgeProvider>
    </I18nextProvider>
  </StrictMode>,
);
