import { useEffect, useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { WireError } from "@shared/contract";
import { BridgeError } from "../bridge/bridge";
import { useFormat } from "../i18n/format";
import { describeError } from "./error-text";

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ? <span>{label}</span> : null}
    </span>
  );
}

export function EmptyState({ title, body, children }: { title: string; body?: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2 className="empty-state__title">{title}</h2>
      {body ? <p className="empty-state__body">{body}</p> : null}
      {children ? <div className="empty-state__actions">{children}</div> : null}
    </div>
  );
}

/** A failed query: the translated meaning of the code, the server's message, and a retry. */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useTranslation();
  const { heading, message } = useErrorText()(error);
  return (
    <div className="error-state" role="alert">
      <h2 className="error-state__title">{title ?? heading}</h2>
      <p className="error-state__body">{title ? `${heading}: ${message}` : message}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {t("app.retry")}
        </button>
      ) : null}
    </div>
  );
}

/** Turns any thrown value into { heading: translated meaning of the code, message }, in the UI's language. */
export function useErrorText() {
  const { t } = useTranslation();
  const format = useFormat();
  return (error: unknown) => describeError(t, format, error);
}

/** What a failed job says went wrong, in the UI's language (its stored error, worded like any other). */
export function useJobErrorText() {
  const errorText = useErrorText();
  return (error: WireError | null | undefined) =>
    errorText(error ? BridgeError.fromWire(error) : new BridgeError("INTERNAL", "")).message;
}

interface FieldProps {
  label: string;
  hint?: string;
  error?: string | null;
  required?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** Label + control + hint + error, wired with for/id and aria-describedby. */
export function Field({ label, hint, error, required, children }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <span className="field__label-row">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        {/* Outside the <label> so the field's accessible name stays exactly the label text. */}
        {required ? (
          <span className="field__required" title={t("projectForm.requiredMark")} aria-hidden="true">
            *
          </span>
        ) : null}
      </span>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function PageHeader({
  title,
  actions,
  children,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div className="page-header__text">
        <h1 className="page-header__title" tabIndex={-1}>
          {title}
        </h1>
        {children}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </header>
  );
}

/** "<page> — Sight" in the window title / browser tab. */
export function useDocumentTitle(title: string | undefined) {
  const { t } = useTranslation();
  const product = t("app.name");
  useEffect(() => {
    document.title = title ? `${title} — ${product}` : product;
  }, [title, product]);
}

/** The "Load more" button under a keyset-paginated list; renders nothing on the last page. */
export function LoadMore({
  list,
}: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
}) {
  const { t } = useTranslation();
  if (!list.hasNextPage) return null;
  return (
    <div className="load-more">
      <button
        type="button"
        className="button"
        disabled={list.isFetchingNextPage}
        onClick={() => void list.fetchNextPage()}
      >
        {list.isFetchingNextPage ? t("projects.loadingMore") : t("projects.loadMore")}
      </button>
    </div>
  );
}
