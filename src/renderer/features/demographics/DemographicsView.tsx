import { useTranslation } from "react-i18next";
import type { TargetDemographics } from "@shared/domain/demographics";
import { useFormat } from "../../i18n/format";
import { DistributionChart } from "./DistributionChart";
import { useDemographicLabels } from "./labels";

/** Read-only: each dimension as a chart beside the exact numbers. */
export function DemographicsView({ demographics }: { demographics: TargetDemographics }) {
  const { t } = useTranslation();
  const labels = useDemographicLabels();
  const format = useFormat();
  const dimensions = Object.entries(demographics);
  if (dimensions.length === 0) return <p className="muted">{t("projectDetail.noDemographics")}</p>;
  return (
    <div className="demographics-view">
      {dimensions.map(([key, weights]) => {
        const label = labels.dimension(key);
        const rows = Object.entries(weights).map(([category, fraction]) => ({
          label: labels.category(category),
          value: fraction * 100,
        }));
        return (
          <section key={key} className="dimension dimension--readonly" data-testid={`dimension-${key}`}>
            <h3 className="dimension__title">{label}</h3>
            <div className="dimension__body">
              <dl className="weights-list">
                {rows.map((row) => (
                  <div key={row.label} className="weights-list__row">
                    <dt>{row.label}</dt>
                    <dd>{format.percent(row.value)}%</dd>
                  </div>
                ))}
              </dl>
              <DistributionChart data={rows} label={t("demographics.chartLabel", { dimension: label })} />
            </div>
          </section>
        );
      })}
    </div>
  );
}
