/** @jsxRuntime automatic @jsxImportSource react */
import type { ReactNode } from "react";
import { Text, View } from "@react-pdf/renderer";
import type { FocusGroupReport, TranscriptLine, TranscriptQuestion } from "../model";
import { Facts, InsightList, PartialBanner, ReportPage, SectionTitle, Table } from "./blocks";
import { DivergingChart } from "./charts";
import type { RenderContext } from "./context";
import type { PageSpec } from "./page-spec";
import { COLORS, s } from "./styles";

/** The pages of one focus group: overview and summary, themes, sentiment, findings, recommendations, transcript. */
export function focusGroupPages(r: RenderContext, fg: FocusGroupReport): PageSpec[] {
  const { t } = r;
  const id = (part: string) => `fg-${fg.study.id}-${part}`;
  const header = `${r.model.project.name} · ${fg.study.name}`;
  const page = (part: string, title: string, level: 0 | 1, body: ReactNode, kicker?: string): PageSpec => ({
    id: id(part),
    toc: { title, level },
    element: (
      <ReportPage
        key={id(part)}
        r={r}
        header={header}
        outline={level === 0 ? `${t.focusGroup}: ${fg.study.name}` : `${fg.study.name}: ${title}`}
        title={<SectionTitle r={r} id={id(part)} title={title} kicker={kicker} />}
      >
        {body}
      </ReportPage>
    ),
  });

  const pages: PageSpec[] = [page("overview", fg.study.name, 0, <Overview r={r} fg={fg} />, t.focusGroup)];
  if (fg.analysed) {
    pages.push(
      page("themes", t.themes, 1, <InsightList r={r} items={fg.themes} />, fg.study.name),
      page("sentiment", t.sentiment, 1, <Sentiment r={r} fg={fg} />, fg.study.name),
      page(
        "findings",
        t.findings,
        1,
        <View>
          <Text style={s.h2}>{t.agreements}</Text>
          <InsightList r={r} items={fg.agreements} />
          <Text style={s.h2}>{t.disagreements}</Text>
          <InsightList r={r} items={fg.disagreements} />
          <Text style={s.h2}>{t.segmentDifferences}</Text>
          <InsightList r={r} items={fg.segmentDifferences} />
          {fg.surprises.length ? (
            <View>
              <Text style={s.h2}>{t.surprises}</Text>
              <InsightList r={r} items={fg.surprises} />
            </View>
          ) : null}
        </View>,
        fg.study.name,
      ),
      page("recommendations", t.recommendations, 1, <InsightList r={r} items={fg.recommendations} />, fg.study.name),
    );
  }
  // One <Page> per question keeps each layout small (react-pdf's cost grows faster than the blocks on a page).
  for (const [i, question] of (fg.transcript ?? []).entries()) {
    const title = `${t.transcript}: ${t.question(question.index + 1)}`;
    pages.push(
      i === 0
        ? page(
            `transcript-${question.index}`,
            t.transcript,
            1,
            <TranscriptPart r={r} question={question} />,
            fg.study.name,
          )
        : {
            id: id(`transcript-${question.index}`),
            element: (
              <ReportPage key={id(`transcript-${question.index}`)} r={r} header={`${header} · ${title}`}>
                <TranscriptPart r={r} question={question} />
              </ReportPage>
            ),
          },
    );
  }
  return pages;
}

function Overview({ r, fg }: { r: RenderContext; fg: FocusGroupReport }) {
  const { t, fmt } = r;
  const participants = fg.participantIds.map((pid) => r.model.personas[pid]).filter((p) => p !== undefined);
  return (
    <View>
      <PartialBanner r={r} study={fg.study} />
      <Facts
        rows={[
          [t.dataRange, fmt.dateRange(fg.study.dataFrom, fg.study.dataTo, t.noData)],
          [t.participants, String(fg.participantIds.length)],
          [t.questions, String(fg.guide.length)],
          [t.messages, String(fg.messageCount)],
        ]}
      />
      <Text style={s.h2}>{t.executiveSummary}</Text>
      {fg.analysed ? (
        fg.summary.length ? (
          fg.summary.map((item, i) => (
            <View key={i}>
              {item.title ? <Text style={s.h3}>{item.title}</Text> : null}
              <Text style={s.lead}>{item.text}</Text>
            </View>
          ))
        ) : (
          <Text style={[s.paragraph, s.muted]}>{t.noneFound}</Text>
        )
      ) : (
        <Text style={[s.paragraph, s.muted]}>{t.notAnalysed}</Text>
      )}
      <Text style={s.h2} minPresenceAhead={60}>
        {t.participants}
      </Text>
      <Table
        columns={[
          { label: "", width: "30%" },
          { label: t.age, width: "8%", numeric: true },
          { label: t.gender, width: "14%" },
          { label: t.location, width: "22%" },
          { label: t.occupation, width: "26%" },
        ]}
        rows={participants.map((p) => [p.name, String(p.age), p.gender, p.location, p.occupation])}
      />
      <Text style={s.h2} minPresenceAhead={40}>
        {t.questions}
      </Text>
      {fg.guide.map((item, i) => (
        <Text key={i} style={s.paragraph}>
          {i + 1}. {item.question}
        </Text>
      ))}
    </View>
  );
}

function Sentiment({ r, fg }: { r: RenderContext; fg: FocusGroupReport }) {
  const { t, fmt } = r;
  const row = (label: string, mean: number | null, messages: number) => ({
    label,
    value: mean,
    display: mean === null ? "–" : `${fmt.signed(mean)} (${messages})`,
  });
  return (
    <View>
      <Text style={[s.paragraph, s.muted]}>{t.sentimentScale}</Text>
      <Facts rows={[[t.sentimentOverall, fg.sentiment.overall === null ? "–" : fmt.signed(fg.sentiment.overall)]]} />
      <Text style={s.h2}>{t.sentimentByQuestion}</Text>
      <DivergingChart
        r={r}
        rows={fg.sentiment.byQuestion.map((q) => {
          const index = Number(q.label.slice(1)) - 1;
          const text = fg.guide[index]?.question ?? "";
          return row(
            `${t.question(index + 1)}: ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`,
            q.mean,
            q.messages,
          );
        })}
        labelWidth={200}
      />
      <Text style={s.h2} minPresenceAhead={60}>
        {t.sentimentByPersona}
      </Text>
      <DivergingChart r={r} rows={fg.sentiment.byPersona.map((p) => row(p.label, p.mean, p.messages))} />
    </View>
  );
}

function TranscriptPart({ r, question }: { r: RenderContext; question: TranscriptQuestion }) {
  const { t } = r;
  return (
    <View>
      <Text style={s.kicker}>{t.question(question.index + 1)}</Text>
      <Text style={s.h2}>{question.question}</Text>
      {question.probes.length ? (
        <View style={s.panel}>
          <Text style={[s.small, s.bold]}>{t.probes}</Text>
          {question.probes.map((probe, i) => (
            <Text key={i} style={{ fontSize: 8.5 }}>
              • {probe}
            </Text>
          ))}
        </View>
      ) : null}
      {question.lines
        .filter((line) => line.phase !== "question")
        .map((line) => (
          <TranscriptLineView key={line.seq} r={r} line={line} />
        ))}
    </View>
  );
}

function TranscriptLineView({ r, line }: { r: RenderContext; line: TranscriptLine }) {
  const { t, fmt } = r;
  const moderator = line.speakerType === "moderator";
  const context = [
    line.phase === "reaction" ? t.round(line.round) : null,
    // A co-moderator's probe names who suggested it instead of reading as the moderator's own follow-up.
    line.suggestedBy !== null
      ? t.probeSuggestedBy(line.suggestedBy)
      : line.phase === "followup" || line.phase === "followup_answer"
        ? t.followUp
        : null,
    line.replyToName ? t.repliesTo(line.replyToName) : null,
    line.sentiment !== null ? `${t.sentiment} ${fmt.signed(line.sentiment)}` : null,
  ].filter(Boolean);
  return (
    <View style={{ marginBottom: 5, paddingLeft: moderator ? 0 : 8 }}>
      <Text style={{ fontSize: 8.5 }} minPresenceAhead={24}>
        <Text style={{ fontWeight: 700, color: moderator ? COLORS.accent : COLORS.heading }}>
          {moderator ? `${t.moderator}` : line.speakerName}
        </Text>
        {context.length ? <Text style={{ color: COLORS.muted }}> · {context.join(" · ")}</Text> : null}
      </Text>
      <Text style={moderator ? { fontStyle: "italic" } : undefined}>{line.text}</Text>
    </View>
  );
}
