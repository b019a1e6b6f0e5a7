import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { SecretKey } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";

const LABEL_KEY = {
  "llm.gemini.apiKey": "settings.geminiKey",
  "llm.openai.apiKey": "settings.openaiKey",
} as const satisfies Record<SecretKey, string>;

/** One secret: write-only input, Save, Stored / Not set, Remove. The value never comes back. */
export function ApiKeyRow({ secretKey }: { secretKey: SecretKey }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const client = useQueryClient();
  const id = useId();
  const [value, setValue] = useState("");
  const label = t(LABEL_KEY[secretKey]);
  const status = useInvokeQuery("secrets.has", { key: secretKey });
  const statusKey = invokeQueryKey("secrets.has", { key: secretKey });

  const save = useInvokeMutation("secrets.set", {
    onSuccess: (result) => {
      setValue("");
      client.setQueryData(statusKey, result);
      notify.success(({ t }) => t("settings.keySaved"), label);
    },
    onError: notify.error,
  });
  const remove = useInvokeMutation("secrets.delete", {
    onSuccess: (result) => {
      client.setQueryData(statusKey, result);
      notify.success(({ t }) => t("settings.keyRemoved"), label);
    },
    onError: notify.error,
  });
  const present = status.data?.present;

  return (
    <form
      className="api-key"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim() && !save.isPending) save.mutate({ key: secretKey, value: value.trim() });
      }}
    >
      <div className="api-key__head">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        <span
          className={`badge ${present ? "badge--success" : ""}`}
          data-testid={`secret-status-${secretKey}`}
          aria-live="polite"
        >
          {status.isPending ? "…" : present ? t("settings.stored") : t("settings.notSet")}
        </span>
      </div>
      <div className="api-key__row">
        <input
          id={id}
          className="input"
          type="password"
          value={value}
          autoComplete="off"
          spellCheck={false}
          maxLength={4096}
          placeholder={t("settings.keyPlaceholder")}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" className="button button--primary" disabled={!value.trim() || save.isPending}>
          {t("settings.save")}
          <span className="visually-hidden"> {label}</span>
        </button>
        {present ? (
          <button
            type="button"
            className="button button--danger-outline"
            disabled={remove.isPending}
            onClick={() => remove.mutate({ key: secretKey })}
          >
            {t("settings.remove")}
            <span className="visually-hidden"> {label}</span>
          </button>
        ) : null}
      </div>
    </form>
  );
}
