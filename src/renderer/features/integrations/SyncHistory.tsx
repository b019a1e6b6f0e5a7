/**
 * The history of syncs on the Integrations page, newest first. Test ids:
 *   crm-history              the section
 *   crm-history-provider     the CRM filter
 *   crm-history-row          one sync (its link opens the sync's records); data-status = the sync's status
 *   crm-history-empty        no syncs yet
 */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { CRM_PROVIDERS, type CrmProviderId, type CrmSync } from "@shared/contract";
import { useCrmHistory } from "../../api/crm";
import { useWatchedJob } from "../../api/hooks";
import { ProgressBar } from "../../components/ProgressBar";
import { EmptyState, ErrorState, LoadMore, Spinner } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { CRM_NAMES } from "./crm-error-text";
import { SyncCounts, SyncError, SyncStatusBadge, isActiveSync, useSyncTitle } from "./sync-parts";

const PAGE_SIZE = 20;

export function SyncHistory() {
  const { t } = useTranslation();
  const format = useFormat();
  const [provider, setProvider] = useState<CrmProviderId | null>(null);
  const list = useCrmHistory(provider, PAGE_SIZE);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[list.data.pages.length - 1]?.total ?? 0;
  const filterId = useId();

  return (
    <section className="crm-history" aria-labelledby="crm-history-title" data-testid="crm-history">
      <div className="crm-history__head">
        <h2 id="crm-history-title" className="section-title">
          {t("crmHistory.title")}
        </h2>
        <div className="crm-history__filter">
          <label htmlFor={filterId} className="field__label">
            {t("crmHistory.filter")}
          </label>
          <select
            id={filterId}
            className="select select--small"
            value={provider ?? ""}
            data-testid="crm-history-provider"
            onChange={(event) => setProvider((event.target.value || null) as CrmProviderId | null)}
          >
            <option value="">{t("crmHistory.allCrms")}</option>
            {CRM_PROVIDERS.map((id) => (
              <option key={id} value={id}>
                {CRM_NAMES[id]}
              </option>
            ))}
          </select>
        </div>
      </div>

      {list.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : list.isError && items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t("app.loadFailed")} />
      ) : items.length === 0 ? (
        <div data-testid="crm-history-empty">
          <EmptyState
            title={provider ? t("crmHistory.emptyProvider", { crm: CRM_NAMES[provider] }) : t("crmHistory.empty")}
            body={t("crmHistory.emptyBody")}
          >
            <a className="button" href={hrefOf({ page: "personas" })}>
              {t("crmHistory.goToPersonas")}
            </a>
            <a className="button" href={hrefOf({ page: "focus-groups" })}>
              {t("crmHistory.goToStudies")}
            </a>
          </EmptyState>
        </div>
      ) : (
        <>
          <p className="list-count">
            {t("crmHistory.showing", { shown: format.integer(items.length), total: format.integer(total) })}
          </p>
          <ul
            className={`study-list${list.isPlaceholderData ? " project-list--stale" : ""}`}
            aria-label={t("crmHistory.title")}
            aria-busy={list.isPlaceholderData || undefined}
          >
            {items.map((sync) => (
              <HistoryRow key={sync.id} sync={sync} />
            ))}
          </ul>
          <LoadMore list={list} />
        </>
      )}
    </section>
  );
}

function HistoryRow({ sync }: { sync: CrmSync }) {
  const format = useFormat();
  const titleId = useId();
  const title = useSyncTitle()(sync);
  return (
    <li
      className="study-row crm-history-row"
      data-testid="crm-history-row"
      data-status={sync.status}
      aria-labelledby={titleId}
    >
      <div className="study-row__top">
        <h3 className="study-row__name" id={titleId}>
          <a href={hrefOf({ page: "crm-sync", id: sync.id })}>{title}</a>
        </h3>
        <span className="badge">{CRM_NAMES[sync.provider]}</span>
        <SyncStatusBadge status={sync.status} />
      </div>
      <p className="study-row__meta">
        <span>{sync.accountName}</span>
        <span>
          <time dateTime={sync.createdAt} title={format.relative(sync.createdAt)}>
            {format.dateTime(sync.createdAt)}
          </time>
        </span>
        <SyncCounts counts={sync.counts} />
      </p>
      {isActiveSync(sync.status) ? <RunningProgress jobId={sync.jobId} labelledBy={titleId} /> : null}
      <SyncError sync={sync} />
    </li>
  );
}

function RunningProgress({ jobId, labelledBy }: { jobId: string; labelledBy: string }) {
  const { job } = useWatchedJob(jobId);
  return (
    <div className="crm-history-row__progress">
      <ProgressBar done={job?.progress.done ?? 0} total={job?.progress.total ?? 0} labelledBy={labelledBy} />
    </div>
  );
}
