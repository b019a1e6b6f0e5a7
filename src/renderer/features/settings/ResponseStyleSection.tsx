import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import {
  DEFAULT_BENCHMARK_SOURCE,
  DEFAULT_RESPONSE_STYLE_SETTINGS,
  routes,
  type ResponseStyleSettings,
  type WireIssue,
} from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { ErrorState, Field, Spinner } from "../../components/ui";
import { useIssueText } from "../../forms/issue-text";
import { checkInput, issuesOf } from "../../forms/issues";

/**
 * The human benchmarks (one per scale length) and thresholds that rating questions' response-style
 * warnings use. Shares are typed in percent; the contract stores fractions.
 */
export function ResponseStyleSection() {
  const { t } = useTranslation();
  const settings = useInvokeQuery("settings.getResponseStyle", {});
  return (
    <section className="card" aria-labelledby="settings-response-style">
      <h2 id="settings-response-style" className="section-title">
        {t("responseStyleSettings.title")}
      </h2>
      <p className="muted">{t("responseStyleSettings.intro")}</p>
      {settings.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        // A new saved value (here or from another window) starts the form afresh.
        <ResponseStyleForm key={JSON.stringify(settings.data)} settings={settings.data} />
      )}
    </section>
  );
}

type Benchmark = ResponseStyleSettings["benchmarks"][number];

interface BenchmarkRow {
  uid: string;
  points: string;
  midpoint: string;
  extreme: string;
  stdDev: string;
  source: string;
  /** The stored benchmark the row shows: kept exactly (not re-read from rounded text) while unchanged. */
  original?: Benchmark;
}

let counter = 0;
const percentText = (fraction: number) => String(Math.round(fraction * 10000) / 100);
const rowOf = (benchmark?: Benchmark): BenchmarkRow => ({
  uid: `benchmark${++counter}`,
  points: benchmark ? String(benchmark.points) : "",
  midpoint: benchmark ? percentText(benchmark.midpointShare) : "",
  extreme: benchmark ? percentText(benchmark.extremeShare) : "",
  stdDev: benchmark ? String(Math.round(benchmark.stdDev * 1000) / 1000) : "",
  source: benchmark ? benchmark.source : "",
  original: benchmark,
});
const numbersUnchanged = (row: BenchmarkRow) => {
  if (!row.original) return false;
  const shown = rowOf(row.original);
  return (
    row.points === shown.points &&
    row.midpoint === shown.midpoint &&
    row.extreme === shown.extreme &&
    row.stdDev === shown.stdDev
  );
};

/** A typed number ("," or "." as the decimal mark); NaN for an empty box, which the schema refuses. */
const numberOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text.trim().replace(",", ".")));

type ThresholdField = keyof ResponseStyleSettings["thresholds"];

function ResponseStyleForm({ settings }: { settings: ResponseStyleSettings }) {
  const { t } = useTranslation();
  const issueText = useIssueText();
  const notify = useNotify();
  const client = useQueryClient();
  const addRef = useRef<HTMLButtonElement>(null);
  const [rows, setRows] = useState<BenchmarkRow[]>(() => settings.benchmarks.map(rowOf));
  const [minAnswers, setMinAnswers] = useState(String(settings.thresholds.minAnswers));
  const [alpha, setAlpha] = useState(String(settings.thresholds.alpha));
  const [excess, setExcess] = useState(percentText(settings.thresholds.collapseExcess));
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ThresholdField | "benchmarks", string>>>({});
  const [formError, setFormError] = useState<string | null>(null);

  /** One message per benchmark row and per threshold, in the form's own terms (percent, points). */
  const show = (issues: readonly WireIssue[], sent: BenchmarkRow[]) => {
    const byRow: Record<string, string> = {};
    const byField: Partial<Record<ThresholdField | "benchmarks", string>> = {};
    for (const issue of issues) {
      const [head, second, third] = issue.path;
      if (head === "benchmarks" && second !== undefined) {
        const row = sent[Number(second)];
        if (!row || byRow[row.uid]) continue;
        byRow[row.uid] =
          third === "points"
            ? t("responseStyleSettings.pointsError")
            : third === "midpointShare" || third === "extremeShare"
              ? issue.reason
                ? issueText(issue)
                : t("responseStyleSettings.shareError")
              : third === "stdDev"
                ? issue.reason
                  ? issueText(issue)
                  : t("responseStyleSettings.stdDevError")
                : third === "source"
                  ? t("responseStyleSettings.sourceError")
                  : issueText(issue);
      } else if (head === "benchmarks") {
        byField.benchmarks ??=
          issue.reason === "duplicate" ? t("responseStyleSettings.duplicatePoints") : issueText(issue);
      } else if (head === "thresholds" && second) {
        const field = second as ThresholdField;
        byField[field] ??= t(`responseStyleSettings.${field}Error`);
      }
    }
    setRowErrors(byRow);
    setFieldErrors(byField);
    setFormError(issues.length > 0 ? t("responseStyleSettings.fixErrors") : null);
  };

  const save = useInvokeMutation("settings.updateResponseStyle", {
    onSuccess: (next) => {
      client.setQueryData(invokeQueryKey("settings.getResponseStyle", {}), next);
      notify.success(({ t }) => t("responseStyleSettings.saved"));
    },
    onError: (error) => {
      const issues = issuesOf(error);
      if (issues) show(issues, rows);
      else notify.error(error);
    },
  });

  const send = (next: ResponseStyleSettings, sent: BenchmarkRow[]) => {
    const issues = checkInput(routes["settings.updateResponseStyle"].input, next);
    show(issues, sent);
    if (issues.length === 0) save.mutate(next);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    send(
      {
        benchmarks: rows.map((row) => {
          const source = row.source.trim();
          if (numbersUnchanged(row)) return { ...row.original!, source };
          // Changed numbers are no longer the illustrative default: they need a source of their own.
          return {
            points: numberOf(row.points),
            midpointShare: numberOf(row.midpoint) / 100,
            extremeShare: numberOf(row.extreme) / 100,
            stdDev: numberOf(row.stdDev),
            source: source === DEFAULT_BENCHMARK_SOURCE ? "" : source,
          };
        }),
        thresholds: {
          minAnswers: numberOf(minAnswers),
          alpha: numberOf(alpha),
          collapseExcess: numberOf(excess) / 100,
        },
      },
      rows,
    );
  };

  const change = (uid: string, patch: Partial<BenchmarkRow>) =>
    setRows((previous) => previous.map((row) => (row.uid === uid ? { ...row, ...patch } : row)));
  const add = () => {
    const row = rowOf();
    setRows((previous) => [...previous, row]);
    window.setTimeout(() => document.getElementById(`${row.uid}-points`)?.focus(), 0);
  };

  const cell = (row: BenchmarkRow, key: "points" | "midpoint" | "extreme" | "stdDev", label: string) => (
    <td>
      <input
        id={`${row.uid}-${key}`}
        className="input input--small input--number"
        type="number"
        inputMode={key === "points" ? "numeric" : "decimal"}
        step="any"
        value={row[key]}
        aria-label={label}
        aria-invalid={rowErrors[row.uid] ? true : undefined}
        aria-describedby={rowErrors[row.uid] ? `${row.uid}-error` : undefined}
        onChange={(event) => change(row.uid, { [key]: event.target.value })}
      />
    </td>
  );

  return (
    <form
      className="response-style-form"
      onSubmit={submit}
      noValidate
      aria-label={t("responseStyleSettings.formLabel")}
    >
      {formError ? (
        <p className="notice notice--error form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <fieldset className="ai-form__group">
        <legend className="field__label">{t("responseStyleSettings.benchmarks")}</legend>
        <p className="field__hint">{t("responseStyleSettings.benchmarksHint")}</p>
        {rows.length === 0 ? (
          <p className="muted">{t("responseStyleSettings.noBenchmarks")}</p>
        ) : (
          <table className="weights benchmark-table" data-testid="benchmark-table">
            <thead>
              <tr>
                <th scope="col">{t("responseStyleSettings.points")}</th>
                <th scope="col">{t("responseStyleSettings.midpointShare")}</th>
                <th scope="col">{t("responseStyleSettings.extremeShare")}</th>
                <th scope="col">{t("responseStyleSettings.stdDev")}</th>
                <th scope="col">{t("responseStyleSettings.source")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("responseStyleSettings.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const name = t("responseStyleSettings.row", { index: index + 1 });
                const error = rowErrors[row.uid];
                return (
                  <tr key={row.uid} className={error ? "weights__row--invalid" : undefined}>
                    {cell(row, "points", t("responseStyleSettings.pointsOf", { row: name }))}
                    {cell(row, "midpoint", t("responseStyleSettings.midpointShareOf", { row: name }))}
                    {cell(row, "extreme", t("responseStyleSettings.extremeShareOf", { row: name }))}
                    {cell(row, "stdDev", t("responseStyleSettings.stdDevOf", { row: name }))}
                    <td>
                      <input
                        className="input input--small"
                        type="text"
                        maxLength={200}
                        value={row.source === DEFAULT_BENCHMARK_SOURCE ? t("responseStyle.defaultSource") : row.source}
                        aria-label={t("responseStyleSettings.sourceOf", { row: name })}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `${row.uid}-error` : undefined}
                        onChange={(event) => change(row.uid, { source: event.target.value })}
                      />
                      {error ? (
                        <span id={`${row.uid}-error`} className="weights__note">
                          {error}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={t("responseStyleSettings.remove", { row: name })}
                        title={t("responseStyleSettings.remove", { row: name })}
                        onClick={() => {
                          setRows((previous) => previous.filter((other) => other.uid !== row.uid));
                          addRef.current?.focus();
                        }}
                      >
                        <span aria-hidden="true">×</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {fieldErrors.benchmarks ? <p className="field__error">{fieldErrors.benchmarks}</p> : null}
        <div>
          <button ref={addRef} type="button" className="button button--small" onClick={add}>
            <span aria-hidden="true">+</span> {t("responseStyleSettings.add")}
          </button>
        </div>
      </fieldset>

      <div className="form-grid form-grid--numbers">
        <NumberField
          label={t("responseStyleSettings.minAnswers")}
          hint={t("responseStyleSettings.minAnswersHint")}
          error={fieldErrors.minAnswers}
          range={{ min: 5, max: 1000, step: 1 }}
          value={minAnswers}
          onChange={setMinAnswers}
        />
        <NumberField
          label={t("responseStyleSettings.alpha")}
          hint={t("responseStyleSettings.alphaHint")}
          error={fieldErrors.alpha}
          range={{ min: 0, max: 0.1, step: "any" }}
          value={alpha}
          onChange={setAlpha}
        />
        <NumberField
          label={t("responseStyleSettings.collapseExcess")}
          hint={t("responseStyleSettings.collapseExcessHint")}
          error={fieldErrors.collapseExcess}
          range={{ min: 0, max: 100, step: "any" }}
          value={excess}
          onChange={setExcess}
        />
      </div>

      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? t("responseStyleSettings.saving") : t("responseStyleSettings.save")}
        </button>
        <button
          type="button"
          className="button"
          disabled={save.isPending}
          onClick={() => {
            const defaults = structuredClone(DEFAULT_RESPONSE_STYLE_SETTINGS);
            send(defaults, defaults.benchmarks.map(rowOf));
          }}
        >
          {t("responseStyleSettings.restoreDefaults")}
        </button>
      </div>
    </form>
  );
}

/** One threshold: a short number input in a labelled field (whole numbers when the step is 1). */
function NumberField(props: {
  label: string;
  hint: string;
  error: string | undefined;
  range: { min: number; max: number; step: number | "any" };
  value: string;
  onChange: (value: string) => void;
}) {
  const { range } = props;
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          className="input input--number input--short"
          type="number"
          inputMode={range.step === 1 ? "numeric" : "decimal"}
          min={range.min}
          max={range.max}
          step={range.step}
          value={props.value}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
