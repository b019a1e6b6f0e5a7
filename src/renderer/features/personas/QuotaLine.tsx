import { useTranslation } from "react-i18next";
import { PLANS } from "@shared/domain/plans";
import { useInvokeQuery } from "../../api/hooks";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";

/** "Free plan: 5 personas in your workspace, 3 left": the limit counts every project together. */
export function QuotaLine() {
  const { t } = useTranslation();
  const format = useFormat();
  const quota = useInvokeQuery("personas.quota", {});
  if (!quota.data) return null;
  const { plan, limit, remaining, reserved } = quota.data;
  const name = PLANS[plan].name;
  const exhausted = remaining === 0;
  return (
    <p className={`quota-line${exhausted ? " quota-line--exhausted" : ""}`} data-testid="persona-quota">
      <span>
        {limit === null || remaining === null
          ? t("quota.unlimited", { plan: name })
          : t("quota.limited", { plan: name, limit: format.integer(limit), remaining: format.integer(remaining) })}
      </span>
      {reserved > 0 ? (
        <span className="muted">{t("quota.reserved", { reserved: format.integer(reserved) })}</span>
      ) : null}
      {exhausted ? <a href={hrefOf({ page: "billing" })}>{t("quota.upgrade")}</a> : null}
    </p>
  );
}
