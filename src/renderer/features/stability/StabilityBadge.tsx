import { useTranslation } from "react-i18next";

/** A finding's verdict: stable (holds across the runs) or fragile (moves between them). */
export function StabilityBadge({ stable }: { stable: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${stable ? "badge--success" : "badge--warn"}`} data-testid="stability-verdict">
      {stable ? t("stability.stable") : t("stability.fragile")}
    </span>
  );
}
