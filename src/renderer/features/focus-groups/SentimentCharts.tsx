import { useTranslation } from "react-i18next";
import {
  Bar,
  BarChart,
  LabelList,
  Rectangle,
  ReferenceLine,
  ResponsiveContainer,
  XAxis,
  YAxis,
  type BarShapeProps,
} from "recharts";
import type { RouteOutput } from "@shared/contract";
import { toneOf, useSignedScore } from "./SentimentDot";

type Sentiment = RouteOutput<"focusGroups.insights">["sentiment"];

interface Datum {
  label: string;
  mean: number;
}

const ROW_HEIGHT = 32;

/** Mean sentiment (−1..1) per guide question and per participant, with the overall mean. */
export function SentimentCharts({ sentiment, guide }: { sentiment: Sentiment; guide: { question: string }[] }) {
  const { t } = useTranslation();
  const signed = useSignedScore();
  const byQuestion = sentiment.byQuestion.flatMap((row) =>
    row.mean === null ? [] : [{ label: t("analysis.questionShort", { n: row.questionIndex + 1 }), mean: row.mean }],
  );
  const byPersona = sentiment.byPersona
    .flatMap((row) => (row.mean === null ? [] : [{ label: row.name, mean: row.mean }]))
    .sort((a, b) => b.mean - a.mean);
  if (byQuestion.length === 0 && byPersona.length === 0) {
    return <p className="muted">{t("analysis.noSentiment")}</p>;
  }
  const summarize = (rows: Datum[]) => rows.map((row) => `${row.label} ${signed(row.mean)}`).join(", ");
  return (
    <div className="sentiment">
      {sentiment.overall !== null ? (
        <p className="sentiment__overall" data-testid="sentiment-overall">
          {t("analysis.overall", {
            score: signed(sentiment.overall),
            tone: t(`analysis.tone.${toneOf(sentiment.overall)}`),
          })}
        </p>
      ) : null}
      <div className="sentiment__charts">
        <figure
          className="chart sentiment-chart"
          role="img"
          aria-label={t("analysis.byQuestionChart", { summary: summarize(byQuestion) })}
          data-testid="sentiment-by-question"
        >
          <figcaption className="sentiment-chart__title" aria-hidden="true">
            {t("analysis.byQuestion")}
          </figcaption>
          <div aria-hidden="true">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart
                data={byQuestion}
                margin={{ top: 16, right: 8, bottom: 4, left: 0 }}
                accessibilityLayer={false}
                barCategoryGap="25%"
              >
                <XAxis dataKey="label" tickLine={false} axisLine={false} tick={{ className: "chart__tick" }} />
                <YAxis
                  type="number"
                  domain={[-1, 1]}
                  ticks={[-1, -0.5, 0, 0.5, 1]}
                  width={36}
                  tickLine={false}
                  axisLine={false}
                  tick={{ className: "chart__tick" }}
                />
                <ReferenceLine y={0} className="sentiment-chart__zero" />
                <Bar
                  dataKey="mean"
                  isAnimationActive={false}
                  shape={(props: BarShapeProps) => toneBar(props, byQuestion)}
                >
                  <LabelList dataKey="mean" position="top" className="chart__value" formatter={formatScore(signed)} />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          {byQuestion.length > 0 ? (
            <ol className="sentiment-chart__key" aria-hidden="true">
              {sentiment.byQuestion.map((row) => (
                <li key={row.questionIndex}>
                  <strong>{t("analysis.questionShort", { n: row.questionIndex + 1 })}</strong>{" "}
                  {guide[row.questionIndex]?.question ?? ""}
                </li>
              ))}
            </ol>
          ) : null}
        </figure>
        <figure
          className="chart sentiment-chart"
          role="img"
          aria-label={t("analysis.byPersonaChart", { summary: summarize(byPersona) })}
          data-testid="sentiment-by-persona"
        >
          <figcaption className="sentiment-chart__title" aria-hidden="true">
            {t("analysis.byPersona")}
          </figcaption>
          <div aria-hidden="true">
            <ResponsiveContainer width="100%" height={byPersona.length * ROW_HEIGHT + 24}>
              <BarChart
                data={byPersona}
                layout="vertical"
                margin={{ top: 4, right: 48, bottom: 4, left: 4 }}
                accessibilityLayer={false}
                barCategoryGap={6}
              >
                <XAxis type="number" domain={[-1, 1]} hide />
                <YAxis
                  type="category"
                  dataKey="label"
                  width={140}
                  tickLine={false}
                  axisLine={false}
                  interval={0}
                  tick={{ className: "chart__tick" }}
                />
                <ReferenceLine x={0} className="sentiment-chart__zero" />
                <Bar
                  dataKey="mean"
                  isAnimationActive={false}
                  shape={(props: BarShapeProps) => toneBar(props, byPersona)}
                >
                  <LabelList dataKey="mean" position="right" className="chart__value" formatter={formatScore(signed)} />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
      </div>
    </div>
  );
}

/** Each bar coloured by its tone (negative, neutral, positive), through CSS so dark mode follows. */
function toneBar(props: BarShapeProps, rows: readonly Datum[]) {
  const tone = toneOf(rows[props.index]?.mean ?? 0);
  return <Rectangle {...props} className={`sentiment-bar sentiment-bar--${tone}`} />;
}

function formatScore(signed: (value: number) => string) {
  return (value: unknown) => signed(Number(value));
}
