import { useTranslation } from "react-i18next";
import { EmptyState } from "../../components/ui";
import { useLiveJoinStore } from "../../live/join-store";
import { navigate } from "../../router/navigation";
import { ViewerApp } from "./ViewerApp";

/**
 * #/live/<sessionId> in the desktop app: a `sight://join-session/…` link's session, full-window.
 * The invite came with the link and lives only in memory; after a reload it is gone, so the page
 * asks for the link again instead of guessing.
 */
export function LiveViewerPage({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const join = useLiveJoinStore((state) => state.joins[sessionId]);
  const forget = useLiveJoinStore((state) => state.forget);
  const leave = () => {
    forget(sessionId);
    navigate({ page: "projects" }, { replace: true });
  };
  if (!join) {
    return (
      <div className="viewer">
        <main id="main" className="viewer__main" tabIndex={-1}>
          <EmptyState title={t("live.refused.INVITE_MISSING.title")} body={t("live.refused.INVITE_MISSING.body")}>
            <button type="button" className="button button--primary" onClick={leave}>
              {t("app.backToProjects")}
            </button>
          </EmptyState>
        </main>
      </div>
    );
  }
  // A new invite for the same session (another link opened) starts a fresh connection.
  return <ViewerApp key={join.token} join={join} onLeave={leave} />;
}
