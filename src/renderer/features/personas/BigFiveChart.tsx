import { useTranslation } from "react-i18next";
import { Bar, BarChart, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";
import { BIG_FIVE_TRAITS, type BigFive } from "@shared/contract";
import { useFormat } from "../../i18n/format";

const ROW_HEIGHT = 30;

/**
 * The five traits as horizontal bars, 0–100%. The figure's accessible name reads every value, so
 * the SVG itself is hidden from assistive tech.
 */
export function BigFiveChart({ bigFive }: { bigFive: BigFive }) {
  const { t } = useTranslation();
  const format = useFormat();
  const rows = BIG_FIVE_TRAITS.map((trait) => ({
    trait,
    label: t(`persona.traits.${trait}`),
    value: Math.round(Math.min(1, Math.max(0, bigFive[trait])) * 100),
  }));
  const summary = rows.map((row) => `${row.label} ${format.percent(row.value)}%`).join(", ");
  return (
    <figure
      className="chart big-five"
      role="img"
      aria-label={t("persona.bigFiveChart", { summary })}
      data-testid="big-five-chart"
    >
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={rows.length * ROW_HEIGHT + 8}>
          <BarChart
            data={rows}
            layout="vertical"
            margin={{ top: 4, right: 44, bottom: 4, left: 4 }}
            accessibilityLayer={false}
            barCategoryGap={7}
          >
            <XAxis type="number" hide domain={[0, 100]} />
            <YAxis
              type="category"
              dataKey="label"
              width={132}
              tickLine={false}
              axisLine={false}
              interval={0}
              tick={{ className: "chart__tick" }}
            />
            <Bar
              dataKey="value"
              fill="currentColor"
              radius={[0, 4, 4, 0]}
              isAnimationActive={false}
              background={{ className: "big-five__track" }}
            >
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
