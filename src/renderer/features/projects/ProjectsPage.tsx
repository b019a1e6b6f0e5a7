import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Project, ProjectListInput } from "@shared/contract";
import { useInvokeInfiniteQuery } from "../../api/hooks";
import { EmptyState, ErrorState, Kbd, PageHeader, Spinner, useDocumentTitle, LoadMore } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { PROJECT_SEARCH_ID } from "../../shortcuts";
import { useUiStore, type ProjectSort, type ProjectStatusFilter } from "../../stores/ui";
import { ImportRecipeButton } from "../recipes/RecipeButtons";
import { useDebouncedValue } from "./use-debounced-value";

const PAGE_SIZE = 20;
const SEARCH_DEBOUNCE_MS = 250;
const EXCERPT_LENGTH = 180;

export function ProjectsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t("projects.title"));
  const search = useUiStore((state) => state.projectSearch);
  const status = useUiStore((state) => state.projectStatus);
  const sort = useUiStore((state) => state.projectSort);
  const { setProjectSearch, setProjectStatus, setProjectSort } = useUiStore.getState();
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const searchRef = useRef<HTMLInputElement>(null);

  const input: Omit<ProjectListInput, "cursor"> = { status, sort, limit: PAGE_SIZE, ...(q ? { q } : {}) };
  const list = useInvokeInfiniteQuery("projects.list", input);

  // The "/" shortcut pressed on another page lands here with a request to focus the search.
  const focusRequested = useUiStore((state) => state.focusSearchRequested);
  useEffect(() => {
    if (!focusRequested) return;
    searchRef.current?.focus();
    useUiStore.getState().requestSearchFocus(false);
  }, [focusRequested]);

  const pages = list.data?.pages ?? [];
  const items = pages.flatMap((page) => page.items);
  const total = pages[pages.length - 1]?.total ?? 0;
  const loaded = list.data !== undefined && !list.isPlaceholderData;
  const noProjectsAtAll = loaded && total === 0 && !q && status !== "archived";

  const newProjectButton = (
    <button
      type="button"
      className="button button--primary"
      onClick={() => navigate({ page: "project-new" })}
      title={t("shortcuts.newProject")}
    >
      {t("projects.newProject")}
      <Kbd>
        <span aria-hidden="true">N</span>
      </Kbd>
    </button>
  );

  return (
    <>
      <PageHeader
        title={t("projects.title")}
        actions={
          <div className="button-row">
            <ImportRecipeButton />
            {noProjectsAtAll ? null : newProjectButton}
          </div>
        }
      >
        <p className="page-header__subtitle">{t("projects.subtitle")}</p>
      </PageHeader>

      <div className="filters" role="search">
        <div className="field field--grow">
          <label className="field__label" htmlFor={PROJECT_SEARCH_ID}>
            {t("projects.searchLabel")}
          </label>
          <div className="input-with-hint">
            <input
              ref={searchRef}
              id={PROJECT_SEARCH_ID}
              className="input"
              type="search"
              value={search}
              placeholder={t("projects.searchPlaceholder")}
              maxLength={200}
              autoComplete="off"
              title={t("shortcuts.search")}
              onChange={(event) => setProjectSearch(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Escape" && search) {
                  event.preventDefault();
                  setProjectSearch("");
                }
              }}
            />
            <Kbd>
              <span aria-hidden="true">/</span>
            </Kbd>
          </div>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="project-status">
            {t("projects.statusLabel")}
          </label>
          <select
            id="project-status"
            className="select"
            value={status}
            onChange={(event) => setProjectStatus(event.target.value as ProjectStatusFilter)}
          >
            <option value="active">{t("projects.statusActive")}</option>
            <option value="archived">{t("projects.statusArchived")}</option>
            <option value="all">{t("projects.statusAll")}</option>
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="project-sort">
            {t("projects.sortLabel")}
          </label>
          <select
            id="project-sort"
            className="select"
            value={sort}
            onChange={(event) => setProjectSort(event.target.value as ProjectSort)}
          >
            <option value="updated">{t("projects.sortUpdated")}</option>
            <option value="created">{t("projects.sortCreated")}</option>
            <option value="name">{t("projects.sortName")}</option>
          </select>
        </div>
      </div>

      {list.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : list.isError && items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t("app.loadFailed")} />
      ) : loaded && total === 0 ? (
        q ? (
          <EmptyState title={t("projects.noMatchTitle", { q })} body={t("projects.noMatchBody")}>
            <button type="button" className="button" onClick={() => setProjectSearch("")}>
              {t("projects.clearSearch")}
            </button>
            {status !== "all" ? (
              <button type="button" className="button" onClick={() => setProjectStatus("all")}>
                {t("projects.showAll")}
              </button>
            ) : null}
          </EmptyState>
        ) : status === "archived" ? (
          <EmptyState title={t("projects.emptyArchivedTitle")} body={t("projects.emptyArchivedBody")} />
        ) : (
          <EmptyState title={t("projects.emptyTitle")} body={t("projects.emptyBody")}>
            {newProjectButton}
          </EmptyState>
        )
      ) : (
        <>
          <p className="list-count" data-testid="projects-count" aria-live="polite">
            {t("projects.showing", { shown: format.integer(items.length), total: format.integer(total) })}
          </p>
          <ul
            className={`project-list${list.isPlaceholderData ? " project-list--stale" : ""}`}
            aria-label={t("projects.listLabel")}
          >
            {items.map((project) => (
              <ProjectRow key={project.id} project={project} />
            ))}
          </ul>
          <LoadMore list={list} />
          {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
        </>
      )}
    </>
  );
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…` : flat;
}

function ProjectRow({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <li className="project-row" data-testid="project-row">
      <div className="project-row__top">
        <h2 className="project-row__name">
          <a className="card-link" href={hrefOf({ page: "project", id: project.id })}>
            {project.name}
          </a>
        </h2>
        {project.status === "archived" ? <span className="badge">{t("projects.archivedBadge")}</span> : null}
      </div>
      <p className={`project-row__description${project.description ? "" : " muted"}`}>
        {project.description ? excerpt(project.description) : t("projects.noDescription")}
      </p>
      <p className="project-row__meta">
        <span>{t("projects.sampleSize", { size: format.integer(project.targetSampleSize) })}</span>
        <span aria-hidden="true">·</span>
        <time dateTime={project.updatedAt}>{t("projects.updated", { date: format.date(project.updatedAt) })}</time>
      </p>
    </li>
  );
}
