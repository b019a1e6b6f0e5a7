/** @jsxRuntime automatic @jsxImportSource react */
import type { ReactNode } from "react";
import { Page, Text, View } from "@react-pdf/renderer";
import type { Style } from "@react-pdf/types";
import type { InsightBlock, Quote, StudyMeta } from "../model";
import type { RenderContext } from "./context";
import { s } from "./styles";

/**
 * One <Page> of the report: running header, an optional section title, the flowing content,
 * and the footer (synthetic-data label, page x of y).
 */
export function ReportPage(props: {
  r: RenderContext;
  header: string;
  outline?: string;
  title?: ReactNode;
  children: ReactNode;
}) {
  const { r } = props;
  return (
    <Page size="A4" style={s.page} {...(props.outline ? { bookmark: { title: props.outline, fit: true } } : {})}>
      <View fixed style={s.header}>
        <Text style={s.headerLeft}>{props.header}</Text>
        <Text>{r.t.reportKind[r.model.scope]}</Text>
      </View>
      {props.title}
      {props.children}
      <Footer r={r} />
    </Page>
  );
}

export function Footer({ r }: { r: RenderContext }) {
  return (
    <View fixed style={s.footer}>
      <View style={s.footerDisclosure}>
        <Text>{r.t.syntheticData}</Text>
        {r.model.plan === "free" ? <Text style={s.freeMark}>{r.t.freeMark}</Text> : null}
      </View>
      <Text
        style={s.footerRight}
        render={({ pageNumber, totalPages }) => {
          r.onPage(pageNumber);
          return r.t.page(pageNumber, totalPages ?? pageNumber);
        }}
      />
    </View>
  );
}

/**
 * A section's title: the contents page's link target, and the place where the section's first
 * page number is recorded (its page carries the outline entry).
 */
export function SectionTitle(props: {
  r: RenderContext;
  id: string;
  title: string;
  kicker?: string;
  size?: "h1" | "h2";
}) {
  const { r, id, title } = props;
  return (
    <View id={id}>
      {props.kicker ? <Text style={s.kicker}>{props.kicker}</Text> : null}
      <Text
        style={props.size === "h2" ? s.titleH2 : s.titleH1}
        render={({ pageNumber }) => {
          if (!r.anchors.has(id)) r.anchors.set(id, pageNumber);
          return title;
        }}
      />
    </View>
  );
}

export function PartialBanner({ r, study }: { r: RenderContext; study: StudyMeta }) {
  if (!study.partial) return null;
  return <Text style={s.banner}>{r.t.partialBanner(r.t.status[study.status] ?? study.status)}</Text>;
}

/** A two-column table of facts (label, value). */
export function Facts({ rows, labelWidth = 130 }: { rows: [string, string][]; labelWidth?: number }) {
  return (
    <View style={s.table}>
      {rows.map(([label, value], i) => (
        <View key={i} style={s.tr} wrap={false}>
          <Text style={[s.td, s.muted, { width: labelWidth }]}>{label}</Text>
          <Text style={[s.td, { flex: 1 }]}>{value}</Text>
        </View>
      ))}
    </View>
  );
}

/** "Łucja Wąsowska-Żak, 34, female, Kraków": who said it and the demographics that matter. */
export function attribution(r: RenderContext, quote: Pick<Quote, "personaId" | "speakerName">): string {
  const persona = quote.personaId ? r.model.personas[quote.personaId] : undefined;
  if (!persona) return quote.speakerName;
  return [persona.name, String(persona.age), persona.gender, persona.location].filter(Boolean).join(", ");
}

export function QuoteView({ r, quote }: { r: RenderContext; quote: Quote }) {
  return (
    <View style={s.quote} wrap={false}>
      <Text style={s.quoteText}>{r.t.quoted(quote.text)}</Text>
      <Text style={s.attribution}>— {attribution(r, quote)}</Text>
    </View>
  );
}

export function InsightList(props: { r: RenderContext; items: InsightBlock[]; empty?: string }) {
  const { r, items } = props;
  if (items.length === 0) return <Text style={[s.paragraph, s.muted]}>{props.empty ?? r.t.noneFound}</Text>;
  return (
    <View>
      {items.map((item, i) => (
        <View key={i} style={s.block}>
          {item.title ? (
            <Text style={s.h3} minPresenceAhead={40}>
              {item.title}
            </Text>
          ) : null}
          <Text style={s.paragraph}>{item.text}</Text>
          {item.quotes.map((quote, j) => (
            <QuoteView key={j} r={r} quote={quote} />
          ))}
          {item.moreQuotes > 0 ? (
            <Text style={[s.small, { marginTop: 3, marginLeft: 6 }]}>{r.t.moreEvidence(item.moreQuotes)}</Text>
          ) : null}
        </View>
      ))}
    </View>
  );
}

export interface Column {
  label: string;
  width: number | string;
  numeric?: boolean;
}

/** A simple ruled table; `rows` are already formatted strings. */
export function Table(props: { columns: Column[]; rows: string[][]; footer?: string[]; style?: Style }) {
  const cell = (column: Column, extra?: Style | Style[]) => [
    s.td,
    { width: column.width },
    ...(column.numeric ? [s.num] : []),
    ...(Array.isArray(extra) ? extra : extra ? [extra] : []),
  ];
  return (
    <View style={[s.table, ...(props.style ? [props.style] : [])]}>
      <View style={s.tr} wrap={false}>
        {props.columns.map((column, i) => (
          <Text key={i} style={cell(column, s.th)}>
            {column.label}
          </Text>
        ))}
      </View>
      {props.rows.map((row, i) => (
        <View key={i} style={s.tr} wrap={false}>
          {row.map((value, j) => (
            <Text key={j} style={cell(props.columns[j]!)}>
              {value}
            </Text>
          ))}
        </View>
      ))}
      {props.footer ? (
        <View style={s.tr} wrap={false}>
          {props.footer.map((value, j) => (
            <Text key={j} style={cell(props.columns[j]!, s.bold)}>
              {value}
            </Text>
          ))}
        </View>
      ) : null}
    </View>
  );
}
