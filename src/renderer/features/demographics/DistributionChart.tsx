import { Bar, BarChart, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";
import { useFormat } from "../../i18n/format";

export interface ChartDatum {
  label: string;
  /** percent, 0–100 */
  value: number;
}

const ROW_HEIGHT = 28;

/**
 * One dimension's distribution as horizontal bars. Decorative for assistive tech: the same
 * numbers are always on screen next to it (the editor's inputs or the read-only list).
 */
export function DistributionChart({ data, label }: { data: ChartDatum[]; label: string }) {
  const format = useFormat();
  const safe = data.map((datum) => ({ ...datum, value: Number.isFinite(datum.value) ? Math.max(0, datum.value) : 0 }));
  const max = Math.max(10, ...safe.map((datum) => datum.value));
  const domainMax = Math.min(100, Math.ceil(max / 10) * 10) || 100;
  const height = Math.max(1, safe.length) * ROW_HEIGHT + 16;
  if (safe.length === 0) return null;
  return (
    <figure className="chart" aria-label={label}>
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={height}>
          <BarChart
            data={safe}
            layout="vertical"
            margin={{ top: 4, right: 48, bottom: 4, left: 4 }}
            accessibilityLayer={false}
            barCategoryGap={6}
          >
            <XAxis type="number" hide domain={[0, Math.max(domainMax, max)]} />
            <YAxis
              type="category"
              dataKey="label"
              width={120}
              tickLine={false}
              axisLine={false}
              interval={0}
              tick={{ className: "chart__tick" }}
            />
            <Bar dataKey="value" fill="currentColor" radius={[0, 4, 4, 0]} isAnimationActive={false}>
              <LabelList
                dataKey="value"
                position="right"
                className="chart__value"
                formatter={(value: unknown) => `${format.percent(Number(value))}%`}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
