import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import {
  LLM_PROVIDERS,
  LLM_TASKS,
  type LlmProviderId,
  type LlmSettings,
  type LlmStatus,
  type LlmTask,
} from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { ErrorState, Field, Spinner } from "../../components/ui";
import { useIssueText } from "../../forms/issue-text";
import { issuesOf, messagesByPath } from "../../forms/issues";
import { ProviderStatusCard } from "../llm/ProviderStatusCard";
import { newPriceRow, PriceTable, type PriceRow } from "./PriceTable";

const MAX_PRICE = 1000;

/** Empty (the provider's default) or an http(s) URL, as the contract requires. */
function isBaseUrl(value: string): boolean {
  if (value === "") return true;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Environment variables that override each base URL (see the README). */
const BASE_URL_ENV: Record<LlmProviderId, string> = {
  gemini: "SIGHT_GEMINI_BASE_URL",
  openai: "SIGHT_OPENAI_BASE_URL",
};

export function AiProviderSection() {
  const { t } = useTranslation();
  const settings = useInvokeQuery("llm.getSettings", {});
  const status = useInvokeQuery("llm.status", {});

  return (
    <section className="card" aria-labelledby="settings-ai">
      <h2 id="settings-ai" className="section-title">
        {t("aiProvider.title")}
      </h2>
      <p className="muted">{t("aiProvider.intro")}</p>
      {status.data ? (
        <ProviderStatusCard status={status.data} />
      ) : status.isError ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : null}
      {settings.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        // A new saved value (here or from another window) starts the form afresh.
        <AiProviderForm key={JSON.stringify(settings.data)} settings={settings.data} status={status.data} />
      )}
    </section>
  );
}

type SimpleField = "provider" | "geminiBaseUrl" | "openaiBaseUrl" | "concurrency" | "requestTimeoutMs";
type FormErrors = Partial<Record<SimpleField | `models.${LlmTask}`, string>>;

function AiProviderForm({ settings, status }: { settings: LlmSettings; status: LlmStatus | undefined }) {
  const { t } = useTranslation();
  const issueText = useIssueText();
  const notify = useNotify();
  const client = useQueryClient();
  const [provider, setProvider] = useState<LlmProviderId>(settings.provider);
  const [models, setModels] = useState<Record<LlmTask, string>>({ ...settings.models });
  const [geminiBaseUrl, setGeminiBaseUrl] = useState(settings.geminiBaseUrl);
  const [openaiBaseUrl, setOpenaiBaseUrl] = useState(settings.openaiBaseUrl);
  const [concurrency, setConcurrency] = useState(String(settings.concurrency));
  const [timeoutSeconds, setTimeoutSeconds] = useState(String(settings.requestTimeoutMs / 1000));
  const [prices, setPrices] = useState<PriceRow[]>(() =>
    Object.entries(settings.prices).map(([model, price]) => newPriceRow(model, price)),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const [priceErrors, setPriceErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const save = useInvokeMutation("llm.updateSettings", {
    onSuccess: (next) => {
      client.setQueryData(invokeQueryKey("llm.getSettings", {}), next);
      void client.invalidateQueries({ queryKey: ["llm.status"] });
      notify.success(({ t }) => t("aiProvider.saved"));
    },
    onError: (error) => {
      const issues = issuesOf(error);
      if (!issues) {
        notify.error(error);
        return;
      }
      // The same words the form's own check uses, field by field; never the server's.
      const fields = messagesByPath(issues, (issue) => {
        const [head] = issue.path;
        if (head === "models" && issue.code === "too_small") return t("aiProvider.modelRequired");
        if (head === "geminiBaseUrl" || head === "openaiBaseUrl") return t("aiProvider.baseUrlError");
        if (head === "concurrency") return t("aiProvider.concurrencyError");
        if (head === "requestTimeoutMs") return t("aiProvider.timeoutError");
        if (head === "prices") return t("aiProvider.priceError", { max: MAX_PRICE });
        return issueText(issue);
      });
      const next: FormErrors = {};
      const rows: Record<string, string> = {};
      for (const [path, message] of Object.entries(fields)) {
        const [head, second] = path.split(".");
        if (head === "prices") {
          const row = prices.find((candidate) => candidate.model.trim() === second);
          if (row) rows[row.uid] ??= message;
        } else if (head === "models") {
          next[`models.${second as LlmTask}`] ??= message;
        } else if (head) {
          next[head as SimpleField] ??= message;
        }
      }
      setErrors(next);
      setPriceErrors(rows);
      setFormError(t("aiProvider.fixErrors"));
    },
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const problems: FormErrors = {};
    const rowProblems: Record<string, string> = {};
    for (const task of LLM_TASKS) if (!models[task].trim()) problems[`models.${task}`] = t("aiProvider.modelRequired");
    if (!isBaseUrl(geminiBaseUrl.trim())) problems.geminiBaseUrl = t("aiProvider.baseUrlError");
    if (!isBaseUrl(openaiBaseUrl.trim())) problems.openaiBaseUrl = t("aiProvider.baseUrlError");
    const concurrencyValue = Number(concurrency);
    if (!Number.isInteger(concurrencyValue) || concurrencyValue < 1 || concurrencyValue > 64)
      problems.concurrency = t("aiProvider.concurrencyError");
    const seconds = Number(timeoutSeconds.replace(",", "."));
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600)
      problems.requestTimeoutMs = t("aiProvider.timeoutError");

    const priceMap: LlmSettings["prices"] = {};
    const seen = new Set<string>();
    for (const row of prices) {
      const model = row.model.trim();
      const input = Number(row.input.replace(",", "."));
      const output = Number(row.output.replace(",", "."));
      if (!model) rowProblems[row.uid] = t("aiProvider.priceModelRequired");
      else if (seen.has(model)) rowProblems[row.uid] = t("aiProvider.duplicateModel");
      else if (
        row.input.trim() === "" ||
        row.output.trim() === "" ||
        !(input >= 0 && input <= MAX_PRICE && output >= 0 && output <= MAX_PRICE)
      )
        rowProblems[row.uid] = t("aiProvider.priceError", { max: MAX_PRICE });
      seen.add(model);
      priceMap[model] = { inputPerMTok: input, outputPerMTok: output };
    }

    setErrors(problems);
    setPriceErrors(rowProblems);
    if (Object.keys(problems).length > 0 || Object.keys(rowProblems).length > 0) {
      setFormError(t("aiProvider.fixErrors"));
      return;
    }
    setFormError(null);
    save.mutate({
      provider,
      models: {
        personas: models.personas.trim(),
        discussion: models.discussion.trim(),
        analysis: models.analysis.trim(),
      },
      geminiBaseUrl: geminiBaseUrl.trim(),
      openaiBaseUrl: openaiBaseUrl.trim(),
      concurrency: concurrencyValue,
      requestTimeoutMs: Math.round(seconds * 1000),
      prices: priceMap,
    });
  };

  /** "From the environment" when the provider in force takes this URL from its variable. */
  const envNote = (which: LlmProviderId) =>
    status && status.provider === which && status.baseUrlSource === "environment"
      ? t("aiProvider.fromEnvironment", { variable: BASE_URL_ENV[which], url: status.baseUrl })
      : null;

  return (
    <form className="ai-form" onSubmit={submit} noValidate aria-label={t("aiProvider.formLabel")}>
      {formError ? (
        <p className="notice notice--error form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <Field
        label={t("aiProvider.provider")}
        error={errors.provider}
        hint={
          status && status.provider !== provider
            ? t("aiProvider.providerFromEnvironment", {
                provider: t(`provider.short.${status.provider}`),
              })
            : undefined
        }
      >
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            className="select"
            value={provider}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => setProvider(event.target.value as LlmProviderId)}
          >
            {LLM_PROVIDERS.map((id) => (
              <option key={id} value={id}>
                {t(`provider.name.${id}`)}
              </option>
            ))}
          </select>
        )}
      </Field>

      <fieldset className="ai-form__group">
        <legend className="field__label">{t("aiProvider.models")}</legend>
        <div className="form-grid form-grid--three">
          {LLM_TASKS.map((task) => (
            <Field key={task} label={t(`aiProvider.model.${task}`)} error={errors[`models.${task}`]}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  className="input"
                  type="text"
                  spellCheck={false}
                  maxLength={200}
                  value={models[task]}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  onChange={(event) => setModels((previous) => ({ ...previous, [task]: event.target.value }))}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>

      <div className="form-grid form-grid--two">
        <Field
          label={t("aiProvider.geminiBaseUrl")}
          hint={envNote("gemini") ?? t("aiProvider.geminiBaseUrlHint")}
          error={errors.geminiBaseUrl}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className="input"
              type="url"
              spellCheck={false}
              maxLength={500}
              value={geminiBaseUrl}
              placeholder="https://generativelanguage.googleapis.com"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setGeminiBaseUrl(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("aiProvider.openaiBaseUrl")}
          hint={envNote("openai") ?? t("aiProvider.openaiBaseUrlHint")}
          error={errors.openaiBaseUrl}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className="input"
              type="url"
              spellCheck={false}
              maxLength={500}
              value={openaiBaseUrl}
              placeholder="http://127.0.0.1:11434/v1"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setOpenaiBaseUrl(event.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-grid form-grid--numbers">
        <Field label={t("aiProvider.concurrency")} hint={t("aiProvider.concurrencyHint")} error={errors.concurrency}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className="input input--number input--short"
              type="number"
              inputMode="numeric"
              min={1}
              max={64}
              step={1}
              value={concurrency}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setConcurrency(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("aiProvider.timeout")} hint={t("aiProvider.timeoutHint")} error={errors.requestTimeoutMs}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className="input input--number input--short"
              type="number"
              inputMode="numeric"
              min={1}
              max={600}
              step={1}
              value={timeoutSeconds}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setTimeoutSeconds(event.target.value)}
            />
          )}
        </Field>
      </div>

      <fieldset className="ai-form__group">
        <legend className="field__label">{t("aiProvider.prices")}</legend>
        <p className="field__hint">{t("aiProvider.pricesHint")}</p>
        <PriceTable rows={prices} onChange={setPrices} errors={priceErrors} />
      </fieldset>

      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? t("aiProvider.saving") : t("aiProvider.save")}
        </button>
      </div>
    </form>
  );
}
