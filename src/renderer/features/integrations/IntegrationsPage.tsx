/**
 * #/integrations: the CRMs Sight can sync to, and the history of syncs. Test ids (the e2e suite
 * drives these; the cards' own are listed in ProviderCard.tsx, the history's in SyncHistory.tsx):
 *   integrations-page      the page
 *   crm-providers          the list of CRM cards
 */
import { useTranslation } from "react-i18next";
import { useCrmStatus } from "../../api/crm";
import { ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { ProviderCard } from "./ProviderCard";
import { SyncHistory } from "./SyncHistory";
import "./integrations.css";

export function IntegrationsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("integrations.title"));
  const status = useCrmStatus();
  return (
    <div className="integrations" data-testid="integrations-page">
      <PageHeader title={t("integrations.title")}>
        <p className="page-header__subtitle">{t("integrations.subtitle")}</p>
      </PageHeader>

      <section aria-labelledby="crm-providers-title">
        <h2 id="crm-providers-title" className="section-title">
          {t("integrations.crmsTitle")}
        </h2>
        {status.isPending ? (
          <Spinner label={t("app.loading")} />
        ) : status.isError ? (
          <ErrorState
            error={status.error}
            onRetry={() => void status.refetch()}
            title={t("integrations.statusFailed")}
          />
        ) : (
          <div className="crm-cards" data-testid="crm-providers">
            {status.data.providers.map((provider) => (
              <ProviderCard key={provider.provider} status={provider} />
            ))}
          </div>
        )}
        <p className="muted integrations__privacy">{t("integrations.privacy")}</p>
      </section>

      <SyncHistory />
    </div>
  );
}
