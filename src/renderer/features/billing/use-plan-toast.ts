import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import type { BillingStatus } from "@shared/contract";
import { PLANS } from "@shared/domain/plans";
import { useFormat } from "../../i18n/format";
import { toast } from "../../stores/toasts";

/** "You're on Professional: 50 personas", once main says the plan changed. */
export function usePlanToast() {
  const { t } = useTranslation();
  const format = useFormat();
  return useCallback(
    (status: BillingStatus) => {
      const plan = PLANS[status.plan].name;
      const limit = status.personaLimit;
      toast.success(
        limit === null
          ? t("billing.toast.onPlanUnlimited", { plan })
          : t("billing.toast.onPlan", { count: limit, plan, limit: format.integer(limit) }),
      );
    },
    [t, format],
  );
}
