import { useTranslation } from "react-i18next";
import { PLANS, type PlanId } from "@shared/domain/plans";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { nextPlanOf } from "../billing/billing-state";

export interface PlanLimit {
  plan: PlanId;
  limit: number;
  /** Places taken: existing personas and those held by unfinished runs. */
  inUse: number;
  remaining: number;
  /** How many the user asked for; null when nothing was asked yet (the plan is simply full). */
  requested: number | null;
}

/**
 * "The Free plan allows 5 personas; 5 are used." with an Upgrade link to Plan & billing: what the
 * user sees before asking for more than the plan has left, and when the server refuses a run
 * with QUOTA_EXCEEDED (the same words, so both read alike).
 */
export function PlanLimitNotice({ id, limit: quota, announce }: { id?: string; limit: PlanLimit; announce: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const next = nextPlanOf(quota.plan);
  const allows = t("wizard.limit.allows", {
    count: quota.limit,
    plan: PLANS[quota.plan].name,
    limit: format.integer(quota.limit),
  });
  const used = t("wizard.limit.used", { count: quota.inUse, used: format.integer(quota.inUse) });
  const message =
    quota.remaining > 0 && quota.requested !== null
      ? t("wizard.limit.partial", {
          allows,
          used,
          remaining: format.integer(quota.remaining),
          requested: format.integer(quota.requested),
        })
      : t("wizard.limit.full", { allows, used });
  return (
    <div
      id={id}
      className="notice notice--warn plan-limit"
      role={announce ? "alert" : "status"}
      data-testid="generate-limit"
    >
      <strong>{t("errors.QUOTA_EXCEEDED")}</strong>
      <p>{message}</p>
      {next ? (
        <div className="notice__actions">
          <a
            className="button button--primary button--small"
            href={hrefOf({ page: "billing" })}
            data-testid="generate-upgrade"
          >
            {t("wizard.limit.upgrade", { plan: PLANS[next].name })}
          </a>
        </div>
      ) : null}
    </div>
  );
}
