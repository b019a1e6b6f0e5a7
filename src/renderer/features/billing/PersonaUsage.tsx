import { useId } from "react";
import { useTranslation } from "react-i18next";
import { PLANS, type PlanId } from "@shared/domain/plans";
import { useInvokeQuery } from "../../api/hooks";
import { useFormat } from "../../i18n/format";

/**
 * "3 of 5 personas used" with a meter: the count from the workspace's persona quota (the same
 * route the personas pages use), the limit from the plan in force.
 */
export function PersonaUsage({ plan, limit }: { plan: PlanId; limit: number | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labelId = useId();
  const quota = useInvokeQuery("personas.quota", {});
  if (!quota.data) return null;
  const { used, reserved } = quota.data;
  const full = limit !== null && used + reserved >= limit;
  const share = (count: number) => (limit === null ? 0 : Math.min(1, count / Math.max(1, limit)) * 100);
  const usedShare = share(used);
  const reservedShare = share(used + reserved) - usedShare;
  return (
    <div className="usage" data-testid="persona-usage">
      <p id={labelId} className="usage__label">
        {limit === null
          ? t("billing.usage.unlimited", { count: used, used: format.integer(used) })
          : t("billing.usage.limited", { count: limit, used: format.integer(used), limit: format.integer(limit) })}
        {reserved > 0 ? (
          <span className="muted"> {t("quota.reserved", { reserved: format.integer(reserved) })}</span>
        ) : null}
      </p>
      {limit !== null ? (
        <div
          className={`meter${full ? " meter--full" : ""}`}
          role="meter"
          aria-labelledby={labelId}
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={Math.min(used, limit)}
        >
          <div className="meter__used" style={{ width: `${usedShare}%` }} />
          {reservedShare > 0 ? <div className="meter__reserved" style={{ width: `${reservedShare}%` }} /> : null}
        </div>
      ) : null}
      {limit !== null && used > limit ? (
        <p className="usage__over">{t("billing.usage.over", { plan: PLANS[plan].name })}</p>
      ) : null}
    </div>
  );
}
