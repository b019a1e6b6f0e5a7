import { useTranslation } from "react-i18next";
import { DEFAULT_BENCHMARK_SOURCE, type ResponseStyle } from "@shared/contract";
import { useFormat } from "../../i18n/format";

interface Props {
  style: ResponseStyle;
  min: number;
  max: number;
}

/**
 * A rating question's response style: its warnings first, each with the numbers behind it, then
 * the share of middle and end answers and the spread beside a uniform respondent and the human
 * benchmark, with the one-sided binomial p-values.
 */
export function ResponseStyleView({ style, min, max }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const share = (value: number) => `${format.percent(Math.round(value * 1000) / 10)}%`;
  // Three decimals, and a floor so a tiny p never reads as "0.000" (as the PDF report prints it).
  const p = (value: number) => (value < 0.001 ? `< ${format.fixed(0.001, 3)}` : format.fixed(value, 3));
  const pStatement = (value: number) => (value < 0.001 ? `p ${p(value)}` : `p = ${p(value)}`);
  /** A reference's share, with the one-sided p-value of this question's count against it beneath. */
  const referenceCell = (value: number | null, pValue: number | null) => (
    <td className="data-table__number">
      {value === null || pValue === null ? (
        "–"
      ) : (
        <>
          {share(value)}
          <span className="response-style__sub">{pStatement(pValue)}</span>
        </>
      )}
    </td>
  );
  const or = ` ${t("responseStyle.or")} `;
  const middle = style.midpointValues.map(format.integer).join(or);
  const ends = `${format.integer(min)}${or}${format.integer(max)}`;
  const { criteria } = style;
  const source =
    style.benchmarkSource === DEFAULT_BENCHMARK_SOURCE ? t("responseStyle.defaultSource") : style.benchmarkSource;

  return (
    <section className="response-style" data-testid="response-style" aria-label={t("responseStyle.title")}>
      <h4 className="response-style__title">{t("responseStyle.title")}</h4>
      {style.flags.includes("midpoint_collapse") ? (
        <p className="notice notice--warn" data-testid="flag-midpoint-collapse">
          <strong>{t("responseStyle.midpointCollapse")}</strong>{" "}
          {t("responseStyle.midpointCollapseText", {
            share: share(style.midpoint.share),
            values: middle,
            reference: share(criteria.midpointReference),
            p: pStatement(criteria.midpointP),
          })}
        </p>
      ) : null}
      {style.flags.includes("no_extremes") ? (
        <p className="notice notice--warn" data-testid="flag-no-extremes">
          <strong>{t("responseStyle.noExtremes")}</strong>{" "}
          {t("responseStyle.noExtremesText", {
            n: format.integer(style.n),
            ends,
            reference: share(criteria.extremeReference),
            p: p(criteria.noExtremesP),
          })}
        </p>
      ) : null}
      <table className="data-table response-style__table">
        <caption className="visually-hidden">{t("responseStyle.tableCaption")}</caption>
        <thead>
          <tr>
            <td />
            <th scope="col" className="data-table__number">
              {t("responseStyle.theseRespondents")}
            </th>
            <th scope="col" className="data-table__number">
              {t("responseStyle.uniform")}
            </th>
            <th scope="col" className="data-table__number">
              {t("responseStyle.benchmark")}
            </th>
          </tr>
        </thead>
        <tbody>
          {(
            [
              ["middle", middle, style.midpoint],
              ["ends", ends, style.extremes],
            ] as const
          ).map(([key, values, row]) => (
            <tr key={key}>
              <th scope="row">{t(`responseStyle.${key}`, { values })}</th>
              <td className="data-table__number">
                {share(row.share)}
                <span className="response-style__sub">
                  {t("responseStyle.of", { part: format.integer(row.count), n: format.integer(style.n) })}
                </span>
              </td>
              {referenceCell(row.uniformShare, row.pVsUniform)}
              {referenceCell(row.benchmarkShare, row.pVsBenchmark)}
            </tr>
          ))}
          <tr>
            <th scope="row">{t("surveyResults.stdDev")}</th>
            <td className="data-table__number">{format.fixed(style.stdDev, 2)}</td>
            <td className="data-table__number">{format.fixed(style.spread.uniformStdDev, 2)}</td>
            <td className="data-table__number">
              {style.spread.benchmarkStdDev === null ? "–" : format.fixed(style.spread.benchmarkStdDev, 2)}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted response-style__note">
        {style.flags.length === 0
          ? `${t("responseStyle.noWarning", { min: format.integer(criteria.minAnswers), alpha: format.fixed(criteria.alpha, alphaDigits(criteria.alpha)) })} `
          : ""}
        {t("responseStyle.testNote")}{" "}
        {source === null
          ? t("responseStyle.noBenchmark", { points: format.integer(style.points) })
          : t("responseStyle.benchmarkSource", { source })}
      </p>
    </section>
  );
}

/** The decimals that print a threshold such as 0.01 or 0.005 exactly (at least 2, at most 6). */
function alphaDigits(value: number): number {
  for (let d = 2; d < 6; d++) if (Math.abs(Math.round(value * 10 ** d) - value * 10 ** d) < 1e-9) return d;
  return 6;
}
