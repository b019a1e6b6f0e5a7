import { StyleSheet } from "@react-pdf/renderer";

export const FONT_FAMILY = "Noto Sans";

export const COLORS = {
  ink: "#1f2937",
  heading: "#14213d",
  muted: "#6b7280",
  faint: "#9ca3af",
  rule: "#e5e7eb",
  panel: "#f5f7fa",
  accent: "#1d4ed8",
  accentSoft: "#dbe5fb",
  positive: "#15803d",
  negative: "#b91c1c",
  neutral: "#9ca3af",
  warning: "#92400e",
  warningSoft: "#fef3c7",
} as const;

/** A4 in points, with margins that leave room for the running header and footer. */
export const PAGE = { width: 595.28, height: 841.89, marginX: 50, marginTop: 64, marginBottom: 70 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.marginX;

/*
 * No lineHeight anywhere: react-pdf 4.9 resolves a lineHeight against the font size again each
 * time it re-lays a page out (every page here has a dynamic page number), so paragraphs spread
 * out and a dynamic text under any lineHeight vanishes (diegomura/react-pdf#3083, #3402).
 * Noto Sans's own line spacing (~1.36 em) reads well.
 */
export const s = StyleSheet.create({
  page: {
    fontFamily: FONT_FAMILY,
    fontSize: 9.5,
    color: COLORS.ink,
    paddingTop: PAGE.marginTop,
    paddingBottom: PAGE.marginBottom,
    paddingHorizontal: PAGE.marginX,
  },
  header: {
    position: "absolute",
    top: 26,
    left: PAGE.marginX,
    right: PAGE.marginX,
    flexDirection: "row",
    justifyContent: "space-between",
    fontSize: 7.5,
    color: COLORS.muted,
    borderBottomWidth: 0.5,
    borderBottomColor: COLORS.rule,
    paddingBottom: 4,
  },
  headerLeft: { maxWidth: "75%" },
  titleH1: { fontSize: 20, fontWeight: 700, color: COLORS.heading, marginBottom: 10 },
  titleH2: { fontSize: 13.5, fontWeight: 700, color: COLORS.heading, marginBottom: 6 },
  footer: {
    position: "absolute",
    bottom: 24,
    left: PAGE.marginX,
    right: PAGE.marginX,
    fontSize: 7,
    color: COLORS.muted,
    borderTopWidth: 0.5,
    borderTopColor: COLORS.rule,
    paddingTop: 5,
    flexDirection: "row",
    justifyContent: "space-between",
  },
  footerDisclosure: { maxWidth: "78%" },
  footerRight: { textAlign: "right" },
  freeMark: { color: COLORS.faint, fontSize: 6.5, marginTop: 1 },
  kicker: {
    fontSize: 8,
    fontWeight: 700,
    color: COLORS.accent,
    // No letterSpacing: text extraction (search, copy, screen readers) would split the words.
    textTransform: "uppercase",
    marginBottom: 4,
  },
  h1: { fontSize: 20, fontWeight: 700, color: COLORS.heading, marginBottom: 10 },
  h2: { fontSize: 13.5, fontWeight: 700, color: COLORS.heading, marginTop: 14, marginBottom: 6 },
  h3: { fontSize: 10.5, fontWeight: 700, color: COLORS.heading, marginTop: 10, marginBottom: 3 },
  paragraph: { marginBottom: 6 },
  lead: { fontSize: 11, marginBottom: 8 },
  muted: { color: COLORS.muted },
  small: { fontSize: 8, color: COLORS.muted },
  italic: { fontStyle: "italic" },
  bold: { fontWeight: 700 },
  block: { marginBottom: 10 },
  quote: {
    marginTop: 4,
    marginLeft: 6,
    paddingLeft: 8,
    borderLeftWidth: 2,
    borderLeftColor: COLORS.accentSoft,
  },
  quoteText: { fontStyle: "italic" },
  attribution: { fontSize: 8, color: COLORS.muted, marginTop: 1 },
  banner: {
    backgroundColor: COLORS.warningSoft,
    color: COLORS.warning,
    padding: 8,
    borderRadius: 3,
    marginBottom: 10,
    fontWeight: 700,
  },
  panel: { backgroundColor: COLORS.panel, padding: 10, borderRadius: 3, marginBottom: 10 },
  row: { flexDirection: "row" },
  table: { borderTopWidth: 0.5, borderTopColor: COLORS.rule, marginBottom: 8 },
  tr: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: COLORS.rule, paddingVertical: 2.5 },
  th: { fontWeight: 700, color: COLORS.heading, fontSize: 8 },
  td: { fontSize: 8.5, paddingRight: 4 },
  num: { textAlign: "right" },
  chip: {
    fontSize: 7.5,
    color: COLORS.accent,
    backgroundColor: COLORS.accentSoft,
    paddingHorizontal: 4,
    paddingVertical: 1,
    borderRadius: 2,
    marginRight: 4,
    marginBottom: 3,
  },
});
