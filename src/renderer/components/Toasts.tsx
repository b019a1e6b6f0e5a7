import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../i18n/format";
import { toastText, useToastStore, type Toast } from "../stores/toasts";

const LIFETIME_MS = { success: 5000, error: 10000 } as const;

function ToastItem({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  const format = useFormat();
  const dismiss = useToastStore((state) => state.dismiss);
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(toast.id), LIFETIME_MS[toast.kind]);
    return () => window.clearTimeout(timer);
  }, [toast.id, toast.kind, dismiss]);
  // Rendered here, not when shown: a change of language re-renders the words in the new one.
  const words = { t, format };
  return (
    <li className={`toast toast--${toast.kind}`} data-testid="toast" role={toast.kind === "error" ? "alert" : "status"}>
      <div className="toast__text">
        <strong className="toast__title">{toastText(toast.title, words)}</strong>
        {toast.message ? <span className="toast__message">{toastText(toast.message, words)}</span> : null}
        {toast.action ? (
          <a className="toast__action" href={toast.action.href} onClick={() => dismiss(toast.id)}>
            {toastText(toast.action.label, words)}
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
  const { t, i18n } = useTranslation();
  const toasts = useToastStore((state) => state.toasts);
  const dropStale = useToastStore((state) => state.dropStale);
  // Toasts whose words are fixed strings cannot follow the new language: they go.
  useEffect(() => dropStale(i18n.language), [i18n.language, dropStale]);
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
