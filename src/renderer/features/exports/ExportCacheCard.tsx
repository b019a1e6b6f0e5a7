import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { useExportCache } from "../../api/exports";
import { invokeQueryKey, useInvokeMutation } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { ErrorState, Field, Spinner } from "../../components/ui";
import { issuesOf } from "../../forms/issues";
import { useFormat } from "../../i18n/format";

const MIN_MB = 50;
const MAX_MB = 100_000;
/** The service counts the limit in binary megabytes. */
const MB = 1024 * 1024;

/** How much room exported files take and may take; past the limit the least recently used go first. */
export function ExportCacheCard() {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const notify = useNotify();
  const client = useQueryClient();
  const cache = useExportCache();
  const [limitText, setLimitText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const update = useInvokeMutation("exports.updateCache", {
    onSuccess: (next) => {
      client.setQueryData(invokeQueryKey("exports.cache", {}), next);
      setLimitText(null);
      notify.success(
        ({ t }) => t("exportCache.saved"),
        ({ t, format }) => t("exportCache.limitValue", { limit: format.bytes(next.limitMb * MB) }),
      );
    },
    onError: (failure) => {
      // The limit refused by the server reads as the form's own check does.
      if (issuesOf(failure)?.some((issue) => issue.path[0] === "limitMb"))
        setError(t("exportCache.limitError", { min: format.integer(MIN_MB), max: format.integer(MAX_MB) }));
      else notify.error(failure);
    },
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const text = (limitText ?? String(cache.data?.limitMb ?? "")).trim();
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= MIN_MB && value <= MAX_MB)) {
      setError(t("exportCache.limitError", { min: format.integer(MIN_MB), max: format.integer(MAX_MB) }));
      return;
    }
    setError(null);
    update.mutate({ limitMb: value });
  };

  return (
    <section className="card export-cache" aria-labelledby={titleId} data-testid="export-cache">
      <h2 id={titleId} className="section-title">
        {t("exportCache.title")}
      </h2>
      <p className="muted">{t("exportCache.intro")}</p>
      {cache.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : cache.isError ? (
        <ErrorState error={cache.error} onRetry={() => void cache.refetch()} />
      ) : (
        <>
          <Usage usedBytes={cache.data.usedBytes} limitMb={cache.data.limitMb} files={cache.data.files} />
          <form className="export-cache__form" onSubmit={submit} noValidate>
            <Field
              label={t("exportCache.limit")}
              hint={t("exportCache.limitHint", { min: format.integer(MIN_MB), max: format.integer(MAX_MB) })}
              error={error}
            >
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  className="input input--number input--short"
                  type="number"
                  inputMode="numeric"
                  min={MIN_MB}
                  max={MAX_MB}
                  step={1}
                  value={limitText ?? String(cache.data.limitMb)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  onChange={(event) => setLimitText(event.target.value)}
                />
              )}
            </Field>
            <button
              type="submit"
              className="button"
              disabled={update.isPending || limitText === null || limitText === String(cache.data.limitMb)}
            >
              {update.isPending ? t("exportCache.saving") : t("exportCache.save")}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

function Usage({ usedBytes, limitMb, files }: { usedBytes: number; limitMb: number; files: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labelId = useId();
  const limitBytes = limitMb * MB;
  const fraction = limitBytes > 0 ? Math.min(1, usedBytes / limitBytes) : 0;
  const text = t("exportCache.usage", {
    used: format.bytes(usedBytes),
    limit: format.bytes(limitBytes),
    files: format.integer(files),
  });
  return (
    <div className="export-cache__usage">
      <p id={labelId} data-testid="export-cache-usage">
        {text}
      </p>
      <div
        className="progress"
        role="meter"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={limitBytes}
        aria-valuenow={Math.min(usedBytes, limitBytes)}
        aria-valuetext={text}
      >
        <div className="progress__bar" style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  );
}
