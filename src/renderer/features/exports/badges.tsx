import { useTranslation } from "react-i18next";
import type { ExportFormat } from "@shared/contract";

/** PDF, CSV or JSON, each in its own colour so a list reads at a glance. */
export function FormatBadge({ format }: { format: ExportFormat }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--format badge--format-${format}`} data-testid="format-badge">
      {t(`exports.formats.${format}`)}
    </span>
  );
}

/** Some of the data came from a study that had not finished. */
export function PartialBadge() {
  const { t } = useTranslation();
  return (
    <span className="badge badge--warn" title={t("exports.partialHint")} data-testid="partial-badge">
      {t("exports.partial")}
    </span>
  );
}
