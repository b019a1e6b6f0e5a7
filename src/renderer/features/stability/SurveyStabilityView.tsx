import { useTranslation } from "react-i18next";
import type { StabilityInterval, SurveyQuestionStability, SurveyStabilityReport } from "@shared/contract";
import { useFormat } from "../../i18n/format";
import { StabilityBadge } from "./StabilityBadge";
import { StabilityRules } from "./StabilityRules";

/** A survey's stability report: per question, each answer's share in the study and across the runs. */
export function SurveyStabilityView({ report }: { report: SurveyStabilityReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="stability__report" data-testid="stability-report">
      <p className="stability__summary">
        {t("stability.summarySurvey", {
          stable: format.integer(report.stableQuestions),
          assessed: format.integer(report.assessedQuestions),
          runs: format.integer(report.runs),
          seed: report.baseSeed,
        })}
      </p>
      <StabilityRules rules={report.rules} />
      <p className="muted">{t("stability.legend")}</p>
      {report.questions.map((question, index) => (
        <QuestionStability key={question.questionId} number={index + 1} question={question} />
      ))}
    </div>
  );
}

function QuestionStability({ number, question }: { number: number; question: SurveyQuestionStability }) {
  const { t } = useTranslation();
  const format = useFormat();
  const pct = (value: number | null) => (value === null ? "–" : `${format.fixed(value, 1)}%`);
  const num = (value: number | null) => (value === null ? "–" : format.fixed(value, 2));
  const range = (interval: StabilityInterval | null, show: (v: number) => string) =>
    interval ? `${show(interval.low)} – ${show(interval.high)}` : "–";
  // A share's interval is shown within 0–100 % (the t-interval itself is not clipped).
  const clip = (value: number) => pct(Math.max(0, Math.min(100, value)));
  return (
    <article className="stability__question" data-testid="stability-question">
      <header className="stability__question-head">
        <h3 className="stability__question-title">
          {t("surveyResults.questionN", { n: number })} · {question.text}
        </h3>
        {question.assessed ? <StabilityBadge stable={question.stable} /> : null}
      </header>
      {!question.assessed ? (
        <p className="muted">{t("stability.notAssessed")}</p>
      ) : (
        <>
          {question.reasons.length ? (
            <p className="muted">{question.reasons.map((reason) => t(`stability.reasons.${reason}`)).join(" · ")}</p>
          ) : null}
          {question.shares.length ? (
            <table className="data-table stability__table">
              <thead>
                <tr>
                  <th scope="col">{t("stability.columns.answer")}</th>
                  <th scope="col" className="data-table__number">
                    {t("stability.columns.study")}
                  </th>
                  <th scope="col" className="data-table__number">
                    {t("stability.columns.mean")}
                  </th>
                  <th scope="col" className="data-table__number">
                    {t("stability.columns.interval")}
                  </th>
                  <th scope="col" className="stability__bar-column">
                    <span className="visually-hidden">{t("stability.columns.chart")}</span>
                  </th>
                  <th scope="col">{t("stability.columns.verdict")}</th>
                </tr>
              </thead>
              <tbody>
                {question.shares.map((share) => (
                  <tr key={share.value}>
                    <th scope="row">{share.value}</th>
                    <td className="data-table__number">{pct(share.original)}</td>
                    <td className="data-table__number">{pct(share.interval?.mean ?? null)}</td>
                    <td className="data-table__number">{range(share.interval, clip)}</td>
                    <td className="stability__bar-column">
                      <IntervalBar interval={share.interval} original={share.original} max={100} />
                    </td>
                    <td>{share.interval ? <StabilityBadge stable={share.stable} /> : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {question.rating || question.ranks ? (
            <table className="data-table stability__table">
              <thead>
                <tr>
                  <th scope="col">{question.rating ? "" : t("stability.columns.item")}</th>
                  <th scope="col" className="data-table__number">
                    {t("stability.columns.study")}
                  </th>
                  <th scope="col" className="data-table__number">
                    {t("stability.columns.mean")}
                  </th>
                  <th scope="col" className="data-table__number">
                    {t("stability.columns.interval")}
                  </th>
                  <th scope="col">{t("stability.columns.verdict")}</th>
                </tr>
              </thead>
              <tbody>
                {(question.rating
                  ? [{ label: t("stability.meanRating"), ...question.rating }]
                  : question.ranks!.map((rank) => ({ label: t("stability.meanRankOf", { item: rank.item }), ...rank }))
                ).map((row) => (
                  <tr key={row.label}>
                    <th scope="row">{row.label}</th>
                    <td className="data-table__number">{num(row.original)}</td>
                    <td className="data-table__number">{num(row.interval?.mean ?? null)}</td>
                    <td className="data-table__number">{range(row.interval, num)}</td>
                    <td>{row.interval ? <StabilityBadge stable={row.stable} /> : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {question.modal?.value ? (
            <p className="muted">
              {t("stability.leading", {
                value: question.modal.value,
                share: format.integer(Math.round(question.modal.agreement * 100)),
              })}
            </p>
          ) : null}
        </>
      )}
    </article>
  );
}

/** The runs' mean share as a bar, its 95 % interval as a whisker, the study's own share as a tick. */
function IntervalBar({
  interval,
  original,
  max,
}: {
  interval: StabilityInterval | null;
  original: number | null;
  max: number;
}) {
  const at = (value: number) => `${(Math.max(0, Math.min(max, value)) / max) * 100}%`;
  return (
    <span className="interval-bar" aria-hidden="true">
      {interval ? (
        <>
          <span className="interval-bar__mean" style={{ width: at(interval.mean) }} />
          <span
            className="interval-bar__whisker"
            style={{ left: at(interval.low), width: `calc(${at(interval.high)} - ${at(interval.low)})` }}
          />
        </>
      ) : null}
      {original !== null ? <span className="interval-bar__original" style={{ left: at(original) }} /> : null}
    </span>
  );
}
