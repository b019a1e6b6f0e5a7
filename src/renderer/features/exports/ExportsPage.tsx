import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { ExportRecord } from "@shared/contract";
import { useExportList, useHostKind } from "../../api/exports";
import { useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { Dialog } from "../../components/Dialog";
import { useNotify } from "../../components/notify";
import { ProjectSelect } from "../../components/ProjectSelect";
import { EmptyState, ErrorState, LoadMore, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf, type AppRoute } from "../../router/routes";
import { ConfirmDialog } from "../studies/ConfirmDialog";
import { FormatBadge, PartialBadge } from "./badges";
import { ExportCacheCard } from "./ExportCacheCard";
import { ExportFileActions } from "./ExportFileActions";
import { SharePanel } from "./SharePanel";
import { ShareLinksCard } from "./ShareLinksCard";
import { useExportTitle } from "./export-title";

const PAGE_SIZE = 20;
/** The filter lists one screenful of projects, archived included (their exports are still here). */
const PICKER_LIMIT = 100;

/** #/exports: recent exports of every project (or one), with download, share and delete; the cache's size. */
export function ExportsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t("exports.title"));
  const [projectId, setProjectId] = useState<string | null>(null);
  const projects = useInvokeQuery("projects.list", { status: "all", sort: "name", limit: PICKER_LIMIT });
  const list = useExportList(projectId, PAGE_SIZE);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[list.data.pages.length - 1]?.total ?? 0;
  const [sharing, setSharing] = useState<ExportRecord | null>(null);
  const [deleting, setDeleting] = useState<ExportRecord | null>(null);

  return (
    <>
      <PageHeader title={t("exports.title")}>
        <p className="page-header__subtitle">{t("exports.subtitle")}</p>
      </PageHeader>

      <div className="filters">
        <ProjectSelect
          label={t("exports.projectFilter")}
          projects={projects.data?.items ?? []}
          value={projectId}
          emptyLabel={t("exports.allProjects")}
          onChange={setProjectId}
        />
      </div>

      {list.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : list.isError && items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t("app.loadFailed")} />
      ) : items.length === 0 ? (
        projectId ? (
          <EmptyState title={t("exports.emptyProjectTitle")} body={t("exports.emptyBody")}>
            <a className="button button--primary" href={hrefOf({ page: "project", id: projectId })}>
              {t("exports.openProject")}
            </a>
            <button type="button" className="button" onClick={() => setProjectId(null)}>
              {t("exports.allProjects")}
            </button>
          </EmptyState>
        ) : (
          <EmptyState title={t("exports.emptyTitle")} body={t("exports.emptyBody")}>
            <a className="button button--primary" href={hrefOf({ page: "projects" })}>
              {t("exports.goToProjects")}
            </a>
          </EmptyState>
        )
      ) : (
        <>
          <p className="list-count" data-testid="exports-count">
            {t("exports.showing", { shown: format.integer(items.length), total: format.integer(total) })}
          </p>
          <ul
            className={`study-list${list.isPlaceholderData ? " project-list--stale" : ""}`}
            aria-label={t("exports.listLabel")}
            aria-busy={list.isPlaceholderData || undefined}
          >
            {items.map((record) => (
              <ExportRow
                key={record.id}
                record={record}
                onShare={() => setSharing(record)}
                onDelete={() => setDeleting(record)}
              />
            ))}
          </ul>
          <LoadMore list={list} />
        </>
      )}

      <ExportCacheCard />
      <ShareLinksCard />

      {sharing ? <ShareDialog record={sharing} onClose={() => setSharing(null)} /> : null}
      {deleting ? <DeleteExportDialog record={deleting} onDone={() => setDeleting(null)} /> : null}
    </>
  );
}

function ExportRow({ record, onShare, onDelete }: { record: ExportRecord; onShare(): void; onDelete(): void }) {
  const titleOf = useExportTitle();
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const canShare = useHostKind() === "headless";
  return (
    <li className="study-row export-row" data-testid="export-row" aria-labelledby={titleId}>
      <div className="study-row__top">
        <h2 className="study-row__name" id={titleId}>
          <a className="export-row__title" href={hrefOf(sourceOf(record))}>
            {titleOf(record)}
          </a>
        </h2>
        <FormatBadge format={record.format} />
        {record.partial ? <PartialBadge /> : null}
      </div>
      <p className="study-row__meta">
        <a href={hrefOf({ page: "project", id: record.projectId })}>{record.projectName}</a>
        <span data-testid="export-size">{format.bytes(record.sizeBytes)}</span>
        <span>
          <time dateTime={record.createdAt} title={format.relative(record.createdAt)}>
            {format.dateTime(record.createdAt)}
          </time>
        </span>
        <span className="export-row__file">{record.fileName}</span>
      </p>
      <div className="export-row__actions button-row" role="group" aria-labelledby={titleId}>
        <ExportFileActions record={record} small />
        {canShare ? (
          <button type="button" className="button button--small" aria-haspopup="dialog" onClick={onShare}>
            {t("share.open")}
          </button>
        ) : null}
        <button type="button" className="button button--small button--ghost-danger" onClick={onDelete}>
          {t("exports.delete")}
        </button>
      </div>
    </li>
  );
}

/** Where an export's data lives: its study, the project's personas, or the project. */
function sourceOf(record: ExportRecord): AppRoute {
  const [id] = record.ids;
  if (record.scope === "focusGroup" && id) return { page: "focus-group", id };
  if (record.scope === "survey" && id) return { page: "survey", id };
  if (record.scope === "personas") return { page: "project-personas", id: record.projectId };
  return { page: "project", id: record.projectId };
}

function ShareDialog({ record, onClose }: { record: ExportRecord; onClose(): void }) {
  const titleOf = useExportTitle();
  const { t } = useTranslation();
  return (
    <Dialog
      title={t("share.title")}
      size="wide"
      onClose={onClose}
      actions={
        <button type="button" className="button" onClick={onClose}>
          {t("exportDialog.close")}
        </button>
      }
    >
      <p className="muted">{titleOf(record)}</p>
      <SharePanel record={record} />
    </Dialog>
  );
}

function DeleteExportDialog({ record, onDone }: { record: ExportRecord; onDone(): void }) {
  const titleOf = useExportTitle();
  const { t } = useTranslation();
  const notify = useNotify();
  const client = useQueryClient();
  const remove = useInvokeMutation("exports.delete", {
    onSuccess: () => {
      // db.changed says so too; this makes the row go at once.
      void client.invalidateQueries({ queryKey: ["exports.list"] });
      void client.invalidateQueries({ queryKey: ["exports.cache"] });
      notify.success(({ t }) => t("exports.deleted"), titleOf(record));
      onDone();
    },
    onError: (error) => {
      onDone();
      notify.error(error);
    },
  });
  return (
    <ConfirmDialog
      title={t("exports.deleteTitle", { name: record.fileName })}
      body={t("exports.deleteBody")}
      confirmLabel={t("exports.deleteConfirm")}
      busyLabel={t("exports.deleting")}
      cancelLabel={t("app.cancel")}
      busy={remove.isPending}
      onCancel={onDone}
      onConfirm={() => remove.mutate({ id: record.id })}
    />
  );
}
