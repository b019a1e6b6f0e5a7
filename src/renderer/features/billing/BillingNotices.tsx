import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { BillingStatus } from "@shared/contract";
import { BILLING_STATUS_KEY, useBillingStatusMutation } from "../../api/billing";
import { useFormat } from "../../i18n/format";
import { toast } from "../../stores/toasts";
import { useBillingErrorToast } from "./billing-errors";

/**
 * What stands between this workspace and its plan: no Sight Cloud in this build, a Cloud that
 * cannot be reached, or a licence problem (with the way out of it).
 */
export function BillingNotices({ status, onSignIn }: { status: BillingStatus; onSignIn(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const errorToast = useBillingErrorToast();
  const refresh = useBillingStatusMutation("billing.refresh", {
    onSuccess: (next) => {
      if (!next.problem) toast.success(t("billing.problem.refreshed"));
    },
    onError: errorToast,
  });

  if (!status.cloudConfigured) {
    return (
      <div className="notice notice--info" role="status" data-testid="billing-cloud-missing">
        <strong>{t("billing.cloud.notConfiguredTitle")}</strong>
        <p>{t("billing.cloud.notConfigured")}</p>
      </div>
    );
  }

  const problem = status.problem;
  return (
    <>
      {status.cloudReachable === false ? (
        <div className="notice notice--warn" role="status" data-testid="billing-cloud-unreachable">
          <p>
            {status.licence
              ? t("billing.cloud.unreachable", { date: format.date(status.licence.expiresAt) })
              : t("billing.cloud.unreachableNoLicence")}
          </p>
          <div className="notice__actions">
            <button
              type="button"
              className="button button--small"
              disabled={refresh.isPending}
              onClick={() =>
                status.account ? refresh.mutate({}) : void client.invalidateQueries({ queryKey: BILLING_STATUS_KEY })
              }
            >
              {refresh.isPending ? t("billing.problem.refreshing") : t("app.retry")}
            </button>
          </div>
        </div>
      ) : null}
      {problem ? (
        <div className="notice notice--error" role="alert" data-testid="billing-problem">
          <p>{t(`billing.problem.${problem.code}`)}</p>
          <div className="notice__actions">
            {/* A licence is fetched by an account: signed out, the way back is signing in. */}
            {problem.code === "session_ended" || !status.account ? (
              <button type="button" className="button button--small" onClick={onSignIn}>
                {t("billing.problem.signIn")}
              </button>
            ) : (
              <button
                type="button"
                className="button button--small"
                data-testid="refresh-licence"
                disabled={refresh.isPending}
                onClick={() => refresh.mutate({})}
              >
                {refresh.isPending ? t("billing.problem.refreshing") : t("billing.problem.refresh")}
              </button>
            )}
          </div>
        </div>
      ) : null}
    </>
  );
}
