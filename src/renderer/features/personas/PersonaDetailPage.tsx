import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { Persona } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { EmptyState, ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { useDemographicLabels } from "../demographics/labels";
import { Avatar } from "./Avatar";
import { BigFiveChart } from "./BigFiveChart";
import { DeletePersonaDialog } from "./DeletePersonaDialog";
import { usePersonaGender } from "./labels";
import { isPersonaLocale } from "./locales";
import { PersonaEditForm } from "./PersonaEditForm";

export function PersonaDetailPage({ personaId }: { personaId: string }) {
  const { t } = useTranslation();
  const persona = useInvokeQuery("personas.get", { id: personaId });
  useDocumentTitle(persona.data?.name ?? t("personas.title"));

  if (persona.isPending) return <Spinner label={t("app.loading")} />;
  if (persona.isError) {
    return persona.error.code === "NOT_FOUND" ? (
      <>
        <PageHeader title={t("persona.notFoundTitle")} />
        <EmptyState title={t("persona.notFoundBody")}>
          <a className="button" href={hrefOf({ page: "personas" })}>
            {t("persona.backToPersonas")}
          </a>
        </EmptyState>
      </>
    ) : (
      <ErrorState error={persona.error} onRetry={() => void persona.refetch()} title={t("app.loadFailed")} />
    );
  }
  return <PersonaDetail persona={persona.data} />;
}

/** Paragraphs as the model wrote them: blank lines (or single line breaks) separate them. */
function paragraphs(text: string): string[] {
  const blocks = text.split(/\n\s*\n/);
  const parts = blocks.length > 1 ? blocks : text.split(/\n/);
  return parts.map((part) => part.trim()).filter(Boolean);
}

function Chips({ items, label }: { items: readonly string[]; label: string }) {
  return (
    <ul className="chips" aria-label={label}>
      {items.map((item, index) => (
        <li key={`${index}-${item}`} className="chip">
          {item}
        </li>
      ))}
    </ul>
  );
}

function PersonaDetail({ persona }: { persona: Persona }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useDemographicLabels();
  const gender = usePersonaGender();
  const notify = useNotify();
  const client = useQueryClient();
  const project = useInvokeQuery("projects.get", { id: persona.projectId });
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const listRoute = { page: "project-personas", id: persona.projectId } as const;

  const remove = useInvokeMutation("personas.delete", {
    onSuccess: () => {
      setConfirmingDelete(false);
      notify.success(({ t }) => t("persona.deleted"), persona.name);
      navigate(listRoute, { replace: true });
      client.removeQueries({ queryKey: invokeQueryKey("personas.get", { id: persona.id }) });
    },
    onError: notify.error,
  });

  const targetOrder = Object.keys(project.data?.targetDemographics ?? {});
  const slot = Object.entries(persona.demographics).sort(
    ([a], [b]) => (targetOrder.indexOf(a) + 1 || 99) - (targetOrder.indexOf(b) + 1 || 99),
  );
  const profile: [string, string][] = [
    [t("persona.age"), format.integer(persona.age)],
    [t("persona.gender"), gender(persona.gender)],
    [t("persona.location"), persona.location],
    [t("persona.occupation"), persona.occupation],
    [t("persona.education"), labels.category(persona.education)],
    [t("persona.income"), labels.category(persona.income)],
  ];

  return (
    <>
      <PageHeader
        title={
          <>
            <Avatar name={persona.name} size="large" />
            {persona.name}
          </>
        }
        actions={
          editing ? null : (
            <div className="button-row" role="group" aria-label={t("persona.actions")}>
              <button type="button" className="button button--primary" onClick={() => setEditing(true)}>
                {t("persona.edit")}
              </button>
              <button
                type="button"
                className="button button--danger-outline"
                disabled={remove.isPending}
                onClick={() => setConfirmingDelete(true)}
              >
                {t("persona.delete")}
              </button>
            </div>
          )
        }
      >
        <p className="page-header__subtitle">
          <a href={hrefOf(listRoute)}>
            ← {project.data ? t("persona.backToProject", { project: project.data.name }) : t("personas.title")}
          </a>
        </p>
      </PageHeader>

      {editing ? (
        <PersonaEditForm persona={persona} onDone={() => setEditing(false)} />
      ) : (
        <div className="persona-detail">
          <div className="persona-detail__main">
            <section className="card" aria-labelledby="persona-story">
              <h2 id="persona-story" className="section-title">
                {t("persona.story")}
              </h2>
              <div className="story" data-testid="persona-story">
                {paragraphs(persona.backgroundStory).map((paragraph, index) => (
                  <p key={index}>{paragraph}</p>
                ))}
              </div>
            </section>
            <section className="card" aria-labelledby="persona-big-five">
              <h2 id="persona-big-five" className="section-title">
                {t("persona.bigFive")}
              </h2>
              <BigFiveChart bigFive={persona.bigFive} />
            </section>
            <section className="card" aria-labelledby="persona-styles">
              <h2 id="persona-styles" className="visually-hidden">
                {t("persona.styles")}
              </h2>
              <dl className="details">
                <div>
                  <dt>{t("persona.communicationStyle")}</dt>
                  <dd className="prose">{persona.communicationStyle}</dd>
                </div>
                <div>
                  <dt>{t("persona.decisionMakingStyle")}</dt>
                  <dd className="prose">{persona.decisionMakingStyle}</dd>
                </div>
              </dl>
            </section>
            <section className="card" aria-labelledby="persona-lists">
              <h2 id="persona-lists" className="visually-hidden">
                {t("persona.valuesInterestsConcerns")}
              </h2>
              <dl className="details">
                <div>
                  <dt>{t("persona.values")}</dt>
                  <dd>
                    <Chips items={persona.values} label={t("persona.values")} />
                  </dd>
                </div>
                <div>
                  <dt>{t("persona.interests")}</dt>
                  <dd>
                    <Chips items={persona.interests} label={t("persona.interests")} />
                  </dd>
                </div>
                <div>
                  <dt>{t("persona.concerns")}</dt>
                  <dd>
                    <Chips items={persona.concerns} label={t("persona.concerns")} />
                  </dd>
                </div>
              </dl>
            </section>
          </div>

          <aside className="persona-detail__aside" aria-label={t("persona.profile")}>
            <section className="card" aria-labelledby="persona-profile">
              <h2 id="persona-profile" className="section-title">
                {t("persona.profile")}
              </h2>
              <dl className="facts" data-testid="persona-profile">
                {profile.map(([term, value]) => (
                  <div key={term} className="facts__row">
                    <dt>{term}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            </section>
            <section className="card" aria-labelledby="persona-slot">
              <h2 id="persona-slot" className="section-title">
                {t("persona.slot")}
              </h2>
              <p className="field__hint">{t("persona.slotHint")}</p>
              <dl className="facts">
                {slot.map(([dimension, category]) => (
                  <div key={dimension} className="facts__row">
                    <dt>{labels.dimension(dimension)}</dt>
                    <dd>
                      <span className="chip chip--slot">{labels.category(category)}</span>
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
            <section className="card" aria-labelledby="persona-generation">
              <h2 id="persona-generation" className="section-title">
                {t("persona.generation")}
              </h2>
              <dl className="facts">
                <div className="facts__row">
                  <dt>{t("persona.model")}</dt>
                  <dd>
                    <code>{persona.model}</code>
                  </dd>
                </div>
                <div className="facts__row">
                  <dt>{t("persona.locale")}</dt>
                  <dd>{isPersonaLocale(persona.locale) ? t(`locales.${persona.locale}`) : persona.locale}</dd>
                </div>
                <div className="facts__row">
                  <dt>{t("persona.created")}</dt>
                  <dd>
                    <time dateTime={persona.createdAt}>{format.dateTime(persona.createdAt)}</time>
                  </dd>
                </div>
                {persona.updatedAt !== persona.createdAt ? (
                  <div className="facts__row">
                    <dt>{t("persona.updated")}</dt>
                    <dd>
                      <time dateTime={persona.updatedAt}>{format.dateTime(persona.updatedAt)}</time>
                    </dd>
                  </div>
                ) : null}
              </dl>
            </section>
          </aside>
        </div>
      )}

      {confirmingDelete ? (
        <DeletePersonaDialog
          name={persona.name}
          deleting={remove.isPending}
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => remove.mutate({ id: persona.id })}
        />
      ) : null}
    </>
  );
}
