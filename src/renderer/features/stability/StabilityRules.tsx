import { useTranslation } from "react-i18next";
import type { StabilityReport } from "@shared/contract";
import { useFormat } from "../../i18n/format";

/** What "stable" means, with the report's own numbers (contract/stability.ts STABILITY_RULES). */
export function StabilityRules({ rules }: { rules: StabilityReport["rules"] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <details className="stability__rules">
      <summary>{t("stability.rulesTitle")}</summary>
      <p className="muted">
        {t("stability.rules", {
          points: format.integer(rules.shareHalfWidthPoints),
          scale: format.integer(Math.round(rules.scaleHalfWidthFraction * 100)),
          modal: format.integer(Math.round(rules.modalAgreement * 100)),
          recurrence: format.integer(Math.round(rules.themeRecurrence * 100)),
          confidence: format.integer(Math.round(rules.confidence * 100)),
        })}
      </p>
    </details>
  );
}
