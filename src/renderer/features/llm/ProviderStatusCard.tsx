import { useTranslation } from "react-i18next";
import type { LlmStatus } from "@shared/contract";
import { useInvokeMutation } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { useFormat } from "../../i18n/format";

/** The provider in force: ready or what is missing, where its endpoint and key come from, and a live test. */
export function ProviderStatusCard({ status }: { status: LlmStatus }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const test = useInvokeMutation("llm.testConnection", { onError: notify.error });
  const result = test.data;

  return (
    <div className="provider-card" data-testid="provider-card">
      <div className="provider-card__head">
        <h3 className="provider-card__name">{t(`provider.short.${status.provider}`)}</h3>
        <span className={`badge ${status.configured ? "badge--success" : "badge--warn"}`}>
          {status.configured ? t("aiProvider.ready") : t("aiProvider.notConfigured")}
        </span>
        {status.isFake ? (
          <span className="badge badge--warn" title={t("provider.fakeHint")}>
            {t("provider.fake")}
          </span>
        ) : null}
      </div>
      {status.missing ? <p className="notice notice--warn">{status.missing}</p> : null}
      <dl className="facts">
        <div className="facts__row">
          <dt>{t("aiProvider.endpoint")}</dt>
          <dd>
            <code className="provider-card__url">{status.baseUrl}</code>{" "}
            <span className="muted">({t(`aiProvider.baseUrlSource.${status.baseUrlSource}`)})</span>
          </dd>
        </div>
        <div className="facts__row">
          <dt>{t("aiProvider.apiKey")}</dt>
          <dd>{t(`aiProvider.keySource.${status.keySource}`)}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("aiProvider.models")}</dt>
          <dd>
            {t("aiProvider.modelsSummary", {
              personas: status.models.personas,
              discussion: status.models.discussion,
              analysis: status.models.analysis,
            })}
          </dd>
        </div>
      </dl>
      <div className="provider-card__test">
        <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate({})}>
          {test.isPending ? t("aiProvider.testing") : t("aiProvider.testConnection")}
        </button>
        {result && !test.isPending ? (
          <div
            className={`notice ${result.ok ? "notice--success" : "notice--error"}`}
            role={result.ok ? "status" : "alert"}
            data-testid="connection-result"
          >
            <strong>
              {result.ok
                ? t("aiProvider.testOk", { ms: format.integer(result.latencyMs) })
                : t("aiProvider.testFailed", { ms: format.integer(result.latencyMs) })}
            </strong>{" "}
            <span>{result.message}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}
