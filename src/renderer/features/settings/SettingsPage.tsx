import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { SECRET_KEYS, type Preferences } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { toast } from "../../stores/toasts";
import { AiProviderSection } from "./AiProviderSection";
import { ApiKeyRow } from "./ApiKeyRow";
import { ResponseStyleSection } from "./ResponseStyleSection";

export function SettingsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("settings.title"));
  return (
    <>
      <PageHeader title={t("settings.title")} />
      <div className="settings">
        <AppearanceSection />
        <AiProviderSection />
        <section className="card" aria-labelledby="settings-keys">
          <h2 id="settings-keys" className="section-title">
            {t("settings.apiKeys")}
          </h2>
          <p className="muted">{t("settings.apiKeysHint")}</p>
          <div className="api-keys">
            {SECRET_KEYS.map((key) => (
              <ApiKeyRow key={key} secretKey={key} />
            ))}
          </div>
        </section>
        <ResponseStyleSection />
        <DataSection />
        <AboutSection />
      </div>
    </>
  );
}

function AppearanceSection() {
  const { t } = useTranslation();
  const notify = useNotify();
  const client = useQueryClient();
  const settings = useInvokeQuery("settings.get", {});
  const key = invokeQueryKey("settings.get", {});
  // Optimistic: the theme and language apply on change; a refusal puts the old value back.
  const save = useInvokeMutation("settings.update", {
    onMutate: async (patch) => {
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<Preferences>(key);
      if (previous) client.setQueryData<Preferences>(key, { ...previous, ...patch });
      return { previous };
    },
    onSuccess: (next) => {
      client.setQueryData(key, next);
      toast.success(({ t }) => t("settings.saved"));
    },
    onError: (error, _patch, context) => {
      const previous = (context as { previous?: Preferences } | undefined)?.previous;
      if (previous) client.setQueryData(key, previous);
      notify.error(error);
    },
  });

  return (
    <section className="card" aria-labelledby="settings-appearance">
      <h2 id="settings-appearance" className="section-title">
        {t("settings.appearance")}
      </h2>
      {settings.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <div className="settings__row">
          <div className="field">
            <label className="field__label" htmlFor="settings-theme">
              {t("settings.theme")}
            </label>
            <select
              id="settings-theme"
              className="select"
              value={settings.data.theme}
              onChange={(event) => save.mutate({ theme: event.target.value as Preferences["theme"] })}
            >
              <option value="system">{t("settings.themeSystem")}</option>
              <option value="light">{t("settings.themeLight")}</option>
              <option value="dark">{t("settings.themeDark")}</option>
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="settings-language">
              {t("settings.language")}
            </label>
            <select
              id="settings-language"
              className="select"
              value={settings.data.language}
              onChange={(event) => save.mutate({ language: event.target.value as Preferences["language"] })}
            >
              <option value="en" lang="en">
                {t("settings.languageEn")}
              </option>
              <option value="pl" lang="pl">
                {t("settings.languagePl")}
              </option>
            </select>
          </div>
        </div>
      )}
    </section>
  );
}

function DataSection() {
  const { t } = useTranslation();
  const notify = useNotify();
  const info = useInvokeQuery("app.info", {}, { staleTime: Infinity });
  const open = useInvokeMutation("app.openDataFolder", {
    onSuccess: (result) => {
      if (!result.opened) toast.error(({ t }) => t("settings.folderNotOpened"), result.path);
    },
    onError: notify.error,
  });
  const copy = async (path: string) => {
    try {
      await navigator.clipboard.writeText(path);
      toast.success(({ t }) => t("settings.copied"));
    } catch {
      toast.error(({ t }) => t("settings.copyFailed"));
    }
  };

  return (
    <section className="card" aria-labelledby="settings-data">
      <h2 id="settings-data" className="section-title">
        {t("settings.data")}
      </h2>
      {info.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : info.isError ? (
        <ErrorState error={info.error} onRetry={() => void info.refetch()} />
      ) : (
        <div className="field">
          <span className="field__label" id="data-folder-label">
            {t("settings.dataFolder")}
          </span>
          <div className="path-row">
            <code className="path" aria-labelledby="data-folder-label" data-testid="data-folder">
              {info.data.dataDir}
            </code>
            {info.data.canOpenFolders ? (
              <button type="button" className="button" disabled={open.isPending} onClick={() => open.mutate({})}>
                {t("settings.openFolder")}
              </button>
            ) : (
              <button type="button" className="button" onClick={() => void copy(info.data.dataDir)}>
                {t("settings.copyPath")}
              </button>
            )}
          </div>
          <p className="field__hint">{t("settings.dataFolderHint")}</p>
        </div>
      )}
    </section>
  );
}

function AboutSection() {
  const { t } = useTranslation();
  const info = useInvokeQuery("app.info", {}, { staleTime: Infinity });
  return (
    <section className="card" aria-labelledby="settings-about">
      <h2 id="settings-about" className="section-title">
        {t("settings.about")}
      </h2>
      {info.data ? (
        <dl className="details details--compact details--inline">
          <div>
            <dt>{t("settings.version")}</dt>
            <dd data-testid="app-version">{info.data.version}</dd>
          </div>
          <div>
            <dt>{t("settings.host")}</dt>
            <dd data-testid="app-host">
              {info.data.host === "headless" ? t("settings.hostHeadless") : t("settings.hostDesktop")}
            </dd>
          </div>
          <div>
            <dt>{t("settings.platform")}</dt>
            <dd>{info.data.platform}</dd>
          </div>
        </dl>
      ) : info.isError ? (
        <ErrorState error={info.error} onRetry={() => void info.refetch()} />
      ) : (
        <Spinner label={t("app.loading")} />
      )}
    </section>
  );
}
