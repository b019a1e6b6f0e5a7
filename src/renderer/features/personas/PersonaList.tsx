import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Persona, Project } from "@shared/contract";
import { useInvokeInfiniteQuery, type PagedInput } from "../../api/hooks";
import { EmptyState, ErrorState, Spinner, LoadMore } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { useUiStore, type PersonaQuery } from "../../stores/ui";
import { useDemographicLabels } from "../demographics/labels";
import { useDebouncedValue } from "../projects/use-debounced-value";
import { Avatar } from "./Avatar";
import { usePersonaGender } from "./labels";

const PAGE_SIZE = 24;
const SEARCH_DEBOUNCE_MS = 250;
const EXCERPT_LENGTH = 160;

interface Props {
  project: Project;
  /**
   * A run is queued or going: an empty list then says nothing, since the progress card above
   * shows the run and each persona as it arrives (one account of it, never two that disagree).
   */
  generating: boolean;
  onGenerate(): void;
}

/** Search, one filter per target dimension, cards, "Load more". */
export function PersonaList({ project, generating, onGenerate }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useDemographicLabels();
  const searchId = useId();
  const stored = useUiStore((state) => state.personaQuery);
  const setQuery = useUiStore((state) => state.setPersonaQuery);
  const query: PersonaQuery = stored.projectId === project.id ? stored : { projectId: project.id, q: "", filters: {} };
  const update = (change: Partial<PersonaQuery>) => setQuery({ ...query, ...change });

  const dimensions = Object.entries(project.targetDemographics);
  const q = useDebouncedValue(query.q.trim(), SEARCH_DEBOUNCE_MS);
  // Only filters on dimensions the target still has (it may have been edited since).
  const filter = dimensions
    .filter(
      ([dimension, weights]) =>
        query.filters[dimension] !== undefined && Object.hasOwn(weights, query.filters[dimension]!),
    )
    .map(([dimension]) => `${dimension}:${query.filters[dimension]}`);
  const filtering = Boolean(q) || filter.length > 0;

  const input: PagedInput<"personas.list"> = {
    projectId: project.id,
    limit: PAGE_SIZE,
    ...(q ? { q } : {}),
    ...(filter.length ? { filter } : {}),
  };
  const list = useInvokeInfiniteQuery("personas.list", input);
  const pages = list.data?.pages ?? [];
  const items = pages.flatMap((page) => page.items);
  const total = pages[pages.length - 1]?.total ?? 0;
  const loaded = list.data !== undefined && !list.isPlaceholderData;
  const clear = () => update({ q: "", filters: {} });
  // Nothing to search or filter before the first persona exists.
  const nothingYet = loaded && total === 0 && !filtering;

  return (
    <section className="persona-list" aria-labelledby={`${searchId}-title`}>
      <h2 id={`${searchId}-title`} className="visually-hidden">
        {t("personas.listLabel")}
      </h2>
      {nothingYet ? null : (
        <div className="filters" role="search">
          <div className="field field--grow">
            <label className="field__label" htmlFor={searchId}>
              {t("personas.searchLabel")}
            </label>
            <input
              id={searchId}
              className="input"
              type="search"
              value={query.q}
              maxLength={200}
              autoComplete="off"
              placeholder={t("personas.searchPlaceholder")}
              onChange={(event) => update({ q: event.target.value })}
              onKeyDown={(event) => {
                if (event.key === "Escape" && query.q) {
                  event.preventDefault();
                  update({ q: "" });
                }
              }}
            />
          </div>
          {dimensions.map(([dimension, weights]) => (
            <div className="field" key={dimension}>
              <label className="field__label" htmlFor={`${searchId}-${dimension}`}>
                {labels.dimension(dimension)}
              </label>
              <select
                id={`${searchId}-${dimension}`}
                className="select"
                value={query.filters[dimension] ?? ""}
                onChange={(event) => {
                  const filters = { ...query.filters };
                  if (event.target.value) filters[dimension] = event.target.value;
                  else delete filters[dimension];
                  update({ filters });
                }}
              >
                <option value="">{t("personas.anyCategory")}</option>
                {Object.keys(weights).map((category) => (
                  <option key={category} value={category}>
                    {labels.category(category)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          {filtering ? (
            <button type="button" className="button button--quiet" onClick={clear}>
              {t("personas.clearFilters")}
            </button>
          ) : null}
        </div>
      )}

      {list.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : list.isError && items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t("app.loadFailed")} />
      ) : loaded && total === 0 ? (
        filtering ? (
          <EmptyState title={t("personas.noMatchTitle")} body={t("personas.noMatchBody")}>
            <button type="button" className="button" onClick={clear}>
              {t("personas.clearFilters")}
            </button>
          </EmptyState>
        ) : generating ? null : (
          <EmptyState title={t("personas.emptyTitle")} body={t("personas.emptyBody")}>
            <button type="button" className="button button--primary" onClick={onGenerate}>
              {t("personas.generate")}
            </button>
          </EmptyState>
        )
      ) : (
        <>
          <p className="list-count" data-testid="personas-count" aria-live="polite">
            {t("personas.showing", { shown: format.integer(items.length), total: format.integer(total) })}
          </p>
          <ul
            className={`persona-grid${list.isPlaceholderData ? " persona-grid--stale" : ""}`}
            aria-label={t("personas.listLabel")}
          >
            {items.map((persona) => (
              <PersonaCard key={persona.id} persona={persona} project={project} />
            ))}
          </ul>
          <LoadMore list={list} />
          {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
        </>
      )}
    </section>
  );
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…` : flat;
}

function PersonaCard({ persona, project }: { persona: Persona; project: Project }) {
  const { t } = useTranslation();
  const labels = useDemographicLabels();
  const gender = usePersonaGender();
  // The slot in the target's dimension order; dimensions added later are simply absent.
  const slot = Object.keys(project.targetDemographics)
    .filter((dimension) => persona.demographics[dimension] !== undefined)
    .map((dimension) => [dimension, persona.demographics[dimension]!] as const);
  return (
    <li className="persona-card" data-testid="persona-card">
      <div className="persona-card__head">
        <Avatar name={persona.name} />
        <div className="persona-card__who">
          <h3 className="persona-card__name">
            <a className="card-link" href={hrefOf({ page: "persona", id: persona.id })}>
              {persona.name}
            </a>
          </h3>
          <p className="persona-card__facts">
            {[t("personas.age", { age: persona.age }), gender(persona.gender), persona.location].join(" · ")}
          </p>
        </div>
      </div>
      <p className="persona-card__occupation">{persona.occupation}</p>
      <p className="persona-card__story">{excerpt(persona.backgroundStory)}</p>
      {slot.length ? (
        <ul className="chips" aria-label={t("persona.slot")}>
          {slot.map(([dimension, category]) => (
            <li key={dimension} className="chip chip--slot" title={labels.dimension(dimension)}>
              <span className="visually-hidden">{labels.dimension(dimension)}: </span>
              {labels.category(category)}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
