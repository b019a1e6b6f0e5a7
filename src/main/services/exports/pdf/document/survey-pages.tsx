/** @jsxRuntime automatic @jsxImportSource react */
import { Text, View } from "@react-pdf/renderer";
import { DEFAULT_BENCHMARK_SOURCE, type ResponseStyle } from "../../../../../shared/contract";
import type { Crosstab } from "../../../../../shared/domain/survey-stats";
import type { SurveyQuestionReport, SurveyReport } from "../model";
import { Facts, PartialBanner, QuoteView, ReportPage, SectionTitle, Table } from "./blocks";
import { BarChart } from "./charts";
import type { RenderContext } from "./context";
import type { PageSpec } from "./page-spec";
import { COLORS, s } from "./styles";

/** Open-answer quotes shown per theme. */
const QUOTES_PER_THEME = 3;

/** "age_group" → "age group". */
export const dimensionName = (key: string) => key.replace(/_/g, " ");
/** "age_group" → "Age group". */
export const dimensionTitle = (key: string) => {
  const name = dimensionName(key);
  return name.charAt(0).toUpperCase() + name.slice(1);
};

/** The pages of one survey: an overview, then one page per question (chart, statistics, cross-tabs). */
export function surveyPages(r: RenderContext, survey: SurveyReport): PageSpec[] {
  const { t } = r;
  const header = `${r.model.project.name} · ${survey.study.name}`;
  const overviewId = `sv-${survey.study.id}-overview`;
  const pages: PageSpec[] = [
    {
      id: overviewId,
      toc: { title: survey.study.name, level: 0 },
      element: (
        <ReportPage
          key={overviewId}
          r={r}
          header={header}
          outline={`${t.survey}: ${survey.study.name}`}
          title={<SectionTitle r={r} id={overviewId} title={survey.study.name} kicker={t.survey} />}
        >
          <Overview r={r} survey={survey} />
        </ReportPage>
      ),
    },
  ];
  // One <Page> per question: each layout stays small however long the questionnaire.
  for (const q of survey.questions) {
    const id = `sv-${survey.study.id}-q${q.number}`;
    const title = `${q.number}. ${q.question.text}`;
    pages.push({
      id,
      toc: { title: title.length > 90 ? `${title.slice(0, 87)}…` : title, level: 1 },
      element: (
        <ReportPage
          key={id}
          r={r}
          header={header}
          outline={`${survey.study.name}: ${title.length > 80 ? `${title.slice(0, 77)}…` : title}`}
          title={
            <SectionTitle
              r={r}
              id={id}
              title={q.question.text}
              size="h2"
              kicker={`${t.question(q.number)} · ${t.questionType[q.question.type] ?? q.question.type}`}
            />
          }
        >
          <QuestionResults r={r} survey={survey} q={q} />
        </ReportPage>
      ),
    });
  }
  return pages;
}

function Overview({ r, survey }: { r: RenderContext; survey: SurveyReport }) {
  const { t, fmt } = r;
  return (
    <View>
      <PartialBanner r={r} study={survey.study} />
      <Facts
        rows={[
          [t.dataRange, fmt.dateRange(survey.study.dataFrom, survey.study.dataTo, t.noData)],
          [t.respondents, String(survey.respondents)],
          [t.questions, String(survey.questions.length)],
        ]}
      />
      <Text style={s.h2}>{t.questions}</Text>
      <Table
        columns={[
          { label: "", width: "6%" },
          { label: "", width: "64%" },
          { label: "", width: "18%" },
          { label: t.statN, width: "12%", numeric: true },
        ]}
        rows={survey.questions.map((q) => [
          `${q.number}.`,
          q.question.text,
          t.questionType[q.question.type] ?? q.question.type,
          String(q.result.answered),
        ])}
      />
    </View>
  );
}

function QuestionResults({ r, survey, q }: { r: RenderContext; survey: SurveyReport; q: SurveyQuestionReport }) {
  const { t, fmt } = r;
  const { question, result } = q;
  const countRows = result.counts.map((c) => ({
    label: c.value,
    fraction: c.percent / 100,
    display: `${fmt.percent(c.percent)} (${c.count})`,
  }));
  return (
    <View>
      <Text style={[s.paragraph, s.muted]}>
        {t.answered(result.answered, survey.respondents)}
        {question.type === "multiple_choice" && (question.maxSelections ?? 1) > 1
          ? ` · ${t.multiSelect(question.maxSelections ?? 1)}`
          : ""}
      </Text>

      {question.type === "multiple_choice" ? <BarChart rows={countRows} /> : null}

      {question.type === "rating_scale" ? (
        <View>
          <BarChart
            rows={countRows.map((row, i) => ({
              ...row,
              label:
                i === 0 && question.minLabel
                  ? `${row.label} · ${question.minLabel}`
                  : i === countRows.length - 1 && question.maxLabel
                    ? `${row.label} · ${question.maxLabel}`
                    : row.label,
            }))}
          />
          {result.rating ? (
            <Table
              columns={[t.statN, t.statMean, t.statMedian, t.statSd, t.statMin, t.statMax].map((label) => ({
                label,
                width: "16.6%",
                numeric: true,
              }))}
              rows={[
                [
                  String(result.answered),
                  fmt.number(result.rating.mean),
                  fmt.number(result.rating.median, 1),
                  fmt.number(result.rating.stdDev),
                  String(result.rating.min),
                  String(result.rating.max),
                ],
              ]}
            />
          ) : null}
          {result.responseStyle ? (
            <ResponseStyleView r={r} style={result.responseStyle} scale={[question.min ?? 0, question.max ?? 0]} />
          ) : null}
        </View>
      ) : null}

      {question.type === "ranking" ? (
        <View>
          <Text style={s.h3}>{t.firstChoice}</Text>
          <BarChart rows={countRows} />
          {result.ranking ? (
            <Table
              columns={[
                { label: t.item, width: "46%" },
                { label: t.meanRank, width: "18%", numeric: true },
                { label: t.borda, width: "18%", numeric: true },
                { label: t.firstChoice, width: "18%", numeric: true },
              ]}
              rows={[...result.ranking]
                .sort((a, b) => a.meanRank - b.meanRank)
                .map((row) => [
                  row.item,
                  fmt.number(row.meanRank),
                  String(row.borda),
                  fmt.percent(row.firstChoiceShare * 100),
                ])}
            />
          ) : null}
        </View>
      ) : null}

      {question.type === "open_ended" ? <OpenThemes r={r} q={q} /> : null}

      {q.crosstabs.map((table) => (
        <CrosstabView key={table.dimension} r={r} table={table} />
      ))}
    </View>
  );
}

/** The decimals that print a threshold such as 0.01 or 0.005 exactly (at least 2, at most 6). */
const decimals = (value: number) => {
  for (let d = 2; d < 6; d++) if (Math.abs(Math.round(value * 10 ** d) - value * 10 ** d) < 1e-9) return d;
  return 6;
};

/**
 * Middle and end answers beside a uniform respondent and the human benchmark, with the one-sided
 * p-values, then each warning with its numbers (or that there is none, and what one would need).
 */
function ResponseStyleView({ r, style, scale }: { r: RenderContext; style: ResponseStyle; scale: [number, number] }) {
  const { t, fmt } = r;
  const share = (value: number) => fmt.percent(value * 100);
  const pStatement = (p: number) => `${t.pValue} ${p < 0.001 ? fmt.pValue(p) : `= ${fmt.pValue(p)}`}`;
  const withP = (value: number | null, p: number | null) =>
    value === null || p === null ? "–" : `${share(value)} · ${pStatement(p)}`;
  const middle = style.midpointValues.join(` ${t.rsOr} `);
  const ends = `${scale[0]} ${t.rsOr} ${scale[1]}`;
  const source = style.benchmarkSource === DEFAULT_BENCHMARK_SOURCE ? t.rsDefaultSource : style.benchmarkSource;
  const { criteria } = style;
  return (
    <View wrap={false} style={{ marginTop: 8 }}>
      <Text style={s.h3}>{t.responseStyle}</Text>
      <Table
        columns={[
          { label: "", width: "28%" },
          { label: t.rsThisSurvey, width: "24%", numeric: true },
          { label: t.rsUniform, width: "24%", numeric: true },
          { label: t.rsBenchmark, width: "24%", numeric: true },
        ]}
        rows={[
          [
            t.rsMiddle(middle),
            `${share(style.midpoint.share)} (${t.rsOf(style.midpoint.count, style.n)})`,
            withP(style.midpoint.uniformShare, style.midpoint.pVsUniform),
            withP(style.midpoint.benchmarkShare, style.midpoint.pVsBenchmark),
          ],
          [
            t.rsEnds(ends),
            `${share(style.extremes.share)} (${t.rsOf(style.extremes.count, style.n)})`,
            withP(style.extremes.uniformShare, style.extremes.pVsUniform),
            withP(style.extremes.benchmarkShare, style.extremes.pVsBenchmark),
          ],
          [
            t.statSd,
            fmt.number(style.stdDev),
            fmt.number(style.spread.uniformStdDev),
            style.spread.benchmarkStdDev === null ? "–" : fmt.number(style.spread.benchmarkStdDev),
          ],
        ]}
      />
      <Text style={s.small}>{t.rsTestNote}</Text>
      {style.flags.includes("midpoint_collapse") ? (
        <Text style={[s.paragraph, { marginTop: 4, color: COLORS.warning, fontWeight: 700 }]}>
          {t.rsMidpointCollapse(
            share(style.midpoint.share),
            middle,
            share(criteria.midpointReference),
            pStatement(criteria.midpointP),
          )}
        </Text>
      ) : null}
      {style.flags.includes("no_extremes") ? (
        <Text style={[s.paragraph, { marginTop: 4, color: COLORS.warning, fontWeight: 700 }]}>
          {t.rsNoExtremes(style.n, ends, share(criteria.extremeReference), fmt.pValue(criteria.noExtremesP))}
        </Text>
      ) : null}
      {style.flags.length === 0 ? (
        <Text style={s.small}>
          {t.rsNoWarning(criteria.minAnswers, fmt.number(criteria.alpha, decimals(criteria.alpha)))}
        </Text>
      ) : null}
      <Text style={s.small}>{source === null ? t.rsNoBenchmark(style.points) : t.rsBenchmarkSource(source)}</Text>
    </View>
  );
}

function OpenThemes({ r, q }: { r: RenderContext; q: SurveyQuestionReport }) {
  const { t, fmt } = r;
  const themes = q.result.openThemes;
  if (!themes || themes.length === 0) return <Text style={[s.paragraph, s.muted]}>{t.noOpenThemes}</Text>;
  const answered = Math.max(1, q.result.answered);
  return (
    <View>
      <BarChart
        rows={themes.map((theme) => ({
          label: theme.theme,
          fraction: theme.count / answered,
          display: `${fmt.percent((theme.count / answered) * 100)} (${theme.count})`,
        }))}
      />
      {themes.map((theme, i) => (
        <View key={i} style={s.block}>
          <Text style={s.h3} minPresenceAhead={40}>
            {theme.theme} <Text style={[s.small, { fontWeight: 400 }]}>· {t.themeCount(theme.count)}</Text>
          </Text>
          {theme.quotes.slice(0, QUOTES_PER_THEME).map((quote, j) => (
            <QuoteView
              key={j}
              r={r}
              quote={{
                text: quote.text,
                personaId: quote.personaId,
                speakerName: r.model.personas[quote.personaId]?.name ?? "—",
              }}
            />
          ))}
        </View>
      ))}
    </View>
  );
}

function CrosstabView({ r, table }: { r: RenderContext; table: Crosstab }) {
  const { t, fmt } = r;
  const answered = table.counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  if (answered === 0) return null;
  const columnTotals = table.columns.map((_, j) => table.counts.reduce((sum, row) => sum + (row[j] ?? 0), 0));
  const otherWidth = `${(62 / (table.columns.length + 1)).toFixed(2)}%`;
  const test =
    table.pValue === null
      ? table.note
        ? t.multiSelectNoTest
        : t.noTest
      : `${t.chiSquare} = ${fmt.number(table.statistic ?? 0)} · ${t.df} = ${table.df} · ${t.pValue} = ${fmt.pValue(table.pValue)}`;
  return (
    <View wrap={false} style={{ marginTop: 8 }}>
      <Text style={s.h3}>{t.crosstab(dimensionName(table.dimension))}</Text>
      <Table
        columns={[
          { label: t.option, width: "38%" },
          ...table.columns.map((label) => ({ label, width: otherWidth, numeric: true })),
          { label: t.total, width: otherWidth, numeric: true },
        ]}
        rows={table.rows.map((label, i) => {
          const counts = table.counts[i] ?? [];
          return [label, ...counts.map(String), String(counts.reduce((a, b) => a + b, 0))];
        })}
        footer={[t.total, ...columnTotals.map(String), String(answered)]}
      />
      <Text style={s.small}>{test}</Text>
      {table.smallExpectedWarning && table.pValue !== null ? (
        <Text style={[s.small, { color: COLORS.warning }]}>{t.smallCounts}</Text>
      ) : null}
    </View>
  );
}
