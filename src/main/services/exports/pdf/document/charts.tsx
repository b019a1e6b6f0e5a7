/** @jsxRuntime automatic @jsxImportSource react */
import { Line, Rect, Svg, Text, View } from "@react-pdf/renderer";
import type { RenderContext } from "./context";
import { COLORS, CONTENT_WIDTH, s } from "./styles";

const BAR_HEIGHT = 9;

export interface BarRow {
  label: string;
  /** 0..1 of the bar's full length. */
  fraction: number;
  display: string;
}

/** Horizontal bars, one row per answer: the label wraps, the bar is an Svg, the figure sits right. */
export function BarChart({ rows, labelWidth = 190 }: { rows: BarRow[]; labelWidth?: number }) {
  const valueWidth = 62;
  const barWidth = CONTENT_WIDTH - labelWidth - valueWidth - 8;
  return (
    <View style={{ marginVertical: 6 }}>
      {rows.map((row, i) => (
        <View key={i} style={[s.row, { alignItems: "center", marginBottom: 3 }]} wrap={false}>
          <Text style={{ width: labelWidth, fontSize: 8.5, paddingRight: 6 }}>{row.label}</Text>
          <Svg width={barWidth} height={BAR_HEIGHT + 2}>
            <Rect x={0} y={1} width={barWidth} height={BAR_HEIGHT} fill={COLORS.panel} />
            <Rect
              x={0}
              y={1}
              width={Math.max(0, Math.min(1, row.fraction)) * barWidth}
              height={BAR_HEIGHT}
              fill={COLORS.accent}
            />
          </Svg>
          <Text style={{ width: valueWidth, fontSize: 8.5, textAlign: "right" }}>{row.display}</Text>
        </View>
      ))}
    </View>
  );
}

export interface DivergingRow {
  label: string;
  /** −1..1, or null when nothing was scored. */
  value: number | null;
  display: string;
}

/** Bars left (negative) or right (positive) of a centre axis, for sentiment from −1 to +1. */
export function DivergingChart({
  r,
  rows,
  labelWidth = 150,
}: {
  r: RenderContext;
  rows: DivergingRow[];
  labelWidth?: number;
}) {
  const valueWidth = 48;
  const width = CONTENT_WIDTH - labelWidth - valueWidth - 8;
  const half = width / 2;
  return (
    <View style={{ marginVertical: 6 }}>
      {rows.map((row, i) => {
        const v = row.value === null ? 0 : Math.max(-1, Math.min(1, row.value));
        const length = Math.abs(v) * half;
        return (
          <View key={i} style={[s.row, { alignItems: "center", marginBottom: 2 }]} wrap={false}>
            <Text style={{ width: labelWidth, fontSize: 8.5, paddingRight: 6 }}>{row.label}</Text>
            <Svg width={width} height={BAR_HEIGHT + 4}>
              <Rect x={0} y={2} width={width} height={BAR_HEIGHT} fill={COLORS.panel} />
              {row.value !== null ? (
                <Rect
                  x={v < 0 ? half - length : half}
                  y={2}
                  width={length}
                  height={BAR_HEIGHT}
                  fill={v < 0 ? COLORS.negative : v > 0 ? COLORS.positive : COLORS.neutral}
                />
              ) : null}
              <Line x1={half} y1={0} x2={half} y2={BAR_HEIGHT + 4} stroke={COLORS.ink} strokeWidth={0.6} />
            </Svg>
            <Text style={{ width: valueWidth, fontSize: 8.5, textAlign: "right" }}>{row.display}</Text>
          </View>
        );
      })}
      <View style={[s.row, { marginTop: 2 }]}>
        <View style={{ width: labelWidth }} />
        <View style={[s.row, { width, justifyContent: "space-between" }]}>
          <Text style={s.small}>−1 {r.t.negative}</Text>
          <Text style={s.small}>0</Text>
          <Text style={s.small}>{r.t.positive} +1</Text>
        </View>
      </View>
    </View>
  );
}

const TRAIT_FONT_SIZE = 7.5;
/** Noto Sans sets a line at (ascender 1069 + descender 293) / 1000 em: the bars follow the text lines. */
const TRAIT_ROW = TRAIT_FONT_SIZE * 1.362;

/**
 * Big Five scores (0..1) as five bars in one Svg between two texts of five lines (labels, scores):
 * three nodes instead of fifteen, which matters across a 100-persona appendix.
 */
export function TraitBars({ traits }: { traits: { label: string; value: number }[] }) {
  const width = 120;
  const column = { fontSize: TRAIT_FONT_SIZE, color: COLORS.muted };
  return (
    <View style={s.row} wrap={false}>
      <Text style={[column, { width: 96 }]}>{traits.map((trait) => trait.label).join("\n")}</Text>
      <Svg width={width} height={TRAIT_ROW * traits.length}>
        {traits.flatMap((trait, i) => [
          <Rect key={`t${i}`} x={0} y={i * TRAIT_ROW + 2.5} width={width} height={5.5} fill={COLORS.panel} />,
          <Rect
            key={`v${i}`}
            x={0}
            y={i * TRAIT_ROW + 2.5}
            width={Math.max(0, Math.min(1, trait.value)) * width}
            height={5.5}
            fill={COLORS.accent}
          />,
        ])}
      </Svg>
      <Text style={[column, { width: 30, marginLeft: 4 }]}>
        {traits.map((trait) => String(Math.round(trait.value * 100))).join("\n")}
      </Text>
    </View>
  );
}
