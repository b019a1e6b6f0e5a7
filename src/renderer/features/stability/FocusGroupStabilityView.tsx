import { useTranslation } from "react-i18next";
import type { FocusGroupStabilityReport } from "@shared/contract";
import { useFormat } from "../../i18n/format";
import { StabilityBadge } from "./StabilityBadge";
import { StabilityRules } from "./StabilityRules";

/** A focus group's stability report: per theme of its analysis, in how many reruns it came back. */
export function FocusGroupStabilityView({ report }: { report: FocusGroupStabilityReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const recurs = (k: number) => t("stability.recursIn", { k: format.integer(k), n: format.integer(report.runs) });
  return (
    <div className="stability__report" data-testid="stability-report">
      <p className="stability__summary">
        {t("stability.summaryFocusGroup", {
          stable: format.integer(report.themes.filter((theme) => theme.stable).length),
          total: format.integer(report.themes.length),
          runs: format.integer(report.runs),
          seed: report.baseSeed,
        })}
      </p>
      <StabilityRules rules={report.rules} />
      {report.themes.length === 0 ? (
        <p className="muted">{t("stability.noThemes")}</p>
      ) : (
        <table className="data-table stability__table">
          <thead>
            <tr>
              <th scope="col">{t("stability.columns.theme")}</th>
              <th scope="col" className="data-table__number">
                {t("stability.columns.recurs")}
              </th>
              <th scope="col" className="stability__bar-column">
                <span className="visually-hidden">{t("stability.columns.chart")}</span>
              </th>
              <th scope="col">{t("stability.columns.verdict")}</th>
            </tr>
          </thead>
          <tbody>
            {report.themes.map((theme) => (
              <tr key={theme.title} data-testid="stability-theme">
                <th scope="row">
                  {theme.title}
                  {theme.matchedTitles.some((title) => title !== theme.title) ? (
                    <span className="muted stability__matched">
                      {t("stability.matchedAs", { titles: theme.matchedTitles.join("; ") })}
                    </span>
                  ) : null}
                </th>
                <td className="data-table__number">{recurs(theme.recurrences)}</td>
                <td className="stability__bar-column">
                  <span className="interval-bar" aria-hidden="true">
                    <span className="interval-bar__mean" style={{ width: `${theme.share * 100}%` }} />
                  </span>
                </td>
                <td>
                  <StabilityBadge stable={theme.stable} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.emergent.length ? (
        <>
          <h3 className="stability__question-title">{t("stability.emergent")}</h3>
          <ul className="stability__emergent">
            {report.emergent.map((theme) => (
              <li key={theme.title}>
                {theme.title} <span className="muted">· {recurs(theme.recurrences)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
