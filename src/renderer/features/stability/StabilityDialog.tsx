import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { STABILITY_MAX_RUNS, STABILITY_MIN_RUNS, stabilityRunsSchema, type StabilityStudy } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { Dialog } from "../../components/Dialog";
import { useNotify } from "../../components/notify";
import { Spinner } from "../../components/ui";
import { useFormat } from "../../i18n/format";

const DEFAULT_RUNS = 5;

interface Props {
  study: StabilityStudy;
  id: string;
  onClose(): void;
}

/**
 * How many runs (checked with the route's own schema), what they would cost (the server's
 * estimate from the price table), and Start.
 */
export function StabilityDialog({ study, id, onClose }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const client = useQueryClient();
  const fieldId = useId();
  const [text, setText] = useState(String(DEFAULT_RUNS));
  const parsed = stabilityRunsSchema.safeParse(text.trim() === "" ? Number.NaN : Number(text));
  const runs = parsed.success ? parsed.data : null;
  const estimate = useInvokeQuery(
    "stability.estimate",
    { study, id, runs: runs ?? DEFAULT_RUNS },
    { enabled: runs !== null },
  );
  const start = useInvokeMutation("stability.start", {
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: invokeQueryKey("stability.latest", { study, id }) });
      notify.success(({ t }) => t("stability.startedToast"));
      onClose();
    },
    onError: notify.error,
  });
  const limits = { min: STABILITY_MIN_RUNS, max: STABILITY_MAX_RUNS };
  return (
    <Dialog
      title={t("stability.dialogTitle")}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t("app.cancel")}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={runs === null || start.isPending}
            onClick={() => runs !== null && start.mutate({ study, id, runs })}
            data-testid="stability-start"
          >
            {start.isPending ? t("stability.starting") : t("stability.start")}
          </button>
        </>
      }
    >
      <p>{t(study === "survey" ? "stability.dialogBodySurvey" : "stability.dialogBodyFocusGroup")}</p>
      <div className="field">
        <label className="field__label" htmlFor={fieldId}>
          {t("stability.runs")}
        </label>
        <input
          id={fieldId}
          className="input stability-dialog__runs"
          type="number"
          inputMode="numeric"
          min={STABILITY_MIN_RUNS}
          max={STABILITY_MAX_RUNS}
          step={1}
          value={text}
          aria-invalid={runs === null}
          aria-describedby={`${fieldId}-hint`}
          onChange={(event) => setText(event.target.value)}
          data-testid="stability-runs"
        />
        <p id={`${fieldId}-hint`} className={runs === null ? "field__error" : "field__hint"}>
          {runs === null ? t("stability.runsInvalid", limits) : t("stability.runsHint", limits)}
        </p>
      </div>
      <div className="stability-dialog__estimate" aria-live="polite" data-testid="stability-estimate">
        {runs === null ? null : estimate.isPending ? (
          <Spinner label={t("stability.estimating")} />
        ) : estimate.isError ? (
          <p className="notice notice--error">{t("stability.estimateFailed")}</p>
        ) : (
          <>
            <p>
              {t("stability.estimate", {
                calls: t("stability.estimateCalls", {
                  count: estimate.data.calls,
                  n: format.integer(estimate.data.calls),
                }),
                tokens: format.integer(estimate.data.inputTokens + estimate.data.outputTokens),
                cost: format.cost(estimate.data.costUsd),
              })}
            </p>
            {estimate.data.priced ? null : (
              <p className="notice notice--warn">{t("stability.estimateUnpriced", { model: estimate.data.model })}</p>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
