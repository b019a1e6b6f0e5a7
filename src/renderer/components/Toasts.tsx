import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useToastStore, type Toast } from "../stores/toasts";

const LIFETIME_MS = { success: 5000, error: 10000 } as const;

function ToastItem({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  const dismiss = useToastStore((state) => state.dismiss);
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(toast.id), LIFETIME_MS[toast.kind]);
    return () => window.clearTimeout(timer);
  }, [toast.id, toast.kind, dismiss]);
  return (
    <li className={`toast toast--${toast.kind}`} data-testid="toast" role={toast.kind === "error" ? "alert" : "status"}>
      <div className="toast__text">
        <strong className="toast__title">{toast.title}</strong>
        {toast.message ? <span className="toast__message">{toast.message}</span> : null}
        {toast.action ? (
          <a className="toast__action" href={toast.action.href} onClick={() => dismiss(toast.id)}>
            {toast.action.label}
          </a>
        ) : null}
      </div>
      <button type="button" className="icon-button" onClick={() => dismiss(toast.id)} aria-label={t("app.dismiss")}>
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useToastStore((state) => state.toasts);
  return (
    <section className="toasts" aria-label={t("app.notifications")}>
      <ol className="toasts__list">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} />
        ))}
      </ol>
    </section>
  );
}
