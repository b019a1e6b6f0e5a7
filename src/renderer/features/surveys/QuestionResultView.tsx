import { useTranslation } from "react-i18next";
import { Bar, BarChart, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { Persona, Question, SurveyResults } from "@shared/contract";
import { useFormat } from "../../i18n/format";
import { OpenThemes } from "./OpenThemes";
import { ResponseStyleView } from "./ResponseStyleView";

type QuestionResult = SurveyResults["questions"][number];

const ROW_HEIGHT = 32;

interface Props {
  index: number;
  result: QuestionResult;
  question: Question | undefined;
  personasById: ReadonlyMap<string, Persona>;
}

/** One question's answers: a chart that suits its type, with the numbers beside it. */
export function QuestionResultView({ index, result, question, personasById }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <article className="card question-result" data-testid="question-result" data-type={result.type}>
      <header className="question-result__head">
        <p className="question-result__kicker">
          {t("surveyResults.questionN", { n: index + 1 })} · {t(`surveyBuilder.types.${result.type}`)}
          {question?.type === "multiple_choice" && (question.maxSelections ?? 1) > 1
            ? ` · ${t("surveyResults.upTo", {
                count: question.maxSelections ?? 1,
                n: format.integer(question.maxSelections ?? 1),
              })}`
            : ""}
        </p>
        <h3 className="question-result__title">{result.text}</h3>
        <p className="muted question-result__answered">
          {t("surveyResults.answered", { count: format.integer(result.answered) })}
        </p>
      </header>
      {result.answered === 0 ? (
        <p className="muted">{t("surveyResults.noAnswers")}</p>
      ) : result.type === "multiple_choice" ? (
        <ChoiceChart result={result} />
      ) : result.type === "rating_scale" ? (
        <RatingView result={result} question={question} />
      ) : result.type === "ranking" ? (
        <RankingView result={result} />
      ) : (
        <OpenThemes result={result} personasById={personasById} />
      )}
    </article>
  );
}

function ChoiceChart({ result }: { result: QuestionResult }) {
  const { t } = useTranslation();
  const format = useFormat();
  const rows = result.counts.map((row) => ({ label: row.value, count: row.count, percent: row.percent }));
  const summary = rows
    .map((row) => `${row.label}: ${format.integer(row.count)} (${format.percent(Math.round(row.percent))}%)`)
    .join(", ");
  const max = Math.max(1, ...rows.map((row) => row.count));
  return (
    <figure
      className="chart result-chart"
      role="img"
      aria-label={t("surveyResults.chartLabel", { summary })}
      data-testid="result-chart"
    >
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={rows.length * ROW_HEIGHT + 12}>
          <BarChart
            data={rows}
            layout="vertical"
            margin={{ top: 4, right: 72, bottom: 4, left: 4 }}
            accessibilityLayer={false}
            barCategoryGap={6}
          >
            <XAxis type="number" hide domain={[0, max]} allowDecimals={false} />
            <YAxis
              type="category"
              dataKey="label"
              width={170}
              tickLine={false}
              axisLine={false}
              interval={0}
              tick={{ className: "chart__tick" }}
            />
            <Bar
              dataKey="count"
              fill="currentColor"
              radius={[0, 4, 4, 0]}
              isAnimationActive={false}
              background={{ className: "result-chart__track" }}
            >
              <LabelList
                dataKey="count"
                position="right"
                className="chart__value"
                formatter={(value: unknown) => {
                  const row = rows.find((r) => r.count === Number(value));
                  return `${format.integer(Number(value))} (${format.percent(Math.round(row?.percent ?? 0))}%)`;
                }}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function RatingView({ result, question }: { result: QuestionResult; question: Question | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const rows = result.counts.map((row) => ({ label: row.value, count: row.count }));
  const summary = rows.map((row) => `${row.label}: ${format.integer(row.count)}`).join(", ");
  const stats = result.rating;
  return (
    <div className="rating-result">
      {stats ? (
        <dl className="stat-row" data-testid="rating-stats">
          <div>
            <dt>{t("surveyResults.mean")}</dt>
            <dd>{format.fixed(stats.mean, 2)}</dd>
          </div>
          <div>
            <dt>{t("surveyResults.median")}</dt>
            <dd>{format.fixed(stats.median, 1)}</dd>
          </div>
          <div>
            <dt>{t("surveyResults.stdDev")}</dt>
            <dd>{format.fixed(stats.stdDev, 2)}</dd>
          </div>
          <div>
            <dt>{t("surveyResults.range")}</dt>
            <dd>
              {format.integer(stats.min)}–{format.integer(stats.max)}
            </dd>
          </div>
        </dl>
      ) : null}
      <figure
        className="chart result-chart"
        role="img"
        aria-label={t("surveyResults.distributionLabel", { summary })}
        data-testid="result-chart"
      >
        <div aria-hidden="true">
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={rows} margin={{ top: 20, right: 8, bottom: 4, left: 8 }} accessibilityLayer={false}>
              <XAxis
                dataKey="label"
                tickLine={false}
                axisLine={false}
                interval={0}
                tick={{ className: "chart__tick" }}
              />
              <YAxis hide allowDecimals={false} domain={[0, "dataMax"]} />
              <Bar dataKey="count" fill="currentColor" radius={[4, 4, 0, 0]} isAnimationActive={false}>
                <LabelList
                  dataKey="count"
                  position="top"
                  className="chart__value"
                  formatter={(value: unknown) => (Number(value) > 0 ? format.integer(Number(value)) : "")}
                />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
        {question?.minLabel || question?.maxLabel ? (
          <figcaption className="scale-ends" aria-hidden="true">
            <span>{question.minLabel ? `${question.min ?? ""} = ${question.minLabel}` : ""}</span>
            <span>{question.maxLabel ? `${question.max ?? ""} = ${question.maxLabel}` : ""}</span>
          </figcaption>
        ) : null}
      </figure>
      {result.responseStyle ? (
        <ResponseStyleView
          style={result.responseStyle}
          min={question?.min ?? Number(result.counts[0]?.value ?? 0)}
          max={question?.max ?? Number(result.counts[result.counts.length - 1]?.value ?? 0)}
        />
      ) : null}
    </div>
  );
}

function RankingView({ result }: { result: QuestionResult }) {
  const { t } = useTranslation();
  const format = useFormat();
  const rows = [...(result.ranking ?? [])].sort((a, b) => a.meanRank - b.meanRank);
  const summary = rows
    .map((row) => `${row.item}: ${t("surveyResults.meanRankShort", { value: format.fixed(row.meanRank, 2) })}`)
    .join(", ");
  return (
    <div className="ranking-result">
      <figure
        className="chart result-chart"
        role="img"
        aria-label={t("surveyResults.rankingLabel", { summary })}
        data-testid="result-chart"
      >
        <figcaption className="result-chart__caption" aria-hidden="true">
          {t("surveyResults.bordaCaption")}
        </figcaption>
        <div aria-hidden="true">
          <ResponsiveContainer width="100%" height={rows.length * ROW_HEIGHT + 12}>
            <BarChart
              data={rows}
              layout="vertical"
              margin={{ top: 4, right: 48, bottom: 4, left: 4 }}
              accessibilityLayer={false}
              barCategoryGap={6}
            >
              <XAxis type="number" hide domain={[0, "dataMax"]} />
              <YAxis
                type="category"
                dataKey="item"
                width={170}
                tickLine={false}
                axisLine={false}
                interval={0}
                tick={{ className: "chart__tick" }}
              />
              <Bar
                dataKey="borda"
                fill="currentColor"
                radius={[0, 4, 4, 0]}
                isAnimationActive={false}
                background={{ className: "result-chart__track" }}
              >
                <LabelList
                  dataKey="borda"
                  position="right"
                  className="chart__value"
                  formatter={(value: unknown) => format.fixed(Number(value), 0)}
                />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <table className="data-table">
        <caption className="visually-hidden">{t("surveyResults.rankingTable")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("surveyResults.item")}</th>
            <th scope="col" className="data-table__number">
              {t("surveyResults.meanRank")}
            </th>
            <th scope="col" className="data-table__number">
              {t("surveyResults.borda")}
            </th>
            <th scope="col" className="data-table__number">
              {t("surveyResults.firstChoice")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.item}>
              <th scope="row">{row.item}</th>
              <td className="data-table__number">{format.fixed(row.meanRank, 2)}</td>
              <td className="data-table__number">{format.fixed(row.borda, 0)}</td>
              <td className="data-table__number">{format.percent(Math.round(row.firstChoiceShare * 1000) / 10)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
