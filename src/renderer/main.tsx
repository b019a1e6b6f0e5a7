import { StrictMode } from "react";
import { z } from "zod";
import { createRoot } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import { I18nextProvider } from "react-i18next";
import { INVITE_TOKEN_PATTERN } from "@shared/contract";
import { App } from "./App";
import { createQueryClient } from "./api/query-client";
import { BridgeProvider } from "./bridge/BridgeProvider";
import { createBridge } from "./bridge/create-bridge";
import { ViewerApp } from "./features/live/ViewerApp";
import { initI18n, initialLanguage } from "./i18n";
import { useLiveJoinStore } from "./live/join-store";
import { viewerJoinFromLocation, viewerOrigin, type ViewerJoin } from "./live/viewer-link";
import { ensureInitialRoute, navigate } from "./router/navigation";
import { applyInitialTheme } from "./theme/theme";
import "./styles.css";

// zod would otherwise probe `new Function`, which the CSP (rightly) refuses.
z.config({ jitless: true });
applyInitialTheme();
const i18n = initI18n(initialLanguage());

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element.");

// Decided before any bridge exists: a viewer's page (<origin>/live/<id>#token=…) has no host
// token and must reach nothing of the researcher's workspace, only the live session's socket.
const viewerJoin = viewerJoinFromLocation(window.location);
if (viewerJoin) startViewer(viewerJoin);
else startApp();

function startViewer(first: ViewerJoin): void {
  const root = createRoot(container!);
  let opened = 0;
  const show = (join: ViewerJoin) => {
    opened += 1;
    // Out of the address bar, and so of history, bookmarks and shared screens, once read; the
    // page keeps it in memory for reconnects.
    window.history.replaceState(null, "", window.location.pathname);
    root.render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <ViewerApp key={opened} join={join} standalone />
        </I18nextProvider>
      </StrictMode>,
    );
  };
  show(first);
  // The link opened again in this tab only changes the fragment (no page load): join with it.
  window.addEventListener("hashchange", () => {
    const again = viewerJoinFromLocation(window.location);
    if (again?.token) show(again);
  });
}

function startApp(): void {
  ensureInitialRoute();
  const bridge = createBridge();
  // Subscribed before React mounts so the first sight:// link after launch is not missed.
  bridge.on("app.deepLink", ({ kind, params }) => {
    if (kind === "open-project" && params.projectId) {
      // A CRM note links back to its study: open it; otherwise the project.
      if (params.focusGroup) navigate({ page: "focus-group", id: params.focusGroup });
      else if (params.survey) navigate({ page: "survey", id: params.survey });
      else navigate({ page: "project", id: params.projectId });
    }
    if (kind === "join-session" && params.sessionId) {
      const origin = params.via ? viewerOrigin(params.via) : null;
      const token = params.code && INVITE_TOKEN_PATTERN.test(params.code) ? params.code : null;
      // Remembered in memory only: the route names the session, never the invite.
      if (origin) useLiveJoinStore.getState().remember({ sessionId: params.sessionId, token, origin });
      navigate({ page: "live-viewer", sessionId: params.sessionId });
    }
  });
  const queryClient = createQueryClient();

  createRoot(container!).render(
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
}
