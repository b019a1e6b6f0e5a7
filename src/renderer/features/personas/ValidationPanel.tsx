import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { PersonaValidation, RouteOutput } from "@shared/contract";
import { isStandardDimension } from "@shared/domain/demographics";
import { useInvokeQuery } from "../../api/hooks";
import { ErrorState, Spinner } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { useDemographicLabels } from "../demographics/labels";

type DimensionResult = PersonaValidation["dimensions"][number];

const ROW_HEIGHT = 44;

/** Per target dimension: target vs actual shares, the chi-square test and what it means in words. */
export function ValidationPanel({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const validation = useInvokeQuery("personas.validation", { projectId });

  return (
    <section className="card validation" aria-labelledby={titleId} data-testid="validation-panel">
      <h2 id={titleId} className="section-title">
        {t("validation.title")}
      </h2>
      {validation.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : validation.isError ? (
        <ErrorState error={validation.error} onRetry={() => void validation.refetch()} />
      ) : validation.data.dimensions.length === 0 ? (
        <p className="muted">{t("validation.noDemographics")}</p>
      ) : validation.data.total === 0 ? (
        <p className="muted">{t("validation.noPersonas")}</p>
      ) : (
        <>
          <p className="muted">
            {t("validation.intro", {
              count: validation.data.total,
              total: format.integer(validation.data.total),
              alpha: format.fixed(validation.data.alpha, 2),
            })}
          </p>
          <div className="validation__dimensions">
            {validation.data.dimensions.map((result) => (
              <DimensionValidation key={result.dimension} result={result} total={validation.data.total} />
            ))}
            <RefusedDrafts projectId={projectId} />
          </div>
        </>
      )}
    </section>
  );
}

type RefusalCount = RouteOutput<"personas.refusals">["byReason"][number];

/** The drafts generation refused and wrote again (they disagreed with their slot or repeated a persona), by reason. */
function RefusedDrafts({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useDemographicLabels();
  const refusals = useInvokeQuery("personas.refusals", { projectId });
  if (refusals.isPending) return null;
  if (refusals.isError) return <ErrorState error={refusals.error} onRetry={() => void refusals.refetch()} />;
  const { runs, accepted, refused, byReason } = refusals.data;
  if (runs === 0 || refused + accepted === 0) return null;
  const reason = (entry: RefusalCount) =>
    entry.reason !== "dimension" || entry.dimension === null
      ? t(`validation.refusals.reason.${entry.reason}`)
      : isStandardDimension(entry.dimension)
        ? labels.dimension(entry.dimension)
        : t("validation.refusals.customDimension", { dimension: entry.dimension });
  return (
    <section className="validation-dimension validation-refusals" data-testid="refused-drafts">
      <h3 className="dimension__title">{t("validation.refusals.title")}</h3>
      <p className="validation-dimension__verdict" data-testid="refused-drafts-summary">
        {refused === 0
          ? t("validation.refusals.none", { count: accepted, drafts: format.integer(accepted) })
          : t("validation.refusals.summary", {
              count: refused,
              refused: format.integer(refused),
              drafts: format.integer(refused + accepted),
            })}
      </p>
      {byReason.length ? (
        <table className="data-table">
          <caption className="visually-hidden">{t("validation.refusals.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("validation.refusals.reasonColumn")}</th>
              <th scope="col" className="data-table__number">
                {t("validation.refusals.countColumn")}
              </th>
            </tr>
          </thead>
          <tbody>
            {byReason.map((entry) => (
              <tr key={`${entry.reason}:${entry.dimension ?? ""}`}>
                <th scope="row">{reason(entry)}</th>
                <td className="data-table__number">{format.integer(entry.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** "χ² = 0.20, df = 1, p = 0.65" in the UI language's number format. */
function useStatisticsText() {
  const { t } = useTranslation();
  const format = useFormat();
  return (result: DimensionResult) => {
    const p = result.pValue ?? 1;
    const pText =
      p < 0.001
        ? t("validation.pBelow", { value: format.fixed(0.001, 3) })
        : t("validation.pEquals", { value: format.fixed(p, p < 0.01 ? 3 : 2) });
    return t("validation.stats", { statistic: format.fixed(result.statistic ?? 0, 2), df: result.df, p: pText });
  };
}

function DimensionValidation({ result, total }: { result: DimensionResult; total: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useDemographicLabels();
  const stats = useStatisticsText();
  const label = labels.dimension(result.dimension);
  const tested = result.categories.filter((category) => category.targetShare > 0).length;

  const verdict =
    result.verdict === "consistent"
      ? t("validation.consistent", { stats: stats(result) })
      : result.verdict === "differs"
        ? result.statistic !== null
          ? t("validation.differs", { stats: stats(result) })
          : t("validation.differsOutside")
        : tested < 2
          ? t("validation.untestableOne")
          : t("validation.untestable");

  const rows = result.categories.map((category) => ({
    label: labels.category(category.category),
    target: category.targetShare * 100,
    actual: total > 0 ? (category.actualCount / total) * 100 : 0,
    expected: category.expectedCount,
    count: category.actualCount,
  }));

  return (
    <section
      className={`validation-dimension validation-dimension--${result.verdict}`}
      data-testid={`validation-${result.dimension}`}
    >
      <div className="validation-dimension__head">
        <h3 className="dimension__title">{label}</h3>
        <span className={`badge badge--verdict-${result.verdict}`}>{t(`validation.badge.${result.verdict}`)}</span>
      </div>
      <p className="validation-dimension__verdict" data-testid="validation-verdict">
        {verdict}
      </p>
      {result.smallExpectedCounts ? <p className="field__hint">{t("validation.smallCounts")}</p> : null}
      {result.outsideTarget > 0 ? (
        <p className="notice notice--warn" data-testid="validation-outside">
          {t("validation.outsideTarget", { count: format.integer(result.outsideTarget) })}
        </p>
      ) : null}
      <div className="validation-dimension__body">
        <table className="data-table">
          <caption className="visually-hidden">{t("validation.tableCaption", { dimension: label })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("validation.category")}</th>
              <th scope="col" className="data-table__number">
                {t("validation.target")}
              </th>
              <th scope="col" className="data-table__number">
                {t("validation.expected")}
              </th>
              <th scope="col" className="data-table__number">
                {t("validation.actual")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td className="data-table__number">{format.percent(row.target)}%</td>
                <td className="data-table__number">{format.fixed(row.expected, 1)}</td>
                <td className="data-table__number">
                  {format.integer(row.count)}{" "}
                  <span className="muted">({format.percent(Math.round(row.actual * 10) / 10)}%)</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ShareChart rows={rows} label={t("validation.chartLabel", { dimension: label })} />
      </div>
    </section>
  );
}

/** Target vs actual share per category; decorative for assistive tech (the table beside it has the numbers). */
function ShareChart({ rows, label }: { rows: { label: string; target: number; actual: number }[]; label: string }) {
  const { t } = useTranslation();
  const max = Math.max(10, ...rows.map((row) => Math.max(row.target, row.actual)));
  const domainMax = Math.min(100, Math.ceil(max / 10) * 10);
  return (
    <figure className="chart validation-chart" aria-label={label}>
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={rows.length * ROW_HEIGHT + 12}>
          <BarChart
            data={rows}
            layout="vertical"
            margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
            accessibilityLayer={false}
            barCategoryGap={8}
            barGap={2}
          >
            <XAxis type="number" hide domain={[0, domainMax]} />
            <YAxis
              type="category"
              dataKey="label"
              width={110}
              tickLine={false}
              axisLine={false}
              interval={0}
              tick={{ className: "chart__tick" }}
            />
            <Bar
              dataKey="target"
              className="validation-chart__target"
              radius={[0, 3, 3, 0]}
              isAnimationActive={false}
            />
            <Bar
              dataKey="actual"
              className="validation-chart__actual"
              radius={[0, 3, 3, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart-legend" aria-hidden="true">
        <span className="chart-legend__item">
          <span className="chart-legend__swatch chart-legend__swatch--target" />
          {t("validation.targetShare")}
        </span>
        <span className="chart-legend__item">
          <span className="chart-legend__swatch chart-legend__swatch--actual" />
          {t("validation.actualShare")}
        </span>
      </figcaption>
    </figure>
  );
}
