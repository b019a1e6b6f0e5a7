/** @jsxRuntime automatic @jsxImportSource react */
import { Line, Rect, Svg, Text, View } from "@react-pdf/renderer";
import type {
  FocusGroupStabilityReport,
  StabilityInterval,
  StabilitySnapshot,
  SurveyQuestionStability,
  SurveyStabilityReport,
} from "../../../../../shared/contract";
import { STABILITY_LABELS, type StabilityLabels } from "../labels/stability";
import type { StudyReport } from "../model";
import { ReportPage, SectionTitle, Table } from "./blocks";
import type { RenderContext } from "./context";
import type { PageSpec } from "./page-spec";
import { COLORS, CONTENT_WIDTH, s } from "./styles";

/**
 * The study's latest stability check (contract/stability.ts), when it has one: a page after the
 * study's own pages. A survey: per question, each option's share in the study and across the runs
 * (mean, 95 % t-interval, drawn as a bar with its interval), with a stable/fragile verdict; a focus
 * group: per theme, in how many reruns it came back.
 */
export function stabilityPages(r: RenderContext, section: StudyReport): PageSpec[] {
  const snapshot = section.stability;
  if (!snapshot) return [];
  const l = STABILITY_LABELS[r.model.language];
  const id = `${section.kind === "survey" ? "sv" : "fg"}-${section.study.id}-stability`;
  const header = `${r.model.project.name} · ${section.study.name}`;
  return [
    {
      id,
      toc: { title: l.title, level: 1 },
      element: (
        <ReportPage
          key={id}
          r={r}
          header={header}
          outline={`${section.study.name}: ${l.title}`}
          title={<SectionTitle r={r} id={id} title={l.title} size="h2" kicker={l.kicker} />}
        >
          <Intro l={l} snapshot={snapshot} />
          {snapshot.report.study === "survey" ? (
            <SurveyStability r={r} l={l} report={snapshot.report} />
          ) : (
            <FocusGroupStability r={r} l={l} report={snapshot.report} />
          )}
        </ReportPage>
      ),
    },
  ];
}

function Intro({ l, snapshot }: { l: StabilityLabels; snapshot: StabilitySnapshot }) {
  const { report } = snapshot;
  return (
    <View>
      {snapshot.stale ? <Text style={s.banner}>{l.stale}</Text> : null}
      <Text style={s.paragraph}>
        {report.study === "survey"
          ? l.surveyIntro(report.runs, report.baseSeed)
          : l.focusGroupIntro(report.runs, report.baseSeed)}
      </Text>
      <Text style={[s.small, { marginBottom: 8 }]}>{l.rules(report.rules)}</Text>
      <Text style={[s.paragraph, s.bold]}>
        {report.study === "survey"
          ? l.surveySummary(report.stableQuestions, report.assessedQuestions)
          : l.focusGroupSummary(report.themes.filter((theme) => theme.stable).length, report.themes.length)}
      </Text>
    </View>
  );
}

const verdict = (l: StabilityLabels, stable: boolean) => (stable ? l.stable : l.fragile);

function SurveyStability({ r, l, report }: { r: RenderContext; l: StabilityLabels; report: SurveyStabilityReport }) {
  return (
    <View>
      {report.questions.map((question, index) => (
        <QuestionStability key={question.questionId} r={r} l={l} number={index + 1} question={question} />
      ))}
    </View>
  );
}

function QuestionStability(props: {
  r: RenderContext;
  l: StabilityLabels;
  number: number;
  question: SurveyQuestionStability;
}) {
  const { r, l, number, question } = props;
  const { fmt } = r;
  const pct = (value: number | null) => (value === null ? "–" : fmt.percent(value));
  const num = (value: number | null) => (value === null ? "–" : fmt.number(value));
  const range = (interval: StabilityInterval | null, format: (v: number) => string) =>
    interval ? `${format(interval.low)} – ${format(interval.high)}` : "–";
  // A share's interval is printed within 0–100 % (the t-interval itself is not clipped; see contract/stability.ts).
  const clip = (v: number) => fmt.percent(Math.max(0, Math.min(100, v)));
  return (
    <View style={s.block}>
      <Text style={s.h3} minPresenceAhead={60}>
        {number}. {question.text}
        {question.assessed ? (
          <Text style={{ color: question.stable ? COLORS.positive : COLORS.warning }}>
            {" "}
            · {verdict(l, question.stable)}
          </Text>
        ) : null}
      </Text>
      {!question.assessed ? <Text style={[s.small]}>{l.notAssessed}</Text> : null}
      {question.assessed && question.reasons.length ? (
        <Text style={[s.small, { color: COLORS.warning }]}>
          {question.reasons.map((reason) => l.reason[reason]).join("; ")}
        </Text>
      ) : null}
      {question.shares.length ? (
        <>
          <IntervalBars
            rows={question.shares.map((share) => ({
              label: share.value,
              original: share.original,
              interval: share.interval,
            }))}
            max={100}
          />
          <Table
            columns={[
              { label: l.option, width: "34%" },
              { label: l.study, width: "14%", numeric: true },
              { label: l.runsMean, width: "16%", numeric: true },
              { label: l.interval, width: "22%", numeric: true },
              { label: l.verdict, width: "14%", numeric: true },
            ]}
            rows={question.shares.map((share) => [
              share.value,
              pct(share.original),
              pct(share.interval?.mean ?? null),
              range(share.interval, clip),
              share.interval ? verdict(l, share.stable) : "–",
            ])}
          />
        </>
      ) : null}
      {question.rating ? (
        <Table
          columns={[
            { label: "", width: "34%" },
            { label: l.study, width: "14%", numeric: true },
            { label: l.runsMean, width: "16%", numeric: true },
            { label: l.interval, width: "22%", numeric: true },
            { label: l.verdict, width: "14%", numeric: true },
          ]}
          rows={[
            [
              l.meanRating,
              num(question.rating.original),
              num(question.rating.interval?.mean ?? null),
              range(question.rating.interval, (v) => fmt.number(v)),
              question.rating.interval ? verdict(l, question.rating.stable) : "–",
            ],
          ]}
        />
      ) : null}
      {question.ranks ? (
        <Table
          columns={[
            { label: l.meanRank, width: "34%" },
            { label: l.study, width: "14%", numeric: true },
            { label: l.runsMean, width: "16%", numeric: true },
            { label: l.interval, width: "22%", numeric: true },
            { label: l.verdict, width: "14%", numeric: true },
          ]}
          rows={question.ranks.map((rank) => [
            rank.item,
            num(rank.original),
            num(rank.interval?.mean ?? null),
            range(rank.interval, (v) => fmt.number(v)),
            rank.interval ? verdict(l, rank.stable) : "–",
          ])}
        />
      ) : null}
      {question.modal ? (
        <Text style={s.small}>
          {question.modal.value === null
            ? l.noLeading
            : l.leading(question.modal.value, fmt.percent(question.modal.agreement * 100))}
        </Text>
      ) : null}
    </View>
  );
}

const BAR_HEIGHT = 8;

/** Each option's mean share across the runs as a bar, its 95 % interval as a whisker, the study's own share as a tick. */
function IntervalBars(props: {
  rows: { label: string; original: number | null; interval: StabilityInterval | null }[];
  max: number;
}) {
  const labelWidth = 150;
  const width = CONTENT_WIDTH - labelWidth - 8;
  const x = (value: number) => (Math.max(0, Math.min(props.max, value)) / props.max) * width;
  return (
    <View style={{ marginVertical: 6 }}>
      {props.rows.map((row, i) => (
        <View key={i} style={[s.row, { alignItems: "center", marginBottom: 3 }]} wrap={false}>
          <Text style={{ width: labelWidth, fontSize: 8.5, paddingRight: 6 }}>{row.label}</Text>
          <Svg width={width} height={BAR_HEIGHT + 4}>
            <Rect x={0} y={2} width={width} height={BAR_HEIGHT} fill={COLORS.panel} />
            {row.interval ? (
              <>
                <Rect x={0} y={2} width={x(row.interval.mean)} height={BAR_HEIGHT} fill={COLORS.accentSoft} />
                <Line
                  x1={x(row.interval.low)}
                  y1={2 + BAR_HEIGHT / 2}
                  x2={x(row.interval.high)}
                  y2={2 + BAR_HEIGHT / 2}
                  stroke={COLORS.accent}
                  strokeWidth={1.2}
                />
                <Line
                  x1={x(row.interval.low)}
                  y1={3}
                  x2={x(row.interval.low)}
                  y2={1 + BAR_HEIGHT}
                  stroke={COLORS.accent}
                  strokeWidth={1}
                />
                <Line
                  x1={x(row.interval.high)}
                  y1={3}
                  x2={x(row.interval.high)}
                  y2={1 + BAR_HEIGHT}
                  stroke={COLORS.accent}
                  strokeWidth={1}
                />
              </>
            ) : null}
            {row.original !== null ? (
              <Line
                x1={x(row.original)}
                y1={0}
                x2={x(row.original)}
                y2={BAR_HEIGHT + 4}
                stroke={COLORS.ink}
                strokeWidth={1}
              />
            ) : null}
          </Svg>
        </View>
      ))}
    </View>
  );
}

function FocusGroupStability({
  r,
  l,
  report,
}: {
  r: RenderContext;
  l: StabilityLabels;
  report: FocusGroupStabilityReport;
}) {
  const { fmt } = r;
  if (report.themes.length === 0) return <Text style={[s.paragraph, s.muted]}>{l.noThemes}</Text>;
  return (
    <View>
      <Table
        columns={[
          { label: l.theme, width: "52%" },
          { label: l.recurs, width: "16%", numeric: true },
          { label: "", width: "14%", numeric: true },
          { label: l.verdict, width: "18%", numeric: true },
        ]}
        rows={report.themes.map((theme) => [
          theme.title,
          l.recursIn(theme.recurrences, report.runs),
          fmt.percent(theme.share * 100),
          verdict(l, theme.stable),
        ])}
      />
      {report.themes
        .filter((theme) => theme.matchedTitles.some((title) => title !== theme.title))
        .map((theme) => (
          <Text key={theme.title} style={s.small}>
            {theme.title}: {l.matchedAs(theme.matchedTitles.join("; "))}
          </Text>
        ))}
      {report.emergent.length ? (
        <View>
          <Text style={s.h3}>{l.emergent}</Text>
          <Table
            columns={[
              { label: l.theme, width: "68%" },
              { label: l.recurs, width: "16%", numeric: true },
              { label: "", width: "16%", numeric: true },
            ]}
            rows={report.emergent.map((theme) => [
              theme.title,
              l.recursIn(theme.recurrences, report.runs),
              fmt.percent(theme.share * 100),
            ])}
          />
        </View>
      ) : null}
    </View>
  );
}
