import { useTranslation } from "react-i18next";
import { useInvokeQuery } from "../../api/hooks";
import { useErrorText } from "../../components/ui";
import { hrefOf } from "../../router/routes";

/**
 * One line on which AI provider and model will do the work: a "test provider" badge when Sight
 * talks to its loopback fakes, and what to set (with a way to Settings) when nothing is usable.
 */
export function ProviderStatusLine({ model }: { model?: string }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const status = useInvokeQuery("llm.status", {});

  if (status.isPending) {
    return (
      <p className="provider-line muted" data-testid="provider-status">
        {t("provider.checking")}
      </p>
    );
  }
  if (status.isError) {
    return (
      <p className="provider-line provider-line--problem" data-testid="provider-status" role="alert">
        {t("provider.unknown", { message: errorText(status.error).message })}
      </p>
    );
  }
  const { provider, configured, missing, isFake, models } = status.data;
  if (!configured) {
    return (
      <div className="notice notice--warn provider-line" data-testid="provider-status" role="status">
        <strong>{t("provider.notConfiguredTitle", { provider: t(`provider.short.${provider}`) })}</strong>{" "}
        {/* The server says exactly what is missing, in English; other languages get the gist. */}
        <span>{i18n.language.startsWith("en") && missing ? missing : t(`provider.missing.${provider}`)}</span>{" "}
        <a href={hrefOf({ page: "settings" })}>{t("provider.openSettings")}</a>
      </div>
    );
  }
  return (
    <p className="provider-line" data-testid="provider-status">
      <span className="provider-line__dot" aria-hidden="true" />
      <span>
        {t("provider.line", { provider: t(`provider.short.${provider}`), model: model?.trim() || models.personas })}
      </span>
      {isFake ? (
        <span className="badge badge--warn" title={t("provider.fakeHint")}>
          {t("provider.fake")}
        </span>
      ) : null}
    </p>
  );
}
