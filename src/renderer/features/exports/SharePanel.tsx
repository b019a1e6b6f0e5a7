import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SHARE_DEFAULT_HOURS, SHARE_MAX_HOURS, type ExportRecord } from "@shared/contract";
import { useInvokeMutation } from "../../api/hooks";
import { ChoiceCards } from "../../components/ChoiceCards";
import { useErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { toast } from "../../stores/toasts";

/** The lifetimes offered, in hours: an hour, a day (the default), the longest allowed. */
const LIFETIMES = [
  { hours: 1, key: "hour" },
  { hours: SHARE_DEFAULT_HOURS, key: "day" },
  { hours: SHARE_MAX_HOURS, key: "week" },
] as const;

/**
 * A signed, expiring download link for a teammate: pick how long it lives, create it, copy it.
 * Says plainly who can use it (whoever reaches this host) and when it stops working.
 */
export function SharePanel({ record }: { record: ExportRecord }) {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useErrorText();
  const fieldId = useId();
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [hours, setHours] = useState<number>(SHARE_DEFAULT_HOURS);
  const share = useInvokeMutation("exports.share", {
    onSuccess: () => window.requestAnimationFrame(() => inputRef.current?.select()),
  });
  const link = share.data;
  const error = share.error ? errorText(share.error) : null;

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      toast.success(({ t }) => t("share.copied"));
    } catch {
      // No clipboard API outside a secure context (a LAN address over http): select it for the user.
      inputRef.current?.select();
      toast.error(({ t }) => t("share.copyFailed"));
    }
  };

  return (
    <section className="share" aria-label={t("share.title")} data-testid="share-panel">
      <div className="share__create">
        <ChoiceCards<number>
          legend={t("share.lifetime")}
          variant="segmented"
          value={hours}
          onChange={setHours}
          choices={LIFETIMES.map(({ hours: value, key }) => ({ value, label: t(`share.lifetimes.${key}`) }))}
        />
        <button
          type="button"
          className={link ? "button" : "button button--primary"}
          disabled={share.isPending}
          onClick={() => share.mutate({ id: record.id, expiresInHours: hours })}
        >
          {share.isPending ? t("share.creating") : link ? t("share.createAnother") : t("share.create")}
        </button>
      </div>
      {error ? (
        <div className="notice notice--error" role="alert">
          <strong>{error.heading}</strong>
          <p>{error.message}</p>
        </div>
      ) : null}
      {link ? (
        <div className="field share__result" aria-live="polite">
          <label className="field__label" htmlFor={fieldId}>
            {t("share.link")}
          </label>
          <div className="path-row">
            <input
              ref={inputRef}
              id={fieldId}
              className="input share__url"
              type="text"
              readOnly
              spellCheck={false}
              value={link.url}
              aria-describedby={hintId}
              onFocus={(event) => event.target.select()}
              data-testid="share-url"
            />
            <button type="button" className="button" onClick={() => void copy()}>
              {t("share.copy")}
            </button>
          </div>
          <p className="share__expiry" data-testid="share-expiry">
            {t("share.expires", { relative: format.relative(link.expiresAt) })}
            {" · "}
            <time dateTime={link.expiresAt}>{format.dateTime(link.expiresAt)}</time>
          </p>
          <p className="field__hint" id={hintId}>
            {t("share.who", { host: hostOf(link.url) })}
          </p>
        </div>
      ) : (
        <p className="field__hint">{t("share.intro")}</p>
      )}
    </section>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
