import { useTranslation } from "react-i18next";
import { PLANS } from "@shared/domain/plans";
import { useInvokeQuery } from "../../api/hooks";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { nextPlanOf } from "../billing/billing-state";

/**
 * "Free plan: 5 personas in your workspace, 3 left": the limit counts every project together.
 * When nothing is left it links to Plan & billing, unless the caller says the upgrade itself
 * (the generation dialog's limit notice does).
 */
export function QuotaLine({ showUpgrade = true }: { showUpgrade?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const quota = useInvokeQuery("personas.quota", {});
  if (!quota.data) return null;
  const { plan, limit, remaining, reserved } = quota.data;
  const name = PLANS[plan].name;
  const exhausted = remaining === 0;
  const next = nextPlanOf(plan);
  return (
    <p className={`quota-line${exhausted ? " quota-line--exhausted" : ""}`} data-testid="persona-quota">
      <span>
        {limit === null || remaining === null
          ? t("quota.unlimited", { plan: name })
          : t("quota.limited", {
              count: limit,
              plan: name,
              limit: format.integer(limit),
              remaining: format.integer(remaining),
            })}
      </span>
      {reserved > 0 ? (
        <span className="muted">{t("quota.reserved", { reserved: format.integer(reserved) })}</span>
      ) : null}
      {exhausted && showUpgrade ? (
        <a href={hrefOf({ page: "billing" })} data-testid="quota-upgrade">
          {next ? t("quota.upgradeTo", { plan: PLANS[next].name }) : t("quota.upgrade")}
        </a>
      ) : null}
    </p>
  );
}
