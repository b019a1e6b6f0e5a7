/** @jsxRuntime automatic @jsxImportSource react */
import { Document, Link, Page, Text, View } from "@react-pdf/renderer";
import { formatter } from "../format";
import { LABELS } from "../labels";
import type { ReportModel } from "../model";
import { Facts, Footer, ReportPage } from "./blocks";
import type { RenderContext } from "./context";
import { focusGroupPages } from "./focus-group-pages";
import { methodologyPage } from "./methodology-page";
import type { PageSpec } from "./page-spec";
import { personaPages } from "./persona-pages";
import { stabilityPages } from "./stability-page";
import { COLORS, s } from "./styles";
import { surveyPages } from "./survey-pages";

export interface DocumentMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  creator: string;
  producer: string;
}

export function documentMetadata(model: ReportModel): DocumentMetadata {
  const t = LABELS[model.language];
  const kind = t.reportKind[model.scope];
  const only = model.sections.length === 1 ? model.sections[0]!.study.name : null;
  return {
    title: `${kind}: ${only ?? model.project.name}`,
    author: "Sight",
    subject: `${kind} · ${model.project.name}. ${t.syntheticData}`,
    keywords: [
      "Sight",
      model.project.name,
      ...(model.scope === "personas" ? [t.personas] : []),
      ...model.sections.map((section) => (section.kind === "focusGroup" ? t.focusGroup : t.survey)),
      "synthetic data",
      "AI personas",
    ]
      .filter((word, i, all) => all.indexOf(word) === i)
      .join(", "),
    creator: `Sight ${model.appVersion}`,
    producer: `Sight ${model.appVersion}`,
  };
}

/** The whole report: cover, contents, the sections (one <Page> each), methodology, appendix. */
export function ReportDocument({ model, onPage }: { model: ReportModel; onPage: (pageNumber: number) => void }) {
  const r: RenderContext = {
    model,
    t: LABELS[model.language],
    fmt: formatter(model.language),
    anchors: new Map(),
    onPage,
  };
  const pages: PageSpec[] = [
    ...model.sections.flatMap((section) => [
      ...(section.kind === "focusGroup" ? focusGroupPages(r, section) : surveyPages(r, section)),
      ...stabilityPages(r, section),
    ]),
    methodologyPage(r),
    ...(model.appendix ? personaPages(r, model.appendix) : []),
  ];
  const meta = documentMetadata(model);
  return (
    <Document {...meta} language={model.language} creationDate={new Date(model.exportedAt)} pageMode="useOutlines">
      <Cover r={r} />
      <Contents r={r} pages={pages} />
      {pages.map((page) => page.element)}
    </Document>
  );
}

function Cover({ r }: { r: RenderContext }) {
  const { t, fmt, model } = r;
  const only = model.sections.length === 1 ? model.sections[0]! : null;
  const froms = model.sections.flatMap((section) => (section.study.dataFrom ? [section.study.dataFrom] : [])).sort();
  const tos = model.sections.flatMap((section) => (section.study.dataTo ? [section.study.dataTo] : [])).sort();
  const partial = model.sections.filter((section) => section.study.partial);
  const facts: [string, string][] = [
    [t.project, model.project.name],
    ...(only
      ? [[only.kind === "focusGroup" ? t.focusGroup : t.survey, only.study.name] as [string, string]]
      : model.sections.length
        ? [[t.studies, model.sections.map((section) => section.study.name).join(", ")] as [string, string]]
        : []),
    [t.exportDate, fmt.date(model.exportedAt)],
    ...(model.sections.length
      ? [[t.dataRange, fmt.dateRange(froms[0] ?? null, tos[tos.length - 1] ?? null, t.noData)] as [string, string]]
      : []),
    [t.personas, String(model.sample.personaCount)],
  ];
  return (
    <Page size="A4" style={[s.page, { paddingTop: 90 }]} bookmark={{ title: t.reportKind[model.scope], fit: true }}>
      <Text style={{ fontSize: 11, fontWeight: 700, letterSpacing: 3, color: COLORS.accent }}>SIGHT</Text>
      <View style={{ marginTop: 110 }}>
        <Text style={s.kicker}>{t.reportKind[model.scope]}</Text>
        <Text style={{ fontSize: 30, fontWeight: 700, color: COLORS.heading }}>
          {only ? only.study.name : model.project.name}
        </Text>
        {only ? <Text style={{ fontSize: 15, color: COLORS.muted, marginTop: 6 }}>{model.project.name}</Text> : null}
        <View style={{ width: 60, height: 3, backgroundColor: COLORS.accent, marginTop: 18, marginBottom: 22 }} />
      </View>
      {partial.length ? (
        <View style={s.banner}>
          {only ? (
            <Text>{t.partialBanner(t.status[only.study.status] ?? only.study.status)}</Text>
          ) : (
            <View>
              <Text>{t.partialReport}</Text>
              {partial.map((section) => (
                <Text key={section.study.id} style={{ fontWeight: 400 }}>
                  • {section.study.name} ({t.status[section.study.status] ?? section.study.status})
                </Text>
              ))}
            </View>
          )}
        </View>
      ) : null}
      <Facts rows={facts} labelWidth={120} />
      {model.project.researchGoal ? (
        <View style={{ marginTop: 8 }}>
          <Text style={[s.small, s.bold]}>{t.researchGoal}</Text>
          <Text>{model.project.researchGoal}</Text>
        </View>
      ) : null}
      {model.project.targetAudience ? (
        <View style={{ marginTop: 8 }}>
          <Text style={[s.small, s.bold]}>{t.targetAudience}</Text>
          <Text>{model.project.targetAudience}</Text>
        </View>
      ) : null}
      <View style={[s.panel, { position: "absolute", left: 50, right: 50, bottom: 90 }]}>
        <Text style={[s.bold, { marginBottom: 3 }]}>{t.disclosureTitle}</Text>
        <Text style={{ fontSize: 8.5 }}>{t.disclosureText}</Text>
      </View>
      <Footer r={r} />
    </Page>
  );
}

function Contents({ r, pages }: { r: RenderContext; pages: PageSpec[] }) {
  const entries = pages.filter((page) => page.toc);
  return (
    <ReportPage
      r={r}
      header={r.model.project.name}
      outline={r.t.contents}
      title={
        // The entries' page numbers are dynamic texts: no lineHeight on them or around them.
        <View>
          <Text style={s.titleH1}>{r.t.contents}</Text>
          {entries.map((page) => (
            <ContentsEntry key={page.id} r={r} page={page} />
          ))}
        </View>
      }
    >
      {null}
    </ReportPage>
  );
}

function ContentsEntry({ r, page }: { r: RenderContext; page: PageSpec }) {
  const level = page.toc!.level;
  return (
    <Link src={`#${page.id}`} style={{ textDecoration: "none", color: COLORS.ink }}>
      <View
        style={[
          s.row,
          {
            paddingLeft: level * 14,
            marginTop: level === 0 ? 8 : 2,
            fontSize: level === 0 ? 10.5 : 9,
            fontWeight: level === 0 ? 700 : 400,
          },
        ]}
        wrap={false}
      >
        <Text style={{ flex: 1, paddingRight: 10 }}>{page.toc!.title}</Text>
        {/* Resolved again on the last pass, when every section's first page is known. */}
        <Text style={{ width: 28, textAlign: "right" }} render={() => String(r.anchors.get(page.id) ?? "")} />
      </View>
    </Link>
  );
}
