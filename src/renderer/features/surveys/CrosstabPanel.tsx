import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Project, QuestionType, Survey, SurveyResults } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";
import { ErrorState, Spinner } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { useDemographicLabels } from "../demographics/labels";

type Crosstab = SurveyResults["crosstabs"][number];

/**
 * Answers split by one demographic dimension of the project's target: a table per question
 * with a chi-square test of independence, and a plain warning when counts are too small for it.
 */
export function CrosstabPanel({ survey, project }: { survey: Survey; project: Project }) {
  const { t } = useTranslation();
  const labels = useDemographicLabels();
  const titleId = useId();
  const selectId = useId();
  const dimensions = Object.keys(project.targetDemographics);
  const [dimension, setDimension] = useState("");
  const results = useInvokeQuery(
    "surveys.results",
    { id: survey.id, crosstab: dimension },
    { enabled: dimension !== "", placeholderData: (previous) => previous },
  );
  const questionText = new Map(
    survey.questions.map((question, index) => [question.id, { text: question.text, index, type: question.type }]),
  );

  return (
    <section className="card crosstab-panel" aria-labelledby={titleId} data-testid="crosstab-panel">
      <h2 id={titleId} className="section-title">
        {t("crosstab.title")}
      </h2>
      {dimensions.length === 0 ? (
        <p className="muted">{t("crosstab.noDimensions")}</p>
      ) : (
        <>
          <p className="muted">{t("crosstab.intro")}</p>
          <div className="field crosstab-panel__picker">
            <label className="field__label" htmlFor={selectId}>
              {t("crosstab.dimension")}
            </label>
            <select
              id={selectId}
              className="select"
              value={dimension}
              onChange={(event) => setDimension(event.target.value)}
            >
              <option value="">{t("crosstab.choose")}</option>
              {dimensions.map((key) => (
                <option key={key} value={key}>
                  {labels.dimension(key)}
                </option>
              ))}
            </select>
          </div>
          {dimension === "" ? null : results.isPending ? (
            <Spinner label={t("app.loading")} />
          ) : results.isError ? (
            <ErrorState error={results.error} onRetry={() => void results.refetch()} />
          ) : results.data.crosstabs.length === 0 ? (
            <p className="muted">{t("crosstab.nothing")}</p>
          ) : (
            <div className={`crosstabs${results.isPlaceholderData ? " crosstabs--stale" : ""}`}>
              {results.data.crosstabs.map((table) => (
                <CrosstabTable
                  key={`${table.dimension}-${table.questionId}`}
                  table={table}
                  question={questionText.get(table.questionId)}
                />
              ))}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function CrosstabTable({
  table,
  question,
}: {
  table: Crosstab;
  question: { text: string; index: number; type: QuestionType } | undefined;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useDemographicLabels();
  const stats = useCrosstabStats();
  const columnTotals = table.columns.map((_, column) => table.counts.reduce((sum, row) => sum + (row[column] ?? 0), 0));
  const title = question
    ? `${t("surveyResults.questionN", { n: question.index + 1 })}: ${question.text}`
    : table.questionId;
  // A ranking is cross-tabulated by each respondent's first choice only: the table says so.
  const firstChoices = question?.type === "ranking";
  return (
    <section className="crosstab" data-testid="crosstab">
      <h3 className="crosstab__title">{title}</h3>
      {firstChoices ? (
        <p className="muted crosstab__note" data-testid="crosstab-note">
          {t("crosstab.firstChoices")}
        </p>
      ) : null}
      <div className="crosstab__scroll">
        <table className="data-table crosstab__table">
          <caption className="visually-hidden">
            {t(firstChoices ? "crosstab.captionFirstChoices" : "crosstab.caption", {
              question: title,
              dimension: labels.dimension(table.dimension),
            })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{firstChoices ? t("crosstab.firstChoice") : t("crosstab.answer")}</th>
              {table.columns.map((column) => (
                <th key={column} scope="col" className="data-table__number">
                  {labels.category(column)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, rowIndex) => (
              <tr key={row}>
                <th scope="row">{row}</th>
                {table.columns.map((column, columnIndex) => (
                  <td key={column} className="data-table__number">
                    {format.integer(table.counts[rowIndex]?.[columnIndex] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("crosstab.total")}</th>
              {columnTotals.map((total, index) => (
                <td key={table.columns[index]} className="data-table__number">
                  {format.integer(total)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="crosstab__stats" data-testid="crosstab-stats">
        {stats(table)}
      </p>
      {table.smallExpectedWarning ? (
        <p className="notice notice--warn crosstab__warning" data-testid="crosstab-warning">
          {t("crosstab.smallExpected", { min: format.fixed(table.minExpected, 2) })}
        </p>
      ) : null}
    </section>
  );
}

/** "χ² = 1.33, df = 1, p = 0.25", or why there is no test. */
function useCrosstabStats() {
  const { t } = useTranslation();
  const format = useFormat();
  return (table: Crosstab) => {
    // Several answers per respondent: counts are selections, so no test of independence applies.
    if (table.note) return t("crosstab.multiSelect");
    if (table.statistic === null || table.pValue === null || table.df === 0) return t("crosstab.untestable");
    const p = table.pValue;
    const pText =
      p < 0.001
        ? t("validation.pBelow", { value: format.fixed(0.001, 3) })
        : t("validation.pEquals", { value: format.fixed(p, p < 0.01 ? 3 : 2) });
    return t("validation.stats", { statistic: format.fixed(table.statistic, 2), df: table.df, p: pText });
  };
}
